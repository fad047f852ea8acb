"""Answering a survey: which households are due, the form, the next question, answers kept as they come.

Every answer is written when it is given, so a form left halfway (a restart, a call, the next
day) resumes at the first question still unanswered; a response counts only once completed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, ScalarSelect, and_, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import UnitKind
from models.surveys.tables import (
    Respondents,
    Survey,
    SurveyAnswer,
    SurveyChoice,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)
from models.tables import Household, OrgUnit

DUE_LIMIT = 15  # households listed at once (one Zalo screen); the rest come as these are done


class SurveyClosed(Exception):
    """The survey passed its deadline (or was closed) while the form was open."""


@dataclass(frozen=True)
class QuestionView:
    question: SurveyQuestion
    choices: tuple[SurveyChoice, ...]


@dataclass(frozen=True)
class Form:
    survey: Survey
    questions: tuple[QuestionView, ...]

    def by_id(self, question_id: int) -> QuestionView | None:
        return next((q for q in self.questions if q.question.id == question_id), None)


@dataclass(frozen=True)
class DueHousehold:
    survey_id: int
    survey_title: str
    household_id: int
    head_name: str
    started: bool


Answers = dict[int, list[SurveyAnswer]]  # by question id; an empty answer row means "skipped"


def is_open(survey: Survey, now: dt.datetime) -> bool:
    return survey.status == SurveyStatus.OPEN and now < survey.deadline


def _open(now: dt.datetime) -> ColumnElement[bool]:
    return and_(Survey.status == SurveyStatus.OPEN, Survey.deadline > now)


async def due_households(session: AsyncSession, person_id: int, now: dt.datetime,
                         limit: int = DUE_LIMIT) -> list[DueHousehold]:
    """The person's assigned households with an open household survey not yet completed, started ones first."""
    response = SurveyResponse
    rows = (await session.execute(
        select(Survey.id, Survey.title, Household.id, Household.head_name, response.id)
        .join(Household, and_(Household.commune_id == Survey.commune_id, Household.assigned_member_id == person_id,
                              Household.active.is_(True)))
        .outerjoin(response, and_(response.survey_id == Survey.id, response.household_id == Household.id))
        .where(_open(now), Survey.respondents == Respondents.HOUSEHOLDS, response.completed_at.is_(None))
        .order_by(response.id.is_(None), Survey.deadline, Survey.id, Household.name_key, Household.id)
        .limit(limit)
    )).all()
    return [DueHousehold(s_id, title, h_id, name, r_id is not None) for s_id, title, h_id, name, r_id in rows]


async def load_form(session: AsyncSession, survey_id: int) -> Form | None:
    """The survey with its questions and choices; read once per session (an answer's update asks twice)."""
    read = session.info.setdefault("survey_forms", {})
    if survey_id not in read:
        read[survey_id] = await _read_form(session, survey_id)
    return read[survey_id]


async def _read_form(session: AsyncSession, survey_id: int) -> Form | None:
    survey = await session.get(Survey, survey_id)
    if survey is None:
        return None
    questions = list(await session.scalars(select(SurveyQuestion).where(SurveyQuestion.survey_id == survey_id)
                                           .order_by(SurveyQuestion.position)))
    choices = list(await session.scalars(
        select(SurveyChoice).join(SurveyQuestion, SurveyQuestion.id == SurveyChoice.question_id)
        .where(SurveyQuestion.survey_id == survey_id).order_by(SurveyChoice.question_id, SurveyChoice.position)))
    return Form(survey, tuple(QuestionView(q, tuple(c for c in choices if c.question_id == q.id)) for q in questions))


async def _village_and_team(session: AsyncSession, unit_id: int) -> tuple[int | None, int | None]:
    """The village and team above (or at) a unit, read from its path in one query."""
    unit = await session.get(OrgUnit, unit_id)
    if unit is None:
        return None, None
    ids = [int(part) for part in unit.path.strip("/").split("/") if part.isdigit()]
    rows = (await session.execute(select(OrgUnit.id, OrgUnit.kind).where(OrgUnit.id.in_(ids)))).all()
    kinds = {kind: unit_id for unit_id, kind in rows}
    return kinds.get(UnitKind.VILLAGE), kinds.get(UnitKind.TEAM)


async def household_response(session: AsyncSession, survey: Survey, household: Household, *, asked_by: int,
                             now: dt.datetime) -> SurveyResponse:
    """The household's form for this survey: the one already started, or a new one."""
    found = await session.scalar(select(SurveyResponse).where(SurveyResponse.survey_id == survey.id,
                                                              SurveyResponse.household_id == household.id))
    if found is not None:
        found.asked_by_id = asked_by
        return found
    _village, team = await _village_and_team(session, household.nhom_id)
    response = SurveyResponse(survey_id=survey.id, household_id=household.id, asked_by_id=asked_by,
                              village_id=household.village_id, team_id=team, started_at=now)
    session.add(response)
    await session.flush()
    return response


async def person_response(session: AsyncSession, survey_id: int, person_id: int) -> SurveyResponse | None:
    """A person's own form, made when the survey was sent to them (None: it was not sent to them)."""
    return await session.scalar(select(SurveyResponse).where(SurveyResponse.survey_id == survey_id,
                                                             SurveyResponse.person_id == person_id))


