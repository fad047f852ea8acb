"""A campaign as tables (progress by village and nhóm, and the households with their outcomes) and a chart,
for its spreadsheet: the screen's button and `gandan campaign results`."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Collection

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from core.i18n import _, format_short_date
from core.text import fold
from models.campaigns import progress
from models.campaigns.progress import Line
from models.digests.media import PNG, XLSX, Chart
from models.outbox import attachments
from models.tables import Campaign, CampaignHousehold, CampaignOption, Household, OrgUnit, Person
from reports.charts import bar_chart
from reports.spreadsheet import workbook
from reports.tables import Table


def _progress_table(title: str, unit: str, lines: list[Line]) -> Table:
    return Table(title, (unit, _("Số hộ"), _("Đã đồng ý"), _("Đang vận động"), _("Chưa đồng ý"),
                         _("Không thuộc diện"), _("Chưa ghi"), _("Tỷ lệ đồng ý (%)")),
                 tuple((line.name, line.counts.households, line.counts.agreed, line.counts.working,
                        line.counts.refused, line.counts.excluded, line.counts.unrecorded,
                        round(line.counts.percent, 1)) for line in lines))


async def households_table(session: AsyncSession, campaign: Campaign, within: Collection[str] | None) -> Table:
    """Every household of the campaign under the paths given (None: all), with its latest outcome."""
    village, nhom = aliased(OrgUnit), aliased(OrgUnit)
    statement = (select(village.name, nhom.name, Household.head_name, Household.address, CampaignOption.label,
                        CampaignHousehold.recorded_at, Person.full_name)
                 .join(Household, Household.id == CampaignHousehold.household_id)
                 .join(village, village.id == CampaignHousehold.village_id)
                 .join(nhom, nhom.id == CampaignHousehold.nhom_id)
                 .outerjoin(CampaignOption, CampaignOption.id == CampaignHousehold.option_id)
                 .outerjoin(Person, Person.id == CampaignHousehold.recorded_by)
                 .where(CampaignHousehold.campaign_id == campaign.id)
                 .order_by(village.name, nhom.name, Household.name_key, Household.id))
    if within is not None:
        statement = statement.where(or_(*(nhom.path.startswith(p) for p in sorted(within))))
    rows = tuple((v, n, head, address, label or "", format_short_date(at.date()) if at else "", who or "")
                 for v, n, head, address, label, at, who in await session.execute(statement))
    return Table(_("Các hộ"), (_("Thôn"), _("Nhóm"), _("Chủ hộ"), _("Địa chỉ"), _("Kết quả"), _("Ngày ghi"),
                               _("Người ghi")), rows)


async def tables(session: AsyncSession, campaign: Campaign, *, names_within: Collection[str] | None,
                 names: bool, within: str | None = None) -> list[Table]:
    """Progress by village and by nhóm, then the households when the reader is entitled to names."""
    villages = await progress.by_unit(session, campaign.id, progress.VILLAGE, within=within)
    nhom = await progress.by_unit(session, campaign.id, progress.NHOM, within=within)
    found = [_progress_table(_("Theo thôn"), _("Thôn"), villages), _progress_table(_("Theo nhóm"), _("Nhóm"), nhom)]
    if names:
        found.append(await households_table(session, campaign, names_within))
    return found


def chart(campaign: Campaign, lines: list[Line]) -> Chart:
    """Households agreed, still worked on and not yet agreed, per village (or nhóm)."""
    return Chart(campaign.name, [line.name for line in lines], {
        _("Đã đồng ý"): [line.counts.agreed for line in lines],
        _("Đang vận động"): [line.counts.working for line in lines],
        _("Chưa đồng ý"): [line.counts.refused for line in lines],
        _("Chưa ghi"): [line.counts.unrecorded for line in lines],
    }, more=_("và {count} đơn vị khác"))


async def store_files(session: AsyncSession, campaign: Campaign, drawn: Chart | None, sheets: list[Table],
                      now: dt.datetime) -> tuple[int | None, int]:
    """The chart (if any) and the spreadsheet, made in a thread and stored to go with a message."""
    name = "van-dong-" + fold(campaign.name).replace(" ", "-")[:60]
    photo_id = None
    if drawn is not None and drawn.categories:
        png = await asyncio.to_thread(bar_chart, drawn.title, drawn.categories, drawn.series, more=drawn.more)
        photo_id = (await attachments.store(session, png, filename=f"{name}.png", mime=PNG, now=now)).id
    xlsx = await asyncio.to_thread(workbook, sheets)
    return photo_id, (await attachments.store(session, xlsx, filename=f"{name}.xlsx", mime=XLSX, now=now)).id
