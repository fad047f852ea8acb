"""A member answers a meeting reminder: "mt:<id>:y" (I will come) or "mt:<id>:n" (I cannot, why).

The buttons arrive on a queued reminder, perhaps days later, so everything is checked again.
"""

from __future__ import annotations

from core.i18n import _, __, format_date
from handlers.engine.flow import Ctx, Flow, Invalid, Prompt
from handlers.engine.keys import key_number
from handlers.engine.outside_flows import action
from handlers.engine.steps import TextRule, text_step
from handlers.engine.types import Option, Reply
from models.enums import AttendanceAnswer, MeetingStatus
from models.meetings import occurrences
from models.tables import Meeting

REASON_MAX = 300
REASON = TextRule(REASON_MAX, __("Lý do cần có chữ; hoặc chọn Bỏ qua."), __("Lý do dài {count} ký tự; tối đa {max}."))


async def _answerable(ctx: Ctx, meeting_id: int) -> Meeting:
    """The meeting, if this person may still answer for it; Invalid says why not."""
    meeting = await ctx.session.get(Meeting, meeting_id)
    if meeting is None:
        raise Invalid(_("Buổi họp này không còn trong lịch."))
    if meeting.status == MeetingStatus.CANCELLED:
        raise Invalid(_("Buổi họp này đã hủy."))
    if meeting.starts_at <= ctx.now:
        raise Invalid(_("Buổi họp này đã diễn ra."))
    if not await occurrences.is_member(ctx.session, meeting.team_id, ctx.person.id):
        raise Invalid(_("Bạn không thuộc tổ của buổi họp này."))
    return meeting


def _when(ctx: Ctx, meeting: Meeting) -> tuple[str, str]:
    local = meeting.starts_at.astimezone(ctx.tz)
    return format_date(local.date()), local.strftime("%H:%M")


@action("mt")
async def on_reminder(ctx: Ctx, key: str) -> list[Reply] | tuple[str, dict]:
    parts = key.split(":")
    meeting_id = key_number(parts[1]) if len(parts) == 3 else None
    if meeting_id is None or parts[2] not in ("y", "n"):
        return [Reply(_("Nút này đã cũ."))]
    try:
        meeting = await _answerable(ctx, meeting_id)
    except Invalid as problem:
        return [Reply(str(problem))]
    if parts[2] == "n":
        return "meeting_absent", {"meeting_id": meeting.id}
    await occurrences.record_answer(ctx.session, meeting, ctx.person.id, AttendanceAnswer.ATTEND, None, ctx.now)
    date, time = _when(ctx, meeting)
    return [Reply(_("✅ Cảm ơn! Đã ghi: bạn tham dự buổi họp {date} lúc {time}.").format(date=date, time=time))]


async def start(ctx: Ctx) -> str:
    await _answerable(ctx, ctx.data["meeting_id"])
    return "reason"


async def ask_reason(ctx: Ctx) -> Prompt:
    date, time = _when(ctx, await ctx.session.get(Meeting, ctx.data["meeting_id"]))
    return Prompt(_("Bạn vắng buổi họp {date} lúc {time}. Lý do (không bắt buộc):").format(date=date, time=time),
                  (Option("rs:skip", _("Bỏ qua")),))


async def finish(ctx: Ctx) -> list[Reply]:
    try:  # the meeting may have been cancelled while the person was typing
        meeting = await _answerable(ctx, ctx.data["meeting_id"])
    except Invalid as problem:
        return [Reply(str(problem))]
    await occurrences.record_answer(ctx.session, meeting, ctx.person.id, AttendanceAnswer.ABSENT,
                                 ctx.data.get("reason"), ctx.now)
    date, time = _when(ctx, meeting)
    return [Reply(_("Đã ghi: bạn vắng buổi họp {date} lúc {time}. Tổ trưởng sẽ được biết.").format(
        date=date, time=time))]


FLOW = Flow(
    name="meeting_absent", first="reason", finish=finish, start=start,
    steps={"reason": text_step("reason", ask_reason, REASON, optional=True)},
)
