"""The main menu by role, and what each entry does."""

from __future__ import annotations

from core.i18n import _
from handlers.digests import on_demand
from handlers.engine import outside_flows
from handlers.engine.flow import Ctx, Prompt
from handlers.engine.types import Option, Reply
from handlers.meetings import leader
from handlers.menu import mute, overview
from models import access
from models.broadcasts import audience
from models.digests import audience as digests_audience
from models.visits.record import undo_visit

FLOW_ENTRIES = {"m:visit": "visit", "m:concern": "concern", "m:lang": "language",
                "m:deadlines": "deadlines", "m:mute": "mute", "m:bcast": "broadcast", "m:bcasts": "broadcast_list",
                "m:open": "concern_inbox", "m:cr": "concern_rules"}
VIEW_ENTRIES = {"m:households": overview.my_households, "m:reports": overview.my_reports,
                "m:meetings": overview.meetings, "m:unreachable": overview.unreachable,
                "m:digest": on_demand.from_menu}
LEADER_ONLY = {"m:unreachable"}  # 📂 Ý kiến đang mở checks its own (handlers/concerns/inbox.py)


async def main_menu(ctx: Ctx) -> Prompt:
    held = await ctx.roles()
    options = [
        Option("m:visit", _("📝 Ghi thăm hộ")),
        Option("m:concern", _("📣 Ghi ý kiến, kiến nghị")),
        Option("m:households", _("🏠 Hộ tôi phụ trách")),
        Option("m:reports", _("📋 Báo cáo của tôi")),
        Option("m:meetings", _("📅 Lịch họp")),
    ]
    if access.is_leader(held) or access.is_commune_role(held):
        options.append(Option("m:open", _("📂 Ý kiến đang mở")))
        options.append(Option("m:unreachable", _("📵 Chưa liên lạc được")))
        options.append(Option("m:deadlines", _("🗓 Hạn báo cáo")))
    if access.is_commune_role(held):
        options.append(Option("m:cr", _("⏱ Thời hạn xử lý ý kiến")))
    if digests_audience.may_see_digests(held):
        options.append(Option("m:digest", _("📊 Tổng hợp tháng")))
    if audience.author_scopes(held):
        options.append(Option("m:bcast", _("📢 Gửi thông báo")))
        options.append(Option("m:bcasts", _("📬 Thông báo đã gửi")))
    options.append(Option("m:mute", mute.menu_label(ctx)))
    options.append(Option("m:lang", _("🌐 Ngôn ngữ")))
    return Prompt(_("Chọn việc cần làm:"), tuple(options), columns=2)


def help_text() -> str:
    return "\n".join((
        _("Gần Dân giúp ghi thăm hộ và ý kiến của Nhân dân."),
        _("• Chọn mục bằng nút, hoặc gõ số thứ tự (ví dụ 1), hoặc gõ chữ của mục."),
        _("• /quaylai: quay lại bước trước · /huy: hủy việc đang làm · /menu: trang chính."),
    ))


def global_option(key: str) -> Option | None:
    """Buttons still valid on an older message: menu entries and undo."""
    if key in FLOW_ENTRIES or key in VIEW_ENTRIES or key == "m:main" or key.startswith("undo:"):
        return Option(key, "")
    if outside_flows.find(key) is not None:
        return Option(key, "")
    return None


async def act(ctx: Ctx, key: str) -> str | list[Reply]:
    """A flow name to start, or the replies of a screen."""
    if key in FLOW_ENTRIES:
        return FLOW_ENTRIES[key]
    if key == "m:meetings" and await leader.runs_meetings(ctx):
        return "meeting_admin"  # leaders manage the meetings; members see the schedule
    if key in VIEW_ENTRIES:
        if key in LEADER_ONLY:
            held = await ctx.roles()
            if not (access.is_leader(held) or access.is_commune_role(held)):
                return [Reply(_("Mục này dành cho tổ trưởng và lãnh đạo xã."))]
        return await VIEW_ENTRIES[key](ctx)
    if key.startswith("undo:") and key[5:].isdigit():
        visit = await undo_visit(ctx.session, person_id=ctx.person.id, visit_id=int(key[5:]), now=ctx.now)
        if visit is None:
            return [Reply(_("Không hoàn tác được: đã quá 10 phút hoặc lượt thăm không còn."))]
        return [Reply(_("↩ Đã hoàn tác lượt thăm."))]
    return []
