"""The terminal channel: chat with the bot as one person, choices shown as numbered lines.

It exists so the bot can be tried (and tested end to end) without a Telegram or Zalo token: each
line typed is one incoming message, handled in its own session and committed, exactly as a
platform update would be. What the outbox holds for the person (reminders, notices, announcements)
is shown after each answer and, while the chat waits for a line, every few seconds.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import secrets
import sys
import threading
from collections.abc import Awaitable, Callable, Iterable, Iterator
from typing import Protocol, TextIO

from bot.channels.runtime import Runtime
from bot.outbox.payload import to_reply
from core.i18n import _
from core.text import fold
from handlers.engine.gateway import Gateway
from handlers.engine.types import Incoming, Reply, render_numbered
from models.enums import Channel

log = logging.getLogger(__name__)

QUIT = {"/thoat", "/quit", "/exit"}
PROMPT = "> "
OUTBOX_POLL = 5.0  # seconds between looks at the outbox while waiting for a line


class Identity(Protocol):
    """Who chats: a terminal `ChatIdentity` (made by `models.people.identities.terminal_identity`)."""

    external_id: str
    chat_id: str
    display_name: str | None


class ReplySink(Protocol):
    """Where replies go; a test passes a recorder, the terminal writes to a stream."""

    async def send(self, reply: Reply) -> None: ...


class StreamSink:
    """Writes each reply as text with numbered choices, a blank line after it."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    async def send(self, reply: Reply) -> None:
        out = self.stream or sys.stdout  # looked up late, so a redirected stdout is honoured
        text = render_numbered(reply)
        if reply.photo is not None:
            text = _("[ảnh]") + ("\n" + text if text else "")
        out.write(text + "\n\n")
        out.flush()


def stdin_lines() -> Iterator[str | None]:
    """Lines typed (with line editing and a prompt on a terminal) or piped; None at the end."""
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    while True:
        if interactive:
            try:
                yield input(PROMPT)
            except EOFError:
                yield None
                return
        else:
            line = sys.stdin.readline()
            if not line:
                yield None
                return
            yield line


class StdinReader:
    """Reads stdin in a daemon thread, one line per request, so Ctrl-C is never stuck behind input()."""

    def __init__(self) -> None:
        self.requests: queue.SimpleQueue[tuple[asyncio.AbstractEventLoop, asyncio.Future[str | None]]] = \
            queue.SimpleQueue()
        self.thread: threading.Thread | None = None

    async def readline(self) -> str | None:
        if self.thread is None:
            self.thread = threading.Thread(target=self._work, name="terminal-stdin", daemon=True)
            self.thread.start()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[str | None] = loop.create_future()
        self.requests.put((loop, future))
        return await future

    def _work(self) -> None:
        lines = stdin_lines()
        while True:
            loop, future = self.requests.get()
            try:
                line = next(lines, None)
            except Exception as error:  # an unreadable stdin (closed, captured) ends the chat, never hangs it
                log.warning("terminal input ended: %s", error)
                line = None
            loop.call_soon_threadsafe(_resolve, future, line)
            if line is None:
                return


def _resolve(future: asyncio.Future[str | None], line: str | None) -> None:
    if not future.done():
        future.set_result(line)


class TerminalChannel:
    """Reads lines, hands each to the engine as one message from `identity`, sends the replies."""

    platform = Channel.TERMINAL

    def __init__(self, gateway: Gateway, identity: Identity, *, lines: Iterable[str] | None = None,
                 sink: ReplySink | None = None, display_name: str | None = None,
                 poll: float = OUTBOX_POLL) -> None:
        self.runtime = Runtime(gateway, "terminal")
        self.user_id = identity.external_id
        self.chat_id = identity.chat_id
        self.display_name = display_name or identity.display_name
        self.lines = lines
        self.sink: ReplySink = sink or StreamSink()
        # A fresh prefix per run: message ids restart at 1, and the engine drops ids it has seen.
        self.prefix = secrets.token_hex(4)
        self.counter = 0
        self.poll = poll

    async def send(self, incoming: Incoming, replies: list[Reply]) -> None:
        await self.runtime.send(incoming, replies, self._show)

    async def close(self) -> None:
        """Nothing to let finish: each line was handled to the end before the next was read."""

    async def run(self, *, first: str | None = None) -> int:
        """Until /thoat, /quit or the end of input; `first` (e.g. "/menu") is sent before reading.

        Returns the number of messages handled.
        """
        if first:
            await self.say(first)
        else:
            await self.show_outbox()
        read = self._reader()
        while True:
            line = await self._wait_for(read())
            if line is None:
                break
            text = line.rstrip("\r\n")
            if text.strip() and fold(text.strip()) in QUIT:  # an empty line is answered, as on the apps
                break
            await self.say(text)
        return self.counter

    async def _wait_for(self, reading: Awaitable[str | None]) -> str | None:
        """The next line; meanwhile what arrives in the outbox is shown as it comes."""
        task = asyncio.ensure_future(reading)
        while True:
            done, _pending = await asyncio.wait({task}, timeout=self.poll)
            if done:
                return task.result()
            await self.show_outbox()

    async def show_outbox(self) -> int:
        """The messages the bot queued for this person (a reminder, a notice…); how many were shown."""
        try:
            bodies = await self.runtime.gateway.take_outbox(Channel.TERMINAL, self.chat_id)
        except Exception:  # the chat goes on; the messages stay queued for the next look
            log.exception("terminal: could not read the outbox")
            return 0
        for body in bodies:
            reply = to_reply(body)
            await self.sink.send(Reply(_("📨 Tin nhắn mới từ bot:") + "\n" + reply.text, reply.options,
                                       photo=reply.photo, columns=reply.columns))
        return len(bodies)

    def _reader(self) -> Callable[[], Awaitable[str | None]]:
        if self.lines is None:
            return StdinReader().readline
        source = iter(self.lines)

        async def next_line() -> str | None:
            return next(source, None)

        return next_line

    async def say(self, text: str) -> list[Reply]:
        """One message through the engine in its own transaction; the replies are sent and returned."""
        self.counter += 1
        incoming = Incoming(channel=Channel.TERMINAL, chat_id=self.chat_id, user_id=self.user_id, text=text,
                            message_id=f"{self.prefix}-{self.counter}", display_name=self.display_name)
        replies = await self.runtime.reply(incoming)
        await self.send(incoming, replies)
        await self.show_outbox()
        return replies

    async def _show(self, chat_id: str, reply: Reply) -> None:
        await self.sink.send(reply)
