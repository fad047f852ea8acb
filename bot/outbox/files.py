"""Stored files as the outbox deliverers need them: the bytes of an attachment, its public link
for Zalo (which takes photos only by URL and no documents at all), a Telegram photo copied once
so Zalo can fetch it, and the recipient's language for the line that replaces what cannot go.

Links are `<PUBLIC_URL>/files/<token>`, served by `bot/web.py` until the file expires; without
PUBLIC_URL nothing is linked.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.base import utcnow
from models.enums import Channel
from models.outbox import attachments
from models.people.identities import chat_locale
from models.tables import Attachment

log = logging.getLogger(__name__)

FILES_PATH = "/files"
MIRROR_KEEP = dt.timedelta(days=30)  # a photo passed between apps: long enough for a delayed broadcast
Download = Callable[[str], Awaitable[bytes]]


class FileGone(Exception):
    """The platform will never hand this file out (deleted, too large, an unknown id)."""


@dataclass(frozen=True)
class File:
    """An attachment's values, detached from the session that loaded it."""

    id: int
    token: str
    filename: str
    mime: str
    data: bytes

    @classmethod
    def of(cls, row: Attachment) -> File:
        return cls(row.id, row.token, row.filename, row.mime, row.data)


class Files:
    """One per process; `telegram_download` is given when a Telegram bot runs beside Zalo."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, public_url: str | None = None,
                 default_locale: str = "vi", telegram_download: Download | None = None,
                 clock: Callable[[], dt.datetime] = utcnow) -> None:
        self.sessions = sessions
        self.public_url = public_url.rstrip("/") if public_url else None
        self.default_locale = default_locale
        self.telegram_download = telegram_download
        self.clock = clock
        self._mirroring = asyncio.Lock()  # one download per photo, however many chats wait for it

    async def get(self, attachment_id: object) -> File | None:
        """The stored file, or None when it is gone or expired (the message then goes without it)."""
        if attachment_id is None:
            return None
        async with self.sessions() as session:
            row = await attachments.load(session, int(attachment_id))  # type: ignore[call-overload]
        if row is None or row.expires_at <= self.clock():
            log.warning("outbox: attachment %s is gone or expired; sent without it", attachment_id)
            return None
        return File.of(row)

    async def by_token(self, token: str) -> File | None:
        async with self.sessions() as session:
            row = await attachments.by_token(session, token, self.clock())
        return File.of(row) if row is not None else None

    def link(self, file: File) -> str | None:
        return f"{self.public_url}{FILES_PATH}/{file.token}" if self.public_url else None

    async def mirror(self, channel: Channel, reference: str) -> File | None:
        """A copy of a photo another app holds (a Telegram file id), fetched once and then reused;
        None when it cannot be had. A network failure raises (the delivery is tried again)."""
        if channel is not Channel.TELEGRAM or self.telegram_download is None:
            return None
        source = f"telegram:{reference}"[:300]
        async with self._mirroring:
            now = self.clock()
            async with self.sessions() as session:
                found = await attachments.by_source(session, source)
                if found is not None:
                    if found.expires_at <= now + dt.timedelta(days=1):
                        attachments.renew(found, now, MIRROR_KEEP)
                        await session.commit()
                    return File.of(found)
            try:
                data = await self.telegram_download(reference)
            except FileGone as error:
                log.warning("outbox: a Telegram photo cannot be fetched for Zalo: %s", error)
                return None
            async with self.sessions() as session:
                try:
                    stored = await attachments.store(session, data, filename="photo" + _extension(data),
                                                     mime=sniff(data), now=now, keep=MIRROR_KEEP, source=source)
                    await session.commit()
                except IntegrityError:  # another process stored it meanwhile
                    await session.rollback()
                    stored = await attachments.by_source(session, source)
                    if stored is None:
                        raise
                return File.of(stored)

    async def locale(self, channel: Channel, chat_id: str) -> str:
        async with self.sessions() as session:
            return await chat_locale(session, channel, chat_id) or self.default_locale


def sniff(data: bytes) -> str:
    """The image type from its first bytes (Telegram stores photos as JPEG)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return "image/jpeg"


def _extension(data: bytes) -> str:
    return {"image/png": ".png", "image/webp": ".webp"}.get(sniff(data), ".jpg")
