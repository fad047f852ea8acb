"""The Telegram outbox deliverer: a stored message turned back into a Reply and sent by the
channel's own code, one try per call (the sender decides when to try again), speaking the
runtime's vocabulary: RetryAfter, Transient, Unreachable — and Rejected for a refusal that no
retry will fix.

Stored files (`photo_attachment`, `document_attachment`) come from `bot.outbox.files.Files` and
are uploaded: the photo with the text as its caption when it fits, the document after the text.
A Zalo photo URL goes to Telegram as it is.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from functools import partial
from typing import Any

import aiohttp
from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import SendDocument, SendMessage, SendPhoto, TelegramMethod
from aiogram.types import BufferedInputFile, InputFile, Message

from bot.channels.runtime import RetryPolicy, Transient
from bot.channels.telegram.convert import CAPTION_LIMIT, TEXT_LIMIT, keyboard
from bot.channels.telegram.sender import TelegramSender
from bot.outbox.files import Download, File, FileGone, Files
from bot.outbox.payload import photo_channel, stored_file, to_reply
from bot.outbox.sender import Rejected
from handlers.engine.types import split_text
from models.enums import Channel

log = logging.getLogger(__name__)

ONE_TRY = RetryPolicy(attempts=1)
DOWNLOAD_TIMEOUT = 60  # seconds for one Telegram file
UPLOADS_REMEMBERED = 1000  # file ids of uploaded attachments, so a digest to many chats uploads once


class TelegramDeliverer:
    """As `TelegramSender` sends a reply: buttons on the last piece, a photo with its caption, then
    a document. A stored file is uploaded once; later recipients get Telegram's file id for it."""

    def __init__(self, bot: Bot, files: Files | None = None) -> None:
        self.sender = TelegramSender(bot, policy=ONE_TRY)
        self.files = files
        self.uploaded: dict[int, str] = {}  # attachment id -> Telegram's file id, newest last
        self.uploading = asyncio.Lock()

    async def deliver(self, chat_id: str, body: dict[str, Any]) -> str | None:
        reply = to_reply(body)
        markup = keyboard(reply)
        text = reply.text if reply.text.strip() else ("…" if markup else "")
        stored = await self._file(body.get("photo_attachment"))
        reference = reply.photo if stored is None and isinstance(reply.photo, str) else None
        document = await self._file(body.get("document_attachment"))
        sent: Message | Any = None
        try:
            if stored is not None or reference is not None:
                fits = len(text) <= CAPTION_LIMIT
                photo = partial(SendPhoto, chat_id=chat_id, caption=text if fits and text else None,
                                reply_markup=markup if fits else None)
                try:
                    if stored is not None:
                        sent = await self._send_file(stored, lambda file: photo(photo=file))
                    else:
                        sent = await self.sender.call(photo(photo=reference))
                    if fits:
                        text = ""
                except TelegramBadRequest as error:
                    if stored is not None or photo_channel(body) in (None, Channel.TELEGRAM):
                        raise
                    # Telegram could not fetch the other app's photo (an expired link): the text goes alone.
                    log.warning("outbox: a Zalo photo was refused by Telegram (%s); text sent without it",
                                error.message)
            pieces = split_text(text, TEXT_LIMIT) if text else []
            for number, piece in enumerate(pieces, 1):
                sent = await self.sender.call(SendMessage(chat_id=chat_id, text=piece,
                                                          reply_markup=markup if number == len(pieces) else None))
            if document is not None:
                sent = await self._send_file(document, lambda file: SendDocument(chat_id=chat_id, document=file))
        except TelegramAPIError as error:  # a 400: our message is wrong, trying again will not help
            raise Rejected(f"{type(error).__name__}: {error.message}") from error
        if sent is None:
            raise Rejected("empty message")
        return _id(sent)

    async def _send_file(self, file: File, method: Callable[[InputFile | str], TelegramMethod[Message]]) -> Message:
        """By the file id Telegram gave the first upload when there is one, else uploaded."""
        known = self.uploaded.get(file.id)
        if known is not None:
            try:
                return await self.sender.call(method(known))
            except TelegramBadRequest:  # the file id no longer works: upload again
                self.uploaded.pop(file.id, None)
        async with self.uploading:  # chats served side by side wait for the first upload's file id
            known = self.uploaded.get(file.id)
            if known is not None:
                return await self.sender.call(method(known))
            sent = await self.sender.call(method(BufferedInputFile(file.data, file.filename)))
            self._remember(file, sent)
        return sent

    def _remember(self, file: File, sent: Message) -> None:
        file_id = _file_id(sent)
        if file_id is not None:
            self.uploaded[file.id] = file_id
            while len(self.uploaded) > UPLOADS_REMEMBERED:
                del self.uploaded[next(iter(self.uploaded))]

    async def _file(self, attachment_id: object) -> File | None:
        return await stored_file(self.files, attachment_id)


def _file_id(message: Message | Any) -> str | None:
    if not isinstance(message, Message):
        return None
    if message.photo:
        return message.photo[-1].file_id
    return message.document.file_id if message.document else None


def _id(message: Message | Any) -> str | None:
    return str(message.message_id) if isinstance(message, Message) else None


def telegram_download(bot: Bot) -> Download:
    """The bytes of a Telegram file (getFile, then the file URL, which holds the token: never logged)."""

    async def download(file_id: str) -> bytes:
        try:
            stream = await bot.download(file_id, timeout=DOWNLOAD_TIMEOUT)
        except (TelegramBadRequest, TelegramNotFound) as error:
            raise FileGone(f"{type(error).__name__}: {error.message}") from None
        except (TelegramRetryAfter, TelegramServerError, TelegramNetworkError) as error:
            raise Transient(f"telegram getFile: {type(error).__name__}") from None
        except aiohttp.ClientResponseError as error:
            if 400 <= error.status < 500:
                raise FileGone(f"telegram file: HTTP {error.status}") from None
            raise Transient(f"telegram file: HTTP {error.status}") from None
        except (aiohttp.ClientError, TimeoutError) as error:
            raise Transient(f"telegram file: {type(error).__name__}") from None
        if stream is None:
            raise FileGone("telegram file: nothing downloaded")
        return stream.read()

    return download
