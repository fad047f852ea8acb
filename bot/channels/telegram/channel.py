"""The Telegram channel: aiogram as transport only — each update becomes one `Incoming`, goes
through `runtime.process` in its own database session, and the replies are sent back.

Updates of one chat are handled one at a time and in order (a button pressed twice is seen
after the first press has changed the conversation); at most 64 updates are in flight (more
only queue inside the process, cost memory and buy no throughput: the CPU is the limit).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.methods import DeleteWebhook, GetMe, SetWebhook
from aiogram.types import CallbackQuery, Message, Update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.runtime import CONCURRENCY, RetryPolicy, process
from bot.channels.telegram.commands import set_commands_methods
from bot.channels.telegram.convert import addressed_to, from_callback, from_message, is_group
from bot.channels.telegram.sender import TelegramSender
from core.settings import Settings
from handlers.engine.conversation import Env
from handlers.engine.types import Incoming

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query"]


class ChatLocks:
    """One lock per chat, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, chat_id: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(chat_id, (asyncio.Lock(), 0))
        self._locks[chat_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[chat_id]
            if users == 1:
                del self._locks[chat_id]
            else:
                self._locks[chat_id] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


def make_bot(token: str, api_base_url: str) -> Bot:
    """A Bot talking to `api_base_url` (api.telegram.org, a self-hosted server or a test fake)."""
    return Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(api_base_url)))


class TelegramChannel:
    def __init__(self, bot: Bot, sessions: async_sessionmaker[AsyncSession], env: Env, username: str, *,
                 policy: RetryPolicy = RetryPolicy(), concurrency: int = CONCURRENCY) -> None:
        self.bot = bot
        self.sessions = sessions
        self.env = env
        self.username = username
        self.sender = TelegramSender(bot, sessions, policy=policy)
        self.locks = ChatLocks()
        self.concurrency = concurrency
        self.slots = asyncio.Semaphore(concurrency)
        self.tasks: set[asyncio.Task[Any]] = set()
        self.router = Router(name="gandan-telegram")
        self.router.message.register(self.on_message)
        self.router.callback_query.register(self.on_callback)
        self.dispatcher = Dispatcher()
        self.dispatcher.include_router(self.router)

    @classmethod
    async def connect(cls, settings: Settings, sessions: async_sessionmaker[AsyncSession], env: Env,
                      **kwargs: Any) -> TelegramChannel:
        """Builds the bot from settings and learns its username (getMe) to recognise `/cmd@us`."""
        assert settings.telegram_bot_token, "no TELEGRAM_BOT_TOKEN"
        bot = make_bot(settings.telegram_bot_token, settings.telegram_api_base_url)
        try:
            me = await TelegramSender(bot, sessions).call(GetMe())
        except BaseException:
            await bot.session.close()
            raise
        return cls(bot, sessions, env, me.username or settings.telegram_bot_username or "", **kwargs)

    async def set_commands(self) -> None:
        """The command menu in both languages; a failure is logged, the bot works without it."""
        for method in set_commands_methods():
            try:
                await self.sender.call(method)
            except Exception as error:
                log.warning("telegram: setMyCommands(%s) failed: %s", method.language_code or "default",
                            type(error).__name__)

    # -- update handlers -------------------------------------------------------------------

    async def on_message(self, message: Message) -> None:
        if message.from_user is None or message.from_user.is_bot:
            return
        command = addressed_to(message.text or "", self.username)
        if is_group(message) and command is not True:
            return  # in groups only commands addressed to us; never chatter, never photos
        if command is False:
            return  # `/cmd@otherbot`
        await self._handle(from_message(message))

    async def on_callback(self, callback: CallbackQuery) -> None:
        incoming = from_callback(callback)
        async with self.locks.hold(incoming.chat_id):
            # The spinner is stopped and the keyboard closed while the engine works (the round
            # trips overlap the database's); both are done before the reply goes out.
            acknowledged = asyncio.ensure_future(self._acknowledge(callback, incoming.chat_id))
            try:
                replies = await process(self.sessions, self.env, incoming) if callback.data else []
            finally:
                await acknowledged
            await self.sender.send_replies(incoming, replies)

    async def _acknowledge(self, callback: CallbackQuery, chat_id: str) -> None:
        await self.sender.answer_callback(callback.id)
        if isinstance(callback.message, Message):
            await self.sender.close_keyboard(chat_id, callback.message.message_id)

    async def _handle(self, incoming: Incoming) -> None:
        async with self.locks.hold(incoming.chat_id):
            await self._reply(incoming)

    async def _reply(self, incoming: Incoming) -> None:
        replies = await process(self.sessions, self.env, incoming)
        await self.sender.send_replies(incoming, replies)

    # -- long polling ----------------------------------------------------------------------

    async def poll(self, *, polling_timeout: int = 25) -> None:
        """Long polling until `stop()`; at most `concurrency` updates are handled at once."""
        await self.sender.call(DeleteWebhook(drop_pending_updates=False))
        await self.dispatcher.start_polling(
            self.bot, polling_timeout=polling_timeout, handle_as_tasks=True,
            tasks_concurrency_limit=self.concurrency, allowed_updates=ALLOWED_UPDATES,
            handle_signals=False, close_bot_session=False)

    async def stop_polling(self) -> bool:
        """Stops long polling gracefully; False when it had not started."""
        try:
            await self.dispatcher.stop_polling()
        except RuntimeError:  # "Polling is not started"
            return False
        return True

    # -- webhook ---------------------------------------------------------------------------

    async def set_webhook(self, url: str, secret: str) -> None:
        await self.sender.call(SetWebhook(url=url, secret_token=secret, allowed_updates=ALLOWED_UPDATES,
                                          max_connections=40))

    async def accept(self, payload: dict[str, Any]) -> None:
        """A webhook update: validated now, handled in the background (waits only when 64 are in flight)."""
        update = Update.model_validate(payload, context={"bot": self.bot})
        await self.slots.acquire()
        task = asyncio.create_task(self._feed(update))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _feed(self, update: Update) -> None:
        try:
            await self.dispatcher.feed_update(self.bot, update)
        except Exception:
            log.exception("telegram: update %s failed", update.update_id)
        finally:
            self.slots.release()

    async def close(self, timeout: float = 10.0) -> None:
        """Lets webhook updates in flight finish (up to `timeout`), then closes the HTTP session."""
        if self.tasks:
            await asyncio.wait(set(self.tasks), timeout=timeout)
        await self.bot.session.close()

