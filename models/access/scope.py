"""What a person's roles cover: the units under the units they hold a role in, in Python and in SQL."""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import Role, UnitKind
from models.tables import Membership, OrgUnit


@dataclass(frozen=True)
class Held:
    role: Role
    unit: OrgUnit


async def roles(session: AsyncSession, person_id: int) -> Sequence[Held]:
    rows = (await session.execute(_roles_statement(), {"person_id": person_id})).all()
    return [Held(role, unit) for role, unit in rows]


@cache
def _roles_statement() -> Select[Any]:
    # Built once: several updates in ten ask, and building a select costs more than running it.
    return (select(Membership.role, OrgUnit).join(OrgUnit, OrgUnit.id == Membership.unit_id)
            .where(Membership.person_id == bindparam("person_id"), Membership.ended_at.is_(None))
            .order_by(OrgUnit.depth.desc()))


def covers(held: Sequence[Held], column: ColumnElement[str]) -> ColumnElement[bool]:
    """SQL condition: `column` (a unit path) lies under one of the units held."""
    paths = {h.unit.path for h in held}
    return or_(*(column.startswith(p) for p in paths)) if paths else false()


def covers_bound(column: ColumnElement[str], count: int) -> ColumnElement[bool]:
    """`covers` for a statement built once and reused: the paths are the bound parameters
    `scope_0`, `scope_1`, … that `scope_params` fills (`count` of them, as `len(scope_params(…))`)."""
    return or_(*(column.startswith(bindparam(f"scope_{i}")) for i in range(count))) if count else false()


def scope_params(held: Sequence[Held]) -> dict[str, str]:
    return {f"scope_{i}": path for i, path in enumerate(sorted({h.unit.path for h in held}))}


def area_paths(held: Sequence[Held]) -> set[str]:
    """Unit paths widened to the village: a team's or nhóm's leaders see their whole village."""
    paths = set()
    for h in held:
        parts = h.unit.path.strip("/").split("/")
        drop = {UnitKind.TEAM: 1, UnitKind.NHOM: 2}.get(h.unit.kind, 0)
        paths.add("/" + "/".join(parts[:len(parts) - drop]) + "/")
    return paths


def covers_area(held: Sequence[Held], column: ColumnElement[str]) -> ColumnElement[bool]:
    paths = area_paths(held)
    return or_(*(column.startswith(p) for p in paths)) if paths else false()


# The visit picker lists the households of a unit a role is held at up to a village (a team's
# hundreds); a commune's roles (its thousands) list only the person's own assigned households.
# Search still reaches every household `sees_household` allows.
LISTS_UNIT_AT = frozenset({UnitKind.NHOM, UnitKind.TEAM, UnitKind.VILLAGE})


def listed_scope(held: Sequence[Held]) -> tuple[list[Held], bool]:
    """The roles whose units' households the picker lists, and whether the person's assigned ones are added."""
    near = [h for h in held if h.unit.kind in LISTS_UNIT_AT]
    return near, len(near) < len(held)


def sees_household(held: Sequence[Held], nhom: OrgUnit) -> bool:
    """A household (by its nhóm) is seen, and may be visited, by every role at a unit above it: `covers`."""
    return any(nhom.path.startswith(h.unit.path) for h in held)
