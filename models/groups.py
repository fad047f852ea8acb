"""Group chats bound to units: which bindings a person's roles allow, and binding itself."""

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import audit
from models.access import COMMUNE_ROLES, Held
from models.enums import Channel, GroupPurpose, Role, UnitKind
from models.tables import ChatGroup, OrgUnit
from models.units import tree

Candidate = tuple[OrgUnit, GroupPurpose]


async def candidates(session: AsyncSession, held: Sequence[Held]) -> list[Candidate]:
    """(unit, purpose) pairs the person may bind a group to, leaders' own units first."""
    found: dict[tuple[int, GroupPurpose], Candidate] = {}

    def add(unit: OrgUnit, purpose: GroupPurpose) -> None:
        found.setdefault((unit.id, purpose), (unit, purpose))

    for h in held:
        unit = h.unit
        if h.role == Role.GROUP_LEADER and unit.kind == UnitKind.NHOM:
            add(unit, GroupPurpose.NHOM)
        elif h.role in (Role.TEAM_LEADER, Role.TEAM_DEPUTY) and unit.kind == UnitKind.TEAM:
            village = await session.get(OrgUnit, unit.parent_id)
            if village is not None:
                add(village, GroupPurpose.CHI_BO)
            add(unit, GroupPurpose.TEAM)
            for nhom in await tree.children(session, unit, UnitKind.NHOM):
                add(nhom, GroupPurpose.NHOM)
        elif h.role == Role.CHI_BO_SECRETARY and unit.kind == UnitKind.VILLAGE:
            add(unit, GroupPurpose.CHI_BO)
            for team in await tree.children(session, unit, UnitKind.TEAM):
                add(team, GroupPurpose.TEAM)
        elif h.role in COMMUNE_ROLES and unit.kind == UnitKind.COMMUNE:
            add(unit, GroupPurpose.KHOI_DAN_VAN)
            for village in await tree.children(session, unit, UnitKind.VILLAGE):
                add(village, GroupPurpose.CHI_BO)
    return list(found.values())


async def current(session: AsyncSession, channel: Channel, chat_id: str) -> ChatGroup | None:
    return await session.scalar(select(ChatGroup).where(ChatGroup.channel == channel, ChatGroup.chat_id == chat_id))


async def bind(session: AsyncSession, *, channel: Channel, chat_id: str, title: str | None, unit: OrgUnit,
               purpose: GroupPurpose, person_id: int, now: dt.datetime) -> ChatGroup:
    group = await current(session, channel, chat_id)
    if group is None:
        group = ChatGroup(channel=channel, chat_id=chat_id)
        session.add(group)
    group.title, group.unit_id, group.purpose = title, unit.id, purpose
    group.bound_by_id, group.bound_at = person_id, now
    await session.flush()
    audit.record(session, "bind_group", "chat_group", group.id, actor_id=person_id, actor_label=f"person:{person_id}",
                 details={"channel": channel.value, "unit_id": unit.id, "purpose": purpose.value})
    return group


async def unbind(session: AsyncSession, group: ChatGroup, person_id: int) -> None:
    audit.record(session, "unbind_group", "chat_group", group.id, actor_id=person_id, actor_label=f"person:{person_id}",
                 details={"channel": group.channel.value, "unit_id": group.unit_id, "purpose": group.purpose.value})
    await session.delete(group)
    await session.flush()
