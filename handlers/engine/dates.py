"""Dates and times as people type them: "hôm nay", "hôm qua", "12/11", "12/11/2026", "ngày mai", "19h30".

Days back (a visit) and days ahead (a moved meeting, a timed announcement) read the same forms."""

from __future__ import annotations

import datetime as dt
import re

from core.text import fold

_RELATIVE = {"hom nay": 0, "today": 0, "hom qua": 1, "yesterday": 1, "hom kia": 2}
_DAY_MONTH = re.compile(r"^(?:ngay\s*)?(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{2,4}))?$")
_AHEAD = {"hom nay": 0, "today": 0, "ngay mai": 1, "mai": 1, "tomorrow": 1, "ngay kia": 2}
_TIME = re.compile(r"^(\d{1,2})\s*(?:[:h.]\s*(\d{2})?)?\s*(?:gio|g)?$")
_TIME_MARK = re.compile(r"[:h.]|gio|\dg$")  # "19:30", "19h", "19.30", "7 giờ": a time, not a bare number
MAX_DAYS_BACK = 90
MAX_DAYS_AHEAD = 366
ROLL_OVER_DAYS = 180
# The days prompts give as examples, counted from the day they are shown so that each is a valid answer.
EXAMPLE_DAYS_BACK = 12
EXAMPLE_DAYS_AHEAD = 4


class BadDate(ValueError):
    """Not a date, in the future, or too long ago; the flow says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "format", "future", "too_old"


def parse_day(text: str, today: dt.date) -> dt.date:
    key = fold(text).strip(" .")
    if key in _RELATIVE:
        return today - dt.timedelta(days=_RELATIVE[key])
    if key in _AHEAD:  # "ngày mai": understood, and in the future
        raise BadDate("future")
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
        if (today - value.replace(year=year - 1)).days > MAX_DAYS_BACK:
            raise BadDate("future")  # "25/11" typed on 24/11 means tomorrow, not a year ago
        value = value.replace(year=year - 1)
    if value > today:
        raise BadDate("future")
    if (today - value).days > MAX_DAYS_BACK:
        raise BadDate("too_old")
    return value


def looks_like_date(text: str) -> bool:
    key = fold(text).strip(" .")
    return key in _RELATIVE or key in _AHEAD or bool(_DAY_MONTH.match(key))


def looks_like_time(text: str) -> bool:
    """A time of day written as one ("19:30", "19h", "7 giờ"), not a bare number that might be a day."""
    return parse_time(text) is not None and bool(_TIME_MARK.search(fold(text).strip(" .")))


def day_month(day: dt.date) -> str:
    """"28/11": how a day is typed, and so how prompts show one as an example."""
    return f"{day.day}/{day.month}"


def example_back(today: dt.date) -> str:
    """A day a visit may be dated to: within the last 90 days, so never "12/11" in early November."""
    return day_month(today - dt.timedelta(days=EXAMPLE_DAYS_BACK))


def example_ahead(today: dt.date) -> str:
    """A day a meeting may be moved to or an announcement sent on: a few days from today."""
    return day_month(today + dt.timedelta(days=EXAMPLE_DAYS_AHEAD))


def example_time(usual: str, day: dt.date | None, now: dt.datetime) -> str:
    """`usual` ("07:30"), or on `day` being today once that has passed, the next whole hour."""
    hour, minute = (int(part) for part in usual.split(":"))
    if day is None or day != now.date() or (hour, minute) > (now.hour, now.minute):
        return usual
    return f"{min(now.hour + 1, 23):02d}:{0 if now.hour < 23 else 59:02d}"


def parse_time(text: str) -> tuple[int, int] | None:
    """(19, 30) from "19:30", "19h30", "19h", "19.30"; None when it is not a time of day."""
    match = _TIME.match(fold(text).strip(" ."))
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    return (hour, minute) if hour <= 23 and minute <= 59 else None


def parse_future_day(text: str, today: dt.date) -> dt.date | None:
    """Today or a day within the coming year: "28/11", "28/11/2026", "ngày mai"; None otherwise.

    A day and month long past this year mean next year's ("5/1" typed in December); a few
    days ago ("20/11" typed on 24/11) is a mistake, not next year.
    """
    key = fold(text).strip(" .")
    if key in _AHEAD:
        return today + dt.timedelta(days=_AHEAD[key])
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