async def new_person_response(session: AsyncSession, survey: Survey, person_id: int, unit_id: int,
                              now: dt.datetime) -> SurveyResponse:
    village, team = await _village_and_team(session, unit_id)
    response = SurveyResponse(survey_id=survey.id, person_id=person_id, asked_by_id=person_id, village_id=village,
                              team_id=team, started_at=now)
    session.add(response)
    return response


async def answers(session: AsyncSession, response_id: int) -> Answers:
    found: Answers = {}
    for answer in await session.scalars(select(SurveyAnswer).where(SurveyAnswer.response_id == response_id)
                                        .order_by(SurveyAnswer.id)):
        found.setdefault(answer.question_id, []).append(answer)
    return found


def shown(form: Form, view: QuestionView, given: Answers) -> bool:
    """Whether the question is asked: it has no condition, or its condition's choice was picked."""
    question = view.question
    if question.show_if_id is None:
        return True
    condition = form.by_id(question.show_if_id)
    if condition is None:
        return True
    picked = {a.choice_id for a in given.get(question.show_if_id, [])}
    return any(c.id in picked and c.value == question.show_if_value for c in condition.choices)


def next_question(form: Form, given: Answers) -> QuestionView | None:
    """The first question shown and not yet answered; None when the form is done."""
    return next((q for q in form.questions if q.question.id not in given and shown(form, q, given)), None)


def progress(form: Form, given: Answers) -> tuple[int, int]:
    """(questions answered, questions shown so far): "Câu 3/7"."""
    visible = [q for q in form.questions if shown(form, q, given)]
    return sum(1 for q in visible if q.question.id in given), len(visible)


async def save_answer(session: AsyncSession, response: SurveyResponse, question: SurveyQuestion, *,
                      choice_ids: Sequence[int] = (), number: float | None = None, text: str | None = None,
                      day: dt.date | None = None) -> None:
    """Replaces the question's answer (nothing given: skipped); written now, so the form resumes here."""
    await session.execute(delete(SurveyAnswer).where(SurveyAnswer.response_id == response.id,
                                                     SurveyAnswer.question_id == question.id))
    if choice_ids:
        session.add_all(SurveyAnswer(response_id=response.id, question_id=question.id, choice_id=c) for c in choice_ids)
    else:
        session.add(SurveyAnswer(response_id=response.id, question_id=question.id, number=number, text=text, day=day))
    await session.flush()


async def clear_answer(session: AsyncSession, response_id: int, question_id: int) -> None:
    """Takes an answer back (the person went back a question); the form asks it again."""
    await session.execute(delete(SurveyAnswer).where(SurveyAnswer.response_id == response_id,
                                                     SurveyAnswer.question_id == question_id))


async def complete(session: AsyncSession, response: SurveyResponse, now: dt.datetime) -> None:
    response.completed_at = now
    await session.flush()


@dataclass(frozen=True)
class OwnSurvey:
    survey_id: int
    title: str
    deadline: dt.datetime


async def own_due(session: AsyncSession, person_id: int, now: dt.datetime) -> list[OwnSurvey]:
    """The open surveys sent to the person that they have not finished."""
    rows = (await session.execute(
        select(Survey.id, Survey.title, Survey.deadline).join(SurveyResponse, SurveyResponse.survey_id == Survey.id)
        .where(SurveyResponse.person_id == person_id, SurveyResponse.completed_at.is_(None), _open(now))
        .order_by(Survey.deadline, Survey.id))).all()
    return [OwnSurvey(*row) for row in rows]


async def response_by_id(session: AsyncSession, response_id: int) -> SurveyResponse | None:
    """Kept for the session, as the form is: the identity map alone would let it go between two reads."""
    read = session.info.setdefault("survey_responses", {})
    if response_id not in read:
        read[response_id] = await session.get(SurveyResponse, response_id)
    return read[response_id]


async def surveys_of(session: AsyncSession, commune_ids: Sequence[int], limit: int = 10) -> list[Survey]:
    """The communes' surveys, newest first: the authors' list of results."""
    return list(await session.scalars(select(Survey).where(Survey.commune_id.in_(commune_ids))
                                      .order_by(Survey.created_at.desc(), Survey.id.desc()).limit(limit)))


def survey_due(now: ColumnElement[dt.datetime]) -> ScalarSelect[int]:
    """SQL: an open household survey of `Household`'s commune it has not completed (ending soonest), for a
    household query to carry along (the visit flow offers it once the visit is saved)."""
    done = (select(SurveyResponse.id).where(SurveyResponse.survey_id == Survey.id,
                                            SurveyResponse.household_id == Household.id,
                                            SurveyResponse.completed_at.is_not(None))
            .correlate(Survey, Household).exists())
    return (select(Survey.id).where(Survey.commune_id == Household.commune_id, Survey.status == SurveyStatus.OPEN,
                                    Survey.deadline > now, Survey.respondents == Respondents.HOUSEHOLDS, ~done)
            .order_by(Survey.deadline, Survey.id).limit(1).correlate(Household).scalar_subquery())
