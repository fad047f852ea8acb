"""What a leader types when setting a meeting: a day of the month, a time, a date ahead."""

from __future__ import annotations

import datetime as dt
import re

from core.text import fold
from models.meetings.calendar import LAST_DAY

_TIME = re.compile(r"^(\d{1,2})\s*(?:[:h.]\s*(\d{2})?)?\s*(?:gio|g)?$")
_DAY_MONTH = re.compile(r"^(?:ngay\s*)?(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{2,4}))?$")
_LAST = {"cuoi", "cuoi thang", "ngay cuoi thang", "ngay cuoi", "last", "last day"}
_RELATIVE = {"hom nay": 0, "today": 0, "ngay mai": 1, "mai": 1, "tomorrow": 1, "ngay kia": 2}
MAX_DAYS_AHEAD = 366
ROLL_OVER_DAYS = 180


def parse_time(text: str) -> tuple[int, int] | None:
    """(19, 30) from "19:30", "19h30", "19h", "19.30"; None when it is not a time of day."""
    match = _TIME.match(fold(text).strip(" ."))
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    return (hour, minute) if hour <= 23 and minute <= 59 else None


def parse_month_day(text: str) -> int | None:
    """1-31 ("ngày 25", "25"), or 31 for "cuối tháng" (the last day, whatever the month's length)."""
    key = fold(text).strip(" .")
    if key in _LAST:
        return LAST_DAY
    key = key.removeprefix("ngay").strip()
    return int(key) if key.isdigit() and 1 <= int(key) <= LAST_DAY else None


def parse_future_day(text: str, today: dt.date) -> dt.date | None:
    """Today or a day within the coming year: "28/11", "28/11/2026", "ngày mai"; None otherwise.

    A day and month long past this year mean next year's ("5/1" typed in December); a few
    days ago ("20/11" typed on 24/11) is a mistake, not next year.
    """
    key = fold(text).strip(" .")
    if key in _RELATIVE:
        return today + dt.timedelta(days=_RELATIVE[key])
    match = _DAY_MONTH.match(key)
    if not match:
        return None
    year = int(match.group(3)) if match.group(3) else today.year
    year += 2000 if year < 100 else 0
    try:
        value = dt.date(year, int(match.group(2)), int(match.group(1)))
    except ValueError:
        return None
    if not match.group(3) and (today - value).days > ROLL_OVER_DAYS:
        try:
            value = value.replace(year=year + 1)
        except ValueError:  # 29/2
            return None
    if value < today or (value - today).days > MAX_DAYS_AHEAD:
        return None
    return value
