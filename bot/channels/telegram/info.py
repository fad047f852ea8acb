"""The little the CLI needs from Telegram before the channel runs: the bot's username."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from core.settings import Settings

log = logging.getLogger(__name__)


async def bot_username(settings: Settings) -> str | None:
    """TELEGRAM_BOT_USERNAME, else asks getMe; None when neither is available."""
    if settings.telegram_bot_username:
        return settings.telegram_bot_username
    if not settings.telegram_bot_token:
        return None
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base_url))
    bot = Bot(settings.telegram_bot_token, session=session)
    try:
        me = await bot.get_me()
        return me.username
    except Exception as error:  # the invite is still valid without a link; say why, carry on
        log.warning("getMe failed, no deep link printed: %s", type(error).__name__)
        return None
    finally:
        await session.close()
