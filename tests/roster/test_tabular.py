"""Reading spreadsheets: xlsx and csv quirks from real commune offices, and clear file-level errors."""

import time
import unicodedata
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot import tabular
from bot.tabular import MAX_ROWS, TableError, cell_text, read_table
from models.roster.importer import ROSTER_COLUMNS
from models.roster.rows import alias_table, import_phone

ALIASES = alias_table(ROSTER_COLUMNS)
REQUIRED = ["village", "name", "role"]
HEADER = "Thôn/Tổ dân phố,Nhóm,Họ và tên,Số điện thoại,Vai trò"


def write_csv(path: Path, text: str, *, bom: bool) -> Path:
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


@pytest.mark.parametrize("bom", [True, False])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_with_or_without_bom_and_either_delimiter(tmp_path, bom, delimiter):
    text = "\n".join([HEADER, "Thôn Đồng Tâm,Nhóm 1,Phạm Văn Long,0912100021,Nhóm trưởng", ",,,,",
                      "Thôn Đồng Tâm,Nhóm 1,  Hoàng   Thị Mai ,,Thành viên"]).replace(",", delimiter)
    table = read_table(write_csv(tmp_path / "roster.csv", text, bom=bom), ALIASES, REQUIRED)
    assert table.headers["village"] == "Thôn/Tổ dân phố"  # the BOM is not part of the first header
    assert [row.number for row in table.rows] == [2, 4]
    assert table.rows[0].values == {"village": "Thôn Đồng Tâm", "nhom": "Nhóm 1", "name": "Phạm Văn Long",
                                    "phone": "0912100021", "role": "Nhóm trưởng"}
    assert table.rows[1].get("name") == "Hoàng Thị Mai"
    assert "team" not in table.headers


