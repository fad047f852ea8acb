"""Creating a campaign: its outcome options and the households it concerns, fixed in one statement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import exists, func, insert, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.text import fold
from models import audit
from models.enums import OutcomeKind, UnitKind
from models.labels import OUTCOME_DEFAULTS
from models.tables import Campaign, CampaignHousehold, CampaignOption, Household, HouseholdAttribute, OrgUnit

NAME_MAX, DESCRIPTION_MAX, OPTION_MAX = 120, 1000, 60
ALL, VILLAGES, ATTRIBUTE = "all", "villages", "attribute"


class CampaignProblem(Exception):
    """The campaign cannot be created as described; `code` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code  # "no_households", "dates", "target"


@dataclass(frozen=True)
class Draft:
    """A campaign as its author described it in the chat."""

    scope: OrgUnit  # the commune, or a team leader's village
    name: str
    description: str
    starts_on: dt.date
    ends_on: dt.date
    target_percent: int
    audience: str = ALL
    villages: Sequence[int] = ()
    attribute: str | None = None
    options: Sequence[tuple[str, OutcomeKind]] = field(default_factory=tuple)  # () for the defaults


def default_options() -> list[tuple[str, OutcomeKind]]:
    return [(str(label), kind) for label, kind in OUTCOME_DEFAULTS]


def typed_options(labels: Sequence[str]) -> list[tuple[str, OutcomeKind]]:
    """Options typed by the author: the first is the outcome sought, the others still worked on;
    "Không thuộc diện" is added when missing, so households out of scope leave the count."""
    excluded = str(OUTCOME_DEFAULTS[-1][0])
    found = [label for label in labels if fold(label) != fold(excluded)]
    return [(found[0], OutcomeKind.AGREED), *((label, OutcomeKind.WORKING) for label in found[1:]),
            (excluded, OutcomeKind.EXCLUDED)]


def _households(draft: Draft):  # noqa: ANN202
    """The households the draft concerns: active, under its unit, in its villages or marked by its column."""
    conditions = [Household.active.is_(True), OrgUnit.path.startswith(draft.scope.path)]
    if draft.audience == VILLAGES:
        conditions.append(Household.village_id.in_(list(draft.villages)))
    elif draft.audience == ATTRIBUTE:
        conditions.append(exists().where(HouseholdAttribute.household_id == Household.id,
                                         HouseholdAttribute.name_key == fold(draft.attribute or "")))
    return (select(Household.id, Household.nhom_id, Household.village_id)
            .join(OrgUnit, OrgUnit.id == Household.nhom_id).where(*conditions))


async def count_households(session: AsyncSession, draft: Draft) -> int:
    """How many households the draft would concern (shown before the author confirms)."""
    return await session.scalar(select(func.count()).select_from(_households(draft).subquery())) or 0


async def create_campaign(session: AsyncSession, draft: Draft, *, person_id: int, now: dt.datetime) -> Campaign:
    if draft.ends_on < draft.starts_on:
        raise CampaignProblem("dates")
    if not 1 <= draft.target_percent <= 100:
        raise CampaignProblem("target")
    commune_id = draft.scope.id if draft.scope.kind == UnitKind.COMMUNE else draft.scope.parent_id
    campaign = Campaign(commune_id=commune_id, scope_unit_id=draft.scope.id, name=draft.name[:NAME_MAX],
                        description=draft.description[:DESCRIPTION_MAX],
                        audience={"kind": draft.audience, "villages": list(draft.villages),
                                  "attribute": draft.attribute},
                        starts_on=draft.starts_on, ends_on=draft.ends_on, target_percent=draft.target_percent,
                        created_by=person_id, created_at=now)
    session.add(campaign)
    await session.flush()
    options = list(draft.options) or default_options()
    session.add_all([CampaignOption(campaign_id=campaign.id, position=i, label=label[:OPTION_MAX], kind=kind)
                     for i, (label, kind) in enumerate(options, 1)])
    chosen = _households(draft).subquery()
    added = await session.execute(insert(CampaignHousehold).from_select(
        ["campaign_id", "household_id", "nhom_id", "village_id"],
        select(literal(campaign.id), chosen.c.id, chosen.c.nhom_id, chosen.c.village_id)))
    if not added.rowcount:
        raise CampaignProblem("no_households")
    await session.flush()
    audit.record(session, "create_campaign", "campaign", campaign.id, actor_id=person_id,
                 actor_label=f"person:{person_id}", details={"households": added.rowcount, "scope": draft.scope.id})
    return campaign
