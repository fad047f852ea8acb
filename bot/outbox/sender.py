"""The outbox sender: claims due messages, delivers them within each platform's limits, records
the outcome — at least once (the trade-off is argued in `models/outbox/delivery.py`).

One chat's messages go out in order, one at a time; chats are served side by side. A 429 pauses
the platform for as long as the server asks and the message is tried again, costing no
attempt; network errors and 5xx back off exponentially until the attempts run out and the
reason is recorded; a chat that blocked the bot is skipped and its person marked unreachable.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.runtime import RetryAfter, Transient, Unreachable
from bot.outbox.limits import RATES, Limiter, Rate
from models.base import utcnow
from models.enums import Channel
from models.outbox import delivery
from models.outbox.delivery import Claim

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BASE_BACKOFF = 10.0  # seconds before the second try; doubled for every further one
MAX_BACKOFF = 1800.0
# Longer than one delivery may take (a 60 s file download, a 60 s send timeout); it runs from the row's
# own start and is renewed before each retry of an inline 429 wait, so a crash delays a message by this.
LEASE = dt.timedelta(minutes=3)
MAX_THROTTLED = dt.timedelta(hours=24)  # a message rate-limited for this long fails after all
MAX_CHAT_WAIT = 10.0  # seconds: a chat that must wait longer (a busy group) is deferred, not waited on
MAX_INLINE_WAIT = 60.0  # seconds: a shorter 429 is waited out in place; a longer one requeues the message
MAX_INLINE_429 = 5  # 429s waited out in place for one message before it goes back to the queue


class Rejected(Exception):
    """The platform refused the message for a reason another try will not fix (a 400)."""


class Deliverer(Protocol):
    async def deliver(self, chat_id: str, body: dict[str, Any]) -> str | None:
        """Sends one stored message (`models.outbox.enqueue.payload`); the platform's message id.

        Raises RetryAfter, Transient, Unreachable or Rejected, as the channel runtime does.
        """


class OutboxSender:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], deliverers: Mapping[Channel, Deliverer], *,
                 worker_id: str, rates: Mapping[Channel, Rate] = RATES,
                 clock: Callable[[], dt.datetime] = utcnow,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 batch: int = 200, concurrency: int = 32, lease: dt.timedelta = LEASE,
                 max_attempts: int = MAX_ATTEMPTS, idle: float = 1.0) -> None:
        self.sessions = sessions
        self.deliverers = dict(deliverers)
        self.worker_id = worker_id
        self.clock = clock
        self.sleep = sleep
        self.batch = batch
        self.lease = lease
        self.max_attempts = max_attempts
        self.idle = idle
        self.slots = asyncio.Semaphore(concurrency)
        self.rates = rates
        self.limiters = {channel: Limiter(rates[channel], self._seconds) for channel in self.deliverers}
        self._offset = dt.timedelta(0)
        # Chats whose earlier message went back to the queue: later ones wait for it, to keep the order.
        self.held: dict[tuple[Channel, str], dt.datetime] = {}
        self.stop = asyncio.Event()  # set: the deliveries in flight end, the rest of the batch is released

    def _seconds(self) -> float:
        return self.clock().timestamp()

    def add(self, channel: Channel, deliverer: Deliverer) -> None:
        """A channel that came up after the sender started (its platform was unreachable at first)."""
        self.deliverers[channel] = deliverer
        self.limiters[channel] = Limiter(self.rates[channel], self._seconds)

    async def run(self, stop: asyncio.Event) -> None:
        """Drains the outbox until `stop`; deliveries in flight end, claimed rows not begun are released."""
        self.stop = stop
        log.info("outbox sender %s started (%s)", self.worker_id, ", ".join(c.value for c in self.deliverers))
        while not stop.is_set():
            try:
                handled = await self.drain_once(self.clock())
            except Exception:
                log.exception("outbox: a batch failed; trying again shortly")
                handled = 0
            if not handled:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.idle)

    async def drain_once(self, now: dt.datetime) -> int:
        """Claims one batch due at `now` and delivers it; how many messages were claimed."""
        if not self.deliverers:
            return 0
        self._offset = now - self.clock()  # tests pass a `now` ahead of the clock
        self.held = {chat: until for chat, until in self.held.items() if until > now}
        async with self.sessions() as session:
            claims = await delivery.claim_batch(session, now=now, worker=self.worker_id, limit=self.batch,
                                                  lease=self.lease, channels=tuple(self.deliverers))
        chats: dict[tuple[Channel, str], list[Claim]] = {}
        for claim in claims:
            chats.setdefault((claim.channel, claim.chat_id), []).append(claim)
        async with asyncio.TaskGroup() as group:
            for queue in chats.values():
                group.create_task(self._chat(queue))
        return len(claims)

    def now(self) -> dt.datetime:
        return self.clock() + self._offset

    async def _chat(self, queue: list[Claim]) -> None:
        """One chat's messages in order. When one goes back to the queue, or the chat must wait long
        (a busy group), the chat's later messages go back with it, to keep their order."""
        channel, chat_id = queue[0].channel, queue[0].chat_id
        limiter = self.limiters[channel]
        for index, claim in enumerate(queue):
            if self.stop.is_set():  # shutting down: the next sender takes them at once, not after the lease
                for unsent in queue[index:]:
                    await self._record(delivery.release, unsent.id, next_attempt_at=self.now())
                return
            held = self.held.get((channel, chat_id))
            wait = limiter.chat_wait(chat_id)
            if held is None and wait > MAX_CHAT_WAIT:
                held = self.now() + dt.timedelta(seconds=wait)
            if held is not None and held > self.now():
                for deferred in queue[index:]:
                    await self._record(delivery.release, deferred.id, next_attempt_at=held)
                return
            self.held.pop((channel, chat_id), None)
            async with self.slots:
                await limiter.acquire(chat_id, self.sleep)
                later = await self._deliver(claim, limiter)
            if later is not None:
                self.held[(channel, chat_id)] = later

    async def _deliver(self, claim: Claim, limiter: Limiter) -> dt.datetime | None:
        """One message to its end or back to the queue; when it went back, until when."""
        begun = await self._begin(claim)
        if begun is None:
            return None
        claim = begun
        if claim.attempts > self.max_attempts:  # reclaimed after crashes more often than we would retry
            await self._record(delivery.mark_failed, claim.id, now=self.now(),
                               reason=f"gave up after {claim.attempts - 1} attempts (sender stopped mid-delivery)")
            return None
        for throttled in range(MAX_INLINE_429 + 1):
            try:
                message_id = await self.deliverers[claim.channel].deliver(claim.chat_id, claim.payload)
            except RetryAfter as error:  # wait as asked, in place: the chat's order is kept
                limiter.throttled(error.seconds)
                if error.seconds > MAX_INLINE_WAIT or throttled == MAX_INLINE_429:
                    return await self._throttled(claim, error.seconds)
                await limiter.acquire(claim.chat_id, self.sleep)
                if await self._begin(claim, count_attempt=False) is None:  # the wait outlasted our lease
                    return None
            except Unreachable as error:
                log.info("outbox: %s chat %s unreachable, message %d skipped: %s", claim.channel.value,
                         claim.chat_id, claim.id, error)
                await self._record(delivery.mark_skipped, claim, now=self.now(), reason=f"unreachable: {error}")
                return None
            except Rejected as error:
                log.warning("outbox: message %d (%s) rejected: %s", claim.id, claim.kind, error)
                await self._record(delivery.mark_failed, claim.id, now=self.now(), reason=f"rejected: {error}")
                return None
            except Transient as error:
                return await self._retry(claim, str(error) or "transient error")
            except Exception as error:  # a bug or an unforeseen platform answer: retried, then recorded
                log.exception("outbox: message %d failed unexpectedly", claim.id)
                return await self._retry(claim, f"{type(error).__name__}: {error}")
            else:
                limiter.succeeded()
                if not await self._record(delivery.mark_sent, claim, now=self.now(),
                                          platform_message_id=message_id):
                    log.warning("outbox: message %d was sent twice (its claim had expired)", claim.id)
                return None
        raise AssertionError("unreachable")  # the loop returns

    async def _throttled(self, claim: Claim, seconds: float) -> dt.datetime | None:
        now = self.now()
        if now - claim.created_at > MAX_THROTTLED:
            await self._record(delivery.mark_failed, claim.id, now=now,
                               reason=f"rate-limited for over {MAX_THROTTLED} (retry after {seconds:g}s)")
            return None
        later = now + dt.timedelta(seconds=seconds)
        await self._record(delivery.mark_retry, claim.id, next_attempt_at=later,
                           error=f"429: retry after {seconds:g}s", count_attempt=False)
        return later

    async def _retry(self, claim: Claim, reason: str) -> dt.datetime | None:
        now = self.now()
        if claim.attempts >= self.max_attempts:
            log.warning("outbox: message %d (%s) failed after %d attempts: %s", claim.id, claim.kind,
                        claim.attempts, reason)
            await self._record(delivery.mark_failed, claim.id, now=now,
                               reason=f"{reason} (after {claim.attempts} attempts)")
            return None
        delay = min(MAX_BACKOFF, BASE_BACKOFF * 2 ** (claim.attempts - 1)) * random.uniform(0.8, 1.2)
        later = now + dt.timedelta(seconds=delay)
        await self._record(delivery.mark_retry, claim.id, next_attempt_at=later, error=reason)
        return later

    async def _begin(self, claim: Claim, *, count_attempt: bool = True) -> Claim | None:
        """The row stamped as tried now; None when it is no longer ours or the database failed
        (then the lease brings it back)."""
        try:
            async with self.sessions() as session:
                begun = await delivery.begin(session, claim, now=self.now(), worker=self.worker_id,
                                             count_attempt=count_attempt)
        except Exception:
            log.exception("outbox: could not stamp message %d before its delivery", claim.id)
            return None
        if begun is None:
            log.warning("outbox: message %d was taken by another sender (its claim had expired)", claim.id)
        return begun

    async def _record(self, operation: Callable[..., Awaitable[bool]], target: Any, **values: Any) -> bool:
        """One outcome in its own transaction; a database error leaves the row to the lease."""
        try:
            async with self.sessions() as session:
                return await operation(session, target, **values)
        except Exception:
            log.exception("outbox: could not record the outcome of a delivery")
            return True
