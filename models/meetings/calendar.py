"""The calendar of a monthly meeting rule: which date it falls on in a month, in UTC at local time.

A rule is {"day": 25} (a short month uses its last day; 31 means the last day) or
{"weekday": 6, "nth": -1} (weekday 0 = Monday; nth 1-4, or -1 for the last one).
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

LAST_DAY = 31
NTHS = (1, 2, 3, 4, -1)


def validate_rule(rule: dict[str, Any]) -> dict[str, int]:
    """The rule in its stored form; ValueError when it is not one of the two shapes."""
    if set(rule) == {"day"} and isinstance(rule["day"], int) and 1 <= rule["day"] <= LAST_DAY:
        return {"day": rule["day"]}
    if (set(rule) == {"weekday", "nth"} and isinstance(rule["weekday"], int) and 0 <= rule["weekday"] <= 6
            and rule["nth"] in NTHS):
        return {"weekday": rule["weekday"], "nth": rule["nth"]}
    raise ValueError(f"not a meeting rule: {rule!r}")


def occurrence_in(rule: dict[str, Any], year: int, month: int) -> dt.date:
    last = calendar.monthrange(year, month)[1]
    if "day" in rule:
        return dt.date(year, month, min(rule["day"], last))
    weekday, nth = rule["weekday"], rule["nth"]
    if nth > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    end = dt.date(year, month, last)
    return end - dt.timedelta(days=(end.weekday() - weekday) % 7)


def occurrences(rule: dict[str, Any], start: dt.date, months_ahead: int) -> list[dt.date]:
    """The rule's dates from `start` on, in start's month and the `months_ahead` months after it."""
    days = []
    for step in range(months_ahead + 1):
        year, month = divmod(start.month - 1 + step, 12)
        day = occurrence_in(rule, start.year + year, month + 1)
        if day >= start:
            days.append(day)
    return days


def local_moment(day: dt.date, hour: int, minute: int, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz).astimezone(dt.UTC)
