"""“Dân vận khéo” models a team proposes and the khối dân vận head approves."""

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow
from models.enums import Channel, ModelField, ModelStatus, db_enum


class GoodPracticeModel(Base):
    __tablename__ = "dvk_models"
    __table_args__ = (Index("ix_dvk_models_commune_status", "commune_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"))
    village_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(160))
    field: Mapped[ModelField] = mapped_column(db_enum(ModelField, 24))
    description: Mapped[str] = mapped_column(Text)
    photo_ref: Mapped[str | None] = mapped_column(String(512))
    photo_channel: Mapped[Channel | None] = mapped_column(db_enum(Channel, 16))
    status: Mapped[ModelStatus] = mapped_column(db_enum(ModelStatus, 16))
    proposed_by: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    proposed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    review_note: Mapped[str | None] = mapped_column(Text)
