"""Dates as volunteers type them: "hôm nay", "hôm qua", "hôm kia", "12/11", "12/11/2026"."""

from __future__ import annotations

import datetime as dt
import re

from core.text import fold

_RELATIVE = {"hom nay": 0, "today": 0, "hom qua": 1, "yesterday": 1, "hom kia": 2}
_DAY_MONTH = re.compile(r"^(?:ngay\s*)?(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{2,4}))?$")
MAX_DAYS_BACK = 90


class BadDate(ValueError):
    """Not a date, in the future, or too long ago; the flow says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "format", "future", "too_old"


def parse_day(text: str, today: dt.date) -> dt.date:
    key = fold(text).strip(" .")
    if key in _RELATIVE:
        return today - dt.timedelta(days=_RELATIVE[key])
    match = _DAY_MONTH.match(key)
    if not match:
        raise BadDate("format")
    day, month = int(match.group(1)), int(match.group(2))
    year = int(match.group(3)) if match.group(3) else today.year
    if year < 100:
        year += 2000
    try:
        value = dt.date(year, month, day)
    except ValueError:
        raise BadDate("format") from None
    if not match.group(3) and value > today:  # "28/12" typed in January means last December
        value = value.replace(year=year - 1)
    if value > today:
        raise BadDate("future")
    if (today - value).days > MAX_DAYS_BACK:
        raise BadDate("too_old")
    return value


def looks_like_date(text: str) -> bool:
    key = fold(text).strip(" .")
    return key in _RELATIVE or bool(_DAY_MONTH.match(key))
