"""Citizens' concerns (ý kiến, kiến nghị, phản ánh), tracked until the household hears the answer."""

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow
from models.enums import Channel, CloseReason, ConcernCategory, ConcernLevel, ConcernStatus, Urgency, db_enum


class Concern(Base):
    __tablename__ = "concerns"
    __table_args__ = (
        Index("ix_concerns_status_due", "status", "due_at"),
        Index("ix_concerns_village_created", "village_id", "created_at"),
        Index("ix_concerns_commune_created", "commune_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(24), unique=True)  # e.g. PA-2026-00123
    commune_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"))
    village_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"))
    nhom_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id", ondelete="SET NULL"))
    several_households: Mapped[bool] = mapped_column(default=False)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"), index=True)
    category: Mapped[ConcernCategory] = mapped_column(db_enum(ConcernCategory))
    urgency: Mapped[Urgency] = mapped_column(db_enum(Urgency, 16))
    status: Mapped[ConcernStatus] = mapped_column(db_enum(ConcernStatus, 16), default=ConcernStatus.NEW)
    description: Mapped[str] = mapped_column(Text)
    channel: Mapped[Channel | None] = mapped_column(db_enum(Channel, 16))
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    # Who handles it when that is outside the bot's world, e.g. "UBND xã".
    assignee_label: Mapped[str | None] = mapped_column(String(200))
    # Escalation moves a concern up one level: team → chi bộ → commune.
    level: Mapped[ConcernLevel] = mapped_column(db_enum(ConcernLevel, 16), default=ConcernLevel.TEAM,
                                                server_default=ConcernLevel.TEAM.value)
    escalated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    answer_text: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    household_told_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    close_reason: Mapped[CloseReason | None] = mapped_column(db_enum(CloseReason, 16))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ConcernEvent(Base):
    """The concern's history: every status change and note, with who and when."""

    __tablename__ = "concern_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("concerns.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[ConcernStatus | None] = mapped_column(db_enum(ConcernStatus, 16))
    to_status: Mapped[ConcernStatus | None] = mapped_column(db_enum(ConcernStatus, 16))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ConcernPhoto(Base):
    """A photo attached to a concern, kept as the channel's own file reference."""

    __tablename__ = "concern_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("concerns.id", ondelete="CASCADE"), index=True)
    channel: Mapped[Channel] = mapped_column(db_enum(Channel, 16))
    file_ref: Mapped[str] = mapped_column(String(512))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ConcernHousehold(Base):
    """A household that raised the concern, and whether it has heard the answer.

    The reporting household is the first row; households that raised the same thing later are
    attached instead of opening a duplicate. Each row's volunteer passes the answer on.
    """

    __tablename__ = "concern_households"
    __table_args__ = (
        UniqueConstraint("concern_id", "household_id"),
        Index("ix_concern_households_household", "household_id"),
        Index("ix_concern_households_reporter_told", "reporter_id", "told_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("concerns.id", ondelete="CASCADE"))
    # None: raised anonymously or by several households at once.
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id", ondelete="SET NULL"))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    told_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    told_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))


class ConcernRule(Base):
    """A commune's own time limits for one category and urgency (defaults in `models/concerns/time_limits.py`)."""

    __tablename__ = "concern_rules"
    __table_args__ = (UniqueConstraint("commune_id", "category", "urgency"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"))
    category: Mapped[ConcernCategory] = mapped_column(db_enum(ConcernCategory))
    urgency: Mapped[Urgency] = mapped_column(db_enum(Urgency, 16))
    due_days: Mapped[int] = mapped_column()
    # Days past due before an overdue concern goes up a level.
    escalate_after_days: Mapped[int] = mapped_column()
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
