"""A fake Zalo Bot API on 127.0.0.1: records every call, serves scripted updates, fails on demand.

It behaves like the real API where our code depends on it: one update per getUpdates, a 408
envelope when the long poll runs out, the `{ok, result, error_code, description}` envelope,
text and captions of 1–2,000 characters, photos only as an http(s) URL (sendPhoto; there is no
way to upload a file or send a document), 429 when told to, 403 for chats that blocked the bot.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TOKEN = "1234567890:fake-zalo-token-abcdefghijklmnopqrstuvwxyz"
MAX_TEXT = 2000


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int = 200


@dataclass
class FakeZaloApi:
    token: str = TOKEN
    poll_timeout: float = 0.05  # seconds: the fake's long poll is short, whatever the client asks
    timeout_status: int = 408  # HTTP status of the 408 envelope (the real API's may be 200)
    port: int = 0  # 0: any free port; a fixed one lets a test start the "platform" after the bot
    calls: list[Call] = field(default_factory=list)
    blocked: set[str] = field(default_factory=set)
    bot: dict[str, Any] = field(default_factory=lambda: {
        "id": "9001", "account_name": "bot.GanDan", "display_name": "GanDan", "account_type": "BASIC",
        "can_join_groups": True})
    _updates: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    _failures: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    base_url: str = ""

    async def __aenter__(self) -> FakeZaloApi:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def push_update(self, update: dict[str, Any]) -> None:
        """Served, wrapped in the envelope, to the next getUpdates."""
        self._updates.put_nowait(update)

    def fail_next(self, method: str, count: int = 1, status: int = 429, retry_after: float | None = None) -> None:
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        self._failures.setdefault(method, []).extend([(status, headers)] * count)

    def sent(self, chat_id: str | None = None) -> list[str]:
        """Texts and captions delivered (successful sendMessage/sendPhoto), oldest first."""
        return [c.params.get("text") or c.params.get("caption") or "" for c in self.calls
                if c.method in ("sendMessage", "sendPhoto") and c.status == 200
                and (chat_id is None or c.params.get("chat_id") == chat_id)]

    def photos(self, chat_id: str | None = None) -> list[str]:
        """URLs of the photos delivered (successful sendPhoto), oldest first."""
        return [c.params["photo"] for c in self.calls if c.method == "sendPhoto" and c.status == 200
                and (chat_id is None or c.params.get("chat_id") == chat_id)]

    def methods(self) -> list[str]:
        return [c.method for c in self.calls]

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            params = await request.json() if request.can_read_body else {}
        except json.JSONDecodeError:
            params = {}
        call = Call(method, params if isinstance(params, dict) else {})
        self.calls.append(call)
        response = await self._answer(request.match_info["token"], call)
        call.status = response.status
        return response

    async def _answer(self, token: str, call: Call) -> web.Response:
        if token != self.token:
            return _error(401, "Unauthorized")
        queued = self._failures.get(call.method)
        if queued:
            status, headers = queued.pop(0)
            return _error(status, "Too Many Requests" if status == 429 else "Internal error", headers)
        if call.method == "getUpdates":
            try:
                update = await asyncio.wait_for(self._updates.get(), self.poll_timeout)
            except TimeoutError:
                return _error(408, "Request timeout", status=self.timeout_status)
            return _ok(update)
        if call.method == "getMe":
            return _ok(self.bot)
        if call.method in ("setWebhook", "deleteWebhook", "getWebhookInfo"):
            url = call.params.get("url", "") if call.method == "setWebhook" else ""
            return _ok({"url": url, "updated_at": 1749538250568})
        if call.method in ("sendMessage", "sendPhoto", "sendChatAction"):
            return self._send(call)
        return _error(404, "Method not found")

    def _send(self, call: Call) -> web.Response:
        chat_id = call.params.get("chat_id")
        if not chat_id:
            return _error(400, "chat_id is required")
        if chat_id in self.blocked:
            return _error(403, "User has blocked the bot")
        if call.method == "sendChatAction":
            return web.json_response({"ok": True})
        field_name = "text" if call.method == "sendMessage" else "caption"
        value = call.params.get(field_name)
        if call.method == "sendMessage" and not value or value is not None and not 1 <= len(value) <= MAX_TEXT:
            return _error(400, f"{field_name} must be between 1 and {MAX_TEXT} characters")
        if call.method == "sendPhoto" and not call.params.get("photo"):
            return _error(400, "photo is required")
        if call.method == "sendPhoto" and not str(call.params["photo"]).startswith(("http://", "https://")):
            return _error(400, "photo must be a URL")
        return _ok({"message_id": f"sent{next(self._ids)}", "date": 1749632637199})


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(code: int, description: str, headers: dict[str, str] | None = None, *,
           status: int | None = None) -> web.Response:
    return web.json_response({"ok": False, "error_code": code, "description": description},
                             status=code if status is None else status, headers=headers)
