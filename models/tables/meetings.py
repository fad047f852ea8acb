"""Monthly team meetings (họp giao ban) and who answered and attended."""

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow
from models.enums import AttendanceAnswer, MeetingStatus, db_enum


class Meeting(Base):
    __tablename__ = "meetings"
    __table_args__ = (Index("ix_meetings_team_starts", "team_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"))
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    place: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[MeetingStatus] = mapped_column(db_enum(MeetingStatus, 16), default=MeetingStatus.PLANNED)
    minutes: Mapped[str | None] = mapped_column(Text)
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
