"""Who a scheduled draft can reach: the people who answer for a report, less those no app reaches."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.outbox.enqueue import reachable
from models.tables import ChatIdentity, Person


async def reachable_ids(session: AsyncSession, people: Sequence[Person]) -> set[int]:
    """The ids among `people` with an app that takes their messages: a draft is made only for them,
    not again every run for someone nobody can reach."""
    if not people:
        return set()
    return set(await session.scalars(select(ChatIdentity.person_id).distinct().where(
        ChatIdentity.person_id.in_([p.id for p in people]), reachable())))
