"""/tonghop (/digest): this month so far, for the units the person's roles cover.

Without an argument: the commune's digest for the khối dân vận head and the commune secretary,
the village's for its team leader, deputies and chi bộ secretary. `/tonghop Đồng Tâm` picks one
village, if the roles reach it. The text comes at once; the chart and the spreadsheet follow
through the outbox, which knows how each app takes files (the terminal gets none).
"""

from __future__ import annotations

from core.i18n import _, __
from handlers.engine.flow import Ctx
from handlers.engine.outside_flows import command
from handlers.engine.types import Reply
from models import access
from models.access import Held
from models.digests import audience, media as digests_media
from models.digests.compute import (
    CommuneDigest,
    VillageDigest,
    commune_digest,
    month_to_date,
    period_key,
    village_digests,
)
from models.digests.texts import commune_text, village_text
from models.enums import UnitKind
from models.evaluation.running import digest_scores
from models.evaluation.texts import digest_line
from models.households import stale
from models.outbox.enqueue import PHONE_APPS, enqueue, payload
from models.tables import OrgUnit
from models.units import tree

REFUSED = __("Tổng hợp tháng dành cho tổ trưởng, tổ phó, bí thư chi bộ, trưởng khối dân vận "
             "và bí thư Đảng ủy xã.")


async def _targets(ctx: Ctx, held: list[Held], commune: OrgUnit, arg: str) -> list[OrgUnit] | str:
    """The units to show, or why not."""
    if not arg:
        found = [await ctx.session.get(OrgUnit, unit_id) for _kind, unit_id in access.own_units(held)]
        return [unit for unit in found if unit is not None and unit.path.startswith(commune.path)]
    matches = await tree.find_units(ctx.session, arg, within=commune, kinds=[UnitKind.VILLAGE])
    if not matches:
        return _("Không tìm thấy thôn, tổ dân phố nào tên “{name}”.").format(name=arg)
    allowed = [village for village in matches if access.covers_village(held, village)]
    if not allowed:
        return _("Bạn chỉ xem được tổng hợp của đơn vị mình phụ trách.")
    return allowed[:3]


async def _send_media(ctx: Ctx, media: digests_media.Media, unit: OrgUnit, title: str) -> bool:
    """The chart and spreadsheet to this chat, through the outbox; False where no file can go."""
    if ctx.incoming.channel not in PHONE_APPS:
        return False
    photo_id, document_id = await digests_media.store(ctx.session, media, ctx.now)
    ask = ctx.incoming.message_id or ctx.now.isoformat()
    body = payload(_("📎 Biểu đồ và bảng số liệu: {title}").format(title=title), photo_attachment=photo_id,
                   document_attachment=document_id)
    return await enqueue(ctx.session, key=f"digest:ask:{ctx.incoming.channel.value}:{ctx.incoming.chat_id}:{ask}:"
                                          f"u{unit.id}",
                         channel=ctx.incoming.channel, chat_id=ctx.incoming.chat_id, kind="digest_files", body=body,
                         not_before=ctx.now, person_id=ctx.person.id)


@command("tonghop", "digest", slow=True)
async def on_demand(ctx: Ctx, arg: str) -> list[Reply]:
    held = list(await ctx.roles())
    commune_id = access.commune_of(held)
    if commune_id is None:
        return [Reply(str(REFUSED))]
    commune = await ctx.session.get(OrgUnit, commune_id)
    targets = await _targets(ctx, held, commune, arg.strip())
    if isinstance(targets, str):
        return [Reply(targets)]
    start, end = month_to_date(ctx.today)
    commune_wide: CommuneDigest | None = None
    villages: dict[int, VillageDigest] = {}
    if any(unit.kind == UnitKind.COMMUNE for unit in targets):
        commune_wide = await commune_digest(ctx.session, commune.id, start, end, ctx.tz, now=ctx.now)
        villages = {v.village_id: v for v in commune_wide.villages}
    elif targets:
        villages = await village_digests(ctx.session, commune.id, start, end, ctx.tz, now=ctx.now)
    evaluation, cards = await digest_scores(ctx.session, commune, end, ctx.tz, ctx.now)
    replies = []
    for unit in targets:
        if commune_wide is not None and unit.id == commune_wide.commune_id:
            text, media = commune_text(commune_wide), digests_media.commune_media(commune_wide)
            text += "\n\n" + _("Xem một thôn: /tonghop <tên thôn>.")
        else:
            digest = villages[unit.id]
            sheet = stale.stale_table(await stale.every(ctx.session, [unit], ctx.today))
            card = cards.get(unit.id)
            score = digest_line(card, evaluation) if card is not None else None
            text = village_text(digest, ctx.tz, names=True, score=score)
            media = digests_media.village_media(digest, sheet)
        audience.record_view(ctx.session, ctx.person.id, unit.id, period_key(start))
        if await _send_media(ctx, media, unit, unit.name):
            text += "\n" + _("📎 Biểu đồ và bảng tính gửi ngay sau tin này.")
        replies.append(Reply(text))
    return replies


async def from_menu(ctx: Ctx) -> list[Reply]:
    """The main menu's 📊 entry: /tonghop without an argument."""
    return await on_demand(ctx, "")
