"""Monthly team meetings (họp giao ban) and who answered and attended."""

import datetime as dt
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, JSONType, UTCDateTime, utcnow
from models.enums import AttendanceAnswer, MeetingStatus, db_enum


class Meeting(Base):
    __tablename__ = "meetings"
    __table_args__ = (
        Index("ix_meetings_team_starts", "team_id", "starts_at"),
        Index("ix_meetings_status_starts", "status", "starts_at"),
        UniqueConstraint("team_id", "occurrence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"))
    # The date the schedule put it on: the occurrence's identity even when it is moved.
    occurrence: Mapped[dt.date | None] = mapped_column(Date)
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    place: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[MeetingStatus] = mapped_column(db_enum(MeetingStatus, 16), default=MeetingStatus.PLANNED)
    minutes: Mapped[str | None] = mapped_column(Text)
    cancel_reason: Mapped[str | None] = mapped_column(String(200))
    result_sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class MeetingAttendance(Base):
    __tablename__ = "meeting_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    answer: Mapped[AttendanceAnswer | None] = mapped_column(db_enum(AttendanceAnswer, 16))
    reason: Mapped[str | None] = mapped_column(String(500))
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Recorded by the leader after the meeting; None until then.
    attended: Mapped[bool | None] = mapped_column()


class MeetingSchedule(Base):
    """A team's recurring monthly meeting as its leader set it; occurrences become Meeting rows."""

    __tablename__ = "meeting_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"), unique=True)
    # {"day": 25} (the 25th; a short month uses its last day) or {"weekday": 6, "nth": -1} (last Sunday).
    rule: Mapped[dict[str, Any]] = mapped_column(JSONType)
    hour: Mapped[int] = mapped_column(default=19)
    minute: Mapped[int] = mapped_column(default=30)
    place: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
