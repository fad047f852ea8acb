"""Operations on the org-unit tree."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.text import fold
from models.enums import UnitKind
from models.tables import OrgUnit


async def add_unit(
    session: AsyncSession,
    kind: UnitKind,
    name: str,
    parent: OrgUnit | None = None,
    *,
    code: str | None = None,
    division_type: str | None = None,
) -> OrgUnit:
    """Creates a unit and fills its materialised path (which needs the new id, hence the flush)."""
    unit = OrgUnit(kind=kind, name=name.strip(), name_key=fold(name), code=code,
                   division_type=division_type, parent_id=parent.id if parent else None,
                   depth=parent.depth + 1 if parent else 0)
    session.add(unit)
    await session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    return unit


def _accents(text: str) -> int:
    return sum(1 for ch in text if not ch.isascii())


async def child_by_name(session: AsyncSession, parent: OrgUnit, kind: UnitKind, name: str) -> OrgUnit | None:
    return await session.scalar(
        select(OrgUnit).where(OrgUnit.parent_id == parent.id, OrgUnit.kind == kind,
                              OrgUnit.name_key == fold(name))
    )


async def get_or_add_child(
    session: AsyncSession, parent: OrgUnit, kind: UnitKind, name: str, *, code: str | None = None,
    division_type: str | None = None,
) -> tuple[OrgUnit, bool]:
    """The named child, created if missing; the flag says whether it was created."""
    unit = await child_by_name(session, parent, kind, name)
    if unit is not None:
        if code and unit.code != code:
            unit.code = code
        if _accents(name.strip()) > _accents(unit.name):  # same name, better spelled (diacritics)
            unit.name = name.strip()
        if division_type and unit.division_type != division_type:
            unit.division_type = division_type
        return unit, False
    return await add_unit(session, kind, name, parent, code=code, division_type=division_type), True


async def descendants(session: AsyncSession, unit: OrgUnit, kind: UnitKind | None = None) -> Sequence[OrgUnit]:
    query = select(OrgUnit).where(OrgUnit.path.startswith(unit.path), OrgUnit.id != unit.id)
    if kind is not None:
        query = query.where(OrgUnit.kind == kind)
    return (await session.scalars(query.order_by(OrgUnit.path))).all()


async def ancestor(session: AsyncSession, unit: OrgUnit, kind: UnitKind) -> OrgUnit | None:
    """The unit of `kind` on the path from the root to `unit` (itself included)."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    return await session.scalar(select(OrgUnit).where(OrgUnit.id.in_(ids), OrgUnit.kind == kind))


async def communes(session: AsyncSession) -> Sequence[OrgUnit]:
    return (await session.scalars(select(OrgUnit).where(OrgUnit.kind == UnitKind.COMMUNE)
                                  .order_by(OrgUnit.name))).all()


async def find_units(
    session: AsyncSession, query: str, *, within: OrgUnit | None = None, kinds: Sequence[UnitKind] = ()
) -> Sequence[OrgUnit]:
    """Units whose code equals the query or whose folded name contains it."""
    key = fold(query)
    stmt = select(OrgUnit).where((OrgUnit.code == query.strip()) | OrgUnit.name_key.contains(key, autoescape=True))
    if within is not None:
        stmt = stmt.where(OrgUnit.path.startswith(within.path))
    if kinds:
        stmt = stmt.where(OrgUnit.kind.in_(list(kinds)))
    units = (await session.scalars(stmt.order_by(OrgUnit.depth, OrgUnit.name))).all()
    exact = [u for u in units if u.name_key == key or u.code == query.strip()]
    return exact or units


async def children(session: AsyncSession, unit: OrgUnit, kind: UnitKind | None = None) -> Sequence[OrgUnit]:
    query = select(OrgUnit).where(OrgUnit.parent_id == unit.id)
    if kind is not None:
        query = query.where(OrgUnit.kind == kind)
    return (await session.scalars(query.order_by(OrgUnit.name))).all()


async def lineage(session: AsyncSession, unit: OrgUnit) -> Sequence[OrgUnit]:
    """The unit and its ancestors, root first."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    found = {u.id: u for u in await session.scalars(select(OrgUnit).where(OrgUnit.id.in_(ids)))}
    return [found[i] for i in ids if i in found]
