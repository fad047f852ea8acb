"""A campaign's progress by nhóm, village and commune: one grouped statement each, never a query a household."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import OutcomeKind, UnitKind
from models.tables import Campaign, CampaignHousehold, OrgUnit

NHOM, VILLAGE, COMMUNE = "nhom", "village", "commune"


@dataclass(frozen=True)
class Counts:
    households: int
    agreed: int
    working: int
    refused: int
    excluded: int

    @property
    def concerned(self) -> int:
        """The households that count: all but those not concerned after all ("Không thuộc diện")."""
        return self.households - self.excluded

    @property
    def unrecorded(self) -> int:
        return self.households - self.agreed - self.working - self.refused - self.excluded

    @property
    def percent(self) -> float:
        return 100 * self.agreed / self.concerned if self.concerned else 0.0

    def reached(self, target: int) -> bool:
        return self.concerned > 0 and self.agreed * 100 >= target * self.concerned


@dataclass(frozen=True)
class Line:
    unit_id: int | None
    name: str
    counts: Counts


def _sums():  # noqa: ANN202
    kind = CampaignHousehold.outcome_kind
    return (func.count(CampaignHousehold.id),
            *(func.coalesce(func.sum(case((kind == k, 1), else_=0)), 0)
              for k in (OutcomeKind.AGREED, OutcomeKind.WORKING, OutcomeKind.REFUSED, OutcomeKind.EXCLUDED)))


async def by_unit(session: AsyncSession, campaign_id: int, level: str, *, within: str | None = None) -> list[Line]:
    """Lines per nhóm or village (by name), or one for the whole campaign; `within` a unit path keeps
    only the households under it (a village leader's view of a commune's campaign)."""
    conditions = [CampaignHousehold.campaign_id == campaign_id]
    if level == COMMUNE:
        statement = select(*_sums())
        if within:
            statement = statement.join(OrgUnit, OrgUnit.id == CampaignHousehold.nhom_id)
            conditions.append(OrgUnit.path.startswith(within))
        row = (await session.execute(statement.where(*conditions))).one()
        return [Line(None, "", Counts(*(int(v) for v in row)))]
    column = CampaignHousehold.nhom_id if level == NHOM else CampaignHousehold.village_id
    statement = (select(OrgUnit.id, OrgUnit.name, *_sums()).join(OrgUnit, OrgUnit.id == column)
                 .where(*conditions, *([OrgUnit.path.startswith(within)] if within else []))
                 .group_by(OrgUnit.id, OrgUnit.name).order_by(OrgUnit.name))
    return [Line(unit_id, name, Counts(*(int(v) for v in values)))
            for unit_id, name, *values in await session.execute(statement)]


async def totals(session: AsyncSession, campaign_ids: Sequence[int]) -> dict[int, Counts]:
    """Each campaign's whole count, in one statement (the roll-up, the digest, the alerts)."""
    if not campaign_ids:
        return {}
    rows = await session.execute(select(CampaignHousehold.campaign_id, *_sums())
                                 .where(CampaignHousehold.campaign_id.in_(list(campaign_ids)))
                                 .group_by(CampaignHousehold.campaign_id))
    return {campaign_id: Counts(*(int(v) for v in values)) for campaign_id, *values in rows}


async def running(session: AsyncSession, commune_id: int, day: dt.date, *, village_id: int | None = None
                  ) -> list[Campaign]:
    """The commune's campaigns running on `day` (a village's: the commune's and its own)."""
    statement = select(Campaign).where(Campaign.commune_id == commune_id, Campaign.starts_on <= day,
                                       Campaign.ends_on >= day)
    if village_id is not None:
        statement = statement.where(Campaign.scope_unit_id.in_([commune_id, village_id]))
    return list(await session.scalars(statement.order_by(Campaign.ends_on, Campaign.id)))


@dataclass(frozen=True)
class PeriodFigures:
    """A campaign's figures for a report: its unit, dates, target and counts (as of the report)."""

    campaign_id: int
    name: str
    scope_unit_id: int
    starts_on: dt.date
    ends_on: dt.date
    target_percent: int
    counts: Counts

    @property
    def reached(self) -> bool:
        return self.counts.reached(self.target_percent)


