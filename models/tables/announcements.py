"""Announcements broadcast by commune secretaries and team leaders, with acknowledgements."""

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, JSONType, UTCDateTime, utcnow


class Announcement(Base):
    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    scope_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"), index=True)
    text: Mapped[str] = mapped_column(Text)
    photo_ref: Mapped[str | None] = mapped_column(String(512))
    # {"villages": [...], "roles": [...], "groups": bool}: the audience as the author chose it.
    audience: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    send_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    enqueued_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class AnnouncementReceipt(Base):
    __tablename__ = "announcement_receipts"
    __table_args__ = (UniqueConstraint("announcement_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcements.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
