"""The flow vocabulary: a flow is a set of named steps, each a prompt and an answer check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.engine.types import Incoming, Option, Reply
from models import access
from models.access import Held
from models.conversations import ChatState
from models.tables import ChatIdentity, Person


class Invalid(Exception):
    """The answer cannot be used; the message says why and the step is asked again."""


class Stay(Exception):
    """Ask the same step again (a page turned, a search made, a date noted), with a notice."""

    def __init__(self, notice: str = "") -> None:
        super().__init__(notice)
        self.notice = notice


@dataclass
class Ctx:
    """Everything a step sees about the current update."""

    session: AsyncSession
    incoming: Incoming
    now: dt.datetime
    tz: ZoneInfo
    state: ChatState
    person: Person | None = None
    identity: ChatIdentity | None = None
    # The deployment's language (DEFAULT_LOCALE): for texts to group chats, which have none of their own.
    default_locale: str = "vi"
    web_url: str | None = None  # where the web console's login links point (`/web` in the chat)
    _held: dict[int, Sequence[Held]] = field(default_factory=dict, repr=False)

    async def roles(self) -> Sequence[Held]:
        """The person's roles, read once per update however many steps of it ask."""
        assert self.person is not None
        held = self._held.get(self.person.id)
        if held is None:
            held = self._held[self.person.id] = await access.roles(self.session, self.person.id)
        return held

    def forget_roles(self) -> None:
        """After a change that may have touched memberships (a finished flow, e.g. joining)."""
        self._held.clear()

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(self.tz).date()

    @property
    def data(self) -> dict[str, Any]:
        return self.state.data

    def put(self, **values: Any) -> None:
        """Store answers; a new dict, so the copy read at the start still tells what changed."""
        self.state.data = {**self.state.data, **values}

    def drop(self, *keys: str) -> None:
        self.state.data = {k: v for k, v in self.state.data.items() if k not in keys}


@dataclass(frozen=True)
class Prompt:
    text: str
    options: tuple[Option, ...] = ()
    columns: int = 1


@dataclass(frozen=True)
class Answer:
    option: Option | None
    text: str
    photo: str | None = None


@dataclass(frozen=True)
class Step:
    """`ask` renders the question; `accept` stores the answer and names the next step (None ends)."""

    name: str
    ask: Callable[[Ctx], Awaitable[Prompt]]
    accept: Callable[[Ctx, Answer], Awaitable[str | None]]
    # Free-text steps take what is typed even when options (like "Bỏ qua") are offered.
    free_text: bool = False
    # Every step `accept` may name: checked against the flow at start-up (`handlers/engine/checks.py`)
    # and against what `accept` returns on every answer, so the declaration cannot fall behind the code.
    next: tuple[str, ...] = ()


@dataclass(frozen=True)
class Flow:
    name: str
    first: str
    steps: dict[str, Step]
    finish: Callable[[Ctx], Awaitable[list[Reply]]]
    start: Callable[[Ctx], Awaitable[str]] | None = None  # may pick another first step
    start_steps: tuple[str, ...] = ()  # the steps `start` may pick besides `first`
    needs_person: bool = True
    options: dict[str, Any] = field(default_factory=dict)
