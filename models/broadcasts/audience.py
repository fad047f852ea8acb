"""Checking a broadcast's unit and audience against the rights, and the audience of an announcement as SQL.

Who may broadcast to which unit, and which roles they may pick, is decided in `models.access.broadcasts`:
a commune secretary or the khối dân vận head speaks for the commune; a team leader or deputy for
their own team, whose roles are all they may pick. The audience is stored as the author chose it
(`Audience`) and resolved to people by one query when the announcement goes out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.text import fold
from models.access import audience_roles, author_scopes, roles
from models.enums import Role, UnitKind
from models.tables import ChatGroup, Membership, OrgUnit
from models.people.reach import Reach, reach_of

# "All teams of the commune": whoever holds a role in a village, a team or a nhóm.
TEAM_LEVELS = (UnitKind.VILLAGE, UnitKind.TEAM, UnitKind.NHOM)
KINDS = ("all", "villages", "roles", "groups")


class NotAllowed(Exception):
    """A refused broadcast: `reason` is "role" (no role that broadcasts), "unit" or "audience"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Audience:
    kind: str
    villages: tuple[int, ...] = ()
    roles: tuple[Role, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "villages": list(self.villages), "roles": [r.value for r in self.roles]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Audience:
        return cls(str(data.get("kind", "")), tuple(int(v) for v in data.get("villages") or ()),
                   tuple(Role(r) for r in data.get("roles") or ()))


# --- rights -----------------------------------------------------------------------------------------

async def scope_for(session: AsyncSession, person_id: int, unit_id: int) -> OrgUnit:
    """The unit, if the person's roles let them broadcast to it; NotAllowed otherwise."""
    allowed = author_scopes(await roles(session, person_id))
    unit = next((u for u in allowed if u.id == unit_id), None)
    if unit is None:
        raise NotAllowed("unit" if allowed else "role")
    return unit


async def check_audience(session: AsyncSession, unit: OrgUnit, audience: Audience) -> None:
    """NotAllowed("audience") for villages or roles beyond the unit (a forged or stale choice)."""
    if audience.kind not in KINDS:
        raise NotAllowed("audience")
    if audience.kind == "villages":
        if unit.kind != UnitKind.COMMUNE or not audience.villages:
            raise NotAllowed("audience")
        inside = await session.scalar(select(func.count()).select_from(OrgUnit).where(
            OrgUnit.id.in_(audience.villages), OrgUnit.kind == UnitKind.VILLAGE, OrgUnit.parent_id == unit.id))
        if inside != len(set(audience.villages)):
            raise NotAllowed("audience")
    if audience.kind == "roles" and (not audience.roles or not set(audience.roles) <= set(audience_roles(unit))):
        raise NotAllowed("audience")


# --- the audience -----------------------------------------------------------------------------------

async def recipients(session: AsyncSession, unit: OrgUnit, audience: Audience, author_id: int) -> Select[Any]:
    """SQL for the people the audience names, each once, the author aside (groups name nobody)."""
    query = (select(Membership.person_id).join(OrgUnit, OrgUnit.id == Membership.unit_id)
             .where(Membership.ended_at.is_(None), Membership.person_id != author_id).distinct())
    if audience.kind == "groups":
        return query.where(false())
    if audience.kind == "villages":
        paths = (await session.scalars(select(OrgUnit.path).where(
            OrgUnit.id.in_(audience.villages), OrgUnit.path.startswith(unit.path)))).all()
        query = query.where(or_(*(OrgUnit.path.startswith(path) for path in paths)) if paths else false())
    else:
        query = query.where(OrgUnit.path.startswith(unit.path))
    if audience.kind == "roles":
        return query.where(Membership.role.in_(audience.roles))
    return query.where(OrgUnit.kind.in_(TEAM_LEVELS)) if unit.kind == UnitKind.COMMUNE else query


async def count_recipients(session: AsyncSession, unit: OrgUnit, audience: Audience, author_id: int) -> int:
    people = (await recipients(session, unit, audience, author_id)).subquery()
    return int(await session.scalar(select(func.count()).select_from(people)) or 0)


async def recipient_reach(session: AsyncSession, unit: OrgUnit, audience: Audience, author_id: int) -> Reach:
    """Of the people the audience names, how many the bot can reach and why the others not."""
    return await reach_of(session, list(await session.scalars(await recipients(session, unit, audience, author_id))))


async def groups_in(session: AsyncSession, unit: OrgUnit) -> Sequence[ChatGroup]:
    """Group chats bound to the unit or to a unit under it."""
    return (await session.scalars(select(ChatGroup).join(OrgUnit, OrgUnit.id == ChatGroup.unit_id)
                                  .where(OrgUnit.path.startswith(unit.path)).order_by(ChatGroup.id))).all()


async def village_page(session: AsyncSession, commune: OrgUnit, query: str | None, offset: int,
                       limit: int) -> tuple[Sequence[OrgUnit], bool]:
    """The commune's villages by name, or those whose name holds the typed words (diacritics aside)."""
    statement = select(OrgUnit).where(OrgUnit.parent_id == commune.id, OrgUnit.kind == UnitKind.VILLAGE)
    if query:
        statement = statement.where(OrgUnit.name_key.contains(fold(query), autoescape=True))
    rows = (await session.scalars(statement.order_by(OrgUnit.name_key, OrgUnit.id).offset(offset)
                                  .limit(limit + 1))).all()
    return rows[:limit], len(rows) > limit


async def units_named(session: AsyncSession, ids: Sequence[int]) -> Sequence[OrgUnit]:
    return (await session.scalars(select(OrgUnit).where(OrgUnit.id.in_(ids)).order_by(OrgUnit.name_key))).all()
