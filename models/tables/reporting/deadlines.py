"""Report deadlines per commune and level, and which unit has submitted which period."""

import datetime as dt

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow
from models.enums import UnitKind, db_enum


class ReportDeadline(Base):
    """One kind of report a level owes: monthly (day of month) or yearly (month and day)."""

    __tablename__ = "report_deadlines"
    __table_args__ = (UniqueConstraint("commune_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))  # "monthly_team", "half_year", "annual"
    # The level that reports: each unit of this kind under the commune owes one report a period.
    level: Mapped[UnitKind] = mapped_column(db_enum(UnitKind))
    month: Mapped[int | None] = mapped_column()  # None: every month
    day: Mapped[int] = mapped_column()
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ReportSubmission(Base):
    __tablename__ = "report_submissions"
    __table_args__ = (UniqueConstraint("deadline_id", "unit_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_id: Mapped[int] = mapped_column(ForeignKey("report_deadlines.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(16))  # "2026-11", "2026"
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
