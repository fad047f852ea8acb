"""Surveys for members and leaders: sent once through the outbox, one reminder before the deadline, closed at it.

Each step claims its survey first (`sent_at`, `reminded_at`, `status`), so a job run twice, or
after a crash midway, sends nothing twice; the outbox keys make the messages themselves unique.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import access
from models.access.roles import role_in
from models.enums import UnitKind
from models.outbox.enqueue import enqueue_for_people
from models.surveys.tables import Respondents, Survey, SurveyQuestion, SurveyResponse, SurveyStatus
from models.tables import Membership, OrgUnit

REMIND_BEFORE = dt.timedelta(days=1)  # the one reminder: a day before the deadline, or halfway if sooner
Render = Callable[[str | None], dict[str, Any]]


async def close_due(session: AsyncSession, now: dt.datetime) -> list[int]:
    """Closes every open survey whose deadline has come; their ids."""
    return list(await session.scalars(
        update(Survey).where(Survey.status == SurveyStatus.OPEN, Survey.deadline <= now)
        .values(status=SurveyStatus.CLOSED, closed_at=now).returning(Survey.id)
        .execution_options(synchronize_session=False)))


async def to_send(session: AsyncSession, now: dt.datetime) -> Sequence[int]:
    return (await session.scalars(
        select(Survey.id).where(Survey.respondents == Respondents.PEOPLE, Survey.status == SurveyStatus.OPEN,
                                Survey.deadline > now, Survey.sent_at.is_(None)).order_by(Survey.id))).all()


async def to_remind(session: AsyncSession, now: dt.datetime) -> list[int]:
    """Sent surveys whose one reminder is due: a day before the deadline, or halfway for a shorter one."""
    rows = (await session.execute(
        select(Survey.id, Survey.sent_at, Survey.deadline)
        .where(Survey.respondents == Respondents.PEOPLE, Survey.status == SurveyStatus.OPEN, Survey.deadline > now,
               Survey.sent_at.is_not(None), Survey.reminded_at.is_(None))
        .order_by(Survey.id))).all()
    return [survey_id for survey_id, sent_at, deadline in rows if now >= remind_at(sent_at, deadline)]


def remind_at(sent_at: dt.datetime, deadline: dt.datetime) -> dt.datetime:
    return max(deadline - REMIND_BEFORE, sent_at + (deadline - sent_at) / 2)


async def question_count(session: AsyncSession, survey_id: int) -> int:
    return await session.scalar(select(func.count()).where(SurveyQuestion.survey_id == survey_id)) or 0


async def _claim(session: AsyncSession, survey_id: int, column: str, now: dt.datetime) -> Survey | None:
    claimed = await session.scalar(
        update(Survey).where(Survey.id == survey_id, getattr(Survey, column).is_(None))
        .values({column: now}).returning(Survey.id).execution_options(synchronize_session=False))
    return await session.get(Survey, survey_id) if claimed else None


async def _surveyed(session: AsyncSession, commune: OrgUnit) -> dict[int, tuple[int | None, int | None]]:
    """Everyone holding a surveyed role in the commune → (village, team) of their deepest role, in two queries."""
    units = {uid: (kind, path) for uid, kind, path in (await session.execute(
        select(OrgUnit.id, OrgUnit.kind, OrgUnit.path).where(OrgUnit.path.startswith(commune.path)))).all()}
    rows = (await session.execute(
        select(Membership.person_id, Membership.unit_id).join(OrgUnit, OrgUnit.id == Membership.unit_id)
        .where(Membership.ended_at.is_(None), role_in(Membership.role, access.SURVEYED),
               OrgUnit.path.startswith(commune.path))
        .order_by(Membership.person_id, OrgUnit.depth.desc()))).all()
    found: dict[int, tuple[int | None, int | None]] = {}
    for person_id, unit_id in rows:
        if person_id in found:
            continue
        above = [int(p) for p in units[unit_id][1].strip("/").split("/") if p.isdigit()]
        kinds = {units[u][0]: u for u in above if u in units}
        found[person_id] = (kinds.get(UnitKind.VILLAGE), kinds.get(UnitKind.TEAM))
    return found


async def surveyed_people(session: AsyncSession, commune: OrgUnit) -> set[int]:
    """Who a survey of the commune for members and leaders goes to."""
    return set(await _surveyed(session, commune))


async def send(session: AsyncSession, survey_id: int, *, now: dt.datetime, tz: ZoneInfo, body: Render) -> int:
    """The survey to every member and leader of its commune, each with their own form; how many were enqueued."""
    survey = await _claim(session, survey_id, "sent_at", now)
    if survey is None:
        return 0
    commune = await session.get(OrgUnit, survey.commune_id)
    people = await _surveyed(session, commune)
    known = set(await session.scalars(select(SurveyResponse.person_id).where(SurveyResponse.survey_id == survey_id,
                                                                               SurveyResponse.person_id.is_not(None))))
    session.add_all(SurveyResponse(survey_id=survey_id, person_id=person_id, village_id=village, team_id=team,
                                   started_at=now) for person_id, (village, team) in people.items()
                    if person_id not in known)
    await session.flush()
    added = await enqueue_for_people(session, list(people), key=f"survey:{survey_id}:send", kind="survey",
                                     body=body, now=now, tz=tz)
    return len(added)


async def remind(session: AsyncSession, survey_id: int, *, now: dt.datetime, tz: ZoneInfo, body: Render) -> int:
    """The one reminder, to those whose form is not complete; how many were enqueued."""
    survey = await _claim(session, survey_id, "reminded_at", now)
    if survey is None:
        return 0
    waiting = list(await session.scalars(select(SurveyResponse.person_id).where(
        SurveyResponse.survey_id == survey_id, SurveyResponse.person_id.is_not(None),
        SurveyResponse.completed_at.is_(None))))
    added = await enqueue_for_people(session, waiting, key=f"survey:{survey_id}:remind", kind="survey_reminder",
                                     body=body, now=now, tz=tz)
    return len(added)
