"""What every platform channel shares: one session per update, apologies instead of tracebacks,
retries with the server's retry-after, and unreachable people marked as such."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.i18n import _, use_locale
from handlers.engine.conversation import Env, handle
from handlers.engine.types import Incoming, Reply
from models.base import utcnow
from models.conversations import identify
from models.people import identities

log = logging.getLogger(__name__)
T = TypeVar("T")

# Updates handled at once by a channel. The CPU is the limit, not the waiting: more in flight
# only queue inside the process and hold memory (bench/RESULTS.md, PostgreSQL backlog of 20,000:
# 64 → 32 gave 294 → 308 updates/s, p99 1.16 → 0.60 s, peak RSS 251 → 249 MB; 256 cost ≈ 10 MB more).
CONCURRENCY = 32


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


async def process(sessions: async_sessionmaker[AsyncSession], env: Env, incoming: Incoming) -> list[Reply]:
    """The engine's replies to one update, committed; a short apology if anything failed.

    An update whose database connection turned out dead (a restarted server: the pool does not
    ping before use) runs once more on a fresh one; nothing of the first try was committed, and
    had its COMMIT gone through after all, the message id is known and the retry does nothing."""
    for attempt in (1, 2):
        try:
            async with sessions() as session:
                replies = await handle(session, incoming, env, utcnow())
                await session.commit()
                return replies
        except DBAPIError as error:
            if error.connection_invalidated and attempt == 1:
                log.warning("update retried: the database connection was lost (chat=%s)", incoming.chat_id)
                continue
            _failed(incoming)
        except Exception:
            _failed(incoming)
        break
    return [await apology(sessions, env, incoming)]


def _failed(incoming: Incoming) -> None:
    log.exception("update failed: channel=%s chat=%s message=%s", incoming.channel.value,
                  incoming.chat_id, incoming.message_id)


async def apology(sessions: async_sessionmaker[AsyncSession], env: Env, incoming: Incoming) -> Reply:
    locale = env.default_locale
    try:
        async with sessions() as session:
            found = await identify(session, incoming.channel, incoming.user_id)
            if found and found[1].locale:
                locale = found[1].locale
    except Exception:  # the database itself may be what failed
        log.warning("could not look up the locale for the apology")
    with use_locale(locale):
        return Reply(_("Có lỗi xảy ra; tin nhắn chưa được xử lý. Hãy thử lại."))


async def mark_unreachable(sessions: async_sessionmaker[AsyncSession], incoming: Incoming, reason: str) -> None:
    async with sessions() as session:
        await identities.mark_unreachable(session, incoming.channel, incoming.user_id, reason, utcnow())
        await session.commit()
    log.info("identity unreachable: channel=%s chat=%s (%s)", incoming.channel.value, incoming.chat_id, reason)
