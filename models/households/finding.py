"""Finding the households a volunteer may log visits to, in the order they most need a visit."""

import datetime as dt
from collections.abc import Sequence
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, and_, bindparam, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.text import fold
from models.access import Held, covers, covers_bound, listed_scope, scope_params
from models.concerns.passing_on import answer_waits
from models.tables import Household, OrgUnit

_H = Household.__table__.c
_UNITS = OrgUnit.__table__


class HouseholdPick(NamedTuple):
    """What the picker shows of a household: read as plain columns, no ORM object per row."""

    id: int
    head_name: str
    address: str
    last_visited_on: dt.date | None
    answer_waiting: bool = False  # an answer to one of its concerns waits to be passed on (📨)


def _pick_columns():  # noqa: ANN202
    return select(_H.id, _H.head_name, _H.address, _H.last_visited_on, answer_waits(_H.id))


def _picks_in_scope(scope: ColumnElement[bool]):  # noqa: ANN202
    return (_pick_columns().join_from(Household.__table__, _UNITS, _UNITS.c.id == _H.nhom_id)
            .where(_H.active.is_(True), scope))


def _need_order(person_id: Any, h: Any = Household) -> tuple[ColumnElement[Any], ...]:
    # Mine first; among them never visited, then the longest ago; ties by name.
    # `h`: the mapped class, or the table's columns for a plain (non-ORM) select; `person_id`
    # an id or a bound parameter.
    return (case((h.assigned_member_id == person_id, 0), else_=1),
            case((h.last_visited_on.is_(None), 0), else_=1),
            h.last_visited_on, h.name_key, h.id)


async def page(session: AsyncSession, person_id: int, held: Sequence[Held], offset: int, size: int
               ) -> tuple[list[HouseholdPick], bool]:
    """One page of the picker and whether there is a next one (a commune's roles list only their own)."""
    near, assigned_too = listed_scope(held)
    paths = scope_params(near)
    rows = (await session.execute(_page_statement(len(paths), assigned_too), {
        **paths, "person_id": person_id, "offset": offset, "limit": size + 1})).all()
    return [HouseholdPick(*row) for row in rows[:size]], len(rows) > size


@cache
def _page_statement(paths: int, assigned_too: bool = False) -> Select[Any]:
    # Built once per number of unit paths (people hold one role or two): the picker is on the
    # path of every visit, and building the select cost more than running it.
    scope = covers_bound(_UNITS.c.path, paths)
    if assigned_too:
        scope = or_(scope, _H.assigned_member_id == bindparam("person_id"))
    return (_picks_in_scope(scope)
            .order_by(*_need_order(bindparam("person_id"), _H))
            .offset(bindparam("offset")).limit(bindparam("limit")))


async def search(session: AsyncSession, person_id: int, held: Sequence[Held], query: str, offset: int,
                 limit: int) -> tuple[list[HouseholdPick], int]:
    """One page of the households whose name or address contains every typed word, ignoring
    diacritics and case ("dong tam"), and how many match in all (counted in the same query)."""
    words = [w for w in fold(query).split() if w]
    if not words:
        return [], 0
    conditions = [or_(_H.name_key.contains(w, autoescape=True), _H.address_key.contains(w, autoescape=True))
                  for w in words]
    rows = (await session.execute(
        _picks_in_scope(covers(held, _UNITS.c.path)).where(and_(*conditions))
        .add_columns(func.count().over().label("matched"))
        .order_by(*_need_order(person_id, _H)).offset(offset).limit(limit)
    )).all()
    if not rows and offset:  # a page past the end (fewer matches since): how many there are now
        return [], await _count(session, held, conditions)
    return [HouseholdPick(*row[:-1]) for row in rows], rows[0][-1] if rows else 0


async def _count(session: AsyncSession, held: Sequence[Held], conditions: list[ColumnElement[bool]]) -> int:
    return await session.scalar(
        select(func.count()).select_from(Household.__table__)
        .join(_UNITS, _UNITS.c.id == _H.nhom_id)
        .where(_H.active.is_(True), covers(held, _UNITS.c.path), *conditions)) or 0


async def get_in_scope(session: AsyncSession, held: Sequence[Held], household_id: int) -> Household | None:
    paths = scope_params(held)
    return await session.scalar(_get_statement(len(paths)), {**paths, "household_id": household_id})


@cache
def _get_statement(paths: int) -> Select[Any]:
    return (select(Household).join(OrgUnit, OrgUnit.id == Household.nhom_id)
            .where(Household.id == bindparam("household_id"), Household.active.is_(True),
                   covers_bound(OrgUnit.path, paths)))


async def assigned(session: AsyncSession, person_id: int, limit: int) -> tuple[list[HouseholdPick], int]:
    """The person's assigned households (longest unvisited first, 📨 where an answer waits) and
    how many there are."""
    total = await session.scalar(select(func.count()).select_from(Household).where(
        Household.assigned_member_id == person_id, Household.active.is_(True)))
    rows = (await session.execute(
        _pick_columns().where(_H.assigned_member_id == person_id, _H.active.is_(True))
        .order_by(*_need_order(person_id, _H)).limit(limit)
    )).all()
    return [HouseholdPick(*row) for row in rows], total or 0
