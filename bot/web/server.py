"""The bot's own web server, behind the operator's HTTPS reverse proxy: one webhook route per
platform (each checks its secret header; 503 while its channel is still starting), `/healthz` for
monitoring (each channel's state: "polling", "webhook", "starting" or "down: …"), `/files/<token>` for the
stored files Zalo fetches by link (a chart, a spreadsheet): unknown or expired tokens get 404,
and nothing lists the files; and the staff console under `/web/` (`bot/web/console/`).

A channel adds its webhook as a `Webhook(path, header, secret, accept)`; `accept` receives the
decoded JSON and must return quickly (the work runs in the background).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from aiohttp import hdrs, web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.outbox.files import FILES_PATH, Files
from bot.web.disposition import content_disposition
from bot.web.console import Console, add_console

log = logging.getLogger(__name__)

TELEGRAM_PATH = "/telegram/webhook"
TELEGRAM_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ZALO_PATH = "/zalo/webhook"
ZALO_SECRET_HEADER = "X-Bot-Api-Secret-Token"
HEALTH_PATH = "/healthz"
DB_TIMEOUT = 3.0


@dataclass(frozen=True)
class Webhook:
    path: str
    header: str
    secret: str
    accept: Callable[[dict[str, Any]], Awaitable[None]]


class ChannelDown(Exception):
    """A webhook arrived for a channel still starting: the platform is asked to try again (503)."""


def secret_matches(given: str | None, expected: str) -> bool:
    """Constant-time, so the secret cannot be guessed byte by byte from response times."""
    return hmac.compare_digest((given or "").encode("utf-8"), expected.encode("utf-8"))


async def read_json(request: web.Request) -> Any:
    """The body decoded; ValueError for anything that is not JSON we can read, deep nesting included
    (json raises RecursionError there, which would otherwise end in a 500 and a traceback)."""
    try:
        return await request.json()
    except RecursionError as error:
        raise ValueError("JSON nested too deeply") from error


def webhook_handler(hook: Webhook) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handle(request: web.Request) -> web.Response:
        if not secret_matches(request.headers.get(hook.header), hook.secret):
            log.warning("webhook: bad secret from %s", request.remote)
            return web.Response(status=401, text="unauthorized")
        try:
            payload = await read_json(request)
        except ValueError:
            return web.Response(status=400, text="not json")
        if not isinstance(payload, dict):
            return web.Response(status=400, text="not an object")
        try:
            await hook.accept(payload)
        except ChannelDown:
            return web.Response(status=503, text="starting")
        except Exception as error:  # a malformed update: say so once, the platform stops retrying it
            log.warning("webhook %s: unusable update (%s)", hook.path, type(error).__name__)
            return web.Response(status=400, text="bad update")
        return web.json_response({"ok": True})

    return handle


async def database_ok(engine: AsyncEngine) -> bool:
    try:
        async with asyncio.timeout(DB_TIMEOUT):
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        return True
    except Exception as error:
        log.warning("healthz: database check failed: %s", type(error).__name__)
        return False


def health_handler(engine: AsyncEngine, channels: Mapping[str, str]) -> Callable[[web.Request],
                                                                                 Awaitable[web.Response]]:
    async def handle(request: web.Request) -> web.Response:
        ok = await database_ok(engine)
        body = {"database": "ok" if ok else "error", "channels": dict(channels)}
        return web.json_response(body, status=200 if ok else 503)

    return handle


def files_handler(files: Files) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handle(request: web.Request) -> web.Response:
        found = await files.by_token(request.match_info["token"])
        if found is None:
            return web.Response(status=404, text="not found")
        kind = "inline" if found.mime.startswith("image/") else "attachment"
        return web.Response(body=found.data, content_type=found.mime, headers={
            hdrs.CONTENT_DISPOSITION: content_disposition(kind, found.filename),
            hdrs.CACHE_CONTROL: "private, max-age=3600",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "X-Robots-Tag": "noindex",
        })

    return handle


def build_app(engine: AsyncEngine, channels: Mapping[str, str], webhooks: Iterable[Webhook] = (),
              files: Files | None = None, console: Console | None = None) -> web.Application:
    """`channels` is read at each health check, so a channel may update its status as it runs."""
    app = web.Application()
    if console is not None:
        add_console(app, console)
    app.router.add_get(HEALTH_PATH, health_handler(engine, channels))
    if files is not None:
        app.router.add_get(FILES_PATH + "/{token}", files_handler(files))
    for hook in webhooks:
        app.router.add_post(hook.path, webhook_handler(hook))
    return app


@asynccontextmanager
async def serve(app: web.Application, host: str, port: int) -> AsyncIterator[tuple[str, int]]:
    """Listens on host:port (0 = any free port) and yields the address actually bound."""
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=5.0)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound = runner.addresses[0]
        log.info("web server listening on %s:%s", bound[0], bound[1])
        yield bound[0], bound[1]
    finally:
        await runner.cleanup()
