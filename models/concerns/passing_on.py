"""Closing the loop: an answer is not done until the volunteer has passed it to the household.

Each `ConcernHousehold` row is one household waiting for the answer and the volunteer (its
reporter) who should bring it. An answer waits while the concern stands answered — status
*Đã trả lời*, or closed as resolved with an answer text — and the row's `told_at` is empty.
A concern reopened, or closed for another reason, has no answer to pass on.
"""

import datetime as dt
from collections.abc import Sequence
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, and_, bindparam, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import audit
from models.access import Held, covers_bound, scope_params
from models.concerns import workflow
from models.enums import CloseReason, ConcernCategory, ConcernStatus
from models.outbox import enqueue
from models.tables import Concern, ConcernEvent, ConcernHousehold, Household, OrgUnit

WAIT = dt.timedelta(days=7)  # an answer not passed on by then nudges the volunteer
TOLD = "household_told"  # the ConcernEvent action


class PendingAnswer(NamedTuple):
    """One household's answer still to pass on, with what the volunteer needs to say it."""

    row_id: int
    concern_id: int
    reference: str
    category: ConcernCategory
    description: str
    answer_text: str
    answered_at: dt.datetime
    household_id: int | None
    household_name: str | None
    reporter_id: int


def answer_stands() -> ColumnElement[bool]:
    """SQL: the concern has an answer the household should hear."""
    return and_(Concern.answer_text.is_not(None), or_(
        Concern.status == ConcernStatus.ANSWERED,
        and_(Concern.status == ConcernStatus.CLOSED, Concern.close_reason == CloseReason.RESOLVED)))


def stands(concern: Concern) -> bool:
    """`answer_stands` for a loaded concern."""
    return concern.answer_text is not None and (
        concern.status == ConcernStatus.ANSWERED
        or (concern.status == ConcernStatus.CLOSED and concern.close_reason == CloseReason.RESOLVED))


def answer_waits(household_id: ColumnElement[Any]) -> ColumnElement[bool]:
    """SQL: an answer waits to be passed on to this household (a column of the outer query), for
    a mark beside it in any list — folded into that list's own query, never one per row."""
    return (select(ConcernHousehold.id).join(Concern, Concern.id == ConcernHousehold.concern_id)
            .where(ConcernHousehold.household_id == household_id, ConcernHousehold.told_at.is_(None),
                   answer_stands())
            .exists())


def _answered_at() -> ColumnElement[Any]:
    # A concern closed as resolved without an answer step still has a moment it was settled.
    return func.coalesce(Concern.answered_at, Concern.closed_at)


def _pending() -> Select[Any]:
    return (select(ConcernHousehold.id, Concern.id, Concern.reference, Concern.category, Concern.description,
                   Concern.answer_text, _answered_at(), ConcernHousehold.household_id, Household.head_name,
                   ConcernHousehold.reporter_id)
            .join(Concern, Concern.id == ConcernHousehold.concern_id)
            .outerjoin(Household, Household.id == ConcernHousehold.household_id)
            .where(ConcernHousehold.told_at.is_(None), answer_stands())
            .order_by(_answered_at(), ConcernHousehold.id))


async def household_for_visit(session: AsyncSession, held: Sequence[Held], household_id: int
                              ) -> tuple[Household, bool] | None:
    """The household if the person's roles cover it, and whether an answer waits for it — one
    query, so the visit flow pays nothing extra when nothing is pending."""
    paths = scope_params(held)
    row = (await session.execute(_visit_statement(len(paths)), {**paths, "household_id": household_id})).first()
    return (row[0], bool(row[1])) if row else None


@cache
def _visit_statement(paths: int) -> Select[Any]:
    # `households.finding.get_in_scope` with the EXISTS folded in; built once per number of unit paths.
    return (select(Household, answer_waits(Household.id)).join(OrgUnit, OrgUnit.id == Household.nhom_id)
            .where(Household.id == bindparam("household_id"), Household.active.is_(True),
                   covers_bound(OrgUnit.path, paths)))


async def waiting_for_household(session: AsyncSession, household_id: int) -> list[PendingAnswer]:
    """Answers this household has not heard yet, oldest first (any volunteer may bring them)."""
    rows = await session.execute(_pending().where(ConcernHousehold.household_id == household_id))
    return [PendingAnswer(*row) for row in rows]


