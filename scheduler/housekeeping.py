"""Housekeeping: forget incoming message ids once no platform would redeliver them, and delete
stored files (charts, spreadsheets, fetched photos) whose time is up."""

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.conversations import forget_processed
from models.outbox import attachments

KEEP = dt.timedelta(days=3)  # platforms redeliver within minutes; days leave a wide margin


async def housekeeping(sessions: async_sessionmaker[AsyncSession], *, now: dt.datetime, tz: ZoneInfo) -> int:
    """Deletes old de-duplication rows and expired files; enqueues nothing, so it returns 0."""
    async with sessions() as session:
        await forget_processed(session, now - KEEP)
        await attachments.purge(session, now)
        await session.commit()
    return 0
