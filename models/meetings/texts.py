"""How a monthly meeting reads wherever it is told: its rule, its place, the buttons to answer it."""

from __future__ import annotations

from core.i18n import LazyString, _, __
from models.meetings.calendar import LAST_DAY

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


def answer_options(meeting_id: int) -> list[tuple[str, str]]:
    """"I will come" and "I cannot", answered by `handlers/meetings/answers.py` from any screen."""
    return [(f"mt:{meeting_id}:y", _("✅ Tham dự")), (f"mt:{meeting_id}:n", _("🚫 Vắng"))]
