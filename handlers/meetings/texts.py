"""How meetings read on screen: the monthly rule, a meeting's date, time and place."""

from __future__ import annotations

from core.i18n import _, format_date
from handlers.engine.flow import Ctx
from models.meetings.texts import WEEKDAY_LABELS, at_place, describe_rule
from models.tables import Meeting

__all__ = ["WEEKDAY_LABELS", "at_place", "describe_meeting", "describe_rule"]


def describe_meeting(meeting: Meeting, ctx: Ctx) -> str:
    local = meeting.starts_at.astimezone(ctx.tz)
    return _("{date} lúc {time}{place}").format(date=format_date(local.date()), time=local.strftime("%H:%M"),
                                                 place=at_place(meeting.place))
