"""`gandan campaign list|results ID [--out F.xlsx]`: a commune's campaigns, and one's progress and households."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy import select

from bot.app import open_app
from bot.commands.common import CommandError, pick_commune
from core.i18n import _
from core.settings import Settings
from models.campaigns import export, progress
from models.campaigns.texts import dates_text, detail_lines, summary_line, unit_line
from models.tables import Campaign, OrgUnit
from reports.spreadsheet import workbook


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("campaign", help=_("cuộc vận động: danh sách và kết quả"),
                            description=_("Các cuộc vận động của xã và kết quả vận động từng hộ."))
    inner = parser.add_subparsers(dest="action", metavar=_("thao_tác"), required=True)
    listing = inner.add_parser("list", help=_("các cuộc vận động của xã, mới nhất trước"))
    listing.add_argument("--commune", metavar=_("xã"), help=_("mã hoặc tên xã (khi có nhiều xã)"))
    listing.set_defaults(func=list_command)
    results = inner.add_parser("results", help=_("kết quả một cuộc vận động theo thôn và nhóm"),
                               description=_("In kết quả theo thôn và nhóm; --out ghi bảng tính .xlsx có danh sách "
                                             "hộ và kết quả."))
    results.add_argument("id", type=int, metavar="ID", help=_("số của cuộc vận động (xem gandan campaign list)"))
    results.add_argument("--out", metavar=_("tệp.xlsx"), help=_("ghi bảng tính .xlsx"))
    results.set_defaults(func=results_command)


async def list_command(args: argparse.Namespace, settings: Settings) -> int:
    async with open_app(settings) as app, app.sessions() as session:
        commune = await pick_commune(session, args.commune)
        campaigns = list(await session.scalars(select(Campaign).where(Campaign.commune_id == commune.id)
                                               .order_by(Campaign.starts_on.desc(), Campaign.id.desc())))
        totals = await progress.totals(session, [c.id for c in campaigns])
        units = {u.id: u.name for u in await session.scalars(
            select(OrgUnit).where(OrgUnit.id.in_([c.scope_unit_id for c in campaigns])))}
    if not campaigns:
        print(_("{commune} chưa có cuộc vận động nào.").format(commune=commune.name))
    for campaign in campaigns:
        print(f"{campaign.id}\t{units.get(campaign.scope_unit_id, '')}\t{dates_text(campaign)}\t"
              f"{summary_line(campaign, totals[campaign.id])}")
    return 0


async def results_command(args: argparse.Namespace, settings: Settings) -> int:
    async with open_app(settings) as app, app.sessions() as session:
        campaign = await session.get(Campaign, args.id)
        if campaign is None:
            raise CommandError(_("Không có cuộc vận động số {id}.").format(id=args.id))
        (whole,) = await progress.by_unit(session, campaign.id, progress.COMMUNE)
        villages = await progress.by_unit(session, campaign.id, progress.VILLAGE)
        nhom = await progress.by_unit(session, campaign.id, progress.NHOM)
        sheets = await export.tables(session, campaign, names=True, names_within=None) if args.out else []
    print(summary_line(campaign, whole.counts))
    print(dates_text(campaign))
    print("\n".join(detail_lines(whole.counts)))
    print(_("Theo thôn:"))
    print("\n".join(unit_line(line) for line in villages))
    print(_("Theo nhóm:"))
    print("\n".join(unit_line(line) for line in nhom))
    if args.out:
        out = Path(args.out)
        if out.suffix.lower() != ".xlsx":
            raise CommandError(_("Tệp ghi ra cần đuôi .xlsx."))
        out.write_bytes(workbook(sheets))
        print(_("Đã ghi {path}.").format(path=out))
    return 0
