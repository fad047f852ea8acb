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
import hashlib
import logging
import os
import secrets
import signal
import socket
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from aiogram.methods import DeleteWebhook

from bot.app import App, open_app
from bot.channels.protocol import OutboxChannel
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.zalo import ZaloChannel, ZaloClient
from bot.commands.chat import chat_as
from bot.commands.roster.demo import print_demo
from bot.outbox.files import Files
from bot.outbox.sender import OutboxSender
from bot.web import (
    TELEGRAM_PATH,
    TELEGRAM_SECRET_HEADER,
    ZALO_PATH,
    ZALO_SECRET_HEADER,
    ChannelDown,
    Webhook,
    build_app,
    serve,
)
from bot.web.console import Console
from core.i18n import _
from core.settings import Settings
from handlers.engine.checks import check_flows
from handlers.engine.conversation import Env
from handlers.engine.gateway import Gateway
from handlers.registry import FLOWS
from models.base import utcnow
from models.demo import build_demo, find_demo
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


# Start-up retries when a platform cannot be reached: 1 s, 2 s, 4 s … at most a minute apart.
FIRST_RETRY = 1.0
MAX_RETRY = 60.0


async def serve_channels(app: App, stop: asyncio.Event, *, first_retry: float = FIRST_RETRY,
                         max_retry: float = MAX_RETRY) -> int:
    """Every channel with a token — Telegram and Zalo, each by webhook or polling — until `stop`.

    A platform that cannot be reached at start is retried in the background with back-off; the
    other channel, the outbox and the scheduler go on, and `/healthz` shows it as down meanwhile.
    """
    settings = app.settings
    host, port = settings.web_address
    console = web_console(app)
    gateway = Gateway(app.sessions, Env(tz=settings.tz, default_locale=settings.default_locale,
                                        web_url=Console.base_url(settings.public_url, host, port)))
    status: dict[str, str] = {}
    hooks: list[Webhook] = []
    runners: list[Callable[[], Awaitable[int]]] = []
    up: dict[str, OutboxChannel] = {}  # the channels started so far, by name
    closers: list[Callable[[], Awaitable[None]]] = []
    # Charts, spreadsheets and photos for the outbox; Zalo fetches them from our web server by link.
    files = Files(app.sessions, public_url=settings.public_url, default_locale=settings.default_locale)
    # Each channel hands the outbox its own deliverer once up (Telegram's also lets Zalo fetch its photos).
    sender = OutboxSender(app.sessions, {}, worker_id=f"{socket.gethostname()}:{os.getpid()}")

    def started(name: str, channel: OutboxChannel, close: Callable[[], Awaitable[None]]) -> None:
        up[name] = channel
        closers.append(close)
        sender.add(channel.platform, channel.deliverer(files))

    def accept(name: str, method: str) -> Callable[[dict[str, Any]], Awaitable[None]]:
        async def hook(payload: dict[str, Any]) -> None:
            channel = up.get(name)
            if channel is None:
                raise ChannelDown(name)
            await getattr(channel, method)(payload)
        return hook

    async def close_all() -> None:
        for close in reversed(closers):
            await close()

    async with contextlib.AsyncExitStack() as stack:
        scheduler = build_scheduler(app.sessions, settings)  # reminders and nudges into the outbox
        scheduler.start()
        stack.callback(scheduler.shutdown, wait=False)
        stack.push_async_callback(close_all)  # after the web server stopped taking webhooks
        retry = partial(_until_up, stop=stop, status=status, first=first_retry, most=max_retry)
        if settings.telegram_bot_token:
            webhook = settings.telegram_webhook_url and settings.telegram_webhook_secret
            if webhook:
                hooks.append(Webhook(TELEGRAM_PATH, TELEGRAM_SECRET_HEADER, settings.telegram_webhook_secret,
                                     accept("telegram", "accept")))
            runners.append(partial(_telegram, settings, gateway, retry, started, status, stop))
        if settings.zalo_bot_token:
            client = await stack.enter_async_context(ZaloClient(settings.zalo_bot_token, settings.zalo_api_base_url))
            zalo = ZaloChannel(client, gateway, webhook_secret=settings.zalo_webhook_secret,
                               bot_names=(settings.zalo_bot_name,) if settings.zalo_bot_name else ())
            if settings.zalo_webhook_url and settings.zalo_webhook_secret:
                hooks.append(Webhook(ZALO_PATH, ZALO_SECRET_HEADER, settings.zalo_webhook_secret,
                                     accept("zalo", "accept")))
            runners.append(partial(_zalo, zalo, settings.zalo_webhook_url, settings.zalo_webhook_secret,
                                   retry, started, status, stop))
        runners.append(partial(_outbox, sender, stop))
        try:
            await stack.enter_async_context(serve(build_app(app.engine, status, hooks, files, console), host, port))
        except OSError as error:
            if hooks or settings.public_url:
                log.error("web server cannot listen on %s: %s", settings.web_listen, error.strerror)
                return 1
            log.warning("web server not started on %s (%s): no /healthz", settings.web_listen, error.strerror)
        results = await asyncio.gather(*(run() for run in runners))
        return max(results, default=0)


