"""Official reports as documents: a commune's own Word template, and each draft sent (which one was submitted)."""

import datetime as dt

from sqlalchemy import ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class ReportTemplate(Base):
    """The Word template a commune uses instead of the default (checked before it was stored)."""

    __tablename__ = "report_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"), unique=True)
    filename: Mapped[str] = mapped_column(String(200))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReportDraft(Base):
    """One version of a unit's report as it was sent: its content's hash, and the submission it became."""

    __tablename__ = "report_drafts"
    __table_args__ = (UniqueConstraint("unit_id", "kind", "year", "version"),
                      Index("ix_report_drafts_unit_kind_year", "unit_id", "kind", "year"))

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # ReportKind's value
    year: Mapped[int] = mapped_column()
    version: Mapped[int] = mapped_column()  # 1, 2, … as the figures or the words change
    sha256: Mapped[str] = mapped_column(String(64))  # of the report's content and the template used
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("report_submissions.id", ondelete="SET NULL"))
