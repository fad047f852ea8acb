"""A survey, its questions and choices, and each respondent's answers as they are given."""

import datetime as dt

from sqlalchemy import Date, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow
from models.enums import StrEnum, db_enum


class QuestionKind(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    INTEGER = "integer"
    DECIMAL = "decimal"
    TEXT = "text"
    DATE = "date"
    PHOTO = "photo"


class Respondents(StrEnum):
    HOUSEHOLDS = "households"  # asked by their volunteer, at a visit or from the list of due households
    PEOPLE = "people"  # members and leaders, sent to them directly


class SurveyStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
NUMBER_KINDS = (QuestionKind.INTEGER, QuestionKind.DECIMAL)


class Survey(Base):
    __tablename__ = "surveys"
    __table_args__ = (Index("ix_surveys_commune_status", "commune_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(200))
    respondents: Mapped[Respondents] = mapped_column(db_enum(Respondents, 16))
    status: Mapped[SurveyStatus] = mapped_column(db_enum(SurveyStatus, 16), default=SurveyStatus.OPEN)
    deadline: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # People surveys: when the job sent it out, and when it reminded those who had not finished.
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class SurveyQuestion(Base):
    __tablename__ = "survey_questions"
    __table_args__ = (UniqueConstraint("survey_id", "name"), UniqueConstraint("survey_id", "position"))

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(64))  # the XLSForm name, what `relevant` refers to
    label: Mapped[str] = mapped_column(String(500))
    kind: Mapped[QuestionKind] = mapped_column(db_enum(QuestionKind, 16))
    required: Mapped[bool] = mapped_column(default=False)
    minimum: Mapped[float | None] = mapped_column(Float)
    maximum: Mapped[float | None] = mapped_column(Float)
    # Shown only when the earlier question `show_if_id` was answered with the choice `show_if_value`.
    show_if_id: Mapped[int | None] = mapped_column(ForeignKey("survey_questions.id", ondelete="SET NULL"))
    show_if_value: Mapped[str | None] = mapped_column(String(64))


class SurveyChoice(Base):
    __tablename__ = "survey_choices"
    __table_args__ = (UniqueConstraint("question_id", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id", ondelete="CASCADE"))
    position: Mapped[int]
    value: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200))


class SurveyResponse(Base):
    """One household's or one person's form; unit ids copied so results group by village in one scan."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        UniqueConstraint("survey_id", "household_id"),
        UniqueConstraint("survey_id", "person_id"),
        Index("ix_survey_responses_survey_done", "survey_id", "completed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    # Who typed the answers: the household's volunteer, or the person surveyed.
    asked_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id", ondelete="SET NULL"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id", ondelete="SET NULL"), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class SurveyAnswer(Base):
    """One answer: a choice (a row per choice ticked), a number, a text, a day or a photo; all empty when skipped."""

    __tablename__ = "survey_answers"
    __table_args__ = (Index("ix_survey_answers_response_question", "response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_responses.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id", ondelete="CASCADE"))
    choice_id: Mapped[int | None] = mapped_column(ForeignKey("survey_choices.id", ondelete="CASCADE"), index=True)
    number: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str | None] = mapped_column(Text)
    day: Mapped[dt.date | None] = mapped_column(Date)
