"""The yearly evaluation of teams: the rubric a commune (or its province) scores by, hand scores, frozen results."""

import datetime as dt
from typing import Any

from sqlalchemy import Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, JSONType, UTCDateTime, utcnow


class EvaluationRubric(Base):
    """The criteria and bands of one unit (a commune, or a province whose communes share it)."""

    __tablename__ = "evaluation_rubrics"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"), unique=True)
    # [{"code", "label", "max", "measure" (a code of models/evaluation/measures.py, or "hand"),
    #   "full", "zero", "min"}]: see models/evaluation/rubric.py.
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSONType)
    # [{"label", "min"}], highest first; the last one's minimum is 0.
    bands: Mapped[list[dict[str, Any]]] = mapped_column(JSONType)
    # The period's last day as "MM-DD"; None: the commune's annual report deadline.
    period_end: Mapped[str | None] = mapped_column(String(5))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))


class EvaluationHandScore(Base):
    """Points the khối dân vận head gave a team for one criterion scored by hand, in one year."""

    __tablename__ = "evaluation_hand_scores"
    __table_args__ = (UniqueConstraint("team_id", "year", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column()
    code: Mapped[str] = mapped_column(String(32))
    points: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    scored_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    scored_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class EvaluationResult(Base):
    """A commune's confirmed evaluation of a year, frozen: later edits to visits or rubric leave it as it was."""

    __tablename__ = "evaluation_results"
    __table_args__ = (UniqueConstraint("commune_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column()
    # The Evaluation as `models/evaluation/frozen.py` writes it: every scorecard, the ranking, the proposal.
    data: Mapped[dict[str, Any]] = mapped_column(JSONType)
    confirmed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
