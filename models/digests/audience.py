"""Who may see a unit's monthly digest, who receives it on the 1st, and what was already enqueued.

A village's digest belongs to the team leader and deputies of its team and to its chi bộ
secretary (and the village's chi bộ group); the commune's to the head of the khối dân vận and the
commune's party secretary (and the khối dân vận group). Nobody else — not members, nhóm leaders
or the admin role — gets digests: they name idle members and, for leaders, households.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, case, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import audit
from models.access import Held, area_paths
from models.enums import GroupPurpose, Role, UnitKind
from models.outbox.enqueue import DELIVERABLE
from models.tables import ChatGroup, ChatIdentity, Membership, OrgUnit, OutboxMessage, Person

VILLAGE_ROLES = (Role.TEAM_LEADER, Role.TEAM_DEPUTY, Role.CHI_BO_SECRETARY)
COMMUNE_ROLES = (Role.KHOI_DAN_VAN_HEAD, Role.COMMUNE_SECRETARY)


def entitled(held: Sequence[Held]) -> list[Held]:
    """The roles that carry a digest: village roles at a team or village, commune roles at a commune."""
    return [h for h in held
            if (h.role in VILLAGE_ROLES and h.unit.kind in (UnitKind.TEAM, UnitKind.VILLAGE))
            or (h.role in COMMUNE_ROLES and h.unit.kind == UnitKind.COMMUNE)]


def may_see_digests(held: Sequence[Held]) -> bool:
    return bool(entitled(held))


def own_units(held: Sequence[Held]) -> list[tuple[UnitKind, int]]:
    """The units whose digest the roles are for: communes first, then villages (a team's is its village's)."""
    found: dict[int, UnitKind] = {}
    for h in sorted(entitled(held), key=lambda h: h.unit.depth):
        if h.unit.kind == UnitKind.TEAM and h.unit.parent_id is not None:
            found.setdefault(h.unit.parent_id, UnitKind.VILLAGE)
        else:
            found.setdefault(h.unit.id, h.unit.kind)
    return [(kind, unit_id) for unit_id, kind in found.items()]


def covers_village(held: Sequence[Held], village: OrgUnit) -> bool:
    """Whether the digest roles reach this village: its own leaders, or its commune's leaders."""
    return any(village.path.startswith(path) for path in area_paths(entitled(held)))


def commune_of(held: Sequence[Held]) -> int | None:
    """The commune of the first role carrying a digest (read from the unit's path: no query)."""
    for h in entitled(held):
        parts = [int(p) for p in h.unit.path.strip("/").split("/")]
        depth_of_commune = h.unit.depth - {UnitKind.COMMUNE: 0, UnitKind.VILLAGE: 1, UnitKind.TEAM: 2}[h.unit.kind]
        return parts[depth_of_commune]
    return None


def record_view(session: AsyncSession, person_id: int, unit_id: int, period: str) -> None:
    """Leaders' digests name households: who looked at which one is kept."""
    audit.record(session, "digest.view", "org_unit", unit_id, actor_id=person_id, actor_label=f"person:{person_id}",
                 details={"period": period})


# --- the job's recipients -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Audience:
    """Per unit (village or commune id): the people and the groups its digest goes to."""

    people: dict[int, list[Person]]
    groups: dict[int, list[ChatGroup]]


async def audience(session: AsyncSession, commune: OrgUnit) -> Audience:
    """Everyone the bot can reach who receives the commune's digests, and the bound groups."""
    unit_id = case((OrgUnit.kind == UnitKind.TEAM, OrgUnit.parent_id), else_=OrgUnit.id)
    reachable = exists().where(ChatIdentity.person_id == Person.id, ChatIdentity.channel.in_(DELIVERABLE),
                               ChatIdentity.unreachable_at.is_(None))
    rows = (await session.execute(
        select(unit_id, Person).distinct()
        .join(Membership, Membership.person_id == Person.id).join(OrgUnit, OrgUnit.id == Membership.unit_id)
        .where(OrgUnit.path.startswith(commune.path), Membership.ended_at.is_(None), reachable,
               or_(and_(Membership.role.in_(VILLAGE_ROLES), OrgUnit.kind.in_([UnitKind.TEAM, UnitKind.VILLAGE])),
                   and_(Membership.role.in_(COMMUNE_ROLES), OrgUnit.kind == UnitKind.COMMUNE)))
        .order_by(unit_id, Person.id)
    )).all()
    people: dict[int, list[Person]] = {}
    for unit, person in rows:
        people.setdefault(unit, []).append(person)
    groups: dict[int, list[ChatGroup]] = {}
    for group in (await session.scalars(
        select(ChatGroup).join(OrgUnit, OrgUnit.id == ChatGroup.unit_id)
        .where(OrgUnit.path.startswith(commune.path),
               or_(and_(ChatGroup.purpose == GroupPurpose.CHI_BO, OrgUnit.kind == UnitKind.VILLAGE),
                   and_(ChatGroup.purpose == GroupPurpose.KHOI_DAN_VAN, OrgUnit.kind == UnitKind.COMMUNE)))
        .order_by(ChatGroup.id)
    )).all():
        groups.setdefault(group.unit_id, []).append(group)
    return Audience(people, groups)


async def enqueued_keys(session: AsyncSession, prefix: str) -> set[str]:
    """Idempotency keys already in the outbox under a prefix (one digest round of one commune)."""
    return set(await session.scalars(
        select(OutboxMessage.idempotency_key).where(OutboxMessage.idempotency_key.startswith(prefix, autoescape=True))))
