"""Finding the households a volunteer may log visits to, in the order they most need a visit."""

from collections.abc import Sequence

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.scope import Held, covers
from models.tables import Household, OrgUnit
from models.text import fold


def _in_scope(held: Sequence[Held]):  # noqa: ANN202 (a select under construction)
    return (select(Household).join(OrgUnit, OrgUnit.id == Household.nhom_id)
            .where(Household.active.is_(True), covers(held, OrgUnit.path)))


def _need_order(person_id: int):  # noqa: ANN202
    # Mine first; among them never visited, then the longest ago; ties by name.
    return (case((Household.assigned_member_id == person_id, 0), else_=1),
            case((Household.last_visited_on.is_(None), 0), else_=1),
            Household.last_visited_on, Household.name_key, Household.id)


async def page(session: AsyncSession, person_id: int, held: Sequence[Held], offset: int, size: int
               ) -> tuple[Sequence[Household], bool]:
    """One page of the picker and whether there is a next one."""
    rows = (await session.scalars(
        _in_scope(held).order_by(*_need_order(person_id)).offset(offset).limit(size + 1)
    )).all()
    return rows[:size], len(rows) > size


async def search(session: AsyncSession, person_id: int, held: Sequence[Held], query: str, limit: int
                 ) -> Sequence[Household]:
    """Name or address containing every typed word, ignoring diacritics and case ("dong tam")."""
    words = [w for w in fold(query).split() if w]
    if not words:
        return []
    conditions = [or_(Household.name_key.contains(w, autoescape=True),
                      Household.address_key.contains(w, autoescape=True)) for w in words]
    return (await session.scalars(
        _in_scope(held).where(and_(*conditions)).order_by(*_need_order(person_id)).limit(limit)
    )).all()


async def get_in_scope(session: AsyncSession, held: Sequence[Held], household_id: int) -> Household | None:
    return await session.scalar(_in_scope(held).where(Household.id == household_id))


async def assigned(session: AsyncSession, person_id: int, limit: int) -> tuple[Sequence[Household], int]:
    """The person's assigned households (longest unvisited first) and how many there are."""
    total = await session.scalar(select(func.count()).select_from(Household).where(
        Household.assigned_member_id == person_id, Household.active.is_(True)))
    rows = (await session.scalars(
        select(Household).where(Household.assigned_member_id == person_id, Household.active.is_(True))
        .order_by(*_need_order(person_id)).limit(limit)
    )).all()
    return rows, total or 0
