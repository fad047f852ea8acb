"""The main menu (its entries by role come from `models.access.menu_entries`), and what each entry does."""

from __future__ import annotations

from core.i18n import _
from handlers.campaigns import screens as campaigns
from handlers.dan_van_kheo import screens as dan_van_kheo
from handlers.digests import on_demand
from handlers.engine import outside_flows
from handlers.engine.flow import Ctx, Prompt
from handlers.engine.keys import key_number
from handlers.engine.types import Option, Reply
from handlers.evaluation import view as evaluation_view
from handlers.groups import where
from handlers.meetings import leader
from handlers.menu import mute, nhom, overview, web
from handlers.surveys import results as survey_results
from models import access
from models.visits.record import undo_visit

FLOW_ENTRIES = {"m:visit": "visit", "m:concern": "concern", "m:lang": "language",
                "m:deadlines": "deadlines", "m:mute": "mute", "m:bcast": "broadcast", "m:bcasts": "broadcast_list",
                "m:open": "concern_inbox", "m:cr": "concern_rules", "m:stale": "stale",
                "m:official": "official_report", "m:campnew": "campaign_new", "m:dvknew": "dvk_propose",
                "m:survey": "survey", survey_results.NEW_KEY: "survey_new"}
VIEW_ENTRIES = {"m:households": overview.my_households, "m:reports": overview.my_reports,
                "m:meetings": overview.meetings, "m:unreachable": overview.unreachable,
                "m:digest": on_demand.from_menu, "m:nhom": nhom.my_nhom, "m:groups": where.from_menu,
                "m:eval": evaluation_view.from_menu, "m:camp": campaigns.from_menu, "m:dvk": dan_van_kheo.from_menu,
                "m:surveys": survey_results.surveys_screen, "m:web": web.from_menu}
outside_flows.SLOW.update({"m:digest", "m:reports", "m:eval"})  # computed while the person waits
LEADER_ONLY = {"m:unreachable", "m:dvk"}  # 📂 Ý kiến đang mở checks its own (handlers/concerns/inbox.py)


def _labels(ctx: Ctx) -> dict[str, str]:
    return {
        "m:visit": _("📝 Ghi thăm hộ"),
        "m:concern": _("📣 Ghi ý kiến, kiến nghị"),
        "m:households": _("🏠 Hộ tôi phụ trách"),
        "m:reports": _("📋 Báo cáo của tôi"),
        "m:meetings": _("📅 Lịch họp"),
        "m:camp": _("🤝 Vận động"),
        "m:dvk": _("🌟 Dân vận khéo"),
        "m:survey": _("📋 Khảo sát"),
        "m:surveys": _("🗳 Quản lý khảo sát"),
        "m:nhom": _("👥 Nhóm của tôi"),
        "m:stale": _("⏳ Hộ lâu chưa thăm"),
        "m:open": _("📂 Ý kiến đang mở"),
        "m:unreachable": _("📵 Chưa liên lạc được"),
        "m:groups": _("🔗 Nhóm nhận báo cáo"),
        "m:deadlines": _("🗓 Hạn báo cáo"),
        "m:cr": _("⏱ Thời hạn xử lý ý kiến"),
        "m:digest": _("📊 Tổng hợp tháng"),
        "m:official": _("📄 Báo cáo"),
        "m:bcast": _("📢 Gửi thông báo"),
        "m:bcasts": _("📬 Thông báo đã gửi"),
        "m:eval": _("📈 Xếp loại dự kiến"),
        "m:web": _("🖥 Trang quản lý (web)"),
        "m:mute": mute.menu_label(ctx),
        "m:lang": _("🌐 Ngôn ngữ"),
        access.MORE: _("🗂 Mục khác…"),
        "m:main": _("↩ Trang chính"),
    }


async def main_menu(ctx: Ctx) -> Prompt:
    held = await ctx.roles()
    if not held:
        return Prompt(_("Bạn hiện không còn vai trò nào trong Tổ Dân vận cộng đồng, nên không còn mục nào để "
                        "làm ở đây. Nếu có nhầm lẫn, xin liên hệ tổ trưởng."))
    first, _down = access.menu_screens(held)
    labels = _labels(ctx)
    return Prompt(_("Chọn việc cần làm:"), tuple(Option(key, labels[key]) for key in first), columns=2)


async def more_menu(ctx: Ctx) -> list[Reply]:
    """The entries folded one level down, and the way back up."""
    _first, down = access.menu_screens(await ctx.roles())
    labels = _labels(ctx)
    options = tuple(Option(key, labels[key]) for key in [*down, "m:main"])
    return [Reply(_("🗂 Mục khác:"), options, columns=2)]


async def every_entry(ctx: Ctx) -> list[Option]:
    """Every entry the person has, folded ones included: typed words find an entry wherever it sits."""
    first, down = access.menu_screens(await ctx.roles())
    labels = _labels(ctx)
    return [Option(key, labels[key]) for key in [*first, *down] if key not in (access.MORE, "m:main")]


def help_text() -> str:
    return "\n".join((
        _("Gần Dân giúp ghi thăm hộ và ý kiến của Nhân dân."),
        _("• Chọn mục bằng nút, hoặc gõ số thứ tự (ví dụ 1), hoặc gõ chữ của mục."),
        _("• /quaylai: quay lại bước trước · /huy: hủy việc đang làm · /menu: trang chính."),
        _("• /tieptuc: hỏi lại câu đang dở, sau khi rời đi hoặc mở một màn hình khác."),
    ))


def global_option(key: str) -> Option | None:
    """Buttons still valid on an older message: menu entries and undo."""
    if (key in FLOW_ENTRIES or key in VIEW_ENTRIES or key in ("m:main", access.MORE)
            or key.startswith("undo:") and key_number(key[5:]) is not None):
        return Option(key, "")
    if outside_flows.find(key) is not None:
        return Option(key, "")
    return None


async def act(ctx: Ctx, key: str) -> str | list[Reply]:
    """A flow name to start, or the replies of a screen."""
    if not key.startswith("undo:") and not await ctx.roles():
        return []  # roles ended (a roster re-import): an old button opens nothing, the short screen follows
    if key in FLOW_ENTRIES:
        return FLOW_ENTRIES[key]
    if key == "m:meetings" and await leader.runs_meetings(ctx):
        return "meeting_admin"  # leaders manage the meetings; members see the schedule
    if key == access.MORE:
        return await more_menu(ctx)
    if key in VIEW_ENTRIES:
        if key in LEADER_ONLY:
            if key not in access.menu_entries(await ctx.roles()):
                return [Reply(_("Mục này dành cho tổ trưởng và lãnh đạo xã."))]
        return await VIEW_ENTRIES[key](ctx)
    if key.startswith("undo:") and (visit_id := key_number(key[5:])) is not None:
        visit = await undo_visit(ctx.session, person_id=ctx.person.id, visit_id=visit_id, now=ctx.now)
        if visit is None:
            return [Reply(_("Không hoàn tác được: đã quá 10 phút hoặc lượt thăm không còn."))]
        return [Reply(_("↩ Đã hoàn tác lượt thăm."))]
    return []
