"""The engine as the channels see it: every way a channel reaches the database goes through here.

One session per update, committed; an apology instead of a traceback; and the few questions a
channel asks outside a conversation — is this message new, which language does this chat speak,
this person can no longer be reached.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.db import connection_lost
from core.i18n import _, use_locale
from handlers.engine import outside_flows
from handlers.engine.commands import parse_command
from handlers.engine.conversation import RESUME_COMMAND, Env, handle
from handlers.engine.types import Incoming, Reply
from models import conversations
from models.base import utcnow
from models.enums import Channel
from models.groups import posts
from models.outbox import delivery
from models.people import identities

log = logging.getLogger(__name__)


class Gateway:
    """One per process: the channels hold it instead of a database session factory."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], env: Env, *,
                 clock: Callable[[], dt.datetime] = utcnow) -> None:
        self.sessions = sessions
        self.env = env
        self.clock = clock

    async def reply(self, incoming: Incoming) -> list[Reply]:
        """The engine's replies to one update, committed; a short apology if anything failed.

        An update whose database connection turned out dead (a restarted server: the pool does not
        ping before use) runs once more on a fresh one; nothing of the first try was committed, and
        had its COMMIT gone through after all, the message id is known and the retry does nothing."""
        for attempt in (1, 2):
            try:
                async with self.sessions() as session:
                    replies = await handle(session, incoming, self.env, self.clock())
                    await session.commit()
                    return replies
            except Exception as error:
                if connection_lost(error) and attempt == 1:
                    log.warning("update retried: the database connection was lost (chat=%s)", incoming.chat_id)
                    continue
                _failed(incoming)
            break
        return [await self.apology(incoming)]

    def is_slow(self, incoming: Incoming) -> bool:
        """A digest or a report asked for by command or button: the channel shows "typing…" first."""
        if incoming.choice is not None:
            return incoming.choice in outside_flows.SLOW
        command = parse_command(incoming.text.strip())
        return command is not None and command[0] in outside_flows.SLOW

    async def ask_again(self, incoming: Incoming, notice: Reply) -> list[Reply]:
        """For a message the channel could not read: `notice`, then the current question (or the menu)
        again, through the engine; a redelivery gets nothing."""
        replies = await self.reply(replace(incoming, text=f"/{RESUME_COMMAND}", choice=None, photo=None))
        return [notice, *replies] if replies else []

    async def apology(self, incoming: Incoming) -> Reply:
        """"Something went wrong", in the writer's language when the database still answers."""
        try:
            locale = await self.locale(incoming)
        except Exception:  # the database itself may be what failed
            log.warning("could not look up the locale for the apology")
            locale = self.env.default_locale
        with use_locale(locale):
            return Reply(_("Có lỗi xảy ra; tin nhắn chưa được xử lý. Hãy thử lại."))

    async def is_new(self, incoming: Incoming) -> bool:
        """True the first time a message is seen (recorded at once); a redelivery gives False.

        For messages the engine never sees (content the platform withholds): `reply` records the
        others itself. A message without an id counts as new."""
        if not incoming.message_id:
            return True
        async with self.sessions() as session:
            key = f"{incoming.chat_id}:{incoming.message_id}"
            new = await conversations.first_delivery(session, incoming.channel, key, self.clock())
            await session.commit()
        return new

    async def locale(self, incoming: Incoming) -> str:
        """The language of the person who wrote, or the default one for a stranger."""
        async with self.sessions() as session:
            found = await conversations.identify(session, incoming.channel, incoming.user_id)
        return (found[1].locale if found else None) or self.env.default_locale

    async def mark_unreachable(self, incoming: Incoming, reason: str) -> None:
        """The platform refused the writer for good (a blocked bot): leaders see it, outbox skips them."""
        async with self.sessions() as session:
            await identities.mark_unreachable(session, incoming.channel, incoming.user_id, reason, self.clock())
            await session.commit()
        log.info("identity unreachable: channel=%s chat=%s (%s)", incoming.channel.value, incoming.chat_id, reason)

    async def record_capability(self, channel: Channel, *, can_join_groups: bool) -> None:
        """What the platform said at start (Zalo's `can_join_groups`): the jobs post to its groups or not."""
        async with self.sessions() as session:
            await posts.record_capability(session, channel, can_join_groups=can_join_groups, now=self.clock())
            await session.commit()

    async def take_outbox(self, channel: Channel, chat_id: str) -> list[dict[str, Any]]:
        """The chat's due outbox messages, marked sent, for a channel that shows them itself (the terminal)."""
        async with self.sessions() as session:
            bodies = await delivery.take_for_chat(session, channel, chat_id, now=self.clock())
            await session.commit()
        return bodies


def _failed(incoming: Incoming) -> None:
    log.exception("update failed: channel=%s chat=%s message=%s", incoming.channel.value,
                  incoming.chat_id, incoming.message_id)
