"""Counts per unit, computed in SQL (one grouped query each, whatever the commune's size)."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.tables import Household, Membership, OrgUnit


async def unit_counts(session: AsyncSession, root: OrgUnit) -> dict[int, tuple[int, int]]:
    """unit id → (active people holding a role there, active households in that nhóm)."""
    people = dict((await session.execute(
        select(Membership.unit_id, func.count(func.distinct(Membership.person_id)))
        .join(OrgUnit, OrgUnit.id == Membership.unit_id)
        .where(OrgUnit.path.startswith(root.path), Membership.ended_at.is_(None))
        .group_by(Membership.unit_id)
    )).all())
    households = dict((await session.execute(
        select(Household.nhom_id, func.count())
        .where(Household.commune_id == root.id, Household.active.is_(True))
        .group_by(Household.nhom_id)
    )).all())
    return {uid: (people.get(uid, 0), households.get(uid, 0)) for uid in set(people) | set(households)}
