"""A channel for tests: records what it would send, built on the real runtime like the others."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.channels.runtime import Runtime
from bot.outbox.files import Files
from handlers.engine.gateway import Gateway
from handlers.engine.types import Incoming, Reply
from models.enums import Channel


@dataclass
class RecordingDeliverer:
    """The outbox's side: each stored message body, by chat; ids "r1", "r2", …"""

    delivered: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    async def deliver(self, chat_id: str, body: dict[str, Any]) -> str | None:
        self.delivered.append((chat_id, body))
        return f"r{len(self.delivered)}"


class RecordingChannel:
    """Replies land in `sent` as (chat, reply); `failures` makes the n-th send (from 0) raise."""

    def __init__(self, gateway: Gateway, *, platform: Channel = Channel.TERMINAL,
                 failures: dict[int, Exception] | None = None, concurrency: int = 4) -> None:
        self.platform = platform
        self.runtime = Runtime(gateway, "recording", concurrency=concurrency)
        self.sent: list[tuple[str, Reply]] = []
        self.failures = dict(failures or {})
        self.attempts = 0
        self.closed = False
        self.outbox = RecordingDeliverer()

    async def say(self, incoming: Incoming) -> list[Reply]:
        """One update as a platform channel handles it: in the chat's turn, answered, sent."""
        async with self.runtime.turn(incoming.chat_id):
            replies = await self.runtime.reply(incoming)
            await self.send(incoming, replies)
        return replies

    async def send(self, incoming: Incoming, replies: list[Reply]) -> None:
        await self.runtime.send(incoming, replies, self._record)

    async def close(self) -> None:
        await self.runtime.drain()
        self.closed = True

    def deliverer(self, files: Files) -> RecordingDeliverer:
        return self.outbox

    async def _record(self, chat_id: str, reply: Reply) -> None:
        attempt, self.attempts = self.attempts, self.attempts + 1
        if attempt in self.failures:
            raise self.failures[attempt]
        self.sent.append((chat_id, reply))
