"""People, their chat identities on each channel, and the roles they hold in units."""

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow
from models.enums import Channel, Role, db_enum


class Person(Base):
    __tablename__ = "people"
    __table_args__ = (Index("ix_people_commune_name", "commune_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(16), unique=True)
    # The commune the person serves in; roster rows without a phone are matched by name within it.
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id", ondelete="SET NULL"))
    locale: Mapped[str | None] = mapped_column(String(8))
    # Reminders and nudges wait until this moment (a person on leave mutes them).
    muted_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ChatIdentity(Base):
    """One person's account on one channel; a person may have a Telegram and a Zalo identity."""

    __tablename__ = "chat_identities"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    channel: Mapped[Channel] = mapped_column(db_enum(Channel, 16))
    external_id: Mapped[str] = mapped_column(String(64))
    chat_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str | None] = mapped_column(String(120))
    # Set when the platform says the person blocked the bot; cleared when they write again.
    unreachable_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    unreachable_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class Membership(Base):
    """A role held in a unit; ended memberships stay for the record (ended_at set)."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("person_id", "unit_id", "role"),
        Index("ix_memberships_unit_role", "unit_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(db_enum(Role))
    # "import", "invite" or "cli": a roster import only ends memberships it created itself.
    source: Mapped[str] = mapped_column(String(16), default="import")
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
