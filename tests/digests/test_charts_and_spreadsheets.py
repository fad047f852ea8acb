"""Charts and spreadsheets from neutral tables: a PNG a phone can show (Vietnamese letters drawn,
sizes Telegram accepts) and an XLSX that opens with the figures as numbers."""

from __future__ import annotations

import asyncio
import io
import struct

import pytest
from matplotlib import font_manager
from openpyxl import load_workbook
from PIL import Image

from reports.charts import FONT, bar_chart
from reports.spreadsheet import workbook
from reports.tables import Table

VILLAGES = ["Thôn Đồng Tâm", "Thôn Phúc Lâm", "Tổ dân phố Nguyễn Thị Minh Khai kéo dài đến tận cuối làng",
            "Bản Nà Ư", "Xóm Trại Ấp Đông"]


def png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    return struct.unpack(">II", png[16:24])


def villages(count: int) -> list[str]:
    return [f"{VILLAGES[i % len(VILLAGES)]} {i}" for i in range(count)]


@pytest.mark.parametrize("count", [1, 20, 200])
def test_a_chart_is_a_png_a_phone_and_telegram_can_show(count):
    # Warnings are errors in this suite: a letter missing from the font would fail here.
    png = bar_chart("Tổng hợp tháng 6 năm 2026 — Xã Phúc Sơn: lượt thăm hộ và ý kiến theo thôn", villages(count),
                    {"Lượt thăm hộ": [float(i * 3 % 17) for i in range(count)],
                     "Ý kiến, kiến nghị": [float(i % 5) for i in range(count)]}, more="và {count} thôn khác")
    width, height = png_size(png)
    assert width == 1000
    assert 250 <= height <= 2600  # at most 20 villages drawn, however many there are
    assert width + height <= 10000 and height / width <= 20  # Telegram's limits for a photo
    with Image.open(io.BytesIO(png)) as image:
        image.verify()
    assert 5_000 < len(png) < 1_000_000


def test_many_categories_are_cut_to_the_largest():
    twenty = bar_chart("x", villages(20), {"a": [1.0] * 20})
    many = bar_chart("x", villages(200), {"a": [float(i) for i in range(200)]})
    assert png_size(many) == png_size(twenty)


def test_labels_are_drawn_in_a_font_with_vietnamese_letters():
    path = font_manager.findfont(font_manager.FontProperties(family=FONT), fallback_to_default=False)
    font = font_manager.get_font(path)
    assert all(font.get_char_index(ord(letter)) for letter in "ĐđƠơƯưẠạẢảẤấẦầẨẩẪẫẬậỆệỸỹỵ")


def test_series_must_match_the_categories():
    with pytest.raises(ValueError, match="2 values for 3 categories"):
        bar_chart("x", ["a", "b", "c"], {"Lượt thăm hộ": [1, 2]})


async def test_charts_render_side_by_side_in_threads():
    """No pyplot state: charts drawn in parallel threads come out as when drawn one by one."""
    titles = [f"Tháng {month}" for month in range(1, 7)]
    alone = [bar_chart(title, VILLAGES, {"a": [1, 2, 3, 4, 5]}) for title in titles]
    together = await asyncio.gather(*(asyncio.to_thread(bar_chart, title, VILLAGES, {"a": [1, 2, 3, 4, 5]})
                                      for title in titles))
    assert list(together) == alone


def test_an_empty_chart_still_renders():
    assert png_size(bar_chart("Chưa có số liệu", [], {"Lượt thăm hộ": []}))[0] == 1000


def test_a_workbook_holds_the_figures_as_numbers():
    table = Table("Tổng hợp tháng 6/2026 — Xã Phúc Sơn", ("Thôn", "Lượt thăm hộ", "Tỉ lệ", "Ghi chú"),
                  (("Thôn Đồng Tâm", 12, 0.25, None), ("=SUM(B3:B4)", 1234, 1.5, "dòng\x01 lỗi")))
    book = load_workbook(io.BytesIO(workbook([table])))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Tổng hợp tháng 6/2026 — Xã Phúc Sơn"
    assert rows[1] == ("Thôn", "Lượt thăm hộ", "Tỉ lệ", "Ghi chú")
    assert rows[2] == ("Thôn Đồng Tâm", 12, 0.25, None)
    assert rows[3] == ("=SUM(B3:B4)", 1234, 1.5, "dòng lỗi")  # control character dropped
    assert sheet["A4"].data_type == "s"  # typed text that looks like a formula stays text
    assert sheet["B4"].data_type == "n" and sheet["B4"].number_format == "#,##0"
    assert all(cell.font.b for cell in sheet[2])
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:D4"
    assert sheet.column_dimensions["A"].width >= len("Thôn Đồng Tâm")


def test_sheet_names_keep_to_excels_rules():
    long = "Tổng hợp tháng 6 năm 2026: thôn/tổ dân phố [chi tiết]?"
    book = load_workbook(io.BytesIO(workbook([Table(long, ("a",), ((1,),)), Table(long, ("a",), ()),
                                              Table("", ("a",), ())])))
    names = book.sheetnames
    assert len(names) == 3 and len({name.casefold() for name in names}) == 3
    assert all(0 < len(name) <= 31 and not set(name) & set("[]:*?/\\") for name in names)
    assert names[0].startswith("Tổng hợp tháng 6 năm 2026")
    assert names[1].endswith("(2)")
    assert book[names[0]]["A1"].value == long  # the whole title is still on the sheet


def test_starting_the_bot_loads_no_chart_or_spreadsheet_library() -> None:
    """matplotlib, openpyxl (and the numpy and Pillow it pulls in) are ~20 MB held from start-up for a monthly file."""
    import subprocess
    import sys

    code = ("import sys, bot.commands.run, handlers.registry, scheduler.app; "
            "print(sorted(m for m in ('numpy', 'PIL', 'openpyxl', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
