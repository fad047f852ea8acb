"""A thin client of the Zalo Bot API over httpx: `POST <base>/bot<token>/<method>`, JSON both ways.

Platform errors become the runtime's retry vocabulary (RetryAfter, Transient, Unreachable) or a
ZaloError; the token is part of every URL, so nothing here ever logs or raises a URL.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import httpx

from bot.channels.runtime import RetryAfter, Transient, Unreachable

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://bot-api.zaloplatforms.com"
MAX_TEXT = 2000  # text and captions, in characters
DEFAULT_RETRY_AFTER = 5.0  # seconds, when a 429 does not say how long to wait
POLL_TIMEOUT = 408  # getUpdates found nothing within its long-poll timeout


@dataclass(frozen=True)
class BotInfo:
    id: str
    account_name: str
    display_name: str | None
    can_join_groups: bool | None = None  # None: the platform did not say


@dataclass(frozen=True)
class SentMessage:
    message_id: str
    date: int


def _text(value: object) -> str:
    """Zalo sends ids as strings, sometimes as numbers; both become text here."""
    return "" if value is None else str(value)


def _optional(value: object) -> str | None:
    return None if value is None else str(value)


def _int(value: object) -> int:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0


class ZaloError(Exception):
    """The API refused a call for a reason retrying will not fix (bad request, bad token, …)."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(f"Zalo error {code}: {description}")
        self.code = code
        self.description = description


class _HideToken(logging.Filter):
    """httpx logs every request URL at INFO; the URL holds the token."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "***"), None
        return True


@dataclass(frozen=True)
class _Envelope:
    status: int
    body: dict[str, Any]
    retry_after: str | None


class ZaloClient:
    """`async with ZaloClient(token, base_url) as zalo: await zalo.send_message(chat_id, text)`."""

    def __init__(self, token: str, base_url: str = DEFAULT_BASE_URL, http: httpx.AsyncClient | None = None,
                 *, timeout: float = 15.0) -> None:
        self._token = token
        self._base = f"{base_url.rstrip('/')}/bot{token}/"
        self._own_http = http is None
        self._http = http or httpx.AsyncClient(timeout=timeout)
        self._filter = _HideToken(token)
        logging.getLogger("httpx").addFilter(self._filter)

    def __repr__(self) -> str:
        return "ZaloClient(token=***)"

    async def __aenter__(self) -> ZaloClient:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        trace: TracebackType | None) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._own_http:
            await self._http.aclose()
        logging.getLogger("httpx").removeFilter(self._filter)

    async def get_me(self) -> BotInfo:
        result = await self.call("getMe")
        result = result if isinstance(result, dict) else {}
        joins = result.get("can_join_groups")
        return BotInfo(_text(result.get("id")), _text(result.get("account_name")),
                       _optional(result.get("display_name") or result.get("name")),
                       joins if isinstance(joins, bool) else None)

    async def get_updates(self, timeout: int = 30) -> dict[str, Any] | None:
        """One update (a single JSON object, not a list), or None when the long poll ran out (408)."""
        envelope = await self._post("getUpdates", {"timeout": str(timeout)}, read_timeout=timeout + 10)
        if envelope.status == POLL_TIMEOUT or envelope.body.get("error_code") == POLL_TIMEOUT:
            return None
        result = self._result("getUpdates", envelope)
        return result if isinstance(result, dict) and result else None

    async def set_webhook(self, url: str, secret_token: str) -> dict[str, Any]:
        return await self.call("setWebhook", {"url": url, "secret_token": secret_token})

    async def delete_webhook(self) -> dict[str, Any]:
        return await self.call("deleteWebhook")

    async def get_webhook_info(self) -> dict[str, Any]:
        return await self.call("getWebhookInfo")

    async def send_message(self, chat_id: str, text: str) -> SentMessage:
        _check_length("text", text, required=True)
        return _sent(await self.call("sendMessage", {"chat_id": chat_id, "text": text}))

    async def send_photo(self, chat_id: str, photo: str, caption: str | None = None) -> SentMessage:
        params: dict[str, Any] = {"chat_id": chat_id, "photo": photo}
        if caption:
            _check_length("caption", caption, required=False)
            params["caption"] = caption
        return _sent(await self.call("sendPhoto", params))

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        await self.call("sendChatAction", {"chat_id": chat_id, "action": action})

    async def call(self, method: str, params: dict[str, Any] | None = None) -> Any:
        """The `result` of one API method; raises on anything but ok."""
        return self._result(method, await self._post(method, params or {}))

    async def _post(self, method: str, params: dict[str, Any], read_timeout: float | None = None) -> _Envelope:
        timeout: Any = httpx.USE_CLIENT_DEFAULT
        if read_timeout is not None:  # a long poll: wait longer than the server holds the request
            base = self._http.timeout
            timeout = httpx.Timeout(connect=base.connect, read=read_timeout, write=base.write, pool=base.pool)
        try:
            response = await self._http.post(self._base + method, json=params, timeout=timeout)
        except httpx.HTTPError as error:  # messages of httpx errors may quote the URL: never pass them on
            raise Transient(f"Zalo {method}: {type(error).__name__}") from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            body = {"ok": False, "error_code": response.status_code, "description": "not a JSON envelope"}
        return _Envelope(response.status_code, body, response.headers.get("Retry-After"))

    def _result(self, method: str, envelope: _Envelope) -> Any:
        body = envelope.body
        if envelope.status < 400 and body.get("ok") is True:
            return body.get("result")
        code = body.get("error_code") if isinstance(body.get("error_code"), int) else envelope.status
        description = str(body.get("description") or "").replace(self._token, "***")[:300]
        log.debug("zalo %s failed: %s %s", method, code, description)
        if code == 429 or envelope.status == 429:
            raise RetryAfter(_seconds(envelope.retry_after, body))
        if code == 403 or envelope.status == 403:
            raise Unreachable(f"Zalo {method}: {description or 'forbidden'}")
        if envelope.status >= 500 or (isinstance(code, int) and code >= 500):
            raise Transient(f"Zalo {method}: {code} {description}")
        raise ZaloError(code, f"{method}: {description}")


def _sent(result: Any) -> SentMessage:
    result = result if isinstance(result, dict) else {}
    return SentMessage(_text(result.get("message_id")), _int(result.get("date")))


def _seconds(header: str | None, body: dict[str, Any]) -> float:
    parameters = body.get("parameters") if isinstance(body.get("parameters"), dict) else {}
    for value in (header, parameters.get("retry_after")):
        try:
            seconds = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if seconds >= 0:
            return seconds
    return DEFAULT_RETRY_AFTER


def _check_length(field: str, text: str, *, required: bool) -> None:
    if len(text) > MAX_TEXT or (required and not text):
        raise ValueError(f"Zalo {field} must be 1–{MAX_TEXT} characters, got {len(text)}")
