"""Following a concern up: who sees it, who may act on it, and the actions with their history.

Rights (DOMAIN.md: each person sees only what their role covers; decided in `models.access.concerns`):

- **Who sees a concern.** The team leader, the deputies and the chi bộ secretary see every concern
  of their village; the khối dân vận head, the commune Party secretary and the admin see every
  concern of their commune. The volunteer who logged it (or attached a household to it) sees it
  read-only, and so does nobody else: members and group leaders see only their own. The person it
  is assigned to sees it too. For anyone else a concern does not exist: `find_visible` answers
  None for both, so `/pa` cannot be used to probe references.
- **Who acts, by level.** A concern starts at the team. While it is there the team leader and
  deputies act on it; the chi bộ secretary acts at the team and chi bộ levels; the commune roles
  at every level. Escalating moves it out of the lower level's hands — they still see it, and are
  refused with the reason. The person it is assigned to may add notes and record the answer
  (the job they were given), nothing else.
- **The household's name** is shown to the volunteer who logged it and to the village and commune
  leaders covering it, never for complaints and denunciations (Law on Denunciations, art. 47 —
  see `models.concerns.group_posts`), never to the admin, never with the phone or address.

Status changes: take on (new/forwarded/in progress → in progress), escalate (→ forwarded, one level
up; None at the top), answer (→ answered, with the text and time), close with a reason (any open
status → closed; a closure is not an answer: `answered_at` is left as it was, and the reason tells
"resolved" from "not competent", "duplicate" and "withdrawn"), reopen (answered or closed → in
progress, or new when nobody holds it; the answer and the households' "told" marks are cleared so
the next answer reaches them again — the old answer stays in the history). Every action writes a
`ConcernEvent` and an audit entry in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import access as models_access, audit
from models.concerns import time_limits
from models.enums import CloseReason, ConcernCategory, ConcernLevel, ConcernStatus, Urgency
from models.outbox.enqueue import withdraw
from models.tables import Concern, ConcernEvent, ConcernHousehold, OrgUnit

LEVELS = list(ConcernLevel)
ACTIVE = frozenset({ConcernStatus.NEW, ConcernStatus.FORWARDED, ConcernStatus.IN_PROGRESS})
OPEN = ACTIVE | {ConcernStatus.ANSWERED}


class Action:
    """Action names: the history's `action` column and the rights' vocabulary."""

    TAKE_ON = "taken_on"
    ESCALATE = "escalated"
    NOTE = "note"
    ANSWER = "answered"
    CLOSE = "closed"
    REOPEN = "reopened"


ASSIGNEE_ACTIONS = (Action.NOTE, Action.ANSWER)


class Refused(Exception):
    """An action not allowed; `code` is for the handler to explain in the person's language.

    Codes: read_only, level (escalated out of the person's hands), closed, answered, not_reopenable.
    """

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# One person's rights on one concern, decided in `models.access.concerns`.
Access = models_access.ConcernAccess


async def access(session: AsyncSession, person_id: int, concern: Concern,
                 held: Sequence[models_access.Held] | None = None) -> Access:
    held = await models_access.roles(session, person_id) if held is None else held
    village = await session.get(OrgUnit, concern.village_id)
    reporter = concern.reporter_id == person_id or bool(await session.scalar(
        select(ConcernHousehold.id).where(ConcernHousehold.concern_id == concern.id,
                                          ConcernHousehold.reporter_id == person_id).limit(1)))
    return models_access.concern_access(held, village, concern.level, reporter=reporter,
                                        assignee=concern.assignee_id == person_id)


def available(rights: Access, concern: Concern) -> list[str]:
    """The actions the person may take now, in the order the buttons show them."""
    if rights.holds:
        allowed = {Action.TAKE_ON, Action.ESCALATE, Action.NOTE, Action.ANSWER, Action.CLOSE, Action.REOPEN}
    elif rights.assignee:
        allowed = set(ASSIGNEE_ACTIONS)
    else:
        return []
    by_status = {
        Action.TAKE_ON: concern.status in ACTIVE,
        Action.ESCALATE: concern.status in ACTIVE and concern.level != ConcernLevel.COMMUNE,
        Action.NOTE: concern.status != ConcernStatus.CLOSED,
        Action.ANSWER: concern.status in ACTIVE,
        Action.CLOSE: concern.status != ConcernStatus.CLOSED,
        Action.REOPEN: concern.status in (ConcernStatus.ANSWERED, ConcernStatus.CLOSED),
    }
    return [name for name, fits in by_status.items() if fits and name in allowed]


def check(rights: Access, action: str) -> None:
    """Refused unless the person may take this action at the concern's level (status aside)."""
    if rights.holds or (rights.assignee and action in ASSIGNEE_ACTIONS):
        return
    raise Refused(rights.refusal())


async def find_visible(session: AsyncSession, person_id: int, reference: str,
                       held: Sequence[models_access.Held] | None = None) -> Concern | None:
    """The concern, or None both when there is none and when the person may not see it."""
    concern = await session.scalar(select(Concern).where(Concern.reference == reference.strip().upper()))
    if concern is None or not (await access(session, person_id, concern, held)).sees:
        return None
    return concern


async def visible_by_id(session: AsyncSession, person_id: int, concern_id: int,
                        held: Sequence[models_access.Held] | None = None) -> tuple[Concern, Access] | None:
    concern = await session.get(Concern, concern_id)
    if concern is None:
        return None
    rights = await access(session, person_id, concern, held)
    return (concern, rights) if rights.sees else None


# --- the inbox ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class InboxRow:
    concern: Concern
    village: str
    households: int


@dataclass(frozen=True)
class InboxPage:
    rows: list[InboxRow]
    more: bool  # another page follows


def _inbox_base(held: Sequence[models_access.Held], person_id: int, *, category: ConcernCategory | None,
                village_id: int | None, status: ConcernStatus | None) -> Select:
    village = OrgUnit
    query = (select(Concern, village.name).join(village, village.id == Concern.village_id)
             .where(or_(models_access.covers_area(models_access.concern_leads(held), village.path), Concern.assignee_id == person_id)))
    # Answered concerns have left the open list: they wait only for the household to hear the answer.
    query = query.where(Concern.status == status) if status else query.where(Concern.status.in_(ACTIVE))
    if category is not None:
        query = query.where(Concern.category == category)
    if village_id is not None:
        query = query.where(Concern.village_id == village_id)
    return query


async def inbox(session: AsyncSession, person_id: int, *, category: ConcernCategory | None = None,
                village_id: int | None = None, status: ConcernStatus | None = None, limit: int = 8,
                offset: int = 0) -> InboxPage:
    """Open concerns, not yet answered (or those of `status`), the person's roles cover or that are assigned to them:
    urgent first, then nearest due."""
    held = await models_access.roles(session, person_id)
    # Counted per row shown (an index lookup each), not grouped over every concern's households.
    households = (select(func.count()).where(ConcernHousehold.concern_id == Concern.id)
                  .correlate(Concern).scalar_subquery())
    query = (_inbox_base(held, person_id, category=category, village_id=village_id, status=status)
             .add_columns(households)
             .order_by((Concern.urgency == Urgency.URGENT).desc(), Concern.due_at, Concern.id)
             .offset(offset).limit(limit + 1))
    rows = [InboxRow(concern, name, max(n, 1)) for concern, name, n in (await session.execute(query)).all()]
    return InboxPage(rows[:limit], len(rows) > limit)


async def inbox_facets(session: AsyncSession, person_id: int, *, status: ConcernStatus | None = None
                       ) -> tuple[list[tuple[ConcernCategory, int]], list[tuple[int, str, int]]]:
    """What the filters offer: categories and villages with concerns in the inbox, with counts."""
    held = await models_access.roles(session, person_id)
    base = _inbox_base(held, person_id, category=None, village_id=None, status=status).subquery()
    categories = (await session.execute(select(base.c.category, func.count()).group_by(base.c.category))).all()
    order = list(ConcernCategory)
    villages = (await session.execute(
        select(OrgUnit.id, OrgUnit.name, func.count()).join(base, base.c.village_id == OrgUnit.id)
        .group_by(OrgUnit.id, OrgUnit.name, OrgUnit.name_key).order_by(OrgUnit.name_key))).all()
    return (sorted(((ConcernCategory(c), n) for c, n in categories), key=lambda row: order.index(row[0])),
            [(i, name, n) for i, name, n in villages])


# --- the actions -------------------------------------------------------------------------------------

def _event(session: AsyncSession, concern: Concern, action: str, *, actor_id: int | None, now: dt.datetime,
           before: ConcernStatus, note: str | None, details: dict | None = None) -> ConcernEvent:
    concern.updated_at = now
    event = ConcernEvent(concern_id=concern.id, actor_id=actor_id, action=action, from_status=before,
                         to_status=concern.status, note=note, at=now)
    session.add(event)
    audit.record(session, f"concern.{action}", "concern", concern.id, actor_id=actor_id,
                 actor_label=f"person:{actor_id}" if actor_id else "system",
                 details={"reference": concern.reference, "from": before.value, "to": concern.status.value,
                          **(details or {})})
    return event


def _require(concern: Concern, allowed: frozenset[ConcernStatus]) -> None:
    if concern.status in allowed:
        return
    raise Refused({ConcernStatus.CLOSED: "closed", ConcernStatus.ANSWERED: "answered"}.get(concern.status,
                                                                                          "not_reopenable"))


async def take_on(session: AsyncSession, concern: Concern, *, actor_id: int, now: dt.datetime,
                  assignee_id: int | None = None, assignee_label: str | None = None,
                  note: str | None = None) -> ConcernEvent:
    """In progress, held by a person, an outside body ("UBND xã") followed up by a person, or both."""
    _require(concern, ACTIVE)
    before = concern.status
    concern.status = ConcernStatus.IN_PROGRESS
    concern.assignee_id, concern.assignee_label = assignee_id, assignee_label
    event = _event(session, concern, Action.TAKE_ON, actor_id=actor_id, now=now, before=before, note=note,
                   details={"assignee_id": assignee_id, "assignee_label": assignee_label})
    await session.flush()
    return event


async def escalate(session: AsyncSession, concern: Concern, *, actor_id: int | None, now: dt.datetime,
                   note: str | None = None) -> ConcernEvent | None:
    """One level up, to be taken on afresh there; None at the commune, the top. `actor_id` None: the
    overdue job."""
    _require(concern, ACTIVE)
    index = LEVELS.index(concern.level)
    if index + 1 == len(LEVELS):
        return None
    before, level = concern.status, concern.level
    concern.level, concern.escalated_at = LEVELS[index + 1], now
    concern.status = ConcernStatus.FORWARDED
    concern.assignee_id, concern.assignee_label = None, None
    event = _event(session, concern, Action.ESCALATE, actor_id=actor_id, now=now, before=before, note=note,
                   details={"from_level": level.value, "to_level": concern.level.value})
    await session.flush()
    return event


async def add_note(session: AsyncSession, concern: Concern, *, actor_id: int, text: str,
                   now: dt.datetime) -> ConcernEvent:
    _require(concern, OPEN)
    event = _event(session, concern, Action.NOTE, actor_id=actor_id, now=now, before=concern.status, note=text)
    await session.flush()
    return event


async def answer(session: AsyncSession, concern: Concern, *, actor_id: int, text: str,
                 now: dt.datetime) -> ConcernEvent:
    """Answered: the volunteers who logged it now owe the household the answer."""
    _require(concern, ACTIVE)
    before = concern.status
    concern.status, concern.answer_text, concern.answered_at = ConcernStatus.ANSWERED, text, now
    event = _event(session, concern, Action.ANSWER, actor_id=actor_id, now=now, before=before, note=text)
    await _withdraw_overdue_nudges(session, concern)
    await session.flush()
    return event


async def close(session: AsyncSession, concern: Concern, *, actor_id: int, reason: CloseReason,
                now: dt.datetime, note: str | None = None) -> ConcernEvent:
    _require(concern, OPEN)
    before = concern.status
    concern.status, concern.closed_at, concern.close_reason = ConcernStatus.CLOSED, now, reason
    event = _event(session, concern, Action.CLOSE, actor_id=actor_id, now=now, before=before, note=note,
                   details={"reason": reason.value})
    await _withdraw_overdue_nudges(session, concern)
    await session.flush()
    return event


async def _withdraw_overdue_nudges(session: AsyncSession, concern: Concern) -> None:
    """An overdue nudge held back by the quiet hours or a mute would nag about a settled concern
    (keys from `models/concerns/overdue.py`)."""
    await withdraw(session, f"concern:{concern.id}:overdue:", reason="concern answered or closed")


async def reopen(session: AsyncSession, concern: Concern, *, actor_id: int, reason: str,
                 now: dt.datetime) -> ConcernEvent:
    if concern.status not in (ConcernStatus.ANSWERED, ConcernStatus.CLOSED):
        raise Refused("not_reopenable")
    before = concern.status
    held = concern.assignee_id is not None or concern.assignee_label is not None
    concern.status = ConcernStatus.IN_PROGRESS if held else ConcernStatus.NEW
    concern.closed_at = concern.close_reason = None
    concern.answer_text = concern.answered_at = concern.household_told_at = None
    # A fresh time limit from today: the old one may have passed while it was answered or closed,
    # and a reopened concern must not be overdue (and escalated) the moment it is reopened.
    limits = await time_limits.limits_for(session, concern.commune_id, concern.category, concern.urgency)
    concern.due_at = max(concern.due_at, now + dt.timedelta(days=limits.due_days))
    await session.execute(update(ConcernHousehold).where(ConcernHousehold.concern_id == concern.id)
                          .values(told_at=None, told_by_id=None).execution_options(synchronize_session=False))
    event = _event(session, concern, Action.REOPEN, actor_id=actor_id, now=now, before=before, note=reason)
    await session.flush()
    return event
