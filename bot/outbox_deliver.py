"""Outbox deliverers: a stored message turned back into a Reply and sent by the channel's own code.

Each makes exactly one try per call (the sender decides when to try again) and speaks the
runtime's vocabulary: RetryAfter, Transient, Unreachable — and Rejected for a refusal that no
retry will fix.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.methods import SendMessage, SendPhoto
from aiogram.types import Message

from bot.channels.runtime import RetryPolicy
from bot.channels.telegram_convert import CAPTION_LIMIT, TEXT_LIMIT, keyboard
from bot.channels.telegram_sender import TelegramSender
from bot.channels.zalo.client import ZaloClient, ZaloError
from bot.channels.zalo.convert import to_sends
from bot.outbox import Rejected
from handlers.types import Option, Reply, split_text

ONE_TRY = RetryPolicy(attempts=1)


def to_reply(body: dict[str, Any]) -> Reply:
    """The stored payload (`models.outbox.payload`) as the neutral reply the channels send."""
    options = tuple(Option(str(key), str(label)) for key, label in body.get("options") or ())
    return Reply(str(body.get("text") or ""), options, photo=body.get("photo"), columns=int(body.get("columns") or 1))


class TelegramDeliverer:
    """As `TelegramSender` sends a reply: buttons on the last piece, a photo with its caption."""

    def __init__(self, bot: Bot) -> None:
        self.sender = TelegramSender(bot, None, policy=ONE_TRY)  # type: ignore[arg-type]  # no sessions needed

    async def deliver(self, chat_id: str, body: dict[str, Any]) -> str | None:
        reply = to_reply(body)
        markup = keyboard(reply)
        text = reply.text if reply.text.strip() else ("…" if markup else "")
        try:
            if reply.photo is not None:
                fits = len(text) <= CAPTION_LIMIT
                sent = await self.sender.call(SendPhoto(chat_id=chat_id, photo=reply.photo,
                                                        caption=text if fits and text else None,
                                                        reply_markup=markup if fits else None))
                if fits or not text:
                    return _id(sent)
            pieces = split_text(text, TEXT_LIMIT) if text else []
            if not pieces:
                raise Rejected("empty message")
            for number, piece in enumerate(pieces, 1):
                sent = await self.sender.call(SendMessage(chat_id=chat_id, text=piece,
                                                          reply_markup=markup if number == len(pieces) else None))
            return _id(sent)
        except TelegramAPIError as error:  # a 400: our message is wrong, trying again will not help
            raise Rejected(f"{type(error).__name__}: {error.message}") from error


def _id(message: Message | Any) -> str | None:
    return str(message.message_id) if isinstance(message, Message) else None


class ZaloDeliverer:
    """As `ZaloChannel.send` sends a reply: choices as numbered lines, long text in pieces."""

    def __init__(self, client: ZaloClient) -> None:
        self.client = client

    async def deliver(self, chat_id: str, body: dict[str, Any]) -> str | None:
        sends = to_sends(to_reply(body))
        if not sends:
            raise Rejected("empty message")
        message_id: str | None = None
        try:
            for item in sends:
                if item.photo is not None:
                    sent = await self.client.send_photo(chat_id, item.photo, item.text or None)
                else:
                    sent = await self.client.send_message(chat_id, item.text)
                message_id = sent.message_id or None
        except (ZaloError, ValueError) as error:
            raise Rejected(str(error)) from error
        return message_id
