"""The figures of an official report that only people know (area, population, lượt tiếp dân …), per unit and year."""

import datetime as dt

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class ReportField(Base):
    """One field's value for a unit's reports of a year; no row means the field is still blank."""

    __tablename__ = "report_fields"
    __table_args__ = (UniqueConstraint("unit_id", "year", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column()
    key: Mapped[str] = mapped_column(String(40))  # a spec's key in models/reports/fields.py
    # The number as canonical decimal text ("1240", "86.5"): exact on every engine, no float rounding.
    value: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
