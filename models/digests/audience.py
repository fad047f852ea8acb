"""Who receives a unit's monthly digest on the 1st (by the rule in `models.access.digests`), and what
was already enqueued.

A village's digest belongs to the team leader and deputies of its team and to its chi bộ
secretary (and the village's chi bộ group); the commune's to the head of the khối dân vận and the
commune's party secretary (and the khối dân vận group; with none that can take it, its copy goes
to the commune's team leaders, who make that group up with the two leads). Nobody else — not members, nhóm leaders
or the admin role — gets digests: they name idle members and, for leaders, households.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, case, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import access, audit
from models.enums import GroupPurpose, UnitKind
from models.groups import posts
from models.outbox.enqueue import reachable as delivered_to
from models.tables import ChatGroup, ChatIdentity, Membership, OrgUnit, OutboxMessage, Person


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
    # Where a unit has no group that can take its copy: the people who make the group up and do not
    # get the digest themselves (the commune's team leaders), sent the group's copy instead.
    stand_ins: dict[int, list[Person]] = field(default_factory=dict)


async def audience(session: AsyncSession, commune: OrgUnit) -> Audience:
    """Everyone the bot can reach who receives the commune's digests, and the bound groups."""
    unit_id = case((OrgUnit.kind == UnitKind.TEAM, OrgUnit.parent_id), else_=OrgUnit.id)
    reachable = exists().where(ChatIdentity.person_id == Person.id, delivered_to())
    rows = (await session.execute(
        select(unit_id, Person).distinct()
        .join(Membership, Membership.person_id == Person.id).join(OrgUnit, OrgUnit.id == Membership.unit_id)
        .where(OrgUnit.path.startswith(commune.path), Membership.ended_at.is_(None), reachable,
               access.receives_digest(Membership.role, OrgUnit.kind))
        .order_by(unit_id, Person.id)
    )).all()
    people: dict[int, list[Person]] = {}
    for unit, person in rows:
        people.setdefault(unit, []).append(person)
    groups: dict[int, list[ChatGroup]] = {}
    without = await posts.platforms_without_groups(session)
    for group in (await session.scalars(
        select(ChatGroup).join(OrgUnit, OrgUnit.id == ChatGroup.unit_id)
        .where(OrgUnit.path.startswith(commune.path), ChatGroup.channel.not_in(sorted(without)),
               or_(and_(ChatGroup.purpose == GroupPurpose.CHI_BO, OrgUnit.kind == UnitKind.VILLAGE),
                   and_(ChatGroup.purpose == GroupPurpose.KHOI_DAN_VAN, OrgUnit.kind == UnitKind.COMMUNE)))
        .order_by(ChatGroup.id)
    )).all():
        groups.setdefault(group.unit_id, []).append(group)
    stand_ins: dict[int, list[Person]] = {}
    if commune.id not in groups:
        receiving = {person.id for person in people.get(commune.id, [])}
        ids = [i for i in await posts.members(session, commune, GroupPurpose.KHOI_DAN_VAN) if i not in receiving]
        if ids:
            found = (await session.scalars(
                select(Person).where(Person.id.in_(ids), exists().where(ChatIdentity.person_id == Person.id,
                                                                        delivered_to()))
                .order_by(Person.id))).all()
            if found:
                stand_ins[commune.id] = list(found)
    return Audience(people, groups, stand_ins)


async def enqueued_keys(session: AsyncSession, prefix: str) -> set[str]:
    """Idempotency keys already in the outbox under a prefix (one digest round of one commune)."""
    return set(await session.scalars(
        select(OutboxMessage.idempotency_key).where(OutboxMessage.idempotency_key.startswith(prefix, autoescape=True))))
