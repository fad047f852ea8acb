"""Setting the team's monthly meeting: a day of the month, or the first or last given weekday.

Steps of the leader's meeting flow (`handlers/meetings/leader.py`); the time and place steps
that follow are shared with moving a meeting.
"""

from __future__ import annotations

from core.i18n import _, __
from handlers.engine.flow import Answer, Ctx, Invalid, Prompt, Step
from handlers.engine.steps import LabelChoice, choice_step
from handlers.engine.types import Option, Reply
from handlers.meetings.input import parse_month_day
from handlers.meetings.texts import WEEKDAY_LABELS, at_place, describe_meeting, describe_rule
from models.meetings import notices, occurrences

WEEKDAYS = LabelChoice("wd:", dict(enumerate(WEEKDAY_LABELS)), __("Hãy chọn một thứ từ 1 đến 7."), columns=2)


async def ask_pattern(ctx: Ctx) -> Prompt:
    return Prompt(_("Họp vào ngày nào hằng tháng?"), (
        Option("pt:day", _("Một ngày cố định (ví dụ ngày 25)")),
        Option("pt:first", _("Thứ … đầu tiên của tháng")),
        Option("pt:last", _("Thứ … cuối cùng của tháng")),
    ))


async def accept_pattern(ctx: Ctx, answer: Answer) -> str:
    key = answer.option.key if answer.option else ""
    if not key.startswith("pt:"):
        raise Invalid(_("Hãy chọn 1, 2 hoặc 3."))
    ctx.put(pattern=key[3:])
    return "day" if key == "pt:day" else "weekday"


async def ask_day(ctx: Ctx) -> Prompt:
    return Prompt(_("Ngày mấy hằng tháng? Gõ số từ 1 đến 31 (tháng ngắn hơn thì họp ngày cuối tháng), "
                    "hoặc gõ “cuối tháng”."))


async def accept_day(ctx: Ctx, answer: Answer) -> str:
    day = parse_month_day(answer.text)
    if day is None:
        raise Invalid(_("Hãy gõ một số từ 1 đến 31, hoặc “cuối tháng”."))
    ctx.put(day=day)
    return "time"


def weekday_text(ctx: Ctx) -> str:
    return _("Thứ mấy đầu tiên của tháng?") if ctx.data.get("pattern") == "first" else _(
        "Thứ mấy cuối cùng của tháng?")


async def finish(ctx: Ctx) -> list[Reply]:
    data = ctx.data
    rule = {"day": data["day"]} if data["pattern"] == "day" else {
        "weekday": data["weekday"], "nth": 1 if data["pattern"] == "first" else -1}
    hour, minute = (int(part) for part in data["time"].split(":"))
    first = await occurrences.schedule_of(ctx.session, data["team_id"]) is None
    schedule = await occurrences.set_schedule(
        ctx.session, data["team_id"], rule=rule, hour=hour, minute=minute, place=data.get("place"),
        actor_id=ctx.person.id, now=ctx.now, tz=ctx.tz)
    if first:
        await notices.tell_first_schedule(ctx.session, schedule, actor_id=ctx.person.id, now=ctx.now, tz=ctx.tz,
                                          default_locale=ctx.default_locale)
    text = _("✅ Đã đặt lịch họp giao ban: {rule}, lúc {time}{place}.").format(
        rule=describe_rule(schedule.rule), time=data["time"], place=at_place(schedule.place))
    upcoming = await occurrences.next_meeting(ctx.session, data["team_id"], ctx.now)
    if upcoming is not None:
        text += "\n" + _("Buổi tới: {when}.").format(when=describe_meeting(upcoming, ctx))
    return [Reply(text)]


STEPS = {
    "pattern": Step("pattern", ask_pattern, accept_pattern, next=("day", "weekday")),
    "day": Step("day", ask_day, accept_day, free_text=True, next=("time",)),
    "weekday": choice_step("weekday", weekday_text, WEEKDAYS, then="time"),
}
