"""Announcements broadcast by commune secretaries and team leaders, with acknowledgements."""

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, JSONType, UTCDateTime, utcnow
from models.enums import Channel, db_enum


class Announcement(Base):
    __tablename__ = "announcements"
    # The broadcast job looks for announcements not yet enqueued whose time has come.
    __table_args__ = (Index("ix_announcements_due", "enqueued_at", "send_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"), index=True)
    scope_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"), index=True)
    text: Mapped[str] = mapped_column(Text)
    photo_ref: Mapped[str | None] = mapped_column(String(512))
    # A Telegram file id is only valid on Telegram; a Zalo photo URL anywhere (None = any channel).
    photo_channel: Mapped[Channel | None] = mapped_column(db_enum(Channel, 16))
    # {"kind": "all" | "villages" | "roles" | "groups", "villages": [...], "roles": [...]}:
    # the audience as the author chose it; who that is gets resolved when it is sent.
    audience: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    send_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    enqueued_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # A scheduled announcement the author withdrew before its time.
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class AnnouncementReceipt(Base):
    """One recipient of a sent announcement: written with its outbox message, in one transaction."""

    __tablename__ = "announcement_receipts"
    __table_args__ = (UniqueConstraint("announcement_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcements.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # When the person, still silent after the reminder, was named to their team leader.
    reported_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
