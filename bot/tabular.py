"""Reading a roster-like spreadsheet (.xlsx or .csv) into rows keyed by canonical column names.

Files come from commune offices: Excel sheets where phones were typed as numbers, CSVs saved by
Excel with a BOM and `;` as separator, headers with or without diacritics. The reader absorbs
those differences so the importers in `models/` see plain text only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from core.text import fold
from models.roster.rows import SourceRow

SUPPORTED = (".xlsx", ".csv")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_TITLE_ROWS = 5  # rows above the header a sheet may use for a title
# A commune's roster or household list is a few thousand rows. The limits stop a malformed or
# hostile file (a 1 MB .xlsx can unpack to gigabytes) before it costs minutes and memory.
MAX_ROWS = 50_000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # a .csv's size, or the sum of an .xlsx's unpacked parts


class TableError(Exception):
    """The file as a whole cannot be read; `code` is stable, `detail` names what is wrong."""

    def __init__(self, code: str, detail: str = "", keys: Sequence[str] = ()) -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code  # "unsupported_format", "not_found", "unreadable", "encoding", "empty", "too_large", …
        self.detail = detail
        self.keys = tuple(keys)  # for "missing_header": the canonical keys of the missing columns


@dataclass(frozen=True, slots=True)
class Table:
    headers: dict[str, str]  # canonical key → header text as written in the file
    rows: list[SourceRow]


def header_key(text: str) -> str:
    """Headers compared loosely: "Thôn / Tổ dân phố *" and "thon to dan pho" are the same."""
    return _NON_WORD.sub(" ", fold(text)).strip()


def cell_text(value: Any) -> str:
    """A cell as text: 912345678.0 → "912345678", dates as ISO, runs of spaces collapsed, NFC."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


MAX_EXTRA = 20  # columns kept beyond the known ones (household attributes such as "Chưa có BHYT")


def read_table(path: Path, aliases: Mapping[str, Sequence[str]], required: Sequence[str] = (), *,
               extra: bool = False) -> Table:
    """The file's rows; raises TableError for a format, file or header problem (never a traceback).
    With `extra`, cells under headers no column names are kept too, by their header (`SourceRow.extra`)."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise TableError("unsupported_format", path.suffix or path.name)
    if not path.is_file():
        raise TableError("not_found", str(path))
    raw_rows = _xlsx_rows(path) if suffix == ".xlsx" else _csv_rows(path)
    return _to_table(raw_rows, aliases, required, extra)


def _to_table(raw_rows: Iterable[tuple[int, list[str]]], aliases: Mapping[str, Sequence[str]],
              required: Sequence[str], extra: bool = False) -> Table:
    lookup = {header_key(spelling): key for key, spellings in aliases.items() for spelling in spellings}
    all_rows = [(number, cells) for number, cells in raw_rows if any(cells)]
    if not all_rows:
        raise TableError("empty")
    # The header is the first non-empty row, unless title rows ("DANH SÁCH …") sit above it:
    # then it is the first of the next few rows that names a known column.
    start = next((i for i, (_n, cells) in enumerate(all_rows[:_TITLE_ROWS + 1])
                  if any(header_key(c) in lookup for c in cells)), 0)
    header = all_rows[start][1]
    rows_iter: Iterator[tuple[int, list[str]]] = iter(all_rows[start + 1:])
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    others: dict[str, int] = {}
    for index, text in enumerate(header):
        key = lookup.get(header_key(text)) if text else None
        if key is None:
            if extra and text and header_key(text) and len(others) < MAX_EXTRA:
                others.setdefault(text, index)
            continue
        if key in positions:
            raise TableError("duplicate_header", text)
        positions[key], headers[key] = index, text
    missing = [key for key in required if key not in positions]
    if missing:
        raise TableError("missing_header", ", ".join(missing), missing)
    rows = []
    for number, cells in rows_iter:
        values = {key: cells[i] if i < len(cells) else "" for key, i in positions.items()}
        if any(values.values()):
            rows.append(SourceRow(number, values, {name: cells[i] if i < len(cells) else ""
                                                   for name, i in others.items()}))
    if not rows:
        raise TableError("empty")
    return Table(headers, rows)


def _numbered(rows: Iterable[Iterable[Any]]) -> list[tuple[int, list[str]]]:
    """Rows numbered from 1 as a spreadsheet shows them; stops at the first row past MAX_ROWS."""
    numbered = []
    for number, cells in enumerate(rows, start=1):
        if number > MAX_ROWS:
            raise TableError("too_many_rows", str(MAX_ROWS))
        numbered.append((number, [cell_text(c) for c in cells]))
    return numbered


def _check_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise TableError("unreadable", error.strerror or "") from None
    if size > MAX_UNPACKED_BYTES:
        raise TableError("too_large", f"{MAX_UNPACKED_BYTES // (1024 * 1024)} MB")


def _check_unpacked_size(path: Path) -> None:
    """The zip's own directory says how large its parts unpack; read before openpyxl inflates any."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise TableError("unreadable", type(error).__name__) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise TableError("too_large", f"{MAX_UNPACKED_BYTES // (1024 * 1024)} MB")


def _csv_rows(path: Path) -> list[tuple[int, list[str]]]:
    _check_size(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError("encoding", f"byte {error.start}") from None
    except OSError as error:
        raise TableError("unreadable", error.strerror or "") from None
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        # Numbered by record, as a spreadsheet program shows the file (a quoted newline stays in its cell).
        return _numbered(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise TableError("unreadable", str(error)) from None


def _xlsx_rows(path: Path) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook  # imported here: only the xlsx path pays for it
    from openpyxl.utils.exceptions import InvalidFileException

    _check_unpacked_size(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, ParseError) as error:
        raise TableError("unreadable", type(error).__name__) from None
    rows = None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some generators write a wrong sheet size; read what is there
        rows = sheet.iter_rows(min_row=1, values_only=True)
        return _numbered(rows)
    except (zipfile.BadZipFile, KeyError, ValueError, ParseError) as error:
        raise TableError("unreadable", type(error).__name__) from None
    finally:
        # A sheet stopped early (the row limit) still holds its part open inside the generator:
        # closed here, or the file stays open until the garbage collector finds it.
        if rows is not None:
            rows.close()
        workbook.close()


def read_sheets(path: Path) -> dict[str, list[tuple[int, list[str]]]]:
    """Every sheet of an .xlsx by name, numbered rows as text (an XLSForm has several), within the same limits."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if path.suffix.lower() != ".xlsx":
        raise TableError("unsupported_format", path.suffix or path.name)
    if not path.is_file():
        raise TableError("not_found", str(path))
    _check_unpacked_size(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, ParseError) as error:
        raise TableError("unreadable", type(error).__name__) from None
    sheets: dict[str, list[tuple[int, list[str]]]] = {}
    try:
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()
            rows = sheet.iter_rows(min_row=1, values_only=True)
            try:
                sheets[sheet.title] = _numbered(rows)
            finally:
                rows.close()
    except (zipfile.BadZipFile, KeyError, ValueError, ParseError) as error:
        raise TableError("unreadable", type(error).__name__) from None
    finally:
        workbook.close()
    return sheets
