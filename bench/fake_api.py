"""A lean fake Telegram Bot API server for the benchmark: getUpdates hands out batches of up to
100 pre-serialised updates, every other call is answered at once, and the server records when
each update was handed out and when the reply to its chat arrived.

It validates nothing (the tests' fake in tests/fakes does); it must not be the bottleneck.
Every update is expected to get exactly one sendMessage, in order per chat, so the n-th reply
to a chat answers the n-th update handed out for it.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

BOT_ID = 7000001
BOT_USERNAME = "gandan_bench_bot"
TOKEN = f"{BOT_ID}:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "Gần Dân", "username": BOT_USERNAME}
_ME = json.dumps({"ok": True, "result": {**BOT_USER, "can_join_groups": True,
                                         "can_read_all_group_messages": False,
                                         "supports_inline_queries": False}}).encode()
_TRUE = b'{"ok":true,"result":true}'
_BOT_FROM = json.dumps(BOT_USER, ensure_ascii=False)


async def start_loopback(handle: Callable[[web.Request], Awaitable[web.StreamResponse]]
                         ) -> tuple[web.AppRunner, str]:
    """A Bot API look-alike on 127.0.0.1 (any free port): every method posted to one handler."""
    app = web.Application()
    app.router.add_post("/bot{token}/{method}", handle)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
    await site.start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}"


class FakeBotAPI:
    """`async with FakeBotAPI(updates, chats) as api:` then point the bot at `api.url`.

    `updates` are JSON texts without an update_id (given here, 1-based, in order); `chats[i]`
    is the chat of update i. Nothing is handed out until `release()` or `start_steady()`.
    """

    def __init__(self, updates: list[str], chats: list[int], *, measure_from: int = 0) -> None:
        self.updates = [u.replace("{", '{"update_id":%d,' % (i + 1), 1) for i, u in enumerate(updates)]
        self.chats = chats
        self.total = len(updates)
        self.measure_from = measure_from  # updates before this index are warm-up: not in the latencies
        self.released = 0
        self.served = 0
        self.replies = 0
        self.latencies: list[float] = []
        self.texts: list[str] = []  # reply texts, to check the bot did what it was asked
        self.calls: dict[str, int] = {}
        self.first_served_at: float | None = None
        self.measured_served_at: float | None = None
        self.last_reply_at: float | None = None
        self.ready = asyncio.Event()
        self.done = asyncio.Event()
        self._pending: dict[str, deque[tuple[int, float]]] = {}
        self._new = asyncio.Event()
        self._message_ids = 1_000_000
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._steady: asyncio.Task[None] | None = None
        self.url = ""

    async def __aenter__(self) -> FakeBotAPI:
        self._runner, self.url = await start_loopback(self._handle)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._closing = True
        self._wake()
        if self._steady:
            self._steady.cancel()
        assert self._runner is not None
        await self._runner.cleanup()

    # -- feeding the bot ---------------------------------------------------------------------

    def release(self, count: int | None = None) -> None:
        """Makes updates available to getUpdates (all of them: a backlog)."""
        self.released = self.total if count is None else min(self.total, self.released + count)
        self._wake()

    def start_steady(self, rate: float) -> None:
        """Releases one update every 1/rate seconds, on a fixed schedule (no drift)."""

        async def feed() -> None:
            start = time.perf_counter()
            while self.released < self.total:
                due = start + self.released / rate
                delay = due - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                owed = int((time.perf_counter() - start) * rate) + 1
                self.release(max(1, owed - self.released))

        self._steady = asyncio.get_running_loop().create_task(feed())

    def _wake(self) -> None:
        self._new.set()
        self._new = asyncio.Event()

    # -- the API -----------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        self.calls[method] = self.calls.get(method, 0) + 1
        body = await request.read()
        if method == "sendMessage":
            return self._send_message(dict(parse_qsl(body.decode())))
        if method == "getUpdates":
            return await self._get_updates(dict(parse_qsl(body.decode())))
        if method == "getMe":
            return web.Response(body=_ME, content_type="application/json")
        return web.Response(body=_TRUE, content_type="application/json")

    async def _get_updates(self, params: dict[str, str]) -> web.Response:
        self.ready.set()
        offset = max(1, int(params.get("offset", 1) or 1))
        timeout = min(float(params.get("timeout", 0) or 0), 30.0)
        if offset > self.released and timeout and not self._closing:
            try:
                await asyncio.wait_for(self._new.wait(), timeout)
            except TimeoutError:
                pass
        end = min(self.released, offset - 1 + 100)
        now = time.perf_counter()
        for index in range(max(self.served, offset - 1), end):
            self._pending.setdefault(str(self.chats[index]), deque()).append((index, now))
            if index == self.measure_from:
                self.measured_served_at = now
        if end > self.served:
            self.first_served_at = self.first_served_at or now
            self.served = end
        payload = ",".join(self.updates[offset - 1:end])
        return web.Response(text='{"ok":true,"result":[' + payload + "]}", content_type="application/json")

    def _send_message(self, params: dict[str, str]) -> web.Response:
        now = time.perf_counter()
        chat_id = params.get("chat_id", "0")
        waiting = self._pending.get(chat_id)
        if waiting:
            index, served_at = waiting.popleft()
            if index >= self.measure_from:
                self.latencies.append(now - served_at)
            self.replies += 1
            self.last_reply_at = now
            if self.replies == self.total:
                self.done.set()
        text = params.get("text", "")
        self.texts.append(text)
        self._message_ids += 1
        markup = params.get("reply_markup")
        result = ('{"ok":true,"result":{"message_id":%d,"date":%d,"chat":{"id":%s,"type":"private",'
                  '"first_name":"V"},"from":%s,"text":%s%s}}' % (
                      self._message_ids, int(time.time()), int(chat_id), _BOT_FROM,
                      json.dumps(text, ensure_ascii=False), f',"reply_markup":{markup}' if markup else ""))
        return web.Response(text=result, content_type="application/json")


def message_update(chat_id: int, message_id: int, text: str) -> dict[str, Any]:
    user = {"id": chat_id, "is_bot": False, "first_name": "V", "language_code": "vi"}
    message: dict[str, Any] = {"message_id": message_id, "date": int(time.time()),
                               "chat": {"id": chat_id, "type": "private", "first_name": "V"},
                               "from": user, "text": text}
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"message": message}


def callback_update(chat_id: int, query_id: str, data: str, on_message_id: int) -> dict[str, Any]:
    """A pressed button of a message the bot sent earlier (the bot edits its keyboard away)."""
    user = {"id": chat_id, "is_bot": False, "first_name": "V", "language_code": "vi"}
    message = {"message_id": on_message_id, "date": int(time.time()),
               "chat": {"id": chat_id, "type": "private", "first_name": "V"}, "from": BOT_USER, "text": "…"}
    return {"callback_query": {"id": query_id, "from": user, "chat_instance": f"ci{chat_id}", "data": data,
                               "message": message}}
