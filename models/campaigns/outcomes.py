"""Recording what a household decided in a campaign, from a visit or from a list, with its history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, false, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import access
from models.access import Held
from models.enums import OutcomeKind
from models.tables import Campaign, CampaignHousehold, CampaignOption, CampaignOutcome, Household, OrgUnit

FINAL = (OutcomeKind.AGREED, OutcomeKind.EXCLUDED)  # nothing more to ask the household


def still_open(day: Any) -> ColumnElement[bool]:
    return (Campaign.starts_on <= day) & (Campaign.ends_on >= day)


def needs_outcome() -> ColumnElement[bool]:
    return CampaignHousehold.outcome_kind.is_(None) | CampaignHousehold.outcome_kind.not_in(FINAL)


@cache
def campaign_waiting(household: Any = Household.id) -> Any:
    """SQL (a scalar subquery, bound `day`): the household's row in the oldest open campaign that has no
    final outcome for it — folded into the visit's household query, so a visit pays nothing for it."""
    return (select(CampaignHousehold.id).join(Campaign, Campaign.id == CampaignHousehold.campaign_id)
            .where(CampaignHousehold.household_id == household, still_open(bindparam("day")), needs_outcome())
            .order_by(Campaign.ends_on, Campaign.id).limit(1).scalar_subquery())


@dataclass(frozen=True)
class Question:
    """What to ask about one household in one campaign."""

    row_id: int
    campaign: Campaign
    options: list[CampaignOption]
    current: int | None  # the option recorded last


async def question(session: AsyncSession, row_id: int) -> Question | None:
    """The campaign and its options for a household's row, in one query."""
    rows = (await session.execute(
        select(CampaignHousehold.option_id, Campaign, CampaignOption)
        .join(Campaign, Campaign.id == CampaignHousehold.campaign_id)
        .join(CampaignOption, CampaignOption.campaign_id == Campaign.id)
        .where(CampaignHousehold.id == row_id).order_by(CampaignOption.position))).all()
    if not rows:
        return None
    return Question(row_id, rows[0][1], [option for _current, _campaign, option in rows], rows[0][0])


async def record(session: AsyncSession, row_id: int, option_id: int, *, person_id: int, now: dt.datetime,
                 visit_id: int | None = None) -> CampaignOption | None:
    """The outcome recorded, or None when the option is not one of the row's campaign (a stale button)."""
    found = (await session.execute(
        select(CampaignHousehold, CampaignOption)
        .join(CampaignOption, CampaignOption.campaign_id == CampaignHousehold.campaign_id)
        .where(CampaignHousehold.id == row_id, CampaignOption.id == option_id))).first()
    if found is None:
        return None
    row, option = found
    row.option_id, row.outcome_kind, row.recorded_by, row.recorded_at = option.id, option.kind, person_id, now
    session.add(CampaignOutcome(campaign_household_id=row.id, option_id=option.id, person_id=person_id,
                                visit_id=visit_id, recorded_at=now))
    await session.flush()
    return option


def _meets_held(held: Sequence[Held]) -> ColumnElement[bool]:
    """SQL: the campaign's unit lies over or under a unit held."""
    paths = sorted({h.unit.path for h in held})
    return or_(*(or_(literal(p).startswith(OrgUnit.path), OrgUnit.path.startswith(p)) for p in paths)) \
        if paths else false()


async def open_campaigns(session: AsyncSession, held: Sequence[Held], day: dt.date) -> list[Campaign]:
    """The campaigns running on `day` that reach the person's units, ending soonest first."""
    return list(await session.scalars(
        select(Campaign).join(OrgUnit, OrgUnit.id == Campaign.scope_unit_id)
        .where(still_open(day), _meets_held(held)).order_by(Campaign.ends_on, Campaign.id)))


async def campaign_for(session: AsyncSession, held: Sequence[Held], campaign_id: int) -> tuple[Campaign, OrgUnit] | None:
    """A campaign and its unit, if it reaches the person's units."""
    row = (await session.execute(select(Campaign, OrgUnit).join(OrgUnit, OrgUnit.id == Campaign.scope_unit_id)
                                 .where(Campaign.id == campaign_id, _meets_held(held)))).first()
    return (row[0], row[1]) if row else None


@dataclass(frozen=True)
class Pending:
    row_id: int
    head_name: str
    address: str
    label: str | None  # the outcome recorded so far, if any


@cache
def _pending_statement(paths: int) -> Select[Any]:
    # The person's own households first, then by name; only households the roles see (`sees_household`).
    return (select(CampaignHousehold.id, Household.head_name, Household.address, CampaignOption.label)
            .join(Household, Household.id == CampaignHousehold.household_id)
            .join(OrgUnit, OrgUnit.id == CampaignHousehold.nhom_id)
            .outerjoin(CampaignOption, CampaignOption.id == CampaignHousehold.option_id)
            .where(CampaignHousehold.campaign_id == bindparam("campaign_id"), needs_outcome(),
                   access.covers_bound(OrgUnit.path, paths))
            .order_by((Household.assigned_member_id == bindparam("person_id")).desc(), Household.name_key,
                      CampaignHousehold.id)
            .offset(bindparam("offset")).limit(bindparam("limit")))


async def pending(session: AsyncSession, held: Sequence[Held], person_id: int, campaign_id: int, offset: int,
                  size: int) -> tuple[list[Pending], bool]:
    """A page of the campaign's households the person sees that still want an outcome, and whether more follow."""
    params = access.scope_params(held)
    rows = (await session.execute(_pending_statement(len(params)), {
        **params, "campaign_id": campaign_id, "person_id": person_id, "offset": offset, "limit": size + 1})).all()
    return [Pending(*row) for row in rows[:size]], len(rows) > size


async def row_in_scope(session: AsyncSession, held: Sequence[Held], campaign_id: int, row_id: int) -> str | None:
    """The head's name of a campaign row the person sees (a typed or pressed choice is checked again)."""
    return await session.scalar(
        select(Household.head_name).join(CampaignHousehold, CampaignHousehold.household_id == Household.id)
        .join(OrgUnit, OrgUnit.id == CampaignHousehold.nhom_id)
        .where(CampaignHousehold.id == row_id, CampaignHousehold.campaign_id == campaign_id,
               access.covers(held, OrgUnit.path)))


def still_open_on(campaign: Campaign, day: dt.date) -> bool:
    return campaign.starts_on <= day <= campaign.ends_on
