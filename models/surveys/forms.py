"""A survey as data before it is stored: checked once, whether typed in the chat or imported from XLSForm."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from models.surveys.tables import (
    CHOICE_KINDS,
    NUMBER_KINDS,
    QuestionKind,
    Respondents,
    Survey,
    SurveyChoice,
    SurveyQuestion,
)

TITLE_MAX = 200
LABEL_MAX = 500
CHOICE_LABEL_MAX = 200
NAME_MAX = 64
MAX_QUESTIONS = 100
MAX_CHOICES = 20
# A question is one screen on Zalo (2,000 characters with its numbered options); this leaves room
# for the heading, the hints and "Bỏ qua".
SCREEN_ROOM = 1700


def screen_length(label: str, choices: list[str]) -> int:
    """About what the question's screen takes on a channel without buttons."""
    return len(label) + sum(len(choice) + 6 for choice in choices)


@dataclass
class ChoiceDraft:
    value: str
    label: str


@dataclass
class QuestionDraft:
    name: str
    label: str
    kind: QuestionKind
    required: bool = False
    choices: list[ChoiceDraft] = field(default_factory=list)
    minimum: float | None = None
    maximum: float | None = None
    show_if: tuple[str, str] | None = None  # (earlier question's name, choice value)


@dataclass
class SurveyDraft:
    title: str
    respondents: Respondents
    questions: list[QuestionDraft] = field(default_factory=list)


def to_dict(draft: SurveyDraft) -> dict:
    """The draft as JSON, kept in the chat's state while it is being written."""
    return {"title": draft.title, "respondents": draft.respondents.value, "questions": [
        {"name": q.name, "label": q.label, "kind": q.kind.value, "required": q.required,
         "choices": [[c.value, c.label] for c in q.choices], "minimum": q.minimum, "maximum": q.maximum,
         "show_if": list(q.show_if) if q.show_if else None} for q in draft.questions]}


def from_dict(data: dict) -> SurveyDraft:
    return SurveyDraft(data["title"], Respondents(data["respondents"]), [
        QuestionDraft(q["name"], q["label"], QuestionKind(q["kind"]), q["required"],
                      [ChoiceDraft(v, label) for v, label in q["choices"]], q["minimum"], q["maximum"],
                      tuple(q["show_if"]) if q["show_if"] else None) for q in data["questions"]])


async def create_survey(session: AsyncSession, draft: SurveyDraft, *, commune_id: int, deadline: dt.datetime,
                        author_id: int | None, now: dt.datetime) -> Survey:
    """Stores a checked draft, open from now until `deadline`."""
    survey = Survey(commune_id=commune_id, title=draft.title, respondents=draft.respondents, deadline=deadline,
                    author_id=author_id, created_at=now)
    session.add(survey)
    await session.flush()
    by_name: dict[str, SurveyQuestion] = {}
    for position, q in enumerate(draft.questions, 1):
        question = SurveyQuestion(survey_id=survey.id, position=position, name=q.name, label=q.label, kind=q.kind,
                                  required=q.required,
                                  minimum=q.minimum if q.kind in NUMBER_KINDS else None,
                                  maximum=q.maximum if q.kind in NUMBER_KINDS else None)
        if q.show_if is not None:
            question.show_if_id = by_name[q.show_if[0]].id
            question.show_if_value = q.show_if[1]
        session.add(question)
        await session.flush()
        by_name[q.name] = question
        if q.kind in CHOICE_KINDS:
            session.add_all(SurveyChoice(question_id=question.id, position=i, value=c.value, label=c.label)
                            for i, c in enumerate(q.choices, 1))
    await session.flush()
    return survey
