"""Households served by a nhóm, and the visits volunteers make to them."""

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow
from models.enums import Channel, VisitPurpose, db_enum


class Household(Base):
    __tablename__ = "households"
    __table_args__ = (
        UniqueConstraint("commune_id", "code"),
        Index("ix_households_nhom", "nhom_id", "last_visited_on"),
        Index("ix_households_assigned", "assigned_member_id", "last_visited_on"),
        Index("ix_households_commune_name", "commune_id", "name_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"))
    village_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"), index=True)
    nhom_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"))
    # The roster's own household code, when the commune keeps one; the key for updates in place.
    code: Mapped[str | None] = mapped_column(String(32))
    head_name: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(255), default="")
    address_key: Mapped[str] = mapped_column(String(255), default="")
    phone: Mapped[str | None] = mapped_column(String(16))
    assigned_member_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    # Kept by the visit operations so "not visited for longest" needs no aggregate per household.
    last_visited_on: Mapped[dt.date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Visit(Base):
    """A household visit; unit ids are copied so digests group by village and month in one scan."""

    __tablename__ = "visits"
    __table_args__ = (
        Index("ix_visits_village_day", "village_id", "visited_on"),
        Index("ix_visits_commune_day", "commune_id", "visited_on"),
        Index("ix_visits_person_day", "person_id", "visited_on"),
        Index("ix_visits_household_day", "household_id", "visited_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    nhom_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"))
    village_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"))
    commune_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"))
    visited_on: Mapped[dt.date] = mapped_column(Date)
    purpose: Mapped[VisitPurpose] = mapped_column(db_enum(VisitPurpose))
    note: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[Channel | None] = mapped_column(db_enum(Channel, 16))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Undo within the grace period marks the visit rather than deleting it, for the audit trail.
    undone_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
