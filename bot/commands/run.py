"""`gandan run`: migrate, then start every channel that has a token.

Without any token the bot runs in the terminal: on an empty database it first builds the demo
commune, so README command 1 on a fresh machine lands the newcomer in a chat straight away.
With TELEGRAM_BOT_TOKEN and/or ZALO_BOT_TOKEN it runs each channel by long polling, or by
webhook when its *_WEBHOOK_URL is set, with one web server on WEB_LISTEN for both webhooks and
/healthz, until SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import socket
from collections.abc import Awaitable, Callable
from functools import partial

from bot.app import App, open_app
from bot.channels.protocol import OutboxChannel
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.zalo import ZaloChannel, ZaloClient
from bot.commands.chat import chat_as
from bot.commands.demo import print_demo
from bot.outbox.files import Files
from bot.outbox.sender import Deliverer, OutboxSender
from bot.web import TELEGRAM_PATH, TELEGRAM_SECRET_HEADER, ZALO_PATH, ZALO_SECRET_HEADER, Webhook, build_app, serve
from core.i18n import _
from core.settings import Settings
from handlers.engine.checks import check_flows
from handlers.engine.conversation import Env
from handlers.engine.gateway import Gateway
from handlers.registry import FLOWS
from models.base import utcnow
from models.demo import build_demo, find_demo
from models.enums import Channel as Platform
from models.units import tree
from scheduler.app import build_scheduler

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("run", help=_("chạy bot"),
                            description=_("Nâng cấp cơ sở dữ liệu rồi chạy bot trên các kênh đã cấu hình; "
                                          "chưa có mã bot Telegram/Zalo thì trò chuyện ngay trên cửa sổ lệnh."))
    parser.set_defaults(func=run_command)


async def run_command(args: argparse.Namespace, settings: Settings) -> int:
    check_flows(FLOWS)  # a flow leading to a missing step stops here, not in someone's chat
    async with open_app(settings) as app:
        async with app.sessions() as session:
            communes = await tree.communes(session)
            if settings.telegram_bot_token or settings.zalo_bot_token:
                demo = None
            elif not communes:
                demo = await build_demo(session, now=utcnow())
                await session.commit()
                print_demo(demo)
                print(_("Để dùng xã của bạn: gandan setup commune <mã hoặc tên>, rồi gandan import roster/households."))
            else:
                demo = await find_demo(session)
        if settings.telegram_bot_token or settings.zalo_bot_token:
            print(_("Cơ sở dữ liệu đã sẵn sàng ({count} xã/phường).").format(count=len(communes)))
            return await serve_until_signal(app)
        print(_("Chưa cấu hình TELEGRAM_BOT_TOKEN hay ZALO_BOT_TOKEN: chạy bot trên cửa sổ lệnh."))
        if demo is None or demo.member_id is None:
            print(_("Chọn người để trò chuyện: gandan chat --as <số điện thoại hoặc tên>."))
            return 0
        return await chat_as(app, demo.member_id)


async def serve_until_signal(app: App) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows, or not the main thread
            loop.add_signal_handler(sig, stop.set)
    try:
        return await serve_channels(app, stop)
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(sig)


async def serve_channels(app: App, stop: asyncio.Event) -> int:
    """Every channel with a token — Telegram and Zalo, each by webhook or polling — until `stop`."""
    settings = app.settings
    gateway = Gateway(app.sessions, Env(tz=settings.tz, default_locale=settings.default_locale))
    status: dict[str, str] = {}
    hooks: list[Webhook] = []
    runners: list[Callable[[], Awaitable[int]]] = []
    channels: list[OutboxChannel] = []
    # Charts, spreadsheets and photos for the outbox; Zalo fetches them from our web server by link.
    files = Files(app.sessions, public_url=settings.public_url, default_locale=settings.default_locale)
    async with contextlib.AsyncExitStack() as stack:
        scheduler = build_scheduler(app.sessions, settings)  # reminders and nudges into the outbox
        scheduler.start()
        stack.callback(scheduler.shutdown, wait=False)
        if settings.telegram_bot_token:
            try:
                telegram = await TelegramChannel.connect(settings, gateway)
            except Exception as error:
                log.error("telegram: cannot start (getMe failed: %s)", type(error).__name__)
                return 1
            stack.push_async_callback(telegram.close)
            channels.append(telegram)
            await telegram.set_commands()
            if settings.telegram_webhook_url and settings.telegram_webhook_secret:
                hooks.append(Webhook(TELEGRAM_PATH, TELEGRAM_SECRET_HEADER, settings.telegram_webhook_secret,
                                     telegram.accept))
                runners.append(partial(_webhook, telegram, settings.telegram_webhook_url,
                                       settings.telegram_webhook_secret, status, stop))
            else:
                runners.append(partial(_polling, telegram, status, stop))
        if settings.zalo_bot_token:
            client = await stack.enter_async_context(ZaloClient(settings.zalo_bot_token, settings.zalo_api_base_url))
            zalo = ZaloChannel(client, gateway, webhook_secret=settings.zalo_webhook_secret,
                               bot_names=(settings.zalo_bot_name,) if settings.zalo_bot_name else ())
            try:
                await zalo.connect()
            except Exception as error:
                log.error("zalo: cannot start (getMe failed: %s)", type(error).__name__)
                return 1
            stack.push_async_callback(zalo.close)
            channels.append(zalo)
            if settings.zalo_webhook_url and settings.zalo_webhook_secret:
                hooks.append(Webhook(ZALO_PATH, ZALO_SECRET_HEADER, settings.zalo_webhook_secret, zalo.accept))
            runners.append(partial(_zalo, zalo, settings.zalo_webhook_url, settings.zalo_webhook_secret,
                                   status, stop))
        # Each channel hands the outbox its own deliverer (Telegram's also lets Zalo fetch its photos).
        deliverers: dict[Platform, Deliverer] = {channel.platform: channel.deliverer(files) for channel in channels}
        if deliverers:
            sender = OutboxSender(app.sessions, deliverers, worker_id=f"{socket.gethostname()}:{os.getpid()}")
            runners.append(partial(_outbox, sender, stop))
        host, port = settings.web_address
        try:
            await stack.enter_async_context(serve(build_app(app.engine, status, hooks, files), host, port))
        except OSError as error:
            if hooks or settings.public_url:
                log.error("web server cannot listen on %s: %s", settings.web_listen, error.strerror)
                return 1
            log.warning("web server not started on %s (%s): no /healthz", settings.web_listen, error.strerror)
        results = await asyncio.gather(*(run() for run in runners))
        return max(results, default=0)


async def _outbox(sender: OutboxSender, stop: asyncio.Event) -> int:
    """Reminders, nudges and forwards queued by the flows and jobs, until `stop`."""
    await sender.run(stop)
    return 0


async def _webhook(telegram: TelegramChannel, url: str, secret: str, status: dict[str, str],
                   stop: asyncio.Event) -> int:
    try:
        await telegram.set_webhook(url, secret)
    except Exception as error:
        status["telegram"] = f"error: setWebhook failed ({type(error).__name__})"
        log.error("telegram: setWebhook failed: %s", type(error).__name__)
        stop.set()
        return 1
    status["telegram"] = "webhook"
    log.info("telegram: webhook mode")
    await stop.wait()
    return 0


async def _polling(telegram: TelegramChannel, status: dict[str, str], stop: asyncio.Event) -> int:
    poller = asyncio.create_task(telegram.poll())
    status["telegram"] = "polling"
    stopper = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({poller, stopper}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopper.cancel()
        if not poller.done():
            if not await telegram.stop_polling():
                poller.cancel()  # still deleting the webhook: nothing to shut down gracefully
            with contextlib.suppress(asyncio.CancelledError):
                await poller
    if not stop.is_set():
        error = poller.exception()
        status["telegram"] = f"error: polling stopped ({type(error).__name__ if error else 'ended'})"
        log.error("telegram: polling stopped: %s", type(error).__name__ if error else "ended")
        stop.set()  # one channel failing stops the process, so a supervisor restarts it whole
        return 1
    return 0


async def _zalo(zalo: ZaloChannel, url: str | None, secret: str | None, status: dict[str, str],
                stop: asyncio.Event) -> int:
    """Zalo by webhook when ZALO_WEBHOOK_URL is set (registered here), else by getUpdates."""
    try:
        if url and secret:
            await zalo.client.set_webhook(url, secret)
        else:
            await zalo.client.delete_webhook()  # getUpdates answers nothing while a webhook is set
    except Exception as error:
        status["zalo"] = f"error: {'setWebhook' if url else 'deleteWebhook'} failed ({type(error).__name__})"
        log.error("zalo: %s", status["zalo"])
        stop.set()
        return 1
    status["zalo"] = "webhook" if url else "polling"
    log.info("zalo: %s mode", status["zalo"])
    if url:
        await stop.wait()
    else:
        await zalo.poll(stop)
    return 0
