"""📬 Thông báo đã gửi: the author's announcements and each one's delivery report; and "✅ Đã nhận".

The report reads the outbox (`models/broadcasts/delivery_report.py`): how many messages reached a phone,
are waiting (quiet hours, retries) or failed, who acknowledged and who has not — by village, at
most NAMES names, so even a commune-wide announcement reports in a few messages on any app.
Its buttons, like "✅ Đã nhận" on the announcement itself, carry the announcement's id and may be
pressed days later from any screen, so each press is checked again.
"""

from __future__ import annotations

from core.i18n import _
from handlers.engine.flow import Answer, Ctx, Flow, Invalid, Prompt, Stay, Step
from handlers.engine.keys import key_number
from handlers.engine.outside_flows import action, command
from handlers.engine.types import Option, Reply
from models.broadcasts import announcements, delivery_report
from models.broadcasts.announcements import Listed
from models.broadcasts.audience import Audience
from models.broadcasts.delivery_report import FAILED, NO_APP, Named
from models.broadcasts.follow_up import CHASE_FOR
from models.broadcasts.texts import describe_audience, snippet, when
from models.tables import Announcement, OrgUnit

PAGE = 6
NAMES = 150  # names listed in one report, all lists together; beyond that, counts per village


def _stale() -> list[Reply]:
    return [Reply(_("Nút này đã cũ."))]


def _id(key: str) -> int | None:
    parts = key.split(":")
    return key_number(parts[1]) if len(parts) == 2 else None


@command("danhan", "received")
async def on_received(ctx: Ctx, arg: str) -> list[Reply]:
    """/danhan: everything of the last days not acknowledged yet (on Zalo "1" may mean something else
    by the time the reader answers)."""
    count = await announcements.acknowledge_pending(ctx.session, ctx.person.id, ctx.now, ctx.now - CHASE_FOR)
    if not count:
        return [Reply(_("Không có thông báo nào đang chờ bạn xác nhận."))]
    return [Reply(_("✅ Cảm ơn bạn! Đã ghi nhận: bạn đã nhận {count} thông báo.").format(count=count))]


@action("an")
async def on_acknowledge(ctx: Ctx, key: str) -> list[Reply]:
    """"✅ Đã nhận", pressed (or its number replied) on the announcement or its reminder."""
    announcement_id = _id(key)
    if announcement_id is None or ctx.person is None:
        return _stale()
    ack = await announcements.acknowledge(ctx.session, announcement_id, ctx.person.id, ctx.now)
    if ack.status == "not_recipient":
        return [Reply(_("Thông báo này không gửi cho bạn."))]
    if ack.status == "again":
        return [Reply(_("Bạn đã xác nhận đã nhận thông báo này {when}.").format(when=when(ack.at, ctx.tz)))]
    return [Reply(_("✅ Cảm ơn bạn! Đã ghi nhận: bạn đã nhận thông báo."))]


async def _own(ctx: Ctx, announcement_id: int) -> Announcement:
    announcement = await ctx.session.get(Announcement, announcement_id)
    if announcement is None:
        raise Invalid(_("Thông báo này không còn."))
    if announcement.author_id != ctx.person.id:
        raise Invalid(_("Chỉ người gửi xem được báo cáo của thông báo này."))
    return announcement


@action("ar")
async def on_report(ctx: Ctx, key: str) -> list[Reply]:
    announcement_id = _id(key)
    if announcement_id is None or ctx.person is None:
        return _stale()
    try:
        return await report_screen(ctx, await _own(ctx, announcement_id))
    except Invalid as problem:
        return [Reply(str(problem))]


@action("ax")
async def on_cancel(ctx: Ctx, key: str) -> list[Reply]:
    """Withdraws a scheduled announcement before its time."""
    announcement_id = _id(key)
    if announcement_id is None or ctx.person is None:
        return _stale()
    try:
        announcement = await _own(ctx, announcement_id)
    except Invalid as problem:
        return [Reply(str(problem))]
    if not await announcements.cancel(ctx.session, announcement, actor_id=ctx.person.id, now=ctx.now):
        return [Reply(_("Không hủy được: thông báo đã gửi đi hoặc đã hủy trước đó."))]
    return [Reply(_("✖ Đã hủy thông báo hẹn gửi {when}.").format(when=when(announcement.send_at, ctx.tz)))]


def _name_lines(named: list[Named], budget: int) -> tuple[list[str], int]:
    """Names by village, as many as the budget allows; a village past it shows its count only."""
    by_village: dict[str | None, list[str]] = {}
    for person in named:
        by_village.setdefault(person.village, []).append(person.name)
    lines = []
    for village, names in by_village.items():
        shown = names[:max(budget, 0)]
        budget -= len(shown)
        label = village or _("Cấp xã")
        more = ", …" if len(shown) < len(names) else ""
        lines.append(f"• {label} ({len(names)})" + (f": {', '.join(shown)}{more}" if shown else ""))
    return lines, budget


