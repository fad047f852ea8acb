"""Zalo updates to our Incoming, our Replies to Zalo sends: the only place that knows both shapes.

Zalo has no buttons: choices go out as numbered lines and come back as "2" or words, which the
engine matches. Text and captions are cut at 2,000 characters, at line breaks where possible.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from bot.channels.zalo.client import MAX_TEXT, _int, _optional, _text
from core.i18n import _
from handlers.engine.types import Incoming, Reply, render_numbered, split_text
from models.enums import Channel

log = logging.getLogger(__name__)

TEXT = "message.text.received"
IMAGE = "message.image.received"
STICKER = "message.sticker.received"
UNSUPPORTED = "message.unsupported.received"  # sent instead of the content for protected users


@dataclass(frozen=True)
class ZaloMessage:
    """Ids are strings; `date` is epoch milliseconds."""

    message_id: str
    user_id: str
    display_name: str | None
    chat_id: str
    chat_type: str  # PRIVATE or GROUP
    date: int
    text: str | None = None
    photo_url: str | None = None
    caption: str | None = None
    sticker: str | None = None

    @property
    def is_group(self) -> bool:
        return self.chat_type == "GROUP"


@dataclass(frozen=True)
class ZaloUpdate:
    event_name: str
    message: ZaloMessage


@dataclass(frozen=True)
class Send:
    """One API call: a text (sendMessage) or a photo with an optional caption (sendPhoto)."""

    text: str = ""
    photo: str | None = None


def parse_update(payload: dict[str, Any]) -> ZaloUpdate | None:
    """An update wrapped as `{ok, result: {...}}` or bare `{event_name, message}`; None if neither."""
    if isinstance(payload.get("result"), dict):
        payload = payload["result"]
    raw = payload.get("message")
    if not isinstance(raw, dict):
        return None
    sender = raw.get("from") if isinstance(raw.get("from"), dict) else {}
    chat = raw.get("chat") if isinstance(raw.get("chat"), dict) else {}
    user_id, chat_id = _text(sender.get("id")), _text(chat.get("id"))
    if not user_id and not chat_id:
        return None
    name = sender.get("display_name") or sender.get("first_name") or sender.get("name")
    message = ZaloMessage(
        message_id=_text(raw.get("message_id")), user_id=user_id or chat_id, chat_id=chat_id or user_id,
        display_name=str(name)[:120] if name else None, chat_type=str(chat.get("chat_type") or "PRIVATE").upper(),
        date=_int(raw.get("date")), text=_optional(raw.get("text")), photo_url=_optional(raw.get("photo_url")),
        caption=_optional(raw.get("caption")), sticker=_optional(raw.get("sticker")))
    return ZaloUpdate(str(payload.get("event_name") or ""), message)


def strip_mention(text: str, bot_names: tuple[str, ...] = ()) -> str:
    """"@Gần Dân /ganket" → "/ganket": in groups Zalo only delivers messages that mention the bot."""
    stripped = text.lstrip()
    if not stripped.startswith("@"):
        return text
    for name in sorted(bot_names, key=len, reverse=True):
        if name and stripped[1:1 + len(name)].casefold() == name.casefold():
            return stripped[1 + len(name):].lstrip()
    command = stripped.find(" /")
    if command > 0:
        return stripped[command + 1:]
    _mention, _space, rest = stripped.partition(" ")
    return rest.lstrip()


def to_incoming(update: ZaloUpdate, bot_names: tuple[str, ...] = ()) -> Incoming | None:
    """What the engine should see; None for events it must not see (unsupported, unknown)."""
    message = update.message
    if update.event_name == TEXT:
        text, photo = message.text or "", None
    elif update.event_name == IMAGE:
        text, photo = message.caption or message.text or "", message.photo_url
    elif update.event_name == STICKER:
        text, photo = "", None
    else:
        return None
    if message.is_group:
        text = strip_mention(text, bot_names)
    return Incoming(channel=Channel.ZALO, chat_id=message.chat_id, user_id=message.user_id, text=text,
                    photo=photo, message_id=message.message_id or None, display_name=message.display_name,
                    is_group=message.is_group)


def unsupported_reply() -> Reply:
    return Reply(_("Xin lỗi, Gần Dân chưa đọc được loại tin nhắn này. Bạn hãy gõ nội dung bằng chữ nhé."))


def to_sends(reply: Reply) -> list[Send]:
    """One reply as Zalo calls, in order: choices as numbered lines, each piece ≤ 2,000 characters."""
    text = render_numbered(reply)
    pieces = [piece for piece in split_text(text, MAX_TEXT) if piece.strip()]
    if reply.photo is None:
        return [Send(text=piece) for piece in pieces]
    if not isinstance(reply.photo, str):
        log.warning("zalo sends photos by URL only; a photo given as bytes was left out")
        return [Send(text=piece) for piece in pieces]
    caption, rest = (pieces[0], pieces[1:]) if pieces else ("", [])
    return [Send(text=caption, photo=reply.photo), *(Send(text=piece) for piece in rest)]
