"""Open concerns past their due date: which to nudge, which to send up a level, who answers for them.

Each concern's clock at its level (`level_since`) starts at its due date, or — once it has gone up a
level after the due date — at that escalation: the level that receives an overdue concern gets
the same grace period as the one before it (`escalate_after_days` of the commune's rule), counted
from the moment it reached them. A job that was down for a week therefore moves a concern up one
level when it comes back, not two: the chi bộ hears of it then and gets its days from then on.

A concern is nudged at the level where it falls due (`needs_nudge`); one that reaches a level
already overdue is announced by the escalation itself. All reads are a few grouped queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import access
from models.concerns.time_limits import MAX_ESCALATE_DAYS, Limits, rules_by_commune
from models.enums import ConcernCategory, ConcernLevel, ConcernStatus, GroupPurpose, UnitKind
from models.outbox.enqueue import BULK_CHUNK
from models.tables import ChatGroup, Concern, Membership, OrgUnit, OutboxMessage, Person

OPEN = (ConcernStatus.NEW, ConcernStatus.FORWARDED, ConcernStatus.IN_PROGRESS)
WEEK_KEY = "concern:overdue-week:"
NEXT_LEVEL = {ConcernLevel.TEAM: ConcernLevel.CHI_BO, ConcernLevel.CHI_BO: ConcernLevel.COMMUNE}


@dataclass(frozen=True)
class Overdue:
    concern: Concern
    village: str
    limits: Limits


@dataclass(frozen=True)
class Listed:
    """One line of the weekly list: never the household."""

    reference: str
    category: ConcernCategory
    village: str
    level: ConcernLevel
    due_at: dt.datetime


def level_since(concern: Concern) -> dt.datetime:
    """When the concern's grace period at its current level starts (rule in the module docstring)."""
    if concern.escalated_at is not None and concern.escalated_at > concern.due_at:
        return concern.escalated_at
    return concern.due_at


def grace_ends(concern: Concern, limits: Limits) -> dt.datetime:
    """The end of the grace period at the concern's level: it goes up then, or at the top just stays."""
    return level_since(concern) + dt.timedelta(days=limits.escalate_after_days)


def needs_nudge(concern: Concern) -> bool:
    """Whether the concern fell due at its current level (else the escalation told the level)."""
    return concern.escalated_at is None or concern.escalated_at <= concern.due_at


def nudge_key(concern: Concern) -> str:
    """One nudge per concern and level (the outbox adds the person)."""
    return f"concern:{concern.id}:overdue:{concern.level.value}"


def week_key(week: str, commune_id: int) -> str:
    """The weekly list of one commune, `week` as "2026-W48" (the outbox adds the group)."""
    return f"{WEEK_KEY}{week}:c{commune_id}"


async def open_overdue(session: AsyncSession, now: dt.datetime) -> list[Overdue]:
    """Every open concern past due, oldest due first, with its commune's limits: two queries.

    Concerns that have sat at the top beyond any grace period are left out: nothing more is due
    for them but the weekly list.
    """
    settled = now - dt.timedelta(days=MAX_ESCALATE_DAYS)
    rows = (await session.execute(
        select(Concern, OrgUnit.name).join(OrgUnit, OrgUnit.id == Concern.village_id)
        .where(Concern.status.in_(OPEN), Concern.due_at < now,
               or_(Concern.level != ConcernLevel.COMMUNE, Concern.due_at > settled, Concern.escalated_at > settled))
        .order_by(Concern.due_at, Concern.id))).all()
    rules = await rules_by_commune(session, {concern.commune_id for concern, _ in rows})
    return [Overdue(concern, village, rules[concern.commune_id][(concern.category, concern.urgency)])
            for concern, village in rows]


def holder_unit(concern: Concern) -> int:
    """The unit whose people hold the concern at its level: the village, or the commune at the top."""
    return concern.commune_id if concern.level == ConcernLevel.COMMUNE else concern.village_id


async def responsible(session: AsyncSession, concerns: Sequence[Concern]) -> dict[int, list[Person]]:
    """Per concern id: its assignee, or else the people of its current level. Two queries at most."""
    wanted = {(c.level, holder_unit(c)) for c in concerns if c.assignee_id is None}
    at_level = await level_people(session, wanted)
    assignee_ids = {c.assignee_id for c in concerns if c.assignee_id is not None}
    assignees = ({p.id: p for p in await session.scalars(select(Person).where(Person.id.in_(assignee_ids)))}
                 if assignee_ids else {})
    return {c.id: ([assignees[c.assignee_id]] if c.assignee_id in assignees else [])
            if c.assignee_id is not None else at_level.get((c.level, holder_unit(c)), [])
            for c in concerns}


