"""Posting to a unit's group — or, where no group chat can take it, to the people who make it up.

The documents prescribe a chi bộ group per village and a khối dân vận group per commune, but a
unit may have none bound yet, and a Zalo bot may not be allowed into groups at all (getMe's
`can_join_groups`, recorded in `PlatformCapability` when the bot starts). Then what the group
would get goes to its people (`models.access.GROUP_MEMBERS`), each on the app they use, in their
language, outside quiet hours and mutes, once per event even when they stand in for two groups (the
idempotency key is the event's, not the group's). They are told what the group would be told.

Roll-ups and new concerns are bundled: a non-urgent concern is not sent to people when it is
recorded but in the unit's evening message (`scheduler/rollups.py`), so a person gets at most one
such message per unit a day; an urgent one goes at once.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select, true
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models import access
from models.enums import Channel, GroupPurpose
from models.outbox.enqueue import enqueue, enqueue_for_people, outside_quiet_hours
from models.tables import ChatGroup, OrgUnit, Person, PlatformCapability

# The message in a language (None: the deployment's default, which groups get), made once per language.
Body = Callable[[str | None], dict[str, Any] | Awaitable[dict[str, Any]]]


async def _render(body: Body, locale: str | None) -> dict[str, Any]:
    made = body(locale)
    return await made if inspect.isawaitable(made) else made


async def record_capability(session: AsyncSession, channel: Channel, *, can_join_groups: bool,
                            now: dt.datetime) -> None:
    """What the platform said at start; the next posts follow it."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(PlatformCapability).values(channel=channel, can_join_groups=can_join_groups, checked_at=now)
    await session.execute(statement.on_conflict_do_update(
        index_elements=["channel"], set_=dict(can_join_groups=can_join_groups, checked_at=now)))


async def platforms_without_groups(session: AsyncSession) -> set[Channel]:
    return set(await session.scalars(
        select(PlatformCapability.channel).where(PlatformCapability.can_join_groups.is_(False))))


def _usable(without: set[Channel]) -> Any:
    return ChatGroup.channel.not_in(sorted(without)) if without else true()


async def usable_groups(session: AsyncSession, unit_id: int, purpose: GroupPurpose) -> Sequence[ChatGroup]:
    """The unit's bound groups of `purpose` on platforms that can post to groups."""
    without = await platforms_without_groups(session)
    return (await session.scalars(
        select(ChatGroup).where(ChatGroup.unit_id == unit_id, ChatGroup.purpose == purpose, _usable(without))
        .order_by(ChatGroup.id))).all()


async def units_with_groups(session: AsyncSession, unit_ids: Sequence[int], purpose: GroupPurpose) -> set[int]:
    """Of `unit_ids`, those with a usable group of `purpose`: one query for a whole commune or province."""
    if not unit_ids:
        return set()
    without = await platforms_without_groups(session)
    return set(await session.scalars(
        select(ChatGroup.unit_id).where(ChatGroup.unit_id.in_(sorted(set(unit_ids))), ChatGroup.purpose == purpose,
                                        _usable(without))))


async def members(session: AsyncSession, unit: OrgUnit, purpose: GroupPurpose) -> list[int]:
    """The people who make up the unit's group, by id."""
    return sorted(await session.scalars(access.group_members(unit, purpose)))


@dataclass(frozen=True)
class Posted:
    groups: int = 0
    people: int = 0

    def __int__(self) -> int:
        return self.groups + self.people


async def post(session: AsyncSession, unit: OrgUnit, purpose: GroupPurpose, *, key: str, kind: str, body: Body,
               now: dt.datetime, tz: ZoneInfo, to_people: bool = True) -> Posted:
    """To every usable group of the unit for `purpose`; with none, to its people (unless `to_people`
    is False: the caller bundles them later). A second call with the same key adds nothing."""
    groups = await usable_groups(session, unit.id, purpose)
    if groups:
        text = await _render(body, None)
        added = 0
        for group in groups:
            added += await enqueue(session, key=f"{key}:g{group.id}", channel=group.channel, chat_id=group.chat_id,
                                   kind=kind, body=text, not_before=outside_quiet_hours(now, tz))
        return Posted(groups=added)
    if not to_people:
        return Posted()
    return Posted(people=len(await to_members(session, unit, purpose, key=key, kind=kind, body=body, now=now, tz=tz)))


async def to_members(session: AsyncSession, unit: OrgUnit, purpose: GroupPurpose, *, key: str, kind: str, body: Body,
                     now: dt.datetime, tz: ZoneInfo) -> set[int]:
    """To the people who make up the unit's group, each in their language; the ids of those added."""
    people = await members(session, unit, purpose)
    if not people:
        return set()
    locales = set(await session.scalars(select(Person.locale).where(Person.id.in_(people)).distinct()))
    bodies = {locale: await _render(body, locale) for locale in locales}
    return await enqueue_for_people(session, people, key=key, kind=kind, body=bodies.__getitem__, now=now, tz=tz)


async def where_posts_go(session: AsyncSession, pairs: Sequence[tuple[OrgUnit, GroupPurpose]]
                         ) -> list[tuple[OrgUnit, GroupPurpose, Sequence[ChatGroup], int]]:
    """For each (unit, purpose): its usable groups, and how many people stand in when there are none."""
    without = await platforms_without_groups(session)
    found: dict[tuple[int, GroupPurpose], list[ChatGroup]] = {}
    if pairs:
        rows = await session.scalars(select(ChatGroup).where(
            or_(*(and_(ChatGroup.unit_id == unit.id, ChatGroup.purpose == purpose) for unit, purpose in pairs)),
            _usable(without)).order_by(ChatGroup.id))
        for group in rows:
            found.setdefault((group.unit_id, group.purpose), []).append(group)
    result = []
    for unit, purpose in pairs:
        groups = found.get((unit.id, purpose), [])
        people = 0 if groups else len(await members(session, unit, purpose))
        result.append((unit, purpose, groups, people))
    return result
