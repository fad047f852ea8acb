"""The reference: a bare aiogram 3 echo bot, long polling with the same concurrency limit as
Gần Dân (64 updates in flight) — the framework's own limit on this machine."""

from __future__ import annotations

import asyncio
import os

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message


async def echo(message: Message) -> None:
    await message.answer(message.text or "…")


async def serve() -> None:
    bot = Bot(os.environ["TELEGRAM_BOT_TOKEN"],
              session=AiohttpSession(api=TelegramAPIServer.from_base(os.environ["TELEGRAM_API_BASE_URL"])))
    dispatcher = Dispatcher()
    dispatcher.message.register(echo)
    await dispatcher.start_polling(bot, polling_timeout=25, handle_as_tasks=True, tasks_concurrency_limit=64,
                                   allowed_updates=["message", "callback_query"])


if __name__ == "__main__":
    asyncio.run(serve())
