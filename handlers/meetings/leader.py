"""The leader's "📅 Lịch họp": set the monthly meeting, move or cancel the next one, see answers.

Setting the rule is in `handlers/meetings/monthly_rule.py`; recording attendance and minutes after
a meeting in `handlers/meetings/minutes.py`.
"""

from __future__ import annotations

from core.i18n import _, __
from handlers.engine.flow import Answer, Ctx, Flow, Invalid, Prompt, Stay, Step
from handlers.engine.steps import FutureMoment, TextRule, text_step
from handlers.engine.types import Option, Reply
from handlers.meetings import minutes, monthly_rule
from handlers.meetings.texts import at_place, describe_meeting, describe_rule
from models.enums import MeetingStatus
from models.meetings import occurrences
from models.tables import Meeting, OrgUnit
from models.people.reach import reach_of, reach_text

PLACE_MAX, REASON_MAX = 200, 200
PLACE = TextRule(PLACE_MAX, __("Địa điểm cần có chữ; hoặc chọn bỏ qua."), __("Địa điểm dài {count} ký tự; tối đa {max}."))
CANCEL_REASON = TextRule(REASON_MAX, __("Hãy gõ lý do bằng chữ."), __("Lý do dài {count} ký tự; tối đa {max}."))
MOVED = FutureMoment("move_date", bad_day=__("Hãy gõ một ngày từ hôm nay trở đi, ví dụ {example}."),
                     bad_time=__("Không hiểu giờ này; gõ ví dụ {example}."), past=__("Giờ này đã qua; hãy gõ giờ khác."),
                     usual_time="19:30")


async def runs_meetings(ctx: Ctx) -> bool:
    return bool(await occurrences.led_teams(ctx.session, ctx.person.id))


async def start(ctx: Ctx) -> str:
    teams = await occurrences.led_teams(ctx.session, ctx.person.id)
    if not teams:
        raise Invalid(_("Mục này dành cho tổ trưởng, tổ phó."))
    ctx.put(team_id=teams[0].id)
    return "menu"


async def ask_menu(ctx: Ctx) -> Prompt:
    team = await ctx.session.get(OrgUnit, ctx.data["team_id"])
    schedule = await occurrences.schedule_of(ctx.session, team.id)
    lines = [_("📅 Lịch họp giao ban — {team}").format(team=team.name)]
    if schedule is None or not schedule.active:
        lines.append(_("Chưa đặt lịch họp hằng tháng."))
    else:
        lines.append(_("Hằng tháng: {rule}, lúc {time}{place}.").format(
            rule=describe_rule(schedule.rule), time=f"{schedule.hour:02d}:{schedule.minute:02d}",
            place=at_place(schedule.place)))
    upcoming = await occurrences.next_meeting(ctx.session, team.id, ctx.now)
    if upcoming is not None:
        lines.append(_("Buổi tới: {when}.").format(when=describe_meeting(upcoming, ctx)))
    return Prompt("\n".join(lines), (
        Option("ma:set", _("🗓 Đặt lịch hằng tháng")),
        Option("ma:move", _("↪ Dời buổi tới")),
        Option("ma:cancel", _("✖ Hủy buổi tới")),
        Option("ma:answers", _("👥 Xem ai tham dự")),
        Option("ma:record", _("✍ Điểm danh, biên bản")),
    ))


async def accept_menu(ctx: Ctx, answer: Answer) -> str:
    key = answer.option.key if answer.option else ""
    if key == "ma:set":
        ctx.put(action="set")
        return "pattern"
    if key in ("ma:move", "ma:cancel", "ma:answers"):
        upcoming = await occurrences.next_meeting(ctx.session, ctx.data["team_id"], ctx.now)
        if upcoming is None:
            raise Invalid(_("Chưa có buổi họp nào sắp tới."))
        if key == "ma:answers":
            raise Stay(await minutes.answers_text(ctx, upcoming))
        ctx.put(action=key[3:], meeting_id=upcoming.id)
        return "move_date" if key == "ma:move" else "cancel_reason"
    if key == "ma:record":
        return await minutes.begin(ctx)
    raise Invalid(_("Hãy chọn một mục từ 1 đến 5."))


async def _meeting(ctx: Ctx) -> Meeting:
    return await ctx.session.get(Meeting, ctx.data["meeting_id"])


