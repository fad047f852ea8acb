"""Campaigns (cuộc vận động): the households each concerns, their outcome options and outcomes."""

import datetime as dt
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, JSONType, UTCDateTime, utcnow
from models.enums import OutcomeKind, db_enum


class HouseholdAttribute(Base):
    """A column of the household list the importer does not know ("Chưa có BHYT"), kept per household
    so a campaign can concern the households that have it."""

    __tablename__ = "household_attributes"
    __table_args__ = (UniqueConstraint("household_id", "name_key"),
                      Index("ix_household_attributes_name", "name_key", "household_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))  # the header as the file wrote it
    name_key: Mapped[str] = mapped_column(String(80))  # folded, for matching
    value: Mapped[str] = mapped_column(String(120))


class Campaign(Base):
    __tablename__ = "campaigns"
    __table_args__ = (Index("ix_campaigns_commune_end", "commune_id", "ends_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"))
    # The commune for a commune role's campaign, the village for a team leader's.
    scope_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    # {"kind": "all" | "villages" | "attribute", "villages": [ids], "attribute": "Chưa có BHYT"}: as chosen.
    audience: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    target_percent: Mapped[int] = mapped_column(Integer)  # of the households it concerns, those not excluded
    created_by: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Leaders are told once of each: the target reached, a week left.
    target_told_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    week_left_told_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class CampaignOption(Base):
    """One outcome a volunteer may record; `kind` says how it counts."""

    __tablename__ = "campaign_options"
    __table_args__ = (UniqueConstraint("campaign_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(60))
    kind: Mapped[OutcomeKind] = mapped_column(db_enum(OutcomeKind, 16))


class CampaignHousehold(Base):
    """A household the campaign concerns, fixed when it was created, with its latest outcome.

    The unit ids are copied so progress groups by nhóm and village in one scan."""

    __tablename__ = "campaign_households"
    __table_args__ = (UniqueConstraint("campaign_id", "household_id"),
                      Index("ix_campaign_households_household", "household_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"))
    nhom_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"))
    village_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"))
    option_id: Mapped[int | None] = mapped_column(ForeignKey("campaign_options.id", ondelete="RESTRICT"))
    outcome_kind: Mapped[OutcomeKind | None] = mapped_column(db_enum(OutcomeKind, 16))  # the option's, copied
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    recorded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class CampaignOutcome(Base):
    """Every outcome recorded, oldest first: the history behind the latest one."""

    __tablename__ = "campaign_outcomes"
    __table_args__ = (Index("ix_campaign_outcomes_row", "campaign_household_id", "recorded_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_household_id: Mapped[int] = mapped_column(ForeignKey("campaign_households.id", ondelete="CASCADE"))
    option_id: Mapped[int] = mapped_column(ForeignKey("campaign_options.id", ondelete="RESTRICT"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id", ondelete="SET NULL"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