async def level_people(session: AsyncSession,
                       wanted: Collection[tuple[ConcernLevel, int]]) -> dict[tuple[ConcernLevel, int], list[Person]]:
    """The people of each (level, holding unit) in one query: the team leader and deputies of the
    village's team, the village's chi bộ secretary, the commune's khối dân vận head and secretary."""
    units: dict[ConcernLevel, set[int]] = {level: set() for level in ConcernLevel}
    for level, unit_id in wanted:
        units[level].add(unit_id)
    conditions = []
    if units[ConcernLevel.TEAM]:  # the team is found through its village: a village has one team
        conditions.append(and_(OrgUnit.kind == UnitKind.TEAM, OrgUnit.parent_id.in_(units[ConcernLevel.TEAM]),
                               access.role_in(Membership.role, access.TOLD_AT[ConcernLevel.TEAM])))
    for level in (ConcernLevel.CHI_BO, ConcernLevel.COMMUNE):
        if units[level]:
            conditions.append(and_(OrgUnit.id.in_(units[level]),
                                   access.role_in(Membership.role, access.TOLD_AT[level])))
    found: dict[tuple[ConcernLevel, int], list[Person]] = {}
    if not conditions:
        return found
    rows = await session.execute(
        select(OrgUnit.kind, OrgUnit.id, OrgUnit.parent_id, Person)
        .join(Membership, Membership.unit_id == OrgUnit.id).join(Person, Person.id == Membership.person_id)
        .where(Membership.ended_at.is_(None), or_(*conditions)).order_by(Membership.role, Person.id))
    for kind, unit_id, parent_id, person in rows:
        key = ((ConcernLevel.TEAM, parent_id) if kind == UnitKind.TEAM
               else (ConcernLevel.CHI_BO if kind == UnitKind.VILLAGE else ConcernLevel.COMMUNE, unit_id))
        people = found.setdefault(key, [])
        if person not in people:
            people.append(person)
    return found


async def weekly_lists(session: AsyncSession, as_of: dt.datetime, *,
                       skip: Collection[int] = ()) -> dict[int, list[Listed]]:
    """Per commune with a khối dân vận group (but those in `skip`): its concerns open now that were
    past due at `as_of`, oldest due first. One query."""
    has_group = exists().where(ChatGroup.unit_id == Concern.commune_id,
                               ChatGroup.purpose == GroupPurpose.KHOI_DAN_VAN)
    query = (select(Concern.commune_id, Concern.reference, Concern.category, OrgUnit.name, Concern.level,
                    Concern.due_at)
             .join(OrgUnit, OrgUnit.id == Concern.village_id)
             .where(Concern.status.in_(OPEN), Concern.due_at < as_of, has_group)
             .order_by(Concern.commune_id, Concern.due_at, Concern.reference))
    if skip:
        query = query.where(Concern.commune_id.not_in(list(skip)))
    found: dict[int, list[Listed]] = {}
    for commune_id, reference, category, village, level, due_at in await session.execute(query):
        found.setdefault(commune_id, []).append(Listed(reference, category, village, level, due_at))
    return found


async def queued(session: AsyncSession, keys: Collection[str]) -> set[str]:
    """Which of these full outbox keys (with the outbox's ":p<person>" ending) exist already, in one
    query per 500, so a run does not ask again for each concern."""
    keys, found = sorted(set(keys)), set()
    for start in range(0, len(keys), BULK_CHUNK):
        found.update(await session.scalars(select(OutboxMessage.idempotency_key)
                                           .where(OutboxMessage.idempotency_key.in_(keys[start:start + BULK_CHUNK]))))
    return found


async def weeks_sent(session: AsyncSession, week: str) -> set[int]:
    """The communes whose list for `week` is already queued or sent."""
    prefix = f"{WEEK_KEY}{week}:c"
    keys = await session.scalars(select(OutboxMessage.idempotency_key)
                                 .where(OutboxMessage.idempotency_key.startswith(prefix, autoescape=True)))
    return {int(key[len(prefix):].partition(":")[0]) for key in keys}
