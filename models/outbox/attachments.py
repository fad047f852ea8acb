"""Stored files: what the outbox attaches to a message (`payload(photo_attachment=…,
document_attachment=…)`) and what a link `/files/<token>` serves until the file expires.

A file is found by its id inside the bot and only by its random token from outside; an expired
file is served to nobody and deleted by the housekeeping job.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.tables import Attachment

KEEP = dt.timedelta(days=90)  # a digest's files outlive any reasonable delay of its message
TOKEN_BYTES = 24  # 192 random bits, URL-safe: 32 characters
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
NAME_LIMIT = 200


async def store(session: AsyncSession, data: bytes, *, filename: str, mime: str, now: dt.datetime,
                keep: dt.timedelta = KEEP, source: str | None = None) -> Attachment:
    """Keeps `data` until `now + keep`; flushed, so its id can go into a payload at once."""
    attachment = Attachment(token=secrets.token_urlsafe(TOKEN_BYTES), filename=safe_filename(filename),
                            mime=mime, data=data, size=len(data), source=source, created_at=now,
                            expires_at=now + keep)
    session.add(attachment)
    await session.flush()
    return attachment


async def load(session: AsyncSession, attachment_id: int) -> Attachment | None:
    return await session.get(Attachment, attachment_id)


async def by_token(session: AsyncSession, token: str, now: dt.datetime) -> Attachment | None:
    """The file behind a link, while it has not expired; junk tokens never reach the database."""
    if not TOKEN_SHAPE.match(token):
        return None
    return await session.scalar(select(Attachment).where(Attachment.token == token, Attachment.expires_at > now))


async def by_source(session: AsyncSession, source: str) -> Attachment | None:
    """The copy already fetched from `source`, expired or not (it is renewed rather than fetched again)."""
    return await session.scalar(select(Attachment).where(Attachment.source == source))


def renew(attachment: Attachment, now: dt.datetime, keep: dt.timedelta = KEEP) -> None:
    """Kept at least `keep` from now: a file sent again must outlive its new link."""
    attachment.expires_at = max(attachment.expires_at, now + keep)


async def purge(session: AsyncSession, now: dt.datetime) -> int:
    """Deletes expired files; how many. Their links answer 404 from then on (as they already did)."""
    result = await session.execute(delete(Attachment).where(Attachment.expires_at <= now))
    return int(result.rowcount or 0)


def safe_filename(name: str) -> str:
    """No path, no control characters, at most 200 characters with the extension kept."""
    cleaned = " ".join(_UNSAFE_NAME.sub(" ", name).split()).strip(". ") or "file"
    if len(cleaned) <= NAME_LIMIT:
        return cleaned
    stem, dot, extension = cleaned.rpartition(".")
    if not dot or len(extension) > 10:
        return cleaned[:NAME_LIMIT]
    return stem[:NAME_LIMIT - len(extension) - 1] + "." + extension
