"""A stored outbox message as the deliverers read it: the neutral reply, where its photo comes
from, and the stored files it names. Platform-neutral; each channel's deliverer builds on it."""

from __future__ import annotations

import logging
from typing import Any

from bot.outbox.files import File, Files
from handlers.engine.types import Option, Reply
from models.enums import Channel

log = logging.getLogger(__name__)


def to_reply(body: dict[str, Any]) -> Reply:
    """The stored payload (`models.outbox.enqueue.payload`) as the neutral reply the channels send."""
    options = tuple(Option(str(key), str(label)) for key, label in body.get("options") or ())
    return Reply(str(body.get("text") or ""), options, photo=body.get("photo"), columns=int(body.get("columns") or 1))


def photo_channel(body: dict[str, Any]) -> Channel | None:
    """The app whose reference `photo` is (None: usable anywhere, e.g. a public URL)."""
    value = body.get("photo_channel")
    return Channel(value) if value else None


async def stored_file(files: Files | None, attachment_id: object) -> File | None:
    """The stored chart or spreadsheet a message names, or None (none named, none kept, no store)."""
    if attachment_id is None:
        return None
    if files is None:
        log.warning("outbox: no file store given; attachment %s left out", attachment_id)
        return None
    return await files.get(attachment_id)
