"""`gandan report fields` and `gandan units --founded` end to end on a real SQLite file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from bot.commands.reports.fields import FieldErrors, parse_assignments
from models.enums import UnitKind

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def db_file(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("TELEGRAM_BOT_USERNAME", raising=False)
    monkeypatch.chdir(tmp_path)
    return path


@pytest.fixture
def commune(db_file, capsys) -> Path:
    assert main(["setup", "commune", "10459"]) == 0
    assert main(["import", "roster", str(EXAMPLES / "roster.xlsx")]) == 0
    capsys.readouterr()
    return db_file


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_set_values_for_a_village_and_the_commune(capsys, commune):
    assert main(["report", "fields", "--unit", "Đồng Tâm", "--year", "2026", "--set", "population=1.240",
                 "--set", "area=86,5", "--set", "poor_rate=3,2"]) == 0
    out = capsys.readouterr().out
    assert "Đã lưu 3 số liệu." in out
    assert "Dân số: 1.240 người" in out and "Diện tích tự nhiên: 86,5 ha" in out and "Tỷ lệ hộ nghèo: 3,2 %" in out
    assert "Số đảng viên: ……" in out
    assert sorted(rows(commune, "SELECT key, value FROM report_fields")) == [
        ("area", "86.5"), ("poor_rate", "3.2"), ("population", "1240")]
    assert main(["report", "fields", "--unit", "commune", "--year", "2026", "--set", "citizens_received=312"]) == 0
    assert "Lượt tiếp công dân: 312 lượt" in capsys.readouterr().out
    # An empty value blanks the field again; each change is in the audit trail.
    assert main(["report", "fields", "--unit", "Đồng Tâm", "--year", "2026", "--set", "area="]) == 0
    assert "Diện tích tự nhiên: ……" in capsys.readouterr().out
    assert rows(commune, "SELECT count(*) FROM audit_log WHERE action = 'set_report_field'") == [(5,)]


def test_one_bad_value_and_nothing_is_written(capsys, commune):
    assert main(["report", "fields", "--unit", "Đồng Tâm", "--year", "2026", "--set", "population=1.240",
                 "--set", "area=12.5", "--set", "chi_bo=3", "--set", "oops"]) == 2
    err = capsys.readouterr().err
    assert "Không lưu gì vì có lỗi:" in err
    assert "“area=12.5”: cần một số không âm" in err
    assert "“chi_bo=3”: không có số liệu “chi_bo”" in err  # a commune's field, not a village's
    assert "“oops”" in err
    assert rows(commune, "SELECT count(*) FROM report_fields") == [(0,)]


def test_parse_assignments_is_usable_without_the_command_line():
    assert parse_assignments(["Population = 8.650 "], UnitKind.COMMUNE) == {"population": 8650}
    with pytest.raises(FieldErrors) as errors:
        parse_assignments(["poor_rate=120", "area=-1"], UnitKind.COMMUNE)
    assert len(errors.value.lines) == 2


def test_export_then_import_a_spreadsheet(capsys, commune, tmp_path):
    from openpyxl import load_workbook

    assert main(["report", "fields", "--unit", "Đồng Tâm", "--year", "2025", "--set", "population=1.200"]) == 0
    sheet_path = tmp_path / "so_lieu.xlsx"
    assert main(["report", "fields", "--unit", "Đồng Tâm", "--year", "2026", "--export", str(sheet_path)]) == 0
    assert "Đã ghi" in capsys.readouterr().out
    book = load_workbook(sheet_path)
    sheet = book.active
    table = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert table[1] == ["Mã", "Số liệu", "Đơn vị", "Giá trị", "Năm 2025"]
    by_key = {row[0]: index + 1 for index, row in enumerate(table) if row[0]}
    assert table[by_key["population"] - 1][4] == 1200  # last year's beside it
    sheet.cell(by_key["population"], 4).value = 1240  # a number cell
    sheet.cell(by_key["area"], 4).value = "86,5"  # text typed the Vietnamese way
    sheet.cell(by_key["poor_rate"], 4).value = 3.2
    book.save(sheet_path)
    assert main(["report", "fields", "--unit", "Đồng Tâm", "--year", "2026", "--import", str(sheet_path)]) == 0
    out = capsys.readouterr().out
    assert "Đã lưu 3 số liệu." in out and "Dân số: 1.240 người" in out and "Tỷ lệ hộ nghèo: 3,2 %" in out
    # Bad rows are named, and nothing of the sheet is written.
    sheet.cell(by_key["population"], 4).value = 12.5
    sheet.cell(by_key["poor_rate"], 4).value = "nhiều"
    sheet.cell(by_key["area"], 4).value = 99
    book.save(sheet_path)
    assert main(["report", "fields", "--unit", "Đồng Tâm", "--year", "2026", "--import", str(sheet_path)]) == 2
    err = capsys.readouterr().err
    assert f"Dòng {by_key['population']} (population): “12.5” chưa dùng được" in err
    assert f"Dòng {by_key['poor_rate']} (poor_rate): “nhiều” chưa dùng được" in err
    assert ("area", "86.5") in rows(commune, "SELECT key, value FROM report_fields WHERE year = 2026")


def test_a_file_that_is_no_sheet_of_fields(capsys, commune, tmp_path):
    other = tmp_path / "other.xlsx"
    from openpyxl import Workbook
    book = Workbook()
    book.active.append(["Tên", "Số"])
    book.save(other)
    assert main(["report", "fields", "--unit", "commune", "--year", "2026", "--import", str(other)]) == 2
    assert "không có cột “Mã”" in capsys.readouterr().err
    assert main(["report", "fields", "--unit", "commune", "--year", "2026", "--import", str(tmp_path / "none.xlsx")]) == 2


def test_units_records_a_team_s_founding_date(capsys, commune):
    assert main(["units", "--unit", "Đồng Tâm", "--founded", "15/3/2024"]) == 0
    assert "15/3/2024" in capsys.readouterr().out
    assert rows(commune, "SELECT kind, founded_on FROM org_units WHERE founded_on IS NOT NULL") == [
        ("team", "2024-03-15")]
    assert main(["units"]) == 0
    assert "thành lập 15/3/2024" in capsys.readouterr().out
    assert main(["units", "--unit", "Đồng Tâm", "--founded", "-"]) == 0
    assert rows(commune, "SELECT count(*) FROM org_units WHERE founded_on IS NOT NULL") == [(0,)]
    assert main(["units", "--founded", "1/1/2024"]) == 2
    with pytest.raises(SystemExit):
        main(["units", "--unit", "Đồng Tâm", "--founded", "32/1/2024"])
