"""What a leader types when setting the monthly meeting: a day of the month ("25", "cuối tháng").

Times and days ahead, typed for a moved meeting or a timed announcement too, are in
`handlers/engine/dates.py`."""

from __future__ import annotations

from core.text import fold
from models.meetings.calendar import LAST_DAY

_LAST = {"cuoi", "cuoi thang", "ngay cuoi thang", "ngay cuoi", "last", "last day"}


def parse_month_day(text: str) -> int | None:
    """1-31 ("ngày 25", "25"), or 31 for "cuối tháng" (the last day, whatever the month's length)."""
    key = fold(text).strip(" .")
    if key in _LAST:
        return LAST_DAY
    key = key.removeprefix("ngay").strip()
    return int(key) if key.isdigit() and 1 <= int(key) <= LAST_DAY else None
