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
MESSAGE = "message."  # every message event starts so; the ones not above (voice, files…) are unsupported


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
    from_bot: bool = False  # the sender is a bot (possibly this one): never answered

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
        date=_int(raw.get("date")), text=_optional(raw.get("text")), photo_url=_photo(raw),
        caption=_optional(raw.get("caption")), sticker=_optional(raw.get("sticker")),
        from_bot=sender.get("is_bot") is True)
    event = str(payload.get("event_name") or "")
    if not event and message.text is not None:  # an older or hand-made update: text is text
        event = TEXT
    return ZaloUpdate(event, message)


def _photo(raw: dict[str, Any]) -> str | None:
    """The photo's URL from `photo` (the documented field: a URL, or an object or list holding one)
    or `photo_url`; None when neither gives an http(s) address."""
    for value in (raw.get("photo"), raw.get("photo_url")):
        if isinstance(value, list):
            value = value[-1] if value else None  # the largest size comes last
        if isinstance(value, dict):
            value = value.get("url") or value.get("photo_url") or value.get("src")
        url = _optional(value)
        if url and url.startswith(("https://", "http://")):
            return url
    return None


def strip_mention(text: str, bot_names: tuple[str, ...] = ()) -> str:
    """"@Gần Dân Phúc Sơn 1" → "1": in groups Zalo only delivers messages that mention the bot,
    by a name of one word or several."""
    stripped = text.lstrip()
    if not stripped.startswith("@"):
        return text
    for name in sorted(bot_names, key=len, reverse=True):
        if name and stripped[1:1 + len(name)].casefold() == name.casefold():
            rest = stripped[1 + len(name):]
            if not rest or not (rest[0].isalnum() or rest[0] == "_"):  # "@GanDan2" is someone else
                return rest.lstrip()
    command = stripped.find(" /")
    if command > 0:
        return stripped[command + 1:]
    _mention, _space, rest = stripped.partition(" ")
    return rest.lstrip()


def mentioned_name(text: str) -> str | None:
    """The name in "@Gần Dân Phúc Sơn /ganket": what people call the bot, learnt from a command."""
    stripped = text.lstrip()
    command = stripped.find(" /")
    if not stripped.startswith("@") or command <= 1:
        return None
    return stripped[1:command].strip()[:120] or None


def to_incoming(update: ZaloUpdate, bot_names: tuple[str, ...] = ()) -> Incoming | None:
    """What the engine should see; None for content it cannot read (`unreadable` says why)."""
    message = update.message
    if update.event_name == TEXT:
        text, photo = message.text or "", None
    elif update.event_name == IMAGE and message.photo_url:
        text, photo = message.caption or message.text or "", message.photo_url
    else:
        return None
    if message.is_group:
        text = strip_mention(text, bot_names)
    return Incoming(channel=Channel.ZALO, chat_id=message.chat_id, user_id=message.user_id, text=text,
                    photo=photo, message_id=message.message_id or None, display_name=message.display_name,
                    is_group=message.is_group)


def unreadable(update: ZaloUpdate) -> Reply | None:
    """The polite line for a message the bot cannot read (a photo without a URL, a sticker, a voice
    message, content Zalo withholds); None for events that are not messages at all."""
    if update.event_name == IMAGE:
        return Reply(_("Gần Dân không đọc được ảnh này. Bạn hãy gửi lại ảnh, hoặc gõ nội dung bằng chữ."))
    if update.event_name.startswith(MESSAGE):
        return unsupported_reply()
    return None


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
