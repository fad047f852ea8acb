"""A survey's results: completed responses counted per option and village in two grouped queries.

Only completed forms count. A percentage is of the forms that answered the question (a question
shown only on a condition, or skipped, is not held against an option); several choices may
add up to more than 100 %.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import distinct, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.surveys.answering import Form, load_form
from models.surveys.tables import CHOICE_KINDS, Survey, SurveyAnswer, SurveyResponse
from models.tables import OrgUnit

NO_VILLAGE = 0  # a person surveyed who holds no role under a village (the commune's office)


@dataclass(frozen=True)
class OptionCount:
    label: str
    by_village: dict[int, int]

    @property
    def total(self) -> int:
        return sum(self.by_village.values())


@dataclass(frozen=True)
class QuestionResult:
    label: str
    is_choice: bool
    answered: dict[int, int]  # by village: completed forms that answered it
    options: tuple[OptionCount, ...]

    @property
    def answered_total(self) -> int:
        return sum(self.answered.values())


@dataclass(frozen=True)
class Results:
    form: Form
    villages: dict[int, str]  # id → name, in name order; NO_VILLAGE for the commune's own people
    completed: dict[int, int]  # by village
    questions: tuple[QuestionResult, ...]

    @property
    def completed_total(self) -> int:
        return sum(self.completed.values())


async def results(session: AsyncSession, survey_id: int) -> Results | None:
    form = await load_form(session, survey_id)
    if form is None:
        return None
    done = SurveyResponse.completed_at.is_not(None)
    village = func.coalesce(SurveyResponse.village_id, NO_VILLAGE)
    completed = dict((await session.execute(
        select(village, func.count()).where(SurveyResponse.survey_id == survey_id, done).group_by(village))).all())
    has_value = or_(SurveyAnswer.choice_id.is_not(None), SurveyAnswer.number.is_not(None),
                    SurveyAnswer.text.is_not(None), SurveyAnswer.day.is_not(None))
    base = (select(SurveyAnswer.question_id, village).join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
            .where(SurveyResponse.survey_id == survey_id, done))
    answered: dict[tuple[int, int], int] = {
        (q, v): n for q, v, n in (await session.execute(
            base.add_columns(func.count(distinct(SurveyAnswer.response_id))).where(has_value)
            .group_by(SurveyAnswer.question_id, village))).all()}
    picked: dict[tuple[int, int], int] = {
        (c, v): n for c, v, n in (await session.execute(
            select(SurveyAnswer.choice_id, village, func.count())
            .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
            .where(SurveyResponse.survey_id == survey_id, done, SurveyAnswer.choice_id.is_not(None))
            .group_by(SurveyAnswer.choice_id, village))).all()}
    village_ids = set(completed) - {NO_VILLAGE}
    names = dict((await session.execute(select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(village_ids)))).all()) \
        if village_ids else {}
    villages = dict(sorted(names.items(), key=lambda item: item[1]))
    if NO_VILLAGE in completed:
        villages[NO_VILLAGE] = ""
    questions = []
    for view in form.questions:
        q = view.question
        options = tuple(OptionCount(c.label, {v: picked[(c.id, v)] for v in villages if (c.id, v) in picked})
                        for c in view.choices)
        questions.append(QuestionResult(q.label, q.kind in CHOICE_KINDS,
                                        {v: answered[(q.id, v)] for v in villages if (q.id, v) in answered}, options))
    return Results(form, villages, completed, tuple(questions))


@dataclass(frozen=True)
class TeamSurveys:
    """What the period's reports say of a team: each survey held and the forms its people completed."""

    team_id: int
    survey_id: int
    title: str
    completed: int


async def held_in_period(session: AsyncSession, commune_id: int, start: dt.datetime,
                         end: dt.datetime) -> list[TeamSurveys]:
    """Per team, the commune's surveys open at some time in [start, end) and the forms completed in it."""
    rows = (await session.execute(
        select(SurveyResponse.team_id, Survey.id, Survey.title, func.count(SurveyResponse.id))
        .join(Survey, Survey.id == SurveyResponse.survey_id)
        .where(Survey.commune_id == commune_id, Survey.created_at < end, Survey.deadline >= start,
               SurveyResponse.team_id.is_not(None), SurveyResponse.completed_at >= start,
               SurveyResponse.completed_at < end)
        .group_by(SurveyResponse.team_id, Survey.id, Survey.title)
        .order_by(SurveyResponse.team_id, Survey.id))).all()
    return [TeamSurveys(team, survey, title, count) for team, survey, title, count in rows]
