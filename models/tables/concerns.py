"""Citizens' concerns (ý kiến, kiến nghị, phản ánh), tracked until the household hears the answer."""

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow
from models.enums import Channel, CloseReason, ConcernCategory, ConcernStatus, Urgency, db_enum


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
