"""📣 Vận động: the campaigns running for one's units, each with its progress, the way to record outcomes,
and for leaders the figures by village and nhóm, a chart and a spreadsheet."""

from __future__ import annotations

from core.i18n import _
from handlers.engine.flow import Ctx
from handlers.engine.keys import key_number
from handlers.engine.outside_flows import action
from handlers.engine.types import Option, Reply
from models import access
from models.campaigns import export, outcomes, progress
from models.campaigns.texts import dates_text, detail_lines, summary_line, unit_line
from models.enums import UnitKind
from models.outbox.enqueue import PHONE_APPS, enqueue, payload
from models.tables import Campaign, OrgUnit

LABEL_MAX = 60


async def from_menu(ctx: Ctx) -> list[Reply]:
    """The main menu's 📣 entry: the running campaigns, and creating one for those entitled."""
    held = await ctx.roles()
    running = await outcomes.open_campaigns(ctx.session, held, ctx.today)
    counts = await progress.totals(ctx.session, [c.id for c in running])
    lines = [_("📣 Cuộc vận động đang diễn ra:")] if running else [_("Hiện không có cuộc vận động nào đang diễn ra.")]
    lines += [summary_line(c, counts[c.id]) for c in running if c.id in counts]
    options = [Option(f"cp:{c.id}", c.name[:LABEL_MAX]) for c in running]
    if access.campaign_author_units(held):
        options.append(Option("m:campnew", _("➕ Tạo cuộc vận động")))
    options.append(Option("m:main", _("🏠 Trang chính")))
    return [Reply("\n".join(lines), tuple(options))]


async def _campaign(ctx: Ctx, key: str) -> tuple[Campaign, OrgUnit] | None:
    campaign_id = key_number(key.split(":")[1]) if key.count(":") >= 1 else None
    return await outcomes.campaign_for(ctx.session, await ctx.roles(), campaign_id) if campaign_id else None


@action("cp")
async def campaign_screen(ctx: Ctx, key: str) -> list[Reply]:
    found = await _campaign(ctx, key)
    if found is None:
        return [Reply(_("Nút này đã cũ."))]
    campaign, scope = found
    held = await ctx.roles()
    counts = (await progress.by_unit(ctx.session, campaign.id, progress.COMMUNE,
                                     within=access.campaign_view_area(held, scope)))[0].counts
    lines = [summary_line(campaign, counts), dates_text(campaign) + ".",
             *([campaign.description] if campaign.description else []), "", *detail_lines(counts)]
    options = []
    if outcomes.still_open_on(campaign, ctx.today):
        options.append(Option(f"cpo:{campaign.id}", _("✍ Ghi kết quả vận động")))
    if access.follows_campaign(held, scope):
        if scope.kind == UnitKind.COMMUNE:
            options.append(Option(f"cpp:{campaign.id}:v", _("📊 Theo thôn")))
        options.append(Option(f"cpp:{campaign.id}:n", _("📊 Theo nhóm")))
        if ctx.incoming.channel in PHONE_APPS:
            options.append(Option(f"cpx:{campaign.id}", _("📎 Biểu đồ và bảng tính")))
    options.append(Option("m:main", _("🏠 Trang chính")))
    return [Reply("\n".join(lines), tuple(options), columns=2)]


@action("cpo")
async def record_outcomes(ctx: Ctx, key: str) -> list[Reply] | tuple[str, dict]:
    found = await _campaign(ctx, key)
    if found is None or not outcomes.still_open_on(found[0], ctx.today):
        return [Reply(_("Nút này đã cũ."))]
    return "campaign_outcomes", {"campaign_id": found[0].id}


@action("cpp")
async def by_unit(ctx: Ctx, key: str) -> list[Reply]:
    found = await _campaign(ctx, key)
    level = {"v": progress.VILLAGE, "n": progress.NHOM}.get(key.split(":")[2] if key.count(":") == 2 else "")
    held = await ctx.roles()
    if found is None or level is None or not access.follows_campaign(held, found[1]):
        return [Reply(_("Nút này đã cũ."))]
    campaign, scope = found
    lines = await progress.by_unit(ctx.session, campaign.id, level, within=access.campaign_view_area(held, scope))
    head = _("📊 {name} — theo thôn:") if level == progress.VILLAGE else _("📊 {name} — theo nhóm:")
    text = "\n".join([head.format(name=campaign.name), *(unit_line(line) for line in lines)])
    return [Reply(text, (Option(f"cp:{campaign.id}", _("↩ Quay lại")), Option("m:main", _("🏠 Trang chính"))),
                  columns=2)]


@action("cpx")
async def files(ctx: Ctx, key: str) -> list[Reply]:
    """The chart and the spreadsheet through the outbox (the terminal takes no files); names for those entitled."""
    found = await _campaign(ctx, key)
    held = await ctx.roles()
    if found is None or not access.follows_campaign(held, found[1]) or ctx.incoming.channel not in PHONE_APPS:
        return [Reply(_("Nút này đã cũ."))]
    campaign, scope = found
    within = access.campaign_view_area(held, scope)
    area = access.names_area(held)
    sheets = await export.tables(ctx.session, campaign, names=access.names_campaign_households(held, scope),
                                 within=within, names_within=None if any(scope.path.startswith(p) for p in area)
                                 else area)
    level = progress.VILLAGE if scope.kind == UnitKind.COMMUNE and within is None else progress.NHOM
    drawn = export.chart(campaign, await progress.by_unit(ctx.session, campaign.id, level, within=within))
    photo_id, document_id = await export.store_files(ctx.session, campaign, drawn, sheets, ctx.now)
    ask = ctx.incoming.message_id or ctx.now.isoformat()
    await enqueue(ctx.session, key=f"campaign:files:{ctx.incoming.channel.value}:{ctx.incoming.chat_id}:{ask}",
                  channel=ctx.incoming.channel, chat_id=ctx.incoming.chat_id, kind="campaign_files",
                  body=payload(_("📎 Biểu đồ và bảng tính: {name}").format(name=campaign.name),
                               photo_attachment=photo_id, document_attachment=document_id),
                  not_before=ctx.now, person_id=ctx.person.id)
    return [Reply(_("📎 Biểu đồ và bảng tính gửi ngay sau tin này."),
                  (Option(f"cp:{campaign.id}", _("↩ Quay lại")), Option("m:main", _("🏠 Trang chính"))), columns=2)]
