"""Columns of the household list the importer has no field for ("Chưa có BHYT", "Hộ nghèo"), kept per
household so a campaign may concern the households marked in one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import delete, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.text import fold
from models.tables import Household, HouseholdAttribute, OrgUnit

NAME_MAX, VALUE_MAX = 80, 120
# A cell marks the household when it holds anything but a blank or a no.
NO = frozenset({"", "0", "khong", "no", "false", "k", "-", "x khong"})


def marks(value: str) -> bool:
    """Whether a cell marks the household ("x", "1", "Có" do; "", "0", "Không" do not)."""
    return fold(value).strip() not in NO


async def store(session: AsyncSession, values: Sequence[tuple[int, Mapping[str, str]]]) -> int:
    """The extra columns that mark each imported household, replacing what an earlier file said; the count kept.

    Only marking cells are kept: the table answers "which households does column X mark"."""
    ids = [household_id for household_id, _cells in values]
    for start in range(0, len(ids), 500):
        await session.execute(delete(HouseholdAttribute).where(HouseholdAttribute.household_id.in_(ids[start:start + 500])))
    rows = [HouseholdAttribute(household_id=household_id, name=name[:NAME_MAX], name_key=fold(name)[:NAME_MAX],
                               value=value[:VALUE_MAX])
            for household_id, cells in values for name, value in cells.items() if marks(value)]
    session.add_all(rows)
    await session.flush()
    return len(rows)


async def names_in(session: AsyncSession, path: str, limit: int = 20) -> list[str]:
    """The attribute columns the households under a unit carry, most used first (the flow's choices)."""
    rows = await session.execute(
        select(func.min(HouseholdAttribute.name), func.count(distinct(HouseholdAttribute.household_id)))
        .join(Household, Household.id == HouseholdAttribute.household_id)
        .join(OrgUnit, OrgUnit.id == Household.nhom_id)
        .where(OrgUnit.path.startswith(path), Household.active.is_(True))
        .group_by(HouseholdAttribute.name_key).order_by(func.count(distinct(HouseholdAttribute.household_id)).desc(),
                                                        HouseholdAttribute.name_key).limit(limit))
    return [name for name, _count in rows]
