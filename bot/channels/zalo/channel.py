"""The Zalo channel: updates in (webhook in production, long polling in development), replies out.

Both modes end in `handle_update`: one chat's messages are handled one at a time and in order,
redeliveries are no-ops (the engine remembers message ids), and every send goes through the
runtime's retries; a 403 marks the person unreachable.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from collections.abc import Awaitable, Callable, Coroutine
from functools import partial
from typing import Any, TypeVar

from aiohttp import web

from bot.channels.runtime import CONCURRENCY, RetryAfter, RetryPolicy, Runtime, Transient, Unreachable
from bot.channels.zalo.client import BotInfo, ZaloClient, ZaloError
from bot.channels.zalo.convert import (
    Send,
    mentioned_name,
    parse_update,
    strip_mention,
    to_incoming,
    to_sends,
    unreadable,
)
from bot.channels.zalo.deliver import ZaloDeliverer
from bot.outbox.files import Files
from bot.web import read_json
from handlers.engine.commands import parse_command
from handlers.engine.gateway import Gateway
from handlers.engine.types import Incoming, Reply
from handlers.groups.binding import BIND
from models.enums import Channel

log = logging.getLogger(__name__)
T = TypeVar("T")

SECRET_HEADER = "X-Bot-Api-Secret-Token"
MAX_BACKOFF = 60.0


class ZaloChannel:
    """Zalo by webhook or getUpdates; no buttons, so choices go as numbered lines (`convert`)."""

    platform = Channel.ZALO

    def __init__(self, client: ZaloClient, gateway: Gateway, *,
                 webhook_secret: str | None = None, bot_names: tuple[str, ...] = (),
                 policy: RetryPolicy = RetryPolicy(), sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 concurrency: int = CONCURRENCY, poll_timeout: int = 30, backoff: float = 1.0) -> None:
        self.client = client
        self.gateway = gateway
        self.webhook_secret = webhook_secret
        self.bot_names = bot_names
        self.bot_id: str | None = None
        self.poll_timeout = poll_timeout
        self.backoff = backoff
        self.runtime = Runtime(gateway, "zalo", policy=policy, sleep=sleep, concurrency=concurrency)

    async def connect(self) -> BotInfo:
        """Checks the token (getMe) and learns the bot's names, to strip "@<bot>" from group messages."""
        me = await self.client.get_me()
        self.bot_id = me.id
        self.bot_names = tuple(dict.fromkeys(n for n in (*self.bot_names, me.display_name, me.account_name) if n))
        if me.can_join_groups is False:
            log.warning("zalo: this bot cannot join Zalo groups (getMe can_join_groups=false); what would go to "
                        "a chi bộ or khối dân vận group on Zalo goes to the people who make it up, unless the "
                        "unit has a Telegram group")
        if me.can_join_groups is not None:
            await self.gateway.record_capability(Channel.ZALO, can_join_groups=me.can_join_groups)
        return me

    async def handle_update(self, payload: dict[str, Any]) -> None:
        """One update, wrapped or not, handled to the end: engine, commit, replies sent."""
        update = parse_update(payload)
        if update is None:
            log.info("zalo update without a message ignored")
            return
        message = update.message
        if message.from_bot or self.bot_id and message.user_id == self.bot_id:
            log.info("zalo %s from a bot ignored", update.event_name or "update")
            return
        if message.is_group:
            self._learn_name(message.text or message.caption or "")
        incoming = to_incoming(update, self.bot_names)
        notice = unreadable(update) if incoming is None else None
        if incoming is None and notice is None:
            log.info("zalo event %s ignored", update.event_name)
            return
        async with self.runtime.turn(message.chat_id):
            if incoming is not None:
                replies = await self.runtime.reply(incoming, self.client.send_chat_action)
            else:
                incoming = Incoming(channel=Channel.ZALO, chat_id=message.chat_id, user_id=message.user_id,
                                    message_id=message.message_id or None, display_name=message.display_name,
                                    is_group=message.is_group)
                replies = await self.gateway.ask_again(incoming, notice)
            await self.send(incoming, replies)

    def _learn_name(self, text: str) -> None:
        """"@Gần Dân Phúc Sơn /ganket": the name people give the bot, stripped from their later mentions."""
        name = mentioned_name(text)
        command = parse_command(strip_mention(text, (name,))) if name else None
        if name and command and command[0] in BIND and name.casefold() not in {n.casefold() for n in self.bot_names}:
            self.bot_names = (*self.bot_names, name)
            log.info("zalo: the bot is mentioned as %r", name)

    async def send(self, incoming: Incoming, replies: list[Reply]) -> None:
        """Replies in order; stops at the first piece that cannot be delivered (see `Runtime.send`)."""
        await self.runtime.send(incoming, replies, self._send_reply)

    def deliverer(self, files: Files) -> ZaloDeliverer:
        """The outbox's way to this bot."""
        return ZaloDeliverer(self.client, files)

    async def close(self) -> None:
        """At shutdown: webhook updates in flight finish (the client is closed by whoever opened it)."""
        await self.drain()

    async def webhook_handler(self, request: web.Request) -> web.Response:
        """Zalo's POST: secret checked in constant time, answered at once, processed in the background."""
        if not self._authorised(request.headers.get(SECRET_HEADER)):
            log.warning("zalo webhook: wrong or missing secret token from %s", request.remote)
            return web.json_response({"ok": False}, status=401)
        try:
            payload = await read_json(request)
        except ValueError:
            return web.json_response({"ok": False}, status=400)
        if not isinstance(payload, dict):
            return web.json_response({"ok": False}, status=400)
        await self.accept(payload)
        return web.json_response({"ok": True})

    async def accept(self, payload: dict[str, Any]) -> None:
        """Schedules an update and returns at once, unless the runtime's `concurrency` are in
        flight (for `bot.web.Webhook(accept=…)` too)."""
        await self.runtime.spawn(self.handle_update(payload), "update")

    async def poll(self, stop: asyncio.Event) -> None:
        """Development mode: getUpdates until `stop` is set; 408 is just an empty long poll."""
        failures = 0
        while not stop.is_set():
            try:
                payload = await _until(stop, self.client.get_updates(self.poll_timeout))
            except RetryAfter as error:
                delay = error.seconds
            except (Transient, Unreachable, ZaloError) as error:
                failures += 1
                delay = min(MAX_BACKOFF, self.backoff * 2 ** (failures - 1))
                log.warning("zalo getUpdates failed (%s; a webhook set? polling needs none); retry in %.0fs",
                            error, delay)
            else:
                failures = 0
                if payload:
                    await self.runtime.guarded(self.handle_update(payload), "update")
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)

    async def drain(self) -> None:
        """Waits for webhook updates still being processed (at shutdown, and in tests)."""
        await self.runtime.drain()

    def _authorised(self, header: str | None) -> bool:
        if not self.webhook_secret or header is None:
            return False
        return hmac.compare_digest(header.encode(), self.webhook_secret.encode())

    async def _send_reply(self, chat_id: str, reply: Reply) -> None:
        for item in to_sends(reply):
            await self.runtime.retry(partial(self._deliver, chat_id, item))

    async def _deliver(self, chat_id: str, item: Send) -> None:
        if item.photo is not None:
            await self.client.send_photo(chat_id, item.photo, item.text or None)
        else:
            await self.client.send_message(chat_id, item.text)

async def _until(stop: asyncio.Event, call: Coroutine[Any, Any, T]) -> T | None:
    """The call's result, or None as soon as `stop` is set (the call is then cancelled)."""
    task = asyncio.ensure_future(call)
    stopped = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopped}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    return None if task.cancelled() else task.result()
