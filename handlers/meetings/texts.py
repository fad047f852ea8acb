"""How meetings read on screen: the monthly rule, a meeting's date, time and place."""

from __future__ import annotations

from core.i18n import LazyString, _, __, format_date
from handlers.engine.flow import Ctx
from models.meetings.calendar import LAST_DAY
from models.tables import Meeting

WEEKDAY_LABELS: tuple[LazyString, ...] = (
    __("Thứ Hai"), __("Thứ Ba"), __("Thứ Tư"), __("Thứ Năm"), __("Thứ Sáu"), __("Thứ Bảy"), __("Chủ nhật"))


def describe_rule(rule: dict) -> str:
    if "day" in rule:
        if rule["day"] >= LAST_DAY:
            return _("ngày cuối tháng")
        return _("ngày {day} hằng tháng").format(day=rule["day"])
    weekday = WEEKDAY_LABELS[rule["weekday"]]
    if rule["nth"] == -1:
        return _("{weekday} cuối cùng của tháng").format(weekday=weekday)
    return _("{weekday} đầu tiên của tháng").format(weekday=weekday)


def at_place(place: str | None) -> str:
    return _(", tại {place}").format(place=place) if place else ""


def describe_meeting(meeting: Meeting, ctx: Ctx) -> str:
    local = meeting.starts_at.astimezone(ctx.tz)
    return _("{date} lúc {time}{place}").format(date=format_date(local.date()), time=local.strftime("%H:%M"),
                                                 place=at_place(meeting.place))
