"""Read-only screens: my households, my recent reports, meetings, people the bot cannot reach."""

from __future__ import annotations

import datetime as dt

from core.i18n import _, format_date, format_short_date
from handlers.engine.flow import Ctx
from handlers.engine.types import Reply
from handlers.households.picker import WAITING_MARK
from models import overview
from models.households import finding
from models.labels import CATEGORY_LABELS, PURPOSE_LABELS, STATUS_LABELS

LIST_LIMIT = 30


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
    held = await ctx.roles()
    upcoming = await overview.upcoming_meetings(ctx.session, held, ctx.now, 5)
    if not upcoming:
        return [Reply(_("📅 Chưa có lịch họp giao ban sắp tới."))]
    lines = [_("📅 Lịch họp sắp tới:")]
    for meeting, team in upcoming:
        local = meeting.starts_at.astimezone(ctx.tz)
        lines.append(_("• {date} lúc {time} — {team}{place}").format(
            date=format_date(local.date()), time=local.strftime("%H:%M"), team=team,
            place=f", {meeting.place}" if meeting.place else ""))
    return [Reply("\n".join(lines))]


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
