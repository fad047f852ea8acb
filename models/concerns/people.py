"""The people around a concern: its history's actors, the households and their volunteers, who holds
each level, and whom it may be given to."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import access
from models.enums import ConcernLevel, Role
from models.tables import Concern, ConcernEvent, ConcernHousehold, Household, Membership, OrgUnit, Person


async def history(session: AsyncSession, concern_id: int,
                  limit: int | None) -> list[tuple[ConcernEvent, str | None]]:
    """The last `limit` events (None: all), oldest first, with the actor's name (None: the system)."""
    rows = (await session.execute(
        select(ConcernEvent, Person.full_name).outerjoin(Person, Person.id == ConcernEvent.actor_id)
        .where(ConcernEvent.concern_id == concern_id)
        .order_by(ConcernEvent.at.desc(), ConcernEvent.id.desc()).limit(limit))).all()
    return [(event, name) for event, name in reversed(rows)]


async def household_counts(session: AsyncSession, concern_id: int) -> tuple[int, int]:
    """How many households raised it, and how many have been told the answer."""
    total, told = (await session.execute(
        select(func.count(), func.count(ConcernHousehold.told_at)).where(ConcernHousehold.concern_id == concern_id)
    )).one()
    return max(total, 1), told


async def volunteers(session: AsyncSession, concern: Concern) -> dict[int, list[str]]:
    """Each volunteer who logged a household of the concern, with those households' names."""
    rows = (await session.execute(
        select(ConcernHousehold.reporter_id, Household.head_name)
        .outerjoin(Household, Household.id == ConcernHousehold.household_id)
        .where(ConcernHousehold.concern_id == concern.id).order_by(ConcernHousehold.id))).all()
    found: dict[int, list[str]] = {concern.reporter_id: []}
    for person_id, name in rows:
        found.setdefault(person_id, [])
        if name:
            found[person_id].append(name)
    return found


async def level_holders(session: AsyncSession, concern: Concern, level: ConcernLevel) -> list[int]:
    """The people who hold the concern at `level`: the village's team, its chi bộ, or the commune."""
    unit = OrgUnit
    if level == ConcernLevel.COMMUNE:
        where = unit.id == concern.commune_id
    else:
        where = unit.path.startswith((await session.get(OrgUnit, concern.village_id)).path)
    rows = await session.scalars(
        select(Membership.person_id).distinct().join(unit, unit.id == Membership.unit_id)
        .where(where, access.role_in(Membership.role, access.TOLD_AT[level]), Membership.ended_at.is_(None))
        .order_by(Membership.person_id))
    return list(rows)


async def assignable(session: AsyncSession, concern: Concern, limit: int) -> Sequence[tuple[Person, Role]]:
    """People a concern may be given to: the village's team and chi bộ, the commune's leaders."""
    village_path = (await session.get(OrgUnit, concern.village_id)).path
    rank = case({role: value for value, role in enumerate(access.ASSIGNEE_ORDER)}, value=Membership.role, else_=9)
    rows = (await session.execute(
        select(Person, Membership.role, rank.label("rank")).join(Membership, Membership.person_id == Person.id)
        .join(OrgUnit, OrgUnit.id == Membership.unit_id)
        .where(Membership.ended_at.is_(None),
               or_(OrgUnit.path.startswith(village_path),
                   (OrgUnit.id == concern.commune_id) & access.role_in(Membership.role, access.ASSIGNABLE_AT_COMMUNE)))
        .order_by(rank, Person.name_key, Person.id))).all()
    seen: dict[int, tuple[Person, Role]] = {}
    for person, role, _rank in rows:
        seen.setdefault(person.id, (person, role))  # a person's highest role
    return list(seen.values())[:limit]


async def names(session: AsyncSession, person_ids: set[int]) -> dict[int, str]:
    if not person_ids:
        return {}
    rows = await session.execute(select(Person.id, Person.full_name).where(Person.id.in_(person_ids)))
    return {person_id: name for person_id, name in rows.all()}


async def persons(session: AsyncSession, person_ids: Iterable[int]) -> list[Person]:
    """The people themselves, by id in id order, for messages written in each one's language."""
    ids = set(person_ids)
    if not ids:
        return []
    return list(await session.scalars(select(Person).where(Person.id.in_(ids)).order_by(Person.id)))
