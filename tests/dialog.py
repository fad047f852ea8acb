"""A scripted chat against the real engine and a real database: one session per message."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.engine.conversation import Env, handle
from handlers.engine.types import Incoming, Reply, render_numbered
from models.enums import Channel

_ids = itertools.count(1)


@dataclass
class Chat:
    sessions: async_sessionmaker[AsyncSession]
    user_id: str
    channel: Channel = Channel.TERMINAL
    now: dt.datetime = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)  # 9:00 in Hà Nội
    env: Env = field(default_factory=lambda: Env(tz=ZoneInfo("Asia/Ho_Chi_Minh")))
    last: list[Reply] = field(default_factory=list)
    chat_id: str | None = None  # a group's id; None for the private chat with user_id

    async def say(self, text: str = "", *, choice: str | None = None, photo: str | None = None,
                  message_id: str | None = None) -> list[Reply]:
        incoming = Incoming(channel=self.channel, chat_id=self.chat_id or self.user_id, user_id=self.user_id,
                            text=text, choice=choice, photo=photo, message_id=message_id or f"m{next(_ids)}",
                            display_name="Tester", is_group=self.chat_id is not None)
        async with self.sessions() as session:
            self.last = await handle(session, incoming, self.env, self.now)
            await session.commit()
        return self.last

    async def transcript(self, exchange: list[tuple[str, str]]) -> None:
        """Says each line and checks that what the bot shows back contains the text expected; a
        mismatch shows the whole exchange so far, so the step that went astray is plain to see."""
        seen: list[str] = []
        for said, expected in exchange:
            await self.say(said)
            seen.append(f">>> {said}\n{self.screen}")
            if expected not in self.screen:
                raise AssertionError(f"after {said!r} the bot did not show {expected!r}; the exchange so far:\n\n"
                                     + "\n\n".join(seen))

    @property
    def screen(self) -> str:
        return "\n\n".join(render_numbered(r) for r in self.last)

    async def menu_entry(self, words: str) -> list[Reply]:
        """Picks the main menu's entry by its words, on the first screen or on the one folded under
        "🗂 Mục khác…" (a leader's long menu), typing numbers as a person would."""
        options = self.last[-1].options
        more = next((str(n) for n, option in enumerate(options, 1) if option.key == "m:more"), None)
        if not any(words.lower() in option.label.lower() for option in options) and more is not None:
            await self.say(more)  # in any language
        return await self.say(self.option_number(words))

    async def menu_labels(self) -> list[str]:
        """Every entry of the main menu, the folded ones included (the chat is left on the main menu)."""
        await self.say("/menu")
        labels = [option.label for option in self.last[-1].options]
        if labels and labels[-1] == "🗂 Mục khác…":
            await self.say(str(len(labels)))
            labels = labels[:-1] + [option.label for option in self.last[-1].options][:-1]
            await self.say("/menu")
        return labels

    def option_number(self, words: str) -> str:
        """The number shown for the option whose label contains `words`."""
        options = self.last[-1].options
        for index, option in enumerate(options, 1):
            if words.lower() in option.label.lower():
                return str(index)
        raise AssertionError(f"no option {words!r} in:\n{self.screen}")
