"""After the meeting: the leader ticks who came and writes short minutes; and who answered what.

Steps of the leader's meeting flow (`handlers/meetings/leader.py`); the scheduler sends the
result to the village's chi bộ group once the minutes are in.
"""

from __future__ import annotations

import datetime as dt
import re

from core.i18n import _, __, format_date
from handlers.engine.flow import Answer, Ctx, Invalid, Prompt, Stay, Step
from handlers.engine.steps import TextRule, text_step
from handlers.engine.types import Option, Reply
from models.enums import AttendanceAnswer
from models.meetings import occurrences
from models.tables import Meeting

MINUTES_MIN, MINUTES_MAX = 5, 2000
RECORD_WINDOW = dt.timedelta(days=30)
DONE = "at:done"
FIRST = "attendance"  # the step `begin` leads to
MINUTES = TextRule(MINUTES_MAX, __("Hãy gõ nội dung bằng chữ (ít nhất {min} ký tự)."),
                   __("Nội dung dài {count} ký tự; tối đa {max}."), minimum=MINUTES_MIN)


async def answers_text(ctx: Ctx, meeting: Meeting) -> str:
    """Who said they will come, who cannot (with reasons), who has not answered."""
    rows = await occurrences.answers(ctx.session, meeting)
    local = meeting.starts_at.astimezone(ctx.tz)
    coming = [p.full_name for p, a in rows if a is not None and a.answer == AttendanceAnswer.ATTEND]
    away = [f"{p.full_name} ({a.reason})" if a.reason else p.full_name
            for p, a in rows if a is not None and a.answer == AttendanceAnswer.ABSENT]
    silent = [p.full_name for p, a in rows if a is None or a.answer is None]
    return "\n".join([
        _("👥 Buổi họp {date} lúc {time}:").format(date=format_date(local.date()), time=local.strftime("%H:%M")),
        _("✅ Tham dự ({count}): {names}").format(count=len(coming), names=", ".join(coming) or "—"),
        _("🚫 Vắng ({count}): {names}").format(count=len(away), names=", ".join(away) or "—"),
        _("❔ Chưa trả lời ({count}): {names}").format(count=len(silent), names=", ".join(silent) or "—"),
    ])


async def begin(ctx: Ctx) -> str:
    """Picks the latest meeting that has begun; the ticks start from what is known."""
    meeting = await occurrences.last_started(ctx.session, ctx.data["team_id"], ctx.now)
    if meeting is None or meeting.starts_at < ctx.now - RECORD_WINDOW:
        raise Invalid(_("Chưa có buổi họp nào đã diễn ra để ghi."))
    rows = await occurrences.answers(ctx.session, meeting)
    recorded = any(a is not None and a.attended is not None for _p, a in rows)
    present = [p.id for p, a in rows if a is not None and (
        a.attended if recorded else a.answer == AttendanceAnswer.ATTEND)]
    ctx.put(action="record", meeting_id=meeting.id, members=[p.id for p, _a in rows], present=present)
    return FIRST


async def ask_attendance(ctx: Ctx) -> Prompt:
    meeting = await ctx.session.get(Meeting, ctx.data["meeting_id"])
    present = set(ctx.data["present"])
    people = {p.id: p for p in await occurrences.team_members(ctx.session, meeting.team_id)}
    options = [Option(f"at:{pid}", ("✅ " if pid in present else "⬜ ") + people[pid].full_name)
               for pid in ctx.data["members"] if pid in people]
    options.append(Option(DONE, _("Xong")))
    local = meeting.starts_at.astimezone(ctx.tz)
    text = _("✍ Điểm danh buổi họp {date}: ✅ có mặt, ⬜ vắng. Chọn số để đổi (gõ được nhiều số, ví dụ 1 3), "
             "rồi chọn Xong.").format(date=format_date(local.date()))
    return Prompt(text, tuple(options))


async def accept_attendance(ctx: Ctx, answer: Answer) -> str:
    members: list[int] = ctx.data["members"]
    if answer.option is not None and answer.option.key == DONE:
        return "minutes"
    if answer.option is not None and answer.option.key.startswith("at:"):
        picked = [int(answer.option.key[3:])]
    else:
        numbers = [int(n) for n in re.findall(r"\d+", answer.text)]
        if not numbers or re.sub(r"[\d\s,;.]", "", answer.text) or any(not 1 <= n <= len(members) for n in numbers):
            raise Invalid(_("Hãy chọn số từ 1 đến {count}, hoặc Xong.").format(count=len(members) + 1))
        picked = [members[n - 1] for n in numbers]
    present = set(ctx.data["present"]) ^ set(picked)
    ctx.put(present=[pid for pid in members if pid in present])
    raise Stay()


async def ask_minutes(ctx: Ctx) -> Prompt:
    return Prompt(_("Biên bản ngắn: kết luận, việc đã giao cho ai (gõ vài dòng):"))


async def finish(ctx: Ctx) -> list[Reply]:
    meeting = await ctx.session.get(Meeting, ctx.data["meeting_id"])
    present = set(ctx.data["present"])
    await occurrences.record_attendance(ctx.session, meeting, present=present, member_ids=ctx.data["members"],
                                     actor_id=ctx.person.id)
    await occurrences.record_minutes(ctx.session, meeting, ctx.data["minutes"], actor_id=ctx.person.id)
    date = format_date(meeting.starts_at.astimezone(ctx.tz).date())
    return [Reply(_("✅ Đã ghi điểm danh ({count}/{total} có mặt) và biên bản buổi họp {date}. "
                    "Kết quả sẽ được gửi nhóm chi bộ.").format(count=len(present), total=len(ctx.data["members"]),
                                                               date=date))]


STEPS = {
    "attendance": Step("attendance", ask_attendance, accept_attendance, next=("minutes",)),
    "minutes": text_step("minutes", ask_minutes, MINUTES),
}
