"""A small fake Telegram Bot API server (aiohttp on 127.0.0.1) for end-to-end tests.

It implements the methods the bot uses, serves scripted updates through getUpdates, records
every request, and rejects with 400 — as the real server does — any request beyond the Bot
API's limits (text, caption, callback data, keyboard size, empty button text, photo size and
dimensions). Failures can be scripted per method: a 429 with retry_after (enforced: calling
again too early gets another 429), a 5xx, or a 403 for a chat that blocked the bot.

Uploads (multipart sendPhoto/sendDocument) are recorded as `Upload`s with their bytes in place
of the `attach://` reference; files the test `host`s are served by getFile and
`/file/bot<token>/<path>`, each download counted.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = 7000001
BOT_USERNAME = "gandan_test_bot"
TOKEN = f"{BOT_ID}:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"
JSON_FIELDS = {"reply_markup", "commands", "scope", "allowed_updates"}


PHOTO_BYTES = 10 * 1024 * 1024  # the Bot API's limit for an uploaded photo
DOCUMENT_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Upload:
    """A file sent as multipart form data."""

    filename: str
    content_type: str
    data: bytes


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int = 200
    result: Any = None
    description: str = ""
    violation: bool = False  # refused for breaking a Bot API limit: always a bug of ours
    at: float = field(default_factory=time.monotonic)

    @property
    def chat_id(self) -> str | None:
        value = self.params.get("chat_id")
        return None if value is None else str(value)

    @property
    def buttons(self) -> list[dict[str, Any]]:
        markup = self.params.get("reply_markup") or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]


@dataclass
class Failure:
    method: str
    status: int
    description: str
    retry_after: int | None = None
    chat_id: str | None = None
    times: int = 1


def _limits(method: str, params: dict[str, Any]) -> str | None:
    """Why the real Bot API would refuse this request, or None."""
    if method == "sendMessage":
        text = params.get("text", "")
        if not text.strip():
            return "Bad Request: message text is empty"
        if len(text) > 4096:
            return "Bad Request: message is too long"
    if method in ("sendPhoto", "sendDocument") and len(params.get("caption", "")) > 1024:
        return "Bad Request: message caption is too long"
    if method in ("sendMessage", "sendPhoto", "sendDocument") and not params.get("chat_id"):
        return "Bad Request: chat_id is empty"
    if method == "sendPhoto":
        problem = _photo_problem(params.get("photo"))
        if problem:
            return problem
    if method == "sendDocument":
        document = params.get("document")
        if not document:
            return "Bad Request: there is no document in the request"
        if isinstance(document, Upload) and len(document.data) > DOCUMENT_BYTES:
            return "Bad Request: file is too big"
    markup = params.get("reply_markup")
    if isinstance(markup, dict) and "inline_keyboard" in markup:
        buttons = [button for row in markup["inline_keyboard"] for button in row]
        if len(buttons) > 100:
            return "Bad Request: too many inline keyboard buttons"
        for button in buttons:
            if not str(button.get("text", "")).strip():
                return "Bad Request: inline keyboard button text must be non-empty"
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode("utf-8")) <= 64:
                return "Bad Request: BUTTON_DATA_INVALID"
    if method == "answerCallbackQuery" and len(params.get("text", "")) > 200:
        return "Bad Request: text is too long"
    if method == "setMyCommands":
        commands = params.get("commands") or []
        if not 0 < len(commands) <= 100:
            return "Bad Request: too many commands"
        for command in commands:
            name, description = command.get("command", ""), command.get("description", "")
            if not (1 <= len(name) <= 32 and name == name.lower() and name.replace("_", "").isalnum()):
                return "Bad Request: BOT_COMMAND_INVALID"
            if not 1 <= len(description) <= 256:
                return "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"
    return None


def _photo_problem(photo: object) -> str | None:
    """The real server refuses photos over 10 MB, and PNGs whose sides add up to over 10,000 px or
    whose ratio is over 20."""
    if not photo:
        return "Bad Request: there is no photo in the request"
    if not isinstance(photo, Upload):
        return None
    if len(photo.data) > PHOTO_BYTES:
        return "Bad Request: PHOTO_SAVE_FILE_INVALID"
    if photo.data.startswith(b"\x89PNG\r\n\x1a\n"):
        width, height = struct.unpack(">II", photo.data[16:24])
        if width + height > 10000 or max(width, height) > 20 * max(1, min(width, height)):
            return "Bad Request: PHOTO_INVALID_DIMENSIONS"
    elif not photo.data.startswith((b"\xff\xd8", b"GIF8", b"RIFF")):  # JPEG, GIF, WebP
        return "Bad Request: IMAGE_PROCESS_FAILED"
    return None


CHAT_ACTIONS = {"typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
                "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note"}


class FakeTelegram:
    """Start with `async with FakeTelegram() as fake:`; point the bot at `fake.url`."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []
        self.blocked: set[str] = set()
        self.failures: list[Failure] = []
        self.markups: dict[tuple[str, int], Any] = {}
        self.titles: dict[int, str] = {}  # group titles seen in updates, as the server knows them
        self.webhook: dict[str, Any] = {}
        self.delays: dict[str, float] = {}
        self.polled_offset = 0  # the offset of the latest getUpdates: every update below it was fetched
        self.hosted: dict[str, bytes] = {}  # file_id -> bytes, for getFile and downloads
        self.downloads: list[str] = []  # file ids downloaded, in order
        self.unfetchable: set[str] = set()  # photo URLs the server "cannot fetch" (400)
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(100)
        self._callback_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._retry_until: dict[str, float] = {}
        self._storm: tuple[str, int, int] | None = None  # (method, every n-th call, retry_after)
        self._storm_calls = 0
        self._changed = asyncio.Condition()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def __aenter__(self) -> FakeTelegram:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._closing = True
        async with self._changed:
            self._changed.notify_all()
        assert self._runner is not None
        await self._runner.cleanup()

    # -- scripting ---------------------------------------------------------------------------

    def push(self, update: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        self.updates.append({"update_id": update_id, **update})
        asyncio.get_running_loop().create_task(self._notify())
        return update_id

    def fail(self, method: str, status: int, description: str, *, retry_after: int | None = None,
             chat_id: str | None = None, times: int = 1) -> None:
        self.failures.append(Failure(method, status, description, retry_after, chat_id, times))

    def storm(self, method: str = "sendMessage", *, every: int = 2, retry_after: int = 1) -> None:
        """Every `every`-th call of `method` gets a 429 with `retry_after` (not enforced: a storm, not a ban)."""
        self._storm, self._storm_calls = (method, every, retry_after), 0

    def calm(self) -> None:
        self._storm = None

    def host(self, file_id: str, data: bytes) -> None:
        """A file users sent earlier (a photo's file id), for getFile and the download URL."""
        self.hosted[file_id] = data

    def count(self, method: str, status: int = 200) -> int:
        return sum(1 for c in self.calls if c.method == method and c.status == status)

    def sent(self, method: str | None = None, chat_id: str | int | None = None) -> list[Call]:
        """Successful calls, optionally of one method to one chat."""
        return [c for c in self.calls if c.status == 200 and (method is None or c.method == method)
                and (chat_id is None or c.chat_id == str(chat_id))]

    def rejected(self) -> list[Call]:
        return [c for c in self.calls if c.status == 400]

    def violations(self) -> list[Call]:
        return [c for c in self.calls if c.violation]

    @property
    def last_update_id(self) -> int:
        return self.updates[-1]["update_id"] if self.updates else 0

    async def wait_for(self, check: Callable[[FakeTelegram], bool], timeout: float = 5.0) -> None:
        async with asyncio.timeout(timeout):
            async with self._changed:
                await self._changed.wait_for(lambda: check(self))

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # -- the API -----------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        form = await request.post()
        params: dict[str, Any] = {}
        uploads: dict[str, Upload] = {}
        for key, value in form.items():
            if isinstance(value, str):
                params[key] = json.loads(value) if key in JSON_FIELDS else value
            else:  # an uploaded file, referred to as attach://<key>
                uploads[key] = Upload(value.filename, value.content_type, value.file.read())
        for key, value in list(params.items()):
            if isinstance(value, str) and value.startswith("attach://"):
                params[key] = uploads.pop(value.removeprefix("attach://"), None)
        params.update(uploads)  # a file sent under the parameter's own name
        if request.match_info["token"] != TOKEN:
            return self._record(method, params, 401, "Unauthorized")
        if method in self.delays:
            await asyncio.sleep(self.delays[method])
        problem = _limits(method, params)
        if problem:
            response = self._record(method, params, 400, problem)
            self.calls[-1].violation = True
            return response
        failure = self._failure(method, params)
        if failure is not None:
            return failure
        chat = str(params.get("chat_id", ""))
        if method in ("sendMessage", "sendPhoto", "sendDocument", "editMessageReplyMarkup") and chat in self.blocked:
            return self._record(method, params, 403, "Forbidden: bot was blocked by the user")
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return self._record(method, params, 404, "Not Found: method not found")
        if method == "getUpdates":
            result = await handler(params)
        else:
            result = handler(params)
        if isinstance(result, web.Response):
            return result
        self.calls.append(Call(method, params, result=result))
        await self._notify()
        return web.json_response({"ok": True, "result": result})

    def _failure(self, method: str, params: dict[str, Any]) -> web.Response | None:
        if self._storm is not None and self._storm[0] == method:
            self._storm_calls += 1
            if self._storm_calls % self._storm[1] == 0:
                return self._record(method, params, 429, "Too Many Requests: retry later",
                                    {"retry_after": self._storm[2]})
        until = self._retry_until.get(method, 0.0)
        if time.monotonic() < until:  # came back before retry_after was over
            return self._record(method, params, 429, "Too Many Requests: retry later",
                                {"retry_after": max(1, round(until - time.monotonic()))})
        for failure in self.failures:
            if failure.method == method and failure.times > 0 and (
                    failure.chat_id is None or failure.chat_id == str(params.get("chat_id"))):
                failure.times -= 1
                extra = None
                if failure.retry_after is not None:
                    extra = {"retry_after": failure.retry_after}
                    self._retry_until[method] = time.monotonic() + failure.retry_after
                return self._record(method, params, failure.status, failure.description, extra)
        return None

    def _record(self, method: str, params: dict[str, Any], status: int, description: str,
                parameters: dict[str, Any] | None = None) -> web.Response:
        self.calls.append(Call(method, params, status, description=description))
        asyncio.get_running_loop().create_task(self._notify())
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        return web.json_response(body, status=status)

    def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Gần Dân", "username": BOT_USERNAME,
                "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset", 0))
        self.polled_offset = max(self.polled_offset, offset)
        timeout = min(float(params.get("timeout", 0)), 30.0)

        def pending() -> list[dict[str, Any]]:
            return [u for u in self.updates if u["update_id"] >= offset][:100]

        if not pending() and timeout and not self._closing:
            async with self._changed:
                try:
                    async with asyncio.timeout(timeout):
                        await self._changed.wait_for(lambda: bool(pending()) or self._closing)
                except TimeoutError:
                    pass
        return pending()

    def _message(self, params: dict[str, Any], **fields: Any) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        message_id = next(self._message_ids)
        markup = params.get("reply_markup")
        self.markups[(str(chat_id), message_id)] = markup
        chat = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
        if chat_id < 0:
            chat["title"] = self.titles.get(chat_id, "Nhóm")
        message = {"message_id": message_id, "date": int(time.time()), "chat": chat,
                   "from": {"id": BOT_ID, "is_bot": True, "first_name": "Gần Dân", "username": BOT_USERNAME}}
        if markup:
            message["reply_markup"] = markup
        return {**message, **fields}

    def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._message(params, text=params["text"])

    def _api_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any] | web.Response:
        if params["photo"] in self.unfetchable:
            return self._record("sendPhoto", params, 400, "Bad Request: wrong file identifier/HTTP URL specified")
        number = next(self._file_ids)
        photo = [{"file_id": f"AgACbotphoto{number}", "file_unique_id": f"botphoto{number}", "width": 800,
                  "height": 600}]
        return self._message(params, photo=photo, **({"caption": params["caption"]} if "caption" in params else {}))

    def _api_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        document = params["document"]
        name = document.filename if isinstance(document, Upload) else "file"
        number = next(self._file_ids)
        return self._message(params, document={"file_id": f"BQACbotdoc{number}", "file_unique_id": f"botdoc{number}",
                                               "file_name": name},
                             **({"caption": params["caption"]} if "caption" in params else {}))

    def _api_getFile(self, params: dict[str, Any]) -> dict[str, Any] | web.Response:
        file_id = str(params.get("file_id", ""))
        if file_id not in self.hosted:
            return self._record("getFile", params, 400, "Bad Request: invalid file_id")
        return {"file_id": file_id, "file_unique_id": f"u-{file_id}", "file_size": len(self.hosted[file_id]),
                "file_path": f"photos/{file_id}.jpg"}

    async def _download(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        file_id = path.removeprefix("photos/").removesuffix(".jpg")
        if request.match_info["token"] != TOKEN or file_id not in self.hosted:
            return web.Response(status=404, text="Not Found")
        self.downloads.append(file_id)
        return web.Response(body=self.hosted[file_id], content_type="image/jpeg")

    def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> bool | web.Response:
        key = (str(params.get("chat_id")), int(params.get("message_id", 0)))
        if key not in self.markups:
            return self._record("editMessageReplyMarkup", params, 400, "Bad Request: message to edit not found")
        new = params.get("reply_markup") or None
        if new and not new.get("inline_keyboard"):
            new = None
        if (self.markups[key] or None) == new:
            return self._record("editMessageReplyMarkup", params, 400,
                                "Bad Request: message is not modified: specified new message content and reply "
                                "markup are exactly the same as a current content and reply markup of the message")
        self.markups[key] = new
        return True

    def _api_sendChatAction(self, params: dict[str, Any]) -> bool | web.Response:
        if not params.get("chat_id") or params.get("action") not in CHAT_ACTIONS:
            return self._record("sendChatAction", params, 400, "Bad Request: wrong parameter action in request")
        return True

    def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        return True

    def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        return True

    def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = {}
        return True

    def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = dict(params)
        return True

    # -- updates as Telegram sends them ----------------------------------------------------------

    def user(self, user_id: int, first_name: str = "Long", last_name: str | None = "Phạm") -> dict[str, Any]:
        user = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "vi"}
        if last_name:
            user["last_name"] = last_name
        return user

    def message(self, user: dict[str, Any], text: str | None = None, *, chat: dict[str, Any] | None = None,
                photo_sizes: int = 0, caption: str | None = None) -> int:
        """Pushes a message update (private chat unless `chat` is given); returns its message id."""
        update = self.message_update(user, text, chat=chat, photo_sizes=photo_sizes, caption=caption)
        self.push(update)
        return update["message"]["message_id"]

    def message_update(self, user: dict[str, Any], text: str | None = None, *, chat: dict[str, Any] | None = None,
                       photo_sizes: int = 0, caption: str | None = None) -> dict[str, Any]:
        """A message update as Telegram would send it, without an update_id."""
        message_id = next(self._message_ids)
        chat = chat or {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        if chat.get("title"):
            self.titles[chat["id"]] = chat["title"]
        message: dict[str, Any] = {"message_id": message_id, "date": int(time.time()), "chat": chat, "from": user}
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if photo_sizes:
            message["photo"] = [{"file_id": f"AgAC-photo-{message_id}-{size}", "file_unique_id": f"u{message_id}{size}",
                                 "width": 90 * (size + 1), "height": 60 * (size + 1)} for size in range(photo_sizes)]
        if caption is not None:
            message["caption"] = caption
        return {"message": message}

    def press(self, user: dict[str, Any], data: str, on: Call) -> str:
        """Pushes a callback query for a button of a message the bot sent; returns the query id."""
        query_id = f"q{next(self._callback_ids)}"
        sent = on.result
        assert isinstance(sent, dict), f"{on.method} returned no message"
        self.push({"callback_query": {"id": query_id, "from": user, "chat_instance": "ci1", "data": data,
                                      "message": sent}})
        return query_id

