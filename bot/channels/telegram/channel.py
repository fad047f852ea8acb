"""The Telegram channel: aiogram as transport only — each update becomes one `Incoming`, is
answered by the engine through the shared runtime (one turn per chat, a bound on updates in
flight, retries, the unreachable policy), and the replies are sent back.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.methods import DeleteWebhook, GetMe, SetWebhook
from aiogram.types import CallbackQuery, Message, Update

from bot.channels.runtime import CONCURRENCY, RetryPolicy, Runtime
from bot.channels.telegram.commands import set_commands_methods
from bot.channels.telegram.convert import addressed_to, from_callback, from_message, is_group
from bot.channels.telegram.deliver import TelegramDeliverer, telegram_download
from bot.channels.telegram.sender import TelegramSender
from bot.outbox.files import Files
from core.settings import Settings
from handlers.engine.gateway import Gateway
from handlers.engine.types import Incoming, Reply
from models.enums import Channel

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query"]


def make_bot(token: str, api_base_url: str) -> Bot:
    """A Bot talking to `api_base_url` (api.telegram.org, a self-hosted server or a test fake)."""
    return Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(api_base_url)))


class TelegramChannel:
    """One bot, by long polling or webhook; buttons as inline keyboards (`convert`)."""

    platform = Channel.TELEGRAM

    def __init__(self, bot: Bot, gateway: Gateway, username: str, *,
                 policy: RetryPolicy = RetryPolicy(), concurrency: int = CONCURRENCY) -> None:
        self.bot = bot
        self.username = username
        self.runtime = Runtime(gateway, "telegram", policy=policy, concurrency=concurrency)
        self.sender = TelegramSender(bot, policy=policy, sleep=self.runtime.sleep)
        self.router = Router(name="gandan-telegram")
        self.router.message.register(self.on_message)
        self.router.callback_query.register(self.on_callback)
        self.dispatcher = Dispatcher()
        self.dispatcher.include_router(self.router)

    @classmethod
    async def connect(cls, settings: Settings, gateway: Gateway, **kwargs: Any) -> TelegramChannel:
        """Builds the bot from settings and learns its username (getMe) to recognise `/cmd@us`."""
        assert settings.telegram_bot_token, "no TELEGRAM_BOT_TOKEN"
        bot = make_bot(settings.telegram_bot_token, settings.telegram_api_base_url)
        try:
            me = await TelegramSender(bot).call(GetMe())
        except BaseException:
            await bot.session.close()
            raise
        return cls(bot, gateway, me.username or settings.telegram_bot_username or "", **kwargs)

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
        async with self.runtime.turn(incoming.chat_id):
            # The spinner is stopped and the keyboard closed while the engine works (the round
            # trips overlap the database's); both are done before the reply goes out.
            acknowledged = asyncio.ensure_future(self._acknowledge(callback, incoming.chat_id))
            try:
                replies = await self.runtime.reply(incoming, self.sender.typing) if callback.data else []
            finally:
                await acknowledged
            await self.send(incoming, replies)

    async def _acknowledge(self, callback: CallbackQuery, chat_id: str) -> None:
        await self.sender.answer_callback(callback.id)
        if isinstance(callback.message, Message):
            await self.sender.close_keyboard(chat_id, callback.message.message_id)

    async def _handle(self, incoming: Incoming) -> None:
        async with self.runtime.turn(incoming.chat_id):
            await self.send(incoming, await self.runtime.reply(incoming, self.sender.typing))

    async def send(self, incoming: Incoming, replies: list[Reply]) -> None:
        """In order; stops at the first reply that cannot be delivered (see `Runtime.send`)."""
        await self.runtime.send(incoming, replies, self.sender.send)

    def deliverer(self, files: Files) -> TelegramDeliverer:
        """The outbox's way to this bot; Telegram photos reach Zalo through `files` from now on."""
        files.telegram_download = telegram_download(self.bot)
        return TelegramDeliverer(self.bot, files)

    # -- long polling ----------------------------------------------------------------------

    async def poll(self, *, polling_timeout: int = 25) -> None:
        """Long polling until `stop()`; aiogram handles at most the runtime's `concurrency` at once."""
        await self.sender.call(DeleteWebhook(drop_pending_updates=False))
        await self.dispatcher.start_polling(
            self.bot, polling_timeout=polling_timeout, handle_as_tasks=True,
            tasks_concurrency_limit=self.runtime.concurrency, allowed_updates=ALLOWED_UPDATES,
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
        """A webhook update: validated now, handled in the background (waits only when the
        runtime's `concurrency` are in flight)."""
        update = Update.model_validate(payload, context={"bot": self.bot})
        await self.runtime.spawn(self.dispatcher.feed_update(self.bot, update), f"update {update.update_id}")

    async def close(self, timeout: float = 10.0) -> None:
        """Lets webhook updates in flight finish (up to `timeout`), then closes the HTTP session."""
        await self.runtime.drain(timeout)
        await self.bot.session.close()

