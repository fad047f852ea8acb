"""Acting on a concern from the console: the chat's actions (`models.concerns.workflow`) with the same
rights, the same status rules, the same limits on what is typed and the same notices (`notify_change`).

The rights and the status are read again when the form arrives: someone may have acted meanwhile.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from models import access
from models.concerns import people as concerns_people, workflow
from models.concerns.notify import notify_change
from models.concerns.workflow import Action, Refused
from models.enums import CloseReason, Role
from models.tables import Concern, ConcernEvent, Person

ASSIGNABLE = 200
# The chat's limits (handlers/concerns/follow_up.py): a note, an answer, an outside body's name.
NOTE_MIN, NOTE_MAX = 2, 1000
ANSWER_MIN, ANSWER_MAX = 5, 1500
BODY_MIN, BODY_MAX = 2, 120


class BadInput(Exception):
    """What was typed does not fit; `code` and `limits` let the page say so in the person's language."""

    def __init__(self, code: str, **limits: int) -> None:
        super().__init__(code)
        self.code, self.limits = code, limits


@dataclass(frozen=True)
class Done:
    event: ConcernEvent
    notices: int  # messages queued for the people told


def _text(values: Mapping[str, str], key: str, low: int, high: int, *, optional: bool = False) -> str | None:
    text = (values.get(key) or "").strip()
    if not text and optional:
        return None
    if len(text) < low:
        raise BadInput("too_short", min=low)
    if len(text) > high:
        raise BadInput("too_long", count=len(text), max=high)
    return text


async def assignees(session: AsyncSession, concern: Concern) -> Sequence[tuple[Person, Role]]:
    """Whom the concern may be given to, as the chat offers them."""
    return await concerns_people.assignable(session, concern, ASSIGNABLE)


async def perform(session: AsyncSession, concern: Concern, held: Sequence[access.Held], person_id: int,
                  act: str, values: Mapping[str, str], *, now: dt.datetime, tz: ZoneInfo,
                  default_locale: str) -> Done:
    """Refused (rights or status, with the chat's codes) or BadInput; else the event, its notices queued."""
    rights = await workflow.access(session, person_id, concern, held)
    if not rights.sees:
        raise Refused("read_only")
    workflow.check(rights, act)
    if act not in workflow.available(rights, concern):
        raise Refused("top" if act == Action.ESCALATE else
                      {"closed": "closed", "answered": "answered"}.get(concern.status.value, "not_reopenable"))
    common = {"actor_id": person_id, "now": now}
    event: ConcernEvent | None
    if act == Action.TAKE_ON:
        who = values.get("assignee", "")
        body = _text(values, "body", BODY_MIN, BODY_MAX, optional=True)
        if who.isdigit() and int(who) in {p.id for p, _role in await assignees(session, concern)} | {person_id}:
            assignee_id, label = int(who), None
        elif body is not None:
            assignee_id, label = person_id, body  # an outside body, followed up by the person
        else:
            raise BadInput("assignee")
        event = await workflow.take_on(session, concern, assignee_id=assignee_id, assignee_label=label,
                                       note=_text(values, "note", NOTE_MIN, NOTE_MAX, optional=True), **common)
    elif act == Action.ESCALATE:
        event = await workflow.escalate(session, concern, note=_text(values, "note", NOTE_MIN, NOTE_MAX,
                                                                     optional=True), **common)
    elif act == Action.NOTE:
        event = await workflow.add_note(session, concern, text=_text(values, "note", NOTE_MIN, NOTE_MAX), **common)
    elif act == Action.ANSWER:
        event = await workflow.answer(session, concern, text=_text(values, "text", ANSWER_MIN, ANSWER_MAX),
                                      **common)
    elif act == Action.CLOSE:
        try:
            reason = CloseReason(values.get("reason", ""))
        except ValueError:
            raise BadInput("reason") from None
        event = await workflow.close(session, concern, reason=reason,
                                     note=_text(values, "note", NOTE_MIN, NOTE_MAX, optional=True), **common)
    elif act == Action.REOPEN:
        event = await workflow.reopen(session, concern, reason=_text(values, "note", NOTE_MIN, NOTE_MAX), **common)
    else:
        raise BadInput("action")
    if event is None:
        raise Refused("top")
    notices = await notify_change(session, concern, event, now=now, tz=tz, default_locale=default_locale)
    return Done(event, notices)