async def figures_for_period(session: AsyncSession, unit: OrgUnit, start: dt.date, end: dt.date
                             ) -> list[PeriodFigures]:
    """Every campaign that ran in [start, end] and concerned households under `unit` (a commune,
    village or team), counted within it: what the half-year and annual reports and the yearly
    evaluation read. Two statements whatever the number of campaigns."""
    path = unit.path if unit.kind != UnitKind.TEAM else unit.path.rsplit("/", 2)[0] + "/"
    statement = (select(Campaign.id, *_sums()).join(CampaignHousehold, CampaignHousehold.campaign_id == Campaign.id)
                 .join(OrgUnit, OrgUnit.id == CampaignHousehold.nhom_id)
                 .where(Campaign.starts_on <= end, Campaign.ends_on >= start, OrgUnit.path.startswith(path))
                 .group_by(Campaign.id))
    counts = {campaign_id: Counts(*(int(v) for v in values)) for campaign_id, *values in await session.execute(statement)}
    if not counts:
        return []
    campaigns = await session.scalars(select(Campaign).where(Campaign.id.in_(list(counts)))
                                      .order_by(Campaign.starts_on, Campaign.id))
    return [PeriodFigures(c.id, c.name, c.scope_unit_id, c.starts_on, c.ends_on, c.target_percent, counts[c.id])
            for c in campaigns]


async def in_villages(session: AsyncSession, commune_id: int, start: dt.date, end: dt.date
                      ) -> dict[int, list[tuple[Campaign, Counts]]]:
    """The commune's campaigns running in [start, end), counted per village: one grouped statement
    (the monthly digest's lines)."""
    rows = (await session.execute(
        select(Campaign, CampaignHousehold.village_id, *_sums())
        .join(CampaignHousehold, CampaignHousehold.campaign_id == Campaign.id)
        .where(Campaign.commune_id == commune_id, Campaign.starts_on < end, Campaign.ends_on >= start)
        .group_by(Campaign.id, CampaignHousehold.village_id)
        .order_by(Campaign.ends_on, Campaign.id))).all()
    found: dict[int, list[tuple[Campaign, Counts]]] = {}
    for campaign, village_id, *values in rows:
        found.setdefault(village_id, []).append((campaign, Counts(*(int(v) for v in values))))
    return found


def added(counts: Sequence[Counts]) -> Counts:
    return Counts(*(sum(getattr(c, f) for c in counts) for f in ("households", "agreed", "working", "refused",
                                                                  "excluded")))


def over_villages(lines: dict[int, list[tuple[Campaign, Counts]]]) -> list[tuple[Campaign, Counts]]:
    """Each campaign's counts summed over the villages (the commune digest's lines)."""
    by_campaign: dict[int, tuple[Campaign, list[Counts]]] = {}
    for pairs in lines.values():
        for campaign, counts in pairs:
            by_campaign.setdefault(campaign.id, (campaign, []))[1].append(counts)
    return sorted(((c, added(cs)) for c, cs in by_campaign.values()), key=lambda p: (p[0].ends_on, p[0].id))


async def running_in_villages(session: AsyncSession, village_ids: Sequence[int], day: dt.date
                              ) -> dict[int, list[tuple[Campaign, Counts]]]:
    """The campaigns running on `day`, counted in each of the villages: one grouped statement (the roll-up)."""
    if not village_ids:
        return {}
    rows = (await session.execute(
        select(Campaign, CampaignHousehold.village_id, *_sums())
        .join(CampaignHousehold, CampaignHousehold.campaign_id == Campaign.id)
        .where(CampaignHousehold.village_id.in_(list(village_ids)), Campaign.starts_on <= day,
               Campaign.ends_on >= day)
        .group_by(Campaign.id, CampaignHousehold.village_id).order_by(Campaign.ends_on, Campaign.id))).all()
    found: dict[int, list[tuple[Campaign, Counts]]] = {}
    for campaign, village_id, *values in rows:
        found.setdefault(village_id, []).append((campaign, Counts(*(int(v) for v in values))))
    return found
