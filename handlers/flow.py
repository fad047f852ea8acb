"""The flow vocabulary: a flow is a set of named steps, each a prompt and an answer check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.types import Incoming, Option, Reply
from models.tables import ChatIdentity, ConversationState, Person


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
    state: ConversationState
    person: Person | None = None
    identity: ChatIdentity | None = None

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(self.tz).date()

    @property
    def data(self) -> dict[str, Any]:
        return self.state.data

    def put(self, **values: Any) -> None:
        """Store answers; a new dict so the JSON column sees the change."""
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


@dataclass(frozen=True)
class Flow:
    name: str
    first: str
    steps: dict[str, Step]
    finish: Callable[[Ctx], Awaitable[list[Reply]]]
    start: Callable[[Ctx], Awaitable[str]] | None = None  # may pick another first step
    needs_person: bool = True
    options: dict[str, Any] = field(default_factory=dict)
