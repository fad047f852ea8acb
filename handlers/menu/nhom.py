"""👥 Nhóm của tôi: a nhóm leader sees the nhóm's members, households, visits and open concerns."""

from __future__ import annotations

from core.i18n import _
from handlers.engine.flow import Ctx
from handlers.engine.types import Reply
from models import access
from models.units.nhom_view import nhom_view


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


async def my_nhom(ctx: Ctx) -> list[Reply]:
    led = access.nhom_led(await ctx.roles())
    if not led:
        return [Reply(_("Mục này dành cho nhóm trưởng."))]
    replies = []
    for nhom in led:
        view = await nhom_view(ctx.session, nhom, ctx.today)
        lines = [_("👥 {nhom}").format(nhom=view.name),
                 _("Hộ: {households}, đã thăm trong 60 ngày: {covered} ({share}); chưa có người phụ trách: "
                   "{unassigned}").format(households=view.households, covered=view.covered,
                                          share=_share(view.covered, view.households), unassigned=view.unassigned),
                 _("Lượt thăm tháng này: {visits} · Ý kiến đang mở: {concerns}").format(
                     visits=view.visits, concerns=view.concerns_open),
                 _("Thành viên ({count}):").format(count=len(view.members))]
        lines += [_("• {name}: {covered}/{households} hộ đã thăm trong 60 ngày, {visits} lượt tháng này").format(
            name=m.name, covered=m.covered, households=m.households, visits=m.visits) for m in view.members]
        replies.append(Reply("\n".join(lines)))
    return replies
