"""What the entry point and the outbox need from any channel, declared once.

Telegram, Zalo and the terminal implement `Channel`; the two with an outbox (Telegram, Zalo)
implement `OutboxChannel` too. Everything the platforms share — per-chat turns, the bound on
updates in flight, retries, the unreachable policy, sending replies in order — is in
`bot.channels.runtime`; a channel only translates between its platform and the neutral types.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from bot.outbox.files import Files
from bot.outbox.sender import Deliverer
from handlers.engine.types import Incoming, Reply
from models.enums import Channel as Platform


@runtime_checkable
class Channel(Protocol):
    """A way to talk with people: replies to a chat, and a clean shutdown."""

    platform: Platform  # the app, as identities and conversations record it

    async def send(self, incoming: Incoming, replies: list[Reply]) -> None:
        """The replies to `incoming`, in order, into its chat; stops at the first that cannot go."""

    async def close(self) -> None:
        """At shutdown: lets updates in flight finish, then lets go of the platform."""


@runtime_checkable
class OutboxChannel(Channel, Protocol):
    """A channel reminders and broadcasts are queued for; the outbox sender delivers through it."""

    def deliverer(self, files: Files) -> Deliverer:
        """Sends stored messages (one try per call), taking charts and photos from `files`."""
