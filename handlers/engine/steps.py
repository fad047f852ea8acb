"""The step shapes flows repeat: typed text within limits, a choice from a label table, a moment ahead.

Each flow keeps its own words: the helpers take the messages, so a reason, a note or a place is
still refused in the flow's terms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from core.i18n import LazyString, __
from handlers.engine.dates import example_ahead, example_time, looks_like_time, parse_future_day, parse_time
from handlers.engine.flow import Answer, Ctx, Invalid, Prompt, Step
from handlers.engine.matching import has_letters
from handlers.engine.types import Option
from models.meetings.calendar import local_moment

Ask = Callable[[Ctx], Awaitable[Prompt]]
Message = LazyString | str
K = TypeVar("K")


def _then(then: str | None) -> tuple[str, ...]:
    return (then,) if then else ()


@dataclass(frozen=True)
class TextRule:
    """How long typed text may be, and what the flow says when it is too short or too long."""

    maximum: int
    too_short: Message  # also for text without letters; may name {min}
    too_long: Message  # may name {count} and {max}
    minimum: int = 0

    def check(self, text: str) -> str:
        """The text without outer spaces; Invalid when it has no words, or too few or too many characters."""
        text = text.strip()
        if not has_letters(text) or len(text) < self.minimum:
            raise Invalid(str(self.too_short).format(min=self.minimum))
        if len(text) > self.maximum:
            raise Invalid(str(self.too_long).format(count=len(text), max=self.maximum))
        return text


def text_step(name: str, ask: Ask, rule: TextRule, *, key: str | None = None, then: str | None = None,
              optional: bool = False) -> Step:
    """Typed text stored under `key` (the step's name by default); when `optional`, an option the
    prompt offers ("Bỏ qua") stores None instead."""
    field = key or name

    async def accept(ctx: Ctx, answer: Answer) -> str | None:
        ctx.put(**{field: None if optional and answer.option is not None else rule.check(answer.text)})
        return then

    return Step(name, ask, accept, free_text=True, next=_then(then))


@dataclass(frozen=True)
class LabelChoice(Generic[K]):
    """A label table (an enum's labels, the weekdays) offered as options, and the answer read back."""

    prefix: str  # the option keys are prefix + the value, e.g. "c:land"
    labels: Mapping[K, Message]
    invalid: Message  # may name {count}
    columns: int = 1

    @staticmethod
    def stored(value: K) -> object:
        """What the flow's data keeps: an enum's value, or the value itself."""
        return getattr(value, "value", value)

    def _key(self, value: K) -> str:
        return f"{self.prefix}{self.stored(value)}"

    def prompt(self, text: str) -> Prompt:
        return Prompt(text, tuple(Option(self._key(v), str(label)) for v, label in self.labels.items()),
                      columns=self.columns)

    def picked(self, answer: Answer) -> K | None:
        key = answer.option.key if answer.option is not None else None
        return next((v for v in self.labels if self._key(v) == key), None)

    def refusal(self) -> str:
        return str(self.invalid).format(count=len(self.labels))

    def choose(self, answer: Answer) -> K:
        value = self.picked(answer)
        if value is None:
            raise Invalid(self.refusal())
        return value


def choice_step(name: str, text: Callable[[Ctx], str], choice: LabelChoice, *, key: str | None = None,
                then: str | None = None) -> Step:
    """`text` over the table's options; the value chosen is stored under `key` (the step's name by default)."""
    field = key or name

    async def ask(ctx: Ctx) -> Prompt:
        return choice.prompt(text(ctx))

    async def accept(ctx: Ctx, answer: Answer) -> str | None:
        ctx.put(**{field: choice.stored(choice.choose(answer))})
        return then

    return Step(name, ask, accept, next=_then(then))


@dataclass(frozen=True)
class FutureMoment:
    """A day from today on, then a time on it ("hh:mm" under "time"), which must still lie ahead.

    The messages may name {example}: a day (`bad_day`) or a time (`bad_time`) that is a valid
    answer on the day they are shown, never a fixed date gone by.
    """

    day_key: str
    bad_day: Message
    bad_time: Message
    past: Message
    usual_time: str = "07:30"  # the time example, unless it has passed on the day chosen
    time_for_day: Message = __("“{text}” là giờ; bước này hỏi ngày (giờ hỏi ngay sau). Gõ ngày, ví dụ {example}.")

    def day_example(self, ctx: Ctx) -> str:
        return example_ahead(ctx.today)

    def time_example(self, ctx: Ctx) -> str:
        stored = ctx.data.get(self.day_key)
        return example_time(self.usual_time, dt.date.fromisoformat(stored) if stored else None,
                            ctx.now.astimezone(ctx.tz))

    def day_step(self, name: str, ask: Ask, *, then: str) -> Step:
        async def accept(ctx: Ctx, answer: Answer) -> str:
            day = parse_future_day(answer.text, ctx.today)
            if day is None and looks_like_time(answer.text):
                raise Invalid(str(self.time_for_day).format(text=answer.text.strip(), example=self.day_example(ctx)))
            if day is None:
                raise Invalid(str(self.bad_day).format(example=self.day_example(ctx)))
            ctx.put(**{self.day_key: day.isoformat()})
            return then

        return Step(name, ask, accept, free_text=True, next=(then,))

    def time_typed(self, answer: Answer, ctx: Ctx | None = None) -> str:
        """"hh:mm" from what was typed; Invalid when it is not a time of day."""
        parsed = parse_time(answer.text)
        if parsed is None:
            example = self.time_example(ctx) if ctx is not None else self.usual_time
            raise Invalid(str(self.bad_time).format(example=example))
        return f"{parsed[0]:02d}:{parsed[1]:02d}"

    def at(self, ctx: Ctx, time: str | None = None) -> dt.datetime:
        """The moment of the day stored and `time` (the stored time by default)."""
        hour, minute = (int(part) for part in (time or ctx.data["time"]).split(":"))
        return local_moment(dt.date.fromisoformat(ctx.data[self.day_key]), hour, minute, ctx.tz)

    def require_ahead(self, ctx: Ctx, time: str) -> None:
        if self.at(ctx, time) <= ctx.now:
            raise Invalid(str(self.past))

    def time_step(self, name: str, ask: Ask, *, then: str | None = None) -> Step:
        async def accept(ctx: Ctx, answer: Answer) -> str | None:
            time = self.time_typed(answer, ctx)
            self.require_ahead(ctx, time)
            ctx.put(time=time)
            return then

        return Step(name, ask, accept, free_text=True, next=_then(then))
