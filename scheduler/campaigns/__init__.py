"""The campaign job: leaders told when a target is reached and a week before the end."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.campaigns.alerts import due_alerts


async def campaign_alerts(sessions: async_sessionmaker[AsyncSession], *, now: dt.datetime, tz: ZoneInfo) -> int:
    """One run in one transaction; how many messages were enqueued (a second run the same day adds none)."""
    async with sessions() as session:
        added = await due_alerts(session, now=now, tz=tz)
        await session.commit()
    return added