async def report_screen(ctx: Ctx, announcement: Announcement) -> list[Reply]:
    unit = await ctx.session.get(OrgUnit, announcement.scope_unit_id)
    audience = Audience.from_json(announcement.audience)
    lines = [_("📊 Báo cáo thông báo “{snippet}”").format(snippet=snippet(announcement.text)),
             _("Gửi tới: {audience}").format(audience=await describe_audience(ctx.session, unit, audience))]
    home = Option("m:main", _("🏠 Trang chính"))
    if announcement.cancelled_at is not None:
        lines.append(_("✖ Đã hủy, không gửi."))
        return [Reply("\n".join(lines), (home,))]
    if announcement.enqueued_at is None:
        lines.append(_("⏳ Hẹn gửi {when}; chưa gửi.").format(when=when(announcement.send_at, ctx.tz)))
        return [Reply("\n".join(lines), (home, Option(f"ax:{announcement.id}", _("✖ Hủy hẹn gửi"), confirm=True)))]
    report = await delivery_report.report(ctx.session, announcement)
    lines.append(_("Đã gửi {when}.").format(when=when(announcement.enqueued_at, ctx.tz)))
    if report.total or not report.groups:
        lines += [_("Người nhận: {count}").format(count=report.total),
                  _("✔ Đã đến máy: {delivered} · ⏳ Đang chờ gửi: {waiting} · ✖ Không gửi được: {failed}").format(
                      delivered=report.delivered, waiting=report.waiting, failed=report.failed),
                  _("✅ Đã xác nhận: {acked} · ⌛ Chưa xác nhận: {silent}").format(
                      acked=report.acknowledged, silent=report.unacknowledged)]
    if report.groups:
        sent = sum(1 for g in report.groups if g.state == delivery_report.DELIVERED)
        lines.append(_("Nhóm chat: {sent}/{count} đã gửi").format(sent=sent, count=len(report.groups)))
        lines += [f"  ✖ {g.title or g.channel.value}" for g in report.groups if g.state == FAILED]
    budget = NAMES
    silent = [p for p in report.silent if p.state not in (FAILED, NO_APP)]
    if silent:
        names, budget = _name_lines(silent, budget)
        lines += ["", _("⌛ Chưa xác nhận ({count}):").format(count=len(silent)), *names]
    refused = [p for p in report.failures if p.state == FAILED]
    if refused:
        names, budget = _name_lines(refused, budget)
        lines += ["", _("✖ Không gửi được — đã chặn bot hoặc ứng dụng từ chối ({count}):").format(
            count=len(refused)), *names]
    no_app = [p for p in report.failures if p.state == NO_APP]
    if no_app:
        names, budget = _name_lines(no_app, budget)
        lines += ["", _("✖ Chưa kết nối Telegram hay Zalo với bot ({count}):").format(count=len(no_app)), *names]
    return [Reply("\n".join(lines), (Option(f"ar:{announcement.id}", _("🔄 Cập nhật")), home))]


# --- the list: "📬 Thông báo đã gửi" ------------------------------------------------------------------

async def start(ctx: Ctx) -> str:
    listed, _more = await announcements.authored(ctx.session, ctx.person.id, 0, 1)
    if not listed:
        raise Invalid(_("Bạn chưa gửi thông báo nào."))
    return "pick"


def _label(ctx: Ctx, item: Listed) -> str:
    announcement = item.announcement
    local = announcement.send_at.astimezone(ctx.tz)
    if announcement.cancelled_at is not None:
        status = _("đã hủy")
    elif announcement.enqueued_at is None:
        status = _("⏳ hẹn {time}").format(time=local.strftime("%H:%M"))
    else:
        status = f"✅ {item.acknowledged}/{item.recipients}"
    return f"{local.day}/{local.month} · {status} · {snippet(announcement.text)}"[:64]


async def ask_pick(ctx: Ctx) -> Prompt:
    page = int(ctx.data.get("_page", 0))
    listed, more = await announcements.authored(ctx.session, ctx.person.id, page * PAGE, PAGE)
    options = [Option(f"ar:{item.announcement.id}", _label(ctx, item)) for item in listed]
    if more:
        options.append(Option(f"bl:{page + 1}", _("➡ Cũ hơn")))
    if page:
        options.append(Option("bl:0", _("↩ Mới nhất")))
    return Prompt(_("📬 Thông báo đã gửi (mới nhất trước; ✅ đã xác nhận/người nhận). Chọn một thông báo "
                    "để xem báo cáo:"), tuple(options))


async def accept_pick(ctx: Ctx, answer: Answer) -> None:
    key = answer.option.key if answer.option else ""
    if key.startswith("bl:"):
        ctx.put(_page=int(key[3:]))
        raise Stay()
    if not key.startswith("ar:"):
        raise Invalid(_("Hãy chọn một thông báo trong danh sách."))
    ctx.put(announcement_id=int(key[3:]))
    return None


async def finish(ctx: Ctx) -> list[Reply]:
    try:
        return await report_screen(ctx, await _own(ctx, ctx.data["announcement_id"]))
    except Invalid as problem:
        return [Reply(str(problem))]


FLOW = Flow(name="broadcast_list", first="pick", finish=finish, start=start,
            steps={"pick": Step("pick", ask_pick, accept_pick)})
