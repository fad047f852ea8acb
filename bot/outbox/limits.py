"""Per-platform send rates for the outbox sender: token buckets overall, per chat and per group.

Telegram documents about 30 messages a second overall, one a second per chat and 20 a minute
per group; Zalo publishes nothing, so it starts at 5 a second, halves on every 429 and creeps
back by a tenth every ten quiet seconds. The limits are per process: with several senders on
PostgreSQL give each its share.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from models.enums import Channel

RECOVER_EVERY = 10.0  # seconds without a 429 before an adaptive rate rises again
MIN_RATE = 0.2  # messages a second: the floor an adaptive rate halves down to
MAX_IDLE_BUCKETS = 10_000
EPSILON = 1e-5


@dataclass(frozen=True)
class Rate:
    overall: float  # messages a second, all chats together
    per_chat: float  # messages a second to one private chat
    per_group: float  # messages a second to one group chat
    adaptive: bool = False  # unpublished limits: halve on 429, recover slowly


TELEGRAM = Rate(overall=30.0, per_chat=1.0, per_group=20 / 60)
ZALO = Rate(overall=5.0, per_chat=1.0, per_group=1.0, adaptive=True)
RATES: dict[Channel, Rate] = {Channel.TELEGRAM: TELEGRAM, Channel.ZALO: ZALO}


class Bucket:
    """`rate` tokens a second, at most `burst` saved up; one token per message."""

    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate, self.burst, self.tokens, self.at = rate, burst, burst, now

    def _refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + max(0.0, now - self.at) * self.rate)
        self.at = now

    def wait(self, now: float) -> float:
        """Seconds until a token is there (0 when one is)."""
        self._refill(now)
        if self.tokens >= 1 - EPSILON:  # clocks tick in microseconds: "almost" is there
            return 0.0
        return max(EPSILON, (1 - self.tokens) / self.rate)

    def take(self, now: float) -> None:
        self._refill(now)
        self.tokens -= 1

    def full(self, now: float) -> bool:
        self._refill(now)
        return self.tokens >= self.burst


class Limiter:
    """One platform's limits; `clock` is in seconds (monotonic, or a test's fake)."""

    def __init__(self, rate: Rate, clock: Callable[[], float]) -> None:
        self.rate = rate
        self.clock = clock
        now = clock()
        self.current = rate.overall
        # A tenth of a second's worth of burst: the measured rate stays the configured one.
        self.overall = Bucket(rate.overall, max(1.0, rate.overall / 10), now)
        self.chats: dict[str, Bucket] = {}
        self.paused_until = now
        self.changed_at = now

    def _chat(self, chat_id: str, now: float) -> Bucket:
        bucket = self.chats.get(chat_id)
        if bucket is None:
            if len(self.chats) >= MAX_IDLE_BUCKETS:
                self.chats = {key: b for key, b in self.chats.items() if not b.full(now)}
            rate = self.rate.per_group if chat_id.startswith("-") else self.rate.per_chat
            bucket = self.chats[chat_id] = Bucket(rate, 1.0, now)
        return bucket

    def chat_wait(self, chat_id: str) -> float:
        """How long this chat's next message must wait for its own limit."""
        now = self.clock()
        return max(self.paused_until - now, self._chat(chat_id, now).wait(now))

    async def acquire(self, chat_id: str, sleep: Callable[[float], Awaitable[None]]) -> None:
        """Waits until both the platform and the chat may take one more message, and takes it."""
        while True:
            now = self.clock()
            chat = self._chat(chat_id, now)
            wait = max(self.paused_until - now, self.overall.wait(now), chat.wait(now))
            if wait <= 0:
                self.overall.take(now)
                chat.take(now)
                return
            await sleep(wait)

    def throttled(self, seconds: float) -> None:
        """A 429: nobody sends until the server's wait is over; an adaptive rate halves."""
        now = self.clock()
        self.paused_until = max(self.paused_until, now + seconds)
        if self.rate.adaptive:
            self._set(max(MIN_RATE, self.current / 2), now)

    def succeeded(self) -> None:
        now = self.clock()
        if self.rate.adaptive and self.current < self.rate.overall and now - self.changed_at >= RECOVER_EVERY:
            self._set(min(self.rate.overall, self.current + self.rate.overall / 10), now)

    def _set(self, rate: float, now: float) -> None:
        self.overall._refill(now)
        self.current = self.overall.rate = rate
        self.changed_at = now