async def ask_time(ctx: Ctx) -> Prompt:
    # A moved meeting's day is stored by then: on today, the example is an hour still ahead.
    text = _("Họp lúc mấy giờ? Gõ giờ:phút, ví dụ {example}.").format(example=MOVED.time_example(ctx))
    if ctx.data.get("action") != "move":
        return Prompt(text)
    old = (await _meeting(ctx)).starts_at.astimezone(ctx.tz).strftime("%H:%M")
    return Prompt(text, (Option("tm:keep", _("Giữ giờ cũ ({time})").format(time=old)),))


async def accept_time(ctx: Ctx, answer: Answer) -> str:
    """The monthly meeting's time, or a moved meeting's (which must lie ahead, the old time too)."""
    if answer.option is not None and answer.option.key == "tm:keep":
        time = (await _meeting(ctx)).starts_at.astimezone(ctx.tz).strftime("%H:%M")
    else:
        time = MOVED.time_typed(answer, ctx)
    if ctx.data.get("action") == "move":
        MOVED.require_ahead(ctx, time)
    ctx.put(time=time)
    return "place"


async def ask_place(ctx: Ctx) -> Prompt:
    text = _("Họp ở đâu? Gõ địa điểm, ví dụ “Nhà văn hóa thôn”.")
    if ctx.data.get("action") == "move":
        return Prompt(text, (Option("pl:keep", _("Giữ địa điểm cũ")),))
    return Prompt(text, (Option("pl:skip", _("Bỏ qua")),))


async def accept_place(ctx: Ctx, answer: Answer) -> None:
    if answer.option is not None:
        ctx.put(place=(await _meeting(ctx)).place if answer.option.key == "pl:keep" else None)
        return None
    ctx.put(place=PLACE.check(answer.text))
    return None


async def ask_move_date(ctx: Ctx) -> Prompt:
    return Prompt(_("Dời buổi họp {when} sang ngày nào? Gõ ngày, ví dụ {example}.").format(
        when=describe_meeting(await _meeting(ctx), ctx), example=MOVED.day_example(ctx)))


async def ask_cancel_reason(ctx: Ctx) -> Prompt:
    return Prompt(_("Hủy buổi họp {when}. Lý do (thành viên sẽ được báo):").format(
        when=describe_meeting(await _meeting(ctx), ctx)))


async def finish(ctx: Ctx) -> list[Reply]:
    action = ctx.data.get("action")
    if action == "record":
        return await minutes.finish(ctx)
    if action == "set":
        return await monthly_rule.finish(ctx)
    meeting = await _meeting(ctx)
    if meeting is None or meeting.status != MeetingStatus.PLANNED:  # changed by someone else meanwhile
        return [Reply(_("Buổi họp này không còn trong lịch."))]
    if action == "cancel":
        await occurrences.cancel_meeting(ctx.session, meeting, reason=ctx.data["cancel_reason"], actor_id=ctx.person.id)
        return [Reply(_("✅ Đã hủy buổi họp {when}. Thành viên sẽ được báo.").format(
            when=describe_meeting(meeting, ctx)) + "\n" + await _reach(ctx, meeting.team_id))]
    await occurrences.move_meeting(ctx.session, meeting, starts_at=MOVED.at(ctx), place=ctx.data.get("place"),
                                actor_id=ctx.person.id)
    return [Reply(_("✅ Đã dời buổi họp sang {when}. Thành viên sẽ được nhắc theo lịch mới.").format(
        when=describe_meeting(meeting, ctx)) + "\n" + await _reach(ctx, meeting.team_id))]


async def _reach(ctx: Ctx, team_id: int) -> str:
    """Whom the notice reaches: members who never joined or blocked the bot are not told."""
    members = await occurrences.team_members(ctx.session, team_id)
    return reach_text(await reach_of(ctx.session, [p.id for p in members if p.id != ctx.person.id]))


FLOW = Flow(
    name="meeting_admin", first="menu", finish=finish, start=start,
    steps={
        "menu": Step("menu", ask_menu, accept_menu, next=("pattern", "move_date", "cancel_reason", minutes.FIRST)),
        **monthly_rule.STEPS,
        "time": Step("time", ask_time, accept_time, free_text=True, next=("place",)),
        "place": Step("place", ask_place, accept_place, free_text=True),
        "move_date": MOVED.day_step("move_date", ask_move_date, then="time"),
        "cancel_reason": text_step("cancel_reason", ask_cancel_reason, CANCEL_REASON),
        **minutes.STEPS,
    },
)
