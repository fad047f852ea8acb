"""The persisted outbox and the group chats bound to units: how the bot speaks unprompted."""

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, JSONType, UTCDateTime, utcnow
from models.enums import Channel, GroupPurpose, OutboxStatus, db_enum


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_next", "status", "next_attempt_at"),
        # The claim's "an earlier message of this chat still waits" probe.
        Index("ix_outbox_chat", "channel", "chat_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A second run of the job that enqueued this message hits the unique key and is a no-op.
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    channel: Mapped[Channel] = mapped_column(db_enum(Channel, 16))
    chat_id: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    status: Mapped[OutboxStatus] = mapped_column(db_enum(OutboxStatus, 16), default=OutboxStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    # A sender claims a row before calling the platform; a claim older than the lease is a crash.
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    platform_message_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ChatGroup(Base):
    """A group chat bound to a unit for a purpose (the village's chi bộ group, the team group…)."""

    __tablename__ = "chat_groups"
    __table_args__ = (
        UniqueConstraint("channel", "chat_id"),
        Index("ix_chat_groups_unit_purpose", "unit_id", "purpose"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Channel] = mapped_column(db_enum(Channel, 16))
    chat_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(String(200))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"))
    purpose: Mapped[GroupPurpose] = mapped_column(db_enum(GroupPurpose, 16))
    bound_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    bound_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class PlatformCapability(Base):
    """What a platform lets this bot do, as it said at the last start (Zalo's getMe `can_join_groups`).

    In the database, so the jobs of every process know whether a group on that platform can be
    posted to; a platform with no row is assumed able (Telegram bots always join groups).
    """

    __tablename__ = "platform_capabilities"

    channel: Mapped[Channel] = mapped_column(db_enum(Channel, 16), primary_key=True)
    can_join_groups: Mapped[bool] = mapped_column()
    checked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
