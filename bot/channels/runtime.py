"""What every channel shares: one update at a time per chat, a bound on the updates handled at
once, retries with the server's retry-after, replies sent in order, and people who blocked the
bot marked unreachable. The platform code only translates: its errors become RetryAfter,
Transient or Unreachable here, and the engine is reached through `handlers.engine.gateway`."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from handlers.engine.gateway import Gateway
from handlers.engine.types import Incoming, Reply

log = logging.getLogger(__name__)
T = TypeVar("T")

# Updates handled at once by a channel. The CPU is the limit, not the waiting: more in flight
# only queue inside the process and hold memory (bench/RESULTS.md, PostgreSQL backlog of 20,000:
# 64 → 32 gave 294 → 308 updates/s, p99 1.16 → 0.60 s, peak RSS 251 → 249 MB; 256 cost ≈ 10 MB more).
CONCURRENCY = 32
# Seconds after which a reply still being worked on is announced by "typing…" (digests and
# reports are announced at once: `Gateway.is_slow`).
TYPING_AFTER = 1.0
Typing = Callable[[str], Awaitable[None]]  # sends the platform's "typing" chat action to a chat


class RetryAfter(Exception):
    """The platform asked us to wait (HTTP 429 with retry_after)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


class Transient(Exception):
    """A network error or 5xx: worth another try after a pause."""


class Unreachable(Exception):
    """The person blocked the bot or no longer exists (HTTP 403): do not try again."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_retry_after: float = 60.0


async def with_retries(call: Callable[[], Awaitable[T]], policy: RetryPolicy = RetryPolicy(),
                       sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> T:
    """Runs `call`, waiting out 429s (as long as the server says) and backing off on transient errors."""
    for attempt in range(1, policy.attempts + 1):
        try:
            return await call()
        except RetryAfter as error:
            if attempt == policy.attempts or error.seconds > policy.max_retry_after:
                raise
            await sleep(error.seconds)
        except Transient:
            if attempt == policy.attempts:
                raise
            delay = min(policy.max_delay, policy.base_delay * 2 ** (attempt - 1))
            await sleep(delay * (0.5 + random.random() / 2))
    raise AssertionError("unreachable")  # the loop returns or raises


class ChatTurns:
    """One lock per chat, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, chat_id: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(chat_id, (asyncio.Lock(), 0))
        self._locks[chat_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[chat_id]
            if users == 1:
                del self._locks[chat_id]
            else:
                self._locks[chat_id] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


SendOne = Callable[[str, Reply], Awaitable[None]]


class Runtime:
    """One per channel. Updates of one chat are handled one at a time and in order (a button
    pressed twice is seen after the first press has changed the conversation); at most
    `concurrency` background updates are in flight, more wait before they start."""

    def __init__(self, gateway: Gateway, name: str, *, policy: RetryPolicy = RetryPolicy(),
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 concurrency: int = CONCURRENCY, typing_after: float = TYPING_AFTER) -> None:
        self.gateway = gateway
        self.typing_after = typing_after
        self.name = name  # the platform, in logs
        self.policy = policy
        self.sleep = sleep
        self.concurrency = concurrency
        self.turns = ChatTurns()
        self.slots = asyncio.Semaphore(concurrency)
        self.tasks: set[asyncio.Task[None]] = set()

    def turn(self, chat_id: str) -> AbstractAsyncContextManager[None]:
        """`async with runtime.turn(chat_id):` — this chat's updates, one after another."""
        return self.turns.hold(chat_id)

    async def reply(self, incoming: Incoming, typing: Typing | None = None) -> list[Reply]:
        """The engine's replies; "typing…" is shown first for a digest or a report, and for anything
        still being worked on after `typing_after` seconds (a failed chat action changes nothing)."""
        if typing is None:
            return await self.gateway.reply(incoming)
        work = asyncio.ensure_future(self.gateway.reply(incoming))
        try:
            delay = 0.0 if self.gateway.is_slow(incoming) else self.typing_after
            done, _pending = await asyncio.wait({work}, timeout=delay)
            if not done:
                await self._typing(typing, incoming.chat_id)
            return await work
        except asyncio.CancelledError:
            work.cancel()
            raise

    async def _typing(self, typing: Typing, chat_id: str) -> None:
        try:
            await typing(chat_id)
        except Exception as error:  # only a courtesy: the reply itself goes through the retries
            log.info("%s: typing action not sent (%s)", self.name, type(error).__name__)

    async def retry(self, call: Callable[[], Awaitable[T]]) -> T:
        return await with_retries(call, self.policy, self.sleep)

    async def spawn(self, work: Coroutine[Any, Any, Any], what: str) -> None:
        """Handles `work` in the background; first waits while `concurrency` are in flight."""
        await self.slots.acquire()
        task = asyncio.create_task(self._bounded(work, what))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def guarded(self, work: Awaitable[Any], what: str) -> None:
        """Runs `work` to its end; a failure is logged, never raised into the update loop."""
        try:
            await work
        except Exception:
            log.exception("%s: %s failed", self.name, what)

    async def drain(self, timeout: float | None = None) -> None:
        """Waits for background updates still being handled (at most `timeout` seconds)."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while self.tasks:
            left = None if deadline is None else deadline - loop.time()
            if left is not None and left <= 0:
                return
            await asyncio.wait(set(self.tasks), timeout=left)

    async def send(self, incoming: Incoming, replies: list[Reply], send_one: SendOne) -> None:
        """Replies in order through the platform's `send_one`; stops at the first that cannot go."""
        for reply in replies:
            try:
                await send_one(incoming.chat_id, reply)
            except Unreachable as error:
                await self.unreachable(incoming, str(error))
                return
            except (RetryAfter, Transient) as error:
                log.warning("%s: reply not delivered after retries: chat=%s message=%s (%s)", self.name,
                            incoming.chat_id, incoming.message_id, error)
                return
            except Exception as error:  # a refusal (a 400) is our bug: logged, the update loop goes on
                log.error("%s: reply rejected: chat=%s %s: %s", self.name, incoming.chat_id, type(error).__name__,
                          getattr(error, "message", error))
                return

    async def unreachable(self, incoming: Incoming, reason: str) -> None:
        """A 403 from a private chat marks its person unreachable; from a group it says nothing of them."""
        if incoming.is_group:
            log.warning("%s: group %s refused a message: %s", self.name, incoming.chat_id, reason)
            return
        try:
            await self.gateway.mark_unreachable(incoming, reason)
        except Exception:
            log.exception("%s: could not mark chat %s unreachable", self.name, incoming.chat_id)

    async def _bounded(self, work: Coroutine[Any, Any, Any], what: str) -> None:
        try:
            await self.guarded(work, what)
        finally:
            self.slots.release()