def web_console(app: App) -> Console:
    """The console's settings: HTTPS-only cookies behind an https PUBLIC_URL, signed with WEB_SECRET."""
    settings = app.settings
    key = hashlib.sha256(settings.web_secret.encode()).digest() if settings.web_secret else secrets.token_bytes(32)
    return Console(app.sessions, settings.tz, settings.default_locale,
                   secure=(settings.public_url or "").startswith("https://"), key=key)


async def _until_up(name: str, what: str, attempt: Callable[[], Awaitable[Any]], *, stop: asyncio.Event,
                    status: dict[str, str], first: float, most: float) -> bool:
    """`attempt` retried with back-off until it succeeds (True) or `stop` (False); `/healthz` shows the wait."""
    delay = first
    while not stop.is_set():
        try:
            await attempt()
            return True
        except Exception as error:
            status[name] = f"down: {what} failed ({type(error).__name__}), retrying in {delay:g}s"
            log.error("%s: %s", name, status[name])
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), delay)
        delay = min(most, delay * 2)
    return False


Started = Callable[[str, OutboxChannel, Callable[[], Awaitable[None]]], None]
Retry = Callable[[str, str, Callable[[], Awaitable[Any]]], Awaitable[bool]]


async def _telegram(settings: Settings, gateway: Gateway, retry: Retry, started: Started,
                    status: dict[str, str], stop: asyncio.Event) -> int:
    """Connects (getMe), sets the menu and the webhook or polling mode, retrying while Telegram is away."""
    status["telegram"] = "starting"
    channel: list[TelegramChannel] = []

    async def connect() -> None:
        channel.append(await TelegramChannel.connect(settings, gateway))

    if not await retry("telegram", "getMe", connect):
        return 0
    telegram = channel[0]
    await telegram.set_commands()  # a failure is logged: the bot works without its menu
    url, secret = settings.telegram_webhook_url, settings.telegram_webhook_secret
    if url and secret:
        if not await retry("telegram", "setWebhook", partial(telegram.set_webhook, url, secret)):
            await telegram.close()
            return 0
        started("telegram", telegram, telegram.close)
        return await _webhook(status, stop)
    delete = partial(telegram.sender.call, DeleteWebhook(drop_pending_updates=False))
    if not await retry("telegram", "deleteWebhook", delete):
        await telegram.close()
        return 0
    started("telegram", telegram, telegram.close)
    return await _polling(telegram, status, stop)


async def _outbox(sender: OutboxSender, stop: asyncio.Event) -> int:
    """Reminders, nudges and forwards queued by the flows and jobs, until `stop`."""
    await sender.run(stop)
    return 0


async def _webhook(status: dict[str, str], stop: asyncio.Event) -> int:
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


async def _zalo(zalo: ZaloChannel, url: str | None, secret: str | None, retry: Retry, started: Started,
                status: dict[str, str], stop: asyncio.Event) -> int:
    """Zalo by webhook when ZALO_WEBHOOK_URL is set (registered here), else by getUpdates."""
    status["zalo"] = "starting"
    if not await retry("zalo", "getMe", zalo.connect):
        return 0
    if url and secret:
        ready = await retry("zalo", "setWebhook", partial(zalo.client.set_webhook, url, secret))
    else:  # getUpdates answers nothing while a webhook is set
        ready = await retry("zalo", "deleteWebhook", zalo.client.delete_webhook)
    if not ready:
        return 0
    started("zalo", zalo, zalo.close)
    status["zalo"] = "webhook" if url else "polling"
    log.info("zalo: %s mode", status["zalo"])
    if url:
        await stop.wait()
    else:
        await zalo.poll(stop)
    return 0
