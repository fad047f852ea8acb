"""Group chats bound to units: the bindings a person's roles allow, listed, and binding itself."""

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import access, audit
from models.access import Held
from models.enums import Channel, GroupPurpose
from models.tables import ChatGroup, OrgUnit
from models.units import tree

Candidate = tuple[OrgUnit, GroupPurpose]


async def candidates(session: AsyncSession, held: Sequence[Held]) -> list[Candidate]:
    """(unit, purpose) pairs the person may bind a group to (`access.BINDINGS`), leaders' own units first."""
    found: dict[tuple[int, GroupPurpose], Candidate] = {}

    def add(unit: OrgUnit, purpose: GroupPurpose) -> None:
        found.setdefault((unit.id, purpose), (unit, purpose))

    for h in held:
        for where, purpose in access.binding_reach(h):
            if where == "self":
                add(h.unit, purpose)
            elif where == "parent":
                parent = await session.get(OrgUnit, h.unit.parent_id) if h.unit.parent_id else None
                if parent is not None:
                    add(parent, purpose)
            else:
                for child in await tree.children(session, h.unit, where):
                    add(child, purpose)
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
