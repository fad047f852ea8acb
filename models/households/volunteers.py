"""Who visits a household: the ones left without a volunteer when a roster change ended their
member's roles, and giving them to another member of the team."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import access, audit
from models.tables import Household, Membership, OrgUnit, Person


class Unassigned(NamedTuple):
    id: int
    head_name: str
    nhom: str


class Volunteer(NamedTuple):
    id: int
    full_name: str
    nhom: str


async def release(session: AsyncSession, person_ids: Collection[int]) -> list[tuple[Household, OrgUnit]]:
    """Unassigns these people's active households that their remaining roles no longer reach."""
    released = []
    for person_id in sorted(person_ids):
        held = await access.roles(session, person_id)
        rows = (await session.execute(
            select(Household, OrgUnit).join(OrgUnit, OrgUnit.id == Household.nhom_id)
            .where(Household.assigned_member_id == person_id, Household.active.is_(True))
            .order_by(Household.name_key, Household.id))).all()
        for household, nhom in rows:
            if not access.sees_household(held, nhom):
                household.assigned_member_id = None
                released.append((household, nhom))
    await session.flush()
    return released


async def unassigned(session: AsyncSession, team: OrgUnit, limit: int) -> tuple[list[Unassigned], int]:
    """The team's active households with nobody to visit them (by nhóm, then name), and how many."""
    where = (Household.active.is_(True), Household.assigned_member_id.is_(None), OrgUnit.path.startswith(team.path))
    total = await session.scalar(select(func.count()).select_from(Household)
                                 .join(OrgUnit, OrgUnit.id == Household.nhom_id).where(*where))
    rows = (await session.execute(
        select(Household.id, Household.head_name, OrgUnit.name).join(OrgUnit, OrgUnit.id == Household.nhom_id)
        .where(*where).order_by(OrgUnit.name_key, Household.name_key, Household.id).limit(limit))).all()
    return [Unassigned(*row) for row in rows], total or 0


async def volunteers(session: AsyncSession, team: OrgUnit, nhom_id: int | None = None) -> list[Volunteer]:
    """The team's nhóm members and leaders who may take a household, those of `nhom_id` first."""
    rows = (await session.execute(
        select(Person.id, Person.full_name, OrgUnit.name, OrgUnit.id)
        .join(Membership, Membership.person_id == Person.id).join(OrgUnit, OrgUnit.id == Membership.unit_id)
        .where(Membership.ended_at.is_(None), OrgUnit.path.startswith(team.path),
               access.takes_households(Membership.role, OrgUnit.kind))
        .order_by(OrgUnit.id != (nhom_id or 0), OrgUnit.name_key, Person.name_key, Person.id))).all()
    seen: dict[int, Volunteer] = {}
    for person_id, name, nhom, _unit in rows:
        seen.setdefault(person_id, Volunteer(person_id, name, nhom))
    return list(seen.values())


async def team_leads(session: AsyncSession, team_id: int) -> Sequence[Person]:
    """Who is told of the team's households left without a volunteer."""
    return (await session.scalars(
        select(Person).join(Membership, Membership.person_id == Person.id)
        .join(OrgUnit, OrgUnit.id == Membership.unit_id)
        .where(Membership.unit_id == team_id, Membership.ended_at.is_(None),
               access.assigns_households(Membership.role, OrgUnit.kind))
        .order_by(Person.id).distinct())).all()


async def give(session: AsyncSession, team: OrgUnit, household_id: int, person_id: int, *,
               actor_id: int) -> tuple[Household, Person] | None:
    """The household given to the volunteer, both of the team; None when either is not (any more)."""
    household = await session.scalar(
        select(Household).join(OrgUnit, OrgUnit.id == Household.nhom_id)
        .where(Household.id == household_id, Household.active.is_(True), OrgUnit.path.startswith(team.path)))
    if household is None or person_id not in {v.id for v in await volunteers(session, team)}:
        return None
    person = await session.get(Person, person_id)
    household.assigned_member_id = person_id
    audit.record(session, "assign_household", "household", household.id, actor_id=actor_id,
                 actor_label=f"person:{actor_id}", details={"member_id": person_id})
    return household, person