async def waiting_for_volunteer(session: AsyncSession, person_id: int) -> list[PendingAnswer]:
    """Answers the person is to pass on: the rows they reported."""
    rows = await session.execute(_pending().where(ConcernHousehold.reporter_id == person_id))
    return [PendingAnswer(*row) for row in rows]


async def answers_not_passed(session: AsyncSession, now: dt.datetime, after: dt.timedelta = WAIT, *,
                             since: dt.datetime | None = None) -> list[PendingAnswer]:
    """Rows answered at least `after` ago and not told. A household attached after the answer
    counts from when it was attached. `since`: only rows whose moment (answer + `after`) came
    at or after it, so a job does not read every forgotten row of past years on each run."""
    cutoff = now - after
    statement = _pending().where(_answered_at() <= cutoff, ConcernHousehold.added_at <= cutoff)
    if since is not None:
        start = since - after
        statement = statement.where(or_(_answered_at() >= start, ConcernHousehold.added_at >= start))
    return [PendingAnswer(*row) for row in await session.execute(statement)]


async def rows_to_tell(session: AsyncSession, concern_id: int) -> dict[int, list[tuple[int, str | None]]]:
    """Each volunteer's rows of the concern not yet told: (row id, household name) — the buttons
    the answered notification carries."""
    rows = await session.execute(
        select(ConcernHousehold.reporter_id, ConcernHousehold.id, Household.head_name)
        .outerjoin(Household, Household.id == ConcernHousehold.household_id)
        .where(ConcernHousehold.concern_id == concern_id, ConcernHousehold.told_at.is_(None))
        .order_by(ConcernHousehold.id))
    found: dict[int, list[tuple[int, str | None]]] = {}
    for person_id, row_id, name in rows:
        found.setdefault(person_id, []).append((row_id, name))
    return found


async def row_with_concern(session: AsyncSession, row_id: int) -> tuple[ConcernHousehold, Concern] | None:
    found = (await session.execute(
        select(ConcernHousehold, Concern).join(Concern, Concern.id == ConcernHousehold.concern_id)
        .where(ConcernHousehold.id == row_id))).first()
    return (found[0], found[1]) if found else None


def nudge_key(concern_id: int, row_id: int) -> str:
    """The idempotency key prefix of the 7-day nudge for one row (the outbox adds the person)."""
    return f"concern:{concern_id}:told{row_id}:"


async def mark_told(session: AsyncSession, row: ConcernHousehold, *, person_id: int, now: dt.datetime,
                    concern: Concern | None = None) -> ConcernEvent | None:
    """Records that the row's household heard the answer, told by `person_id` (anyone who
    passed it on, not only the row's reporter); None when it was already recorded.

    The concern's `household_told_at` follows the reporting household's row; a nudge still
    held by quiet hours or a mute is withdrawn.
    """
    result = await session.execute(
        update(ConcernHousehold).where(ConcernHousehold.id == row.id, ConcernHousehold.told_at.is_(None))
        .values(told_at=now, told_by_id=person_id))
    if not result.rowcount:  # a second press, or someone else was quicker
        return None
    concern = concern or await session.get(Concern, row.concern_id)
    reporting = row.household_id == concern.household_id and (
        row.household_id is not None or row.reporter_id == concern.reporter_id)
    if reporting and concern.household_told_at is None:
        concern.household_told_at = now
    household = await session.get(Household, row.household_id) if row.household_id is not None else None
    event = ConcernEvent(concern_id=concern.id, actor_id=person_id, action=TOLD,
                         note=household.head_name if household else None, at=now)
    session.add(event)
    await session.flush()
    audit.record(session, "concern_household_told", "concern", concern.id, actor_id=person_id,
                 actor_label=f"person:{person_id}", details={"row": row.id, "household_id": row.household_id})
    await enqueue.withdraw(session, nudge_key(concern.id, row.id), reason="household told")
    return event


async def may_record_told(session: AsyncSession, person_id: int, row: ConcernHousehold, concern: Concern,
                          held: Sequence[Held]) -> bool:
    """The row's volunteer, or anyone with a hand in the concern: a leader whose roles cover its
    village (`workflow.access`, whatever level it is at now) or the person handling it.
    The volunteer of another household of the same concern may not."""
    if row.reporter_id == person_id:
        return True
    rights = await workflow.access(session, person_id, concern, held)
    return bool(rights.roles) or rights.assignee