def test_xlsx_header_below_a_title_numbers_as_text_and_spreadsheet_row_numbers(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "DANH SÁCH TỔ DÂN VẬN"  # a title row: not the header, since it names no known column
    ws.append([])
    ws.append(["STT", "thon / to dan pho", "Full name", "SĐT", "ROLE", "Ghi chú"])
    ws.append([1, "Thôn Đồng Tâm", "Phạm Văn Long", 912100021, "Tổ trưởng", "x"])
    ws.append([])
    ws.append([2, "Thôn Đồng Tâm", unicodedata.normalize("NFD", "Hoàng Thị Mai"), 912100022.0, "Thành viên"])
    wb.save(tmp_path / "roster.xlsx")
    table = read_table(tmp_path / "roster.xlsx", ALIASES, REQUIRED)
    assert table.headers == {"village": "thon / to dan pho", "name": "Full name", "phone": "SĐT", "role": "ROLE"}
    assert [row.number for row in table.rows] == [4, 6]
    assert [row.get("phone") for row in table.rows] == ["912100021", "912100022"]
    assert table.rows[1].get("name") == "Hoàng Thị Mai"  # stored composed (NFC), as typed elsewhere
    assert import_phone(table.rows[0].get("phone")) == "0912100021"


def test_examples_roster_reads_with_vietnamese_headers():
    table = read_table(Path(__file__).parents[2] / "examples" / "roster.xlsx", ALIASES, REQUIRED)
    assert set(table.headers) == {"village", "team", "nhom", "name", "phone", "role"}
    assert table.rows[0].number == 2
    assert len(table.rows) == 25


def test_missing_required_header_names_it(tmp_path):
    path = write_csv(tmp_path / "r.csv", "Họ và tên,Vai trò\nA,Thành viên\n", bom=False)
    with pytest.raises(TableError) as caught:
        read_table(path, ALIASES, REQUIRED)
    assert (caught.value.code, caught.value.keys) == ("missing_header", ("village",))


@pytest.mark.parametrize(("name", "content", "code"), [
    ("roster.xls", b"\xd0\xcf\x11\xe0", "unsupported_format"),
    ("roster.txt", b"a,b", "unsupported_format"),
    ("roster.xlsx", b"this is not a zip file", "unreadable"),
    ("roster.csv", "Thôn,Vai tro\n".encode("cp1258"), "encoding"),
    ("roster.csv", b"\n , \n", "empty"),
    ("roster.csv", "Thôn,Họ và tên,Vai trò\n,,\n".encode(), "empty"),
    ("roster.csv", "Họ và tên,Họ tên,Vai trò,Thôn\n".encode(), "duplicate_header"),
])
def test_bad_files_give_a_structured_error(tmp_path, name, content, code):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(TableError) as caught:
        read_table(path, ALIASES, REQUIRED)
    assert caught.value.code == code


def test_missing_file(tmp_path):
    with pytest.raises(TableError) as caught:
        read_table(tmp_path / "nothing.csv", ALIASES, REQUIRED)
    assert caught.value.code == "not_found"


@pytest.mark.parametrize(("raw", "expected"), [
    ("912345678", "0912345678"), ("0912 345 678", "0912345678"), ("+84 912 345 678", "0912345678"),
    ("386123456", "0386123456"), ("212345678", None), ("12345", None), ("091234567x8", "0912345678"),
])
def test_import_phone_accepts_a_dropped_leading_zero(raw, expected):
    assert import_phone(raw) == expected


def test_cell_text():
    assert cell_text(912345678.0) == "912345678"
    assert cell_text(2.5) == "2.5"
    assert cell_text(None) == ""
    assert cell_text("  a \n b ") == "a b"


def _xlsx_with_sheet(path: Path, rows: int, *, header: bool = True) -> Path:
    """A valid .xlsx whose first sheet is `rows` one-cell rows, written straight into the zip (stays small)."""
    wb = Workbook()
    wb.active["A1"] = "placeholder"
    template = path.with_suffix(".template.xlsx")
    wb.save(template)
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info, source.read(info.filename))
                continue
            with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
                sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
                            b'.org/spreadsheetml/2006/main"><sheetData>')
                first = 1
                if header:
                    sheet.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>Th\xc3\xb4n</t></is></c>'
                                b'<c r="B1" t="inlineStr"><is><t>H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan</t></is></c>'
                                b'<c r="C1" t="inlineStr"><is><t>Vai tr\xc3\xb2</t></is></c></row>')
                    first = 2
                whole, rest = divmod(rows - first + 1, 10_000)
                chunk = b"<row><c><v>1</v></c></row>" * 10_000  # rows and cells may go unnumbered
                for _ in range(whole):
                    sheet.write(chunk)
                sheet.write(chunk[:rest * len(chunk) // 10_000] + b"</sheetData></worksheet>")
    template.unlink()
    return path


def test_a_sheet_past_the_row_limit_stops_with_one_error(tmp_path):
    path = _xlsx_with_sheet(tmp_path / "roster.xlsx", MAX_ROWS + 10)
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(TableError) as caught:
        read_table(path, ALIASES, REQUIRED)
    assert (caught.value.code, caught.value.detail) == ("too_many_rows", str(MAX_ROWS))


def test_a_sheet_stopped_early_leaves_no_file_open(tmp_path):
    """The sheet's part, still open inside the row generator when the limit stops it, is closed at
    once, not when the garbage collector finds the error's frames (pytest keeps them here)."""
    path = _xlsx_with_sheet(tmp_path / "roster.xlsx", MAX_ROWS + 10)
    with pytest.raises(TableError) as caught:
        read_table(path, ALIASES, REQUIRED)
    fds = Path("/proc/self/fd")
    if not fds.is_dir():
        pytest.skip("no /proc here")
    still_open = [fd for fd in fds.iterdir() if _points_to(fd, path)]
    assert caught.value.code == "too_many_rows" and still_open == []


def _points_to(fd: Path, path: Path) -> bool:
    try:
        return fd.resolve() == path.resolve()
    except OSError:
        return False


def test_a_csv_past_the_row_limit_stops_with_one_error(tmp_path):
    path = write_csv(tmp_path / "r.csv", HEADER + "\n" + "Thôn A,,Người,,Thành viên\n" * MAX_ROWS, bom=False)
    with pytest.raises(TableError) as caught:
        read_table(path, ALIASES, REQUIRED)
    assert caught.value.code == "too_many_rows"


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, monkeypatch):
    """8 million one-cell rows fit in a few hundred kilobytes zipped; the zip's directory gives them away."""
    path = _xlsx_with_sheet(tmp_path / "bomb.xlsx", 8_000_000, header=False)
    assert path.stat().st_size < 1024 * 1024
    monkeypatch.setattr(tabular, "MAX_ROWS", 10_000_000)  # only the size check stands in the way
    started = time.monotonic()
    with pytest.raises(TableError) as caught:
        read_table(path, ALIASES, REQUIRED)
    assert caught.value.code == "too_large"
    assert time.monotonic() - started < 1.0
