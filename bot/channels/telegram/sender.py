"""Every Bot API call the channel makes, through `with_retries`: 429 waited out, 5xx and network
errors retried, 403 raised as Unreachable for the runtime; a reply drawn as Telegram shows it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiogram import Bot
from aiogram.enums import ChatAction
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    SendChatAction,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup

from bot.channels.runtime import RetryAfter, RetryPolicy, Transient, Unreachable, with_retries
from bot.channels.telegram.convert import CAPTION_LIMIT, TEXT_LIMIT, keyboard
from handlers.engine.types import Reply, split_text

log = logging.getLogger(__name__)
T = TypeVar("T")


class TelegramSender:
    """Calls one Telegram bot; its errors leave here as the runtime's RetryAfter, Transient, Unreachable."""

    def __init__(self, bot: Bot, *, policy: RetryPolicy = RetryPolicy(),
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.bot = bot
        self.policy = policy
        self.sleep = sleep

    async def call(self, method: TelegramMethod[T]) -> T:
        """One Bot API call with retries; raises RetryAfter, Transient, Unreachable or TelegramAPIError."""

        async def once() -> T:
            try:
                return await self.bot(method)
            except TelegramRetryAfter as error:
                raise RetryAfter(float(error.retry_after)) from error
            except TelegramEntityTooLarge:
                raise
            except (TelegramServerError, TelegramNetworkError) as error:
                raise Transient(f"{type(error).__name__}: {error.message}") from error
            except TelegramForbiddenError as error:
                raise Unreachable(error.message) from error

        return await with_retries(once, self.policy, self.sleep)

    async def typing(self, chat_id: str) -> None:
        """"typing…" in the chat, once, without retries: a courtesy before a slow reply."""
        await self.bot(SendChatAction(chat_id=chat_id, action=ChatAction.TYPING))

    async def send(self, chat_id: str, reply: Reply) -> None:
        """One reply: buttons on the last piece, a photo with its caption when the text fits."""
        markup = keyboard(reply)
        text = reply.text if reply.text.strip() else ("…" if markup else "")
        if reply.photo is not None:
            photo = BufferedInputFile(reply.photo, "photo.jpg") if isinstance(reply.photo, bytes) else reply.photo
            fits = len(text) <= CAPTION_LIMIT
            await self.call(SendPhoto(chat_id=chat_id, photo=photo, caption=text if fits and text else None,
                                      reply_markup=markup if fits else None))
            if fits:
                return
        if not text:
            return
        pieces = split_text(text, TEXT_LIMIT)
        for number, piece in enumerate(pieces, 1):
            await self.call(SendMessage(chat_id=chat_id, text=piece,
                                        reply_markup=markup if number == len(pieces) else None))

    async def answer_callback(self, callback_id: str) -> None:
        """Stops the client's spinner; a query that is too old to answer is no loss."""
        await self._best_effort(AnswerCallbackQuery(callback_query_id=callback_id), "answerCallbackQuery")

    async def close_keyboard(self, chat_id: str, message_id: int) -> None:
        """Removes the buttons of a pressed message so they cannot be pressed twice."""
        await self._best_effort(EditMessageReplyMarkup(chat_id=chat_id, message_id=message_id,
                                                       reply_markup=InlineKeyboardMarkup(inline_keyboard=[])),
                                "editMessageReplyMarkup")

    async def _best_effort(self, method: TelegramMethod[Any], name: str) -> None:
        try:
            await self.call(method)
        except TelegramBadRequest as error:  # "message is not modified", "query is too old", …
            log.debug("telegram: %s refused: %s", name, error.message)
        except (RetryAfter, Transient, Unreachable) as error:
            log.info("telegram: %s failed: %s", name, error)
