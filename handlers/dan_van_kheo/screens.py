"""🌟 Dân vận khéo: the approved models of one's commune or village, by village and field; the proposals
waiting for the khối dân vận head; proposing one for a team leader."""

from __future__ import annotations

from itertools import groupby

from core.i18n import _, format_short_date
from handlers.engine.flow import Ctx
from handlers.engine.types import Option, Reply
from models import access
from models.dan_van_kheo import figures, proposals
from models.labels import MODEL_FIELD_LABELS
from models.tables import OrgUnit

LABEL_MAX = 60


async def from_menu(ctx: Ctx) -> list[Reply]:
    held = await ctx.roles()
    unit_id = access.models_unit(held)
    if unit_id is None:
        return [Reply(_("Mục này dành cho tổ trưởng và lãnh đạo xã."))]
    unit = await ctx.session.get(OrgUnit, unit_id)
    listed = await figures.approved(ctx.session, unit)
    lines = [_("🌟 Mô hình “Dân vận khéo” đã duyệt — {unit}: {count}").format(unit=unit.name, count=len(listed))]
    for village, models in groupby(listed, key=lambda m: m.village):
        lines += ["", f"🏘 {village}"]
        for field, same in groupby(models, key=lambda m: m.field):
            lines.append(f"  {MODEL_FIELD_LABELS[field]}:")
            lines += [_("  • {name} (duyệt {date})").format(
                name=m.name, date=format_short_date(m.approved_on) if m.approved_on else "") for m in same]
    waiting = await proposals.waiting(ctx.session, held)
    if waiting:
        lines += ["", _("⏳ Chờ duyệt: {count}").format(count=len(waiting))]
    options = [Option(f"dvk:{m.id}", _("Duyệt: {name}").format(name=m.name)[:LABEL_MAX]) for m in waiting[:8]]
    if access.proposing_teams(held):
        options.append(Option("m:dvknew", _("➕ Đề xuất mô hình")))
    options.append(Option("m:main", _("🏠 Trang chính")))
    return [Reply("\n".join(lines), tuple(options))]
