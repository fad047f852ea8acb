"""What the roster and household imports share: columns, rows, row errors and the report."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from core.text import fold, normalize_phone

_DIGITS = re.compile(r"\D")


@dataclass(frozen=True, slots=True)
class Column:
    """One documented column: the canonical key, the Vietnamese header and other accepted spellings."""

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False  # the header must be present (the cells may still be blank on some rows)


def alias_table(columns: Sequence[Column]) -> dict[str, list[str]]:
    """Canonical key → folded header spellings, the shape `bot.tabular` matches headers against."""
    return {c.key: [fold(c.header), *(fold(a) for a in c.aliases)] for c in columns}


def default_headers(columns: Sequence[Column]) -> dict[str, str]:
    return {c.key: c.header for c in columns}


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One data row of a file: its number as the spreadsheet shows it and its cells by column key."""

    number: int
    values: Mapping[str, str]
    # Cells under headers no column names, by the header as written ("Chưa có BHYT"): household attributes.
    extra: Mapping[str, str] = field(default_factory=dict)

    def get(self, key: str) -> str:
        return (self.values.get(key) or "").strip()


@dataclass(frozen=True, slots=True)
class RowError:
    """A problem with one cell (or a whole row when `column` is None); `code` is stable for callers."""

    row: int
    column: str | None
    code: str
    value: str | None = None


class ImportRejected(Exception):
    """The file had bad rows; nothing was written. Carries every error, in row order."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = sorted(errors, key=lambda e: (e.row, e.column or "", e.code))
        super().__init__(f"{len(self.errors)} bad row(s)")


@dataclass
class ImportReport:
    """What an import did, as counts only (the audit trail gets the same, never names or phones)."""

    kind: str
    rows: int
    counts: Counter[str] = field(default_factory=Counter)

    def __getitem__(self, key: str) -> int:
        return self.counts[key]


class ErrorList:
    """Collects row errors, naming each column by the header text as written in the file."""

    def __init__(self, headers: Mapping[str, str]) -> None:
        self.headers = headers
        self.errors: list[RowError] = []

    def add(self, row: int, key: str | None, code: str, value: str | None = None) -> None:
        column = self.headers.get(key, key) if key else None
        self.errors.append(RowError(row, column, code, value))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ImportRejected(self.errors)

    def __bool__(self) -> bool:
        return bool(self.errors)


def import_phone(raw: str) -> str | None:
    """normalize_phone, also accepting a mobile number whose leading 0 a spreadsheet dropped."""
    digits = _DIGITS.sub("", raw)
    if len(digits) == 9 and digits[0] in "35789" and not raw.strip().startswith("+"):
        return "0" + digits
    return normalize_phone(raw)


def check_length(errors: ErrorList, row: SourceRow, key: str, limit: int) -> str:
    """The cell's text, with a "too_long" error when it would not fit its database column."""
    value = row.get(key)
    if len(value) > limit:
        errors.add(row.number, key, "too_long", value[:40] + "…")
    return value
