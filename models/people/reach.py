"""Who of a set of people the bot can reach, so no screen says a message went to someone it cannot."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import _
from models.outbox.enqueue import reachable
from models.tables import ChatIdentity

CHUNK = 500  # ids per statement: within both engines' limit on bound parameters


@dataclass(frozen=True)
class Reach:
    """Counts over a set of people: reachable now, never joined (no chat identity), blocked the bot."""

    reachable: int
    not_joined: int
    blocked: int

    @property
    def missing(self) -> int:
        return self.not_joined + self.blocked


async def reach_of(session: AsyncSession, person_ids: Collection[int]) -> Reach:
    """How many of the people the outbox can deliver to, and why the others are out of reach."""
    ids = sorted(set(person_ids))
    joined: set[int] = set()
    can: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        joined.update(await session.scalars(select(ChatIdentity.person_id).where(ChatIdentity.person_id.in_(chunk))))
        can.update(await session.scalars(
            select(ChatIdentity.person_id).where(ChatIdentity.person_id.in_(chunk), reachable())))
    return Reach(reachable=len(can), not_joined=len(ids) - len(joined), blocked=len(joined - can))


def reach_text(reach: Reach) -> str:
    """One line for a confirmation: who gets the message and who does not, and why."""
    if not reach.missing:
        return _("📶 Cả {count} người đều nhận được tin.").format(count=reach.reachable)
    return _("📶 {count} người nhận được tin; {missing} người không nhận được ({not_joined} chưa tham gia bot, "
             "{blocked} đã chặn bot).").format(count=reach.reachable, missing=reach.missing,
                                               not_joined=reach.not_joined, blocked=reach.blocked)
