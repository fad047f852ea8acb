"""A rubric read back from its three sheets (criteria, bands, period), as plain cells: every row's
problems are collected, so a commune fixes the file once, and nothing is stored unless all is well."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from core.i18n import LOCALES, _, use_locale
from core.text import fold
from models.evaluation.rubric import (
    BANDS_SHEET,
    CRITERIA_SHEET,
    HAND,
    PERIOD_SHEET,
    Band,
    BadRubric,
    Criterion,
    Rubric,
    RowError,
    validate,
)
from models.evaluation.tables import band_columns, criteria_columns, period_columns

Cell = str | int | float | None
Sheet = list[tuple[int, tuple[Cell, ...]]]  # (row number in the file, cells)
_DAY_MONTH = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*$")
HAND_WORDS = {HAND, "cham tay", "by hand"}


def _header_keys(columns: Callable[[], tuple[str, ...]]) -> set[tuple[str, ...]]:
    """A sheet's first two column names, folded, in every language the file may have been written in."""
    found = set()
    for locale in LOCALES:
        with use_locale(locale):
            found.add(tuple(fold(c) for c in columns()[:2]))
    return found


def _data(sheet: Sheet, columns: Callable[[], tuple[str, ...]]) -> Sheet:
    """The rows under the header row (its first two cells name the sheet's first two columns), blank ones
    dropped; every row when no header is found."""
    heads = _header_keys(columns)
    start = next((i for i, (_n, cells) in enumerate(sheet)
                  if tuple(fold(str(c or "")) for c in cells[:2]) in heads), None)
    rows = sheet[start + 1:] if start is not None else sheet
    return [(n, cells) for n, cells in rows if any(str(c).strip() for c in cells if c is not None)]


def _text(cells: tuple[Cell, ...], index: int) -> str:
    value = cells[index] if index < len(cells) else None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _number(cells: tuple[Cell, ...], index: int) -> float | None:
    text = _text(cells, index).replace(",", ".").rstrip("%").strip()
    if not text:
        return None
    return float(text)  # ValueError: the caller names the row


def parse(sheets: Sequence[Sheet]) -> Rubric:
    """The rubric in the sheets (criteria, bands, period, in that order); BadRubric with every problem."""
    if len(sheets) < 2:
        raise BadRubric([RowError(str(CRITERIA_SHEET), None, _("tệp cần các trang “{criteria}” và “{bands}”").format(
            criteria=CRITERIA_SHEET, bands=BANDS_SHEET))])
    errors: list[RowError] = []
    criteria, crit_rows = [], []
    for number, cells in _data(sheets[0], criteria_columns):
        try:
            max_points, full, zero, minimum = (_number(cells, i) for i in (2, 4, 5, 6))
        except ValueError:
            errors.append(RowError(str(CRITERIA_SHEET), number, _("điểm và các mức (%) phải là số")))
            continue
        measure = _text(cells, 3)
        measure = HAND if fold(measure) in HAND_WORDS else measure
        if max_points is None:
            errors.append(RowError(str(CRITERIA_SHEET), number, _("thiếu điểm tối đa")))
            continue
        criteria.append(Criterion(_text(cells, 0), _text(cells, 1), max_points, measure, full, zero, minimum or 0.0))
        crit_rows.append(number)
    bands, band_rows = [], []
    for number, cells in _data(sheets[1], band_columns):
        try:
            minimum = _number(cells, 1)
        except ValueError:
            minimum = None
        if minimum is None:
            errors.append(RowError(str(BANDS_SHEET), number, _("“từ điểm” phải là số")))
            continue
        bands.append(Band(_text(cells, 0), minimum))
        band_rows.append(number)
    period_end = None
    if len(sheets) > 2:
        for number, cells in _data(sheets[2], period_columns)[:1]:
            text = _text(cells, 0)
            match = _DAY_MONTH.match(text)
            if text and match is None:
                errors.append(RowError(str(PERIOD_SHEET), number, _("ghi ngày/tháng, ví dụ 20/11, hoặc để trống")))
            elif match:
                period_end = (int(match.group(2)), int(match.group(1)))
    rubric = Rubric(tuple(criteria), tuple(bands), period_end)
    try:
        validate(rubric, {"criteria": crit_rows, "bands": band_rows})
    except BadRubric as bad:
        errors += bad.errors
    if errors:
        raise BadRubric(sorted(errors, key=lambda e: (e.sheet != str(CRITERIA_SHEET), e.row or 0)))
    return rubric
