"""Read-only screens: my households, my recent reports, meetings, people the bot cannot reach."""

from __future__ import annotations

import datetime as dt

from core.i18n import _, __, format_date, format_short_date
from handlers.engine.flow import Ctx
from handlers.engine.types import Option, Reply
from handlers.households.picker import WAITING_MARK
from models import overview
from models.enums import AttendanceAnswer
from models.households import finding
from models.labels import CATEGORY_LABELS, PURPOSE_LABELS, STATUS_LABELS
from models.meetings import occurrences
from models.meetings.texts import answer_options

LIST_LIMIT = 30
ANSWERED = {AttendanceAnswer.ATTEND: __("Bạn đã trả lời: ✅ tham dự."),
            AttendanceAnswer.ABSENT: __("Bạn đã trả lời: 🚫 vắng.")}


async def my_households(ctx: Ctx) -> list[Reply]:
    rows, total = await finding.assigned(ctx.session, ctx.person.id, LIST_LIMIT)
    if not rows:
        return [Reply(_("Bạn chưa được giao hộ nào."))]
    lines = [_("🏠 Hộ bạn phụ trách ({total} hộ, lâu chưa thăm nhất ở trên):").format(total=total)]
    for h in rows:  # bullets: the menu that follows is the screen's only numbered list
        last = format_short_date(h.last_visited_on) if h.last_visited_on else _("chưa thăm")
        mark = WAITING_MARK if h.answer_waiting else ""
        lines.append(f"• {mark}{h.head_name} — {h.address or ''} — {last}")
    if total > len(rows):
        lines.append(_("… và {count} hộ khác.").format(count=total - len(rows)))
    if any(h.answer_waiting for h in rows):
        lines.append(_("📨: có câu trả lời chờ chuyển cho hộ — chọn “Ghi thăm hộ” khi đến báo."))
    return [Reply("\n".join(lines))]


async def my_reports(ctx: Ctx) -> list[Reply]:
    since = ctx.today - dt.timedelta(days=30)
    visits = await overview.recent_visits(ctx.session, ctx.person.id, since, LIST_LIMIT)
    concerns = await overview.recent_concerns(ctx.session, ctx.person.id, ctx.now - dt.timedelta(days=30), LIST_LIMIT)
    if not visits and not concerns:
        return [Reply(_("30 ngày qua bạn chưa ghi lượt thăm hay ý kiến nào."))]
    lines = [_("📋 Báo cáo của tôi (30 ngày qua)"), _("Lượt thăm: {count}").format(count=len(visits))]
    lines += [f"• {format_short_date(v.visited_on)} {name} — {PURPOSE_LABELS[v.purpose]}" for v, name in visits]
    lines.append(_("Ý kiến, kiến nghị: {count}").format(count=len(concerns)))
    lines += [f"• {c.reference} {CATEGORY_LABELS[c.category]} — {STATUS_LABELS[c.status]}" for c in concerns]
    return [Reply("\n".join(lines))]


async def meetings(ctx: Ctx) -> list[Reply]:
    """The schedule; the next meeting of each of the person's teams can be answered right here."""
    held = await ctx.roles()
    upcoming = await overview.upcoming_meetings(ctx.session, held, ctx.now, 5)
    if not upcoming:
        return [Reply(_("📅 Chưa có lịch họp giao ban sắp tới."))]
    lines, options, teams = [_("📅 Lịch họp sắp tới:")], [], set()
    answered = await occurrences.answers_of(ctx.session, ctx.person.id, [m.id for m, _team in upcoming])
    for meeting, team in upcoming:
        local = meeting.starts_at.astimezone(ctx.tz)
        lines.append(_("• {date} lúc {time} — {team}{place}").format(
            date=format_date(local.date()), time=local.strftime("%H:%M"), team=team,
            place=f", {meeting.place}" if meeting.place else ""))
        if meeting.team_id in teams or not await occurrences.is_member(ctx.session, meeting.team_id, ctx.person.id):
            continue
        teams.add(meeting.team_id)
        mine = answered.get(meeting.id)
        lines.append("  " + (str(ANSWERED[mine]) if mine in ANSWERED else _("Bạn chưa trả lời có tham dự không.")))
        day = format_short_date(local.date())
        options += [Option(key, f"{label} {day}") for key, label in answer_options(meeting.id)]
    if not options:
        return [Reply("\n".join(lines))]
    return [Reply("\n".join(lines), (*options, Option("m:main", _("🏠 Trang chính"))), columns=2)]


async def unreachable(ctx: Ctx) -> list[Reply]:
    held = await ctx.roles()
    rows = await overview.unreachable_people(ctx.session, held, LIST_LIMIT)
    absent, names = await overview.never_joined(ctx.session, held, LIST_LIMIT)
    if not rows and not absent:
        return [Reply(_("📵 Mọi người đều nhận được tin nhắn của bot."))]
    lines = []
    if rows:
        lines.append(_("📵 Không gửi được tin cho (đã chặn bot hoặc xóa tài khoản):"))
        lines += [f"• {name} — {channel.value.capitalize()} — {format_short_date(at.astimezone(ctx.tz).date())}"
                  for name, channel, at in rows]
    if absent:
        lines.append(_("📵 Chưa tham gia bot (chưa dùng mã mời nên không nhận được tin): {count} người").format(
            count=absent))
        lines += [f"• {name}" for name in names]
        if absent > len(names):
            lines.append(_("… và {count} người nữa.").format(count=absent - len(names)))
    return [Reply("\n".join(lines))]
