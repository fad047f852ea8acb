"""Tables as an XLSX workbook: the figures behind a digest, for whoever wants to sort or re-use them.

One sheet per table: the title in the first row, the bold header frozen under it (so it stays in
view while scrolling) with a filter, numbers stored as numbers, text that looks like a formula
kept as text.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from reports.tables import Cell, Table

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# openpyxl is imported where a workbook is made: at import it pulls in numpy and Pillow, ~20 MB
# of memory the bot would otherwise carry from start-up for a file made once a month.

SHEET_NAME_LIMIT = 31  # Excel refuses longer sheet names
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
MIN_WIDTH, MAX_WIDTH = 8, 60  # characters
HEADER_ROW = 2
HEADER_COLOUR = "DDEBF7"
# What openpyxl refuses in a cell (its ILLEGAL_CHARACTERS_RE): control characters but tab and newlines.
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def workbook(tables: list[Table]) -> bytes:
    """The tables as one .xlsx file, a sheet each, named after their titles."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in tables:
        _fill(book.create_sheet(sheet_name(table.title, used)), table)
    if not tables:
        book.create_sheet("Sheet1")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sheet_name(title: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, not blank, unique ignoring case."""
    base = " ".join(_NOT_IN_SHEET_NAMES.sub(" ", _clean(title)).split()).strip("'") or "Sheet"
    name = base[:SHEET_NAME_LIMIT].rstrip()
    number = 1
    while name.casefold() in used:
        number += 1
        suffix = f" ({number})"
        name = base[:SHEET_NAME_LIMIT - len(suffix)].rstrip() + suffix
    used.add(name.casefold())
    return name


def _fill(sheet: Worksheet, table: Table) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet.cell(1, 1, _clean(table.title)).font = Font(bold=True, size=13)
    widths = [len(str(column)) for column in table.columns]
    for col, column in enumerate(table.columns, 1):
        cell = sheet.cell(HEADER_ROW, col, _clean(column))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_COLOUR)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for number, row in enumerate(table.rows, HEADER_ROW + 1):
        for col, value in enumerate(row, 1):
            _put(sheet, number, col, value)
            if col <= len(widths):
                widths[col - 1] = max(widths[col - 1], len(_shown(value)))
            else:
                widths.append(len(_shown(value)))
    for col, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(col)].width = min(MAX_WIDTH, max(MIN_WIDTH, width + 2))
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    if table.columns:
        last = get_column_letter(len(table.columns))
        sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + len(table.rows)}"


def _put(sheet: Worksheet, row: int, col: int, value: Cell) -> None:
    if isinstance(value, bool):  # a bool is an int to Python; Excel shows it as TRUE/FALSE
        value = int(value)
    if isinstance(value, str):
        cell = sheet.cell(row, col, _clean(value))
        cell.data_type = "s"  # "=SUM(…)" typed by someone stays text, never a formula
        return
    cell = sheet.cell(row, col, value)
    if isinstance(value, int):
        cell.number_format = "#,##0"


def _clean(text: str) -> str:
    """Control characters make openpyxl refuse the whole file."""
    return _ILLEGAL.sub("", str(text))


def _shown(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return max(str(value).splitlines() or [""], key=len)
