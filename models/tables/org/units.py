"""The org-unit tree: province → (district) → commune → village → team → nhóm."""

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, utcnow
from models.enums import UnitKind, db_enum


class OrgUnit(Base):
    """One node of the tree; `path` ("/1/7/42/") makes "everything under this unit" one LIKE."""

    __tablename__ = "org_units"
    __table_args__ = (
        UniqueConstraint("parent_id", "kind", "name_key"),
        Index("ix_org_units_kind_code", "kind", "code"),
        Index("ix_org_units_path", "path"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[UnitKind] = mapped_column(db_enum(UnitKind))
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))
    # Official code (province / commune from the 2025 list) or the roster's own code for a village.
    code: Mapped[str | None] = mapped_column(String(32))
    # The official division type as written ("xã", "phường", "thôn", "tổ dân phố", …).
    division_type: Mapped[str | None] = mapped_column(String(40))
    path: Mapped[str] = mapped_column(String(255), default="")
    depth: Mapped[int] = mapped_column(default=0)
    # The day of the decision that set the unit up (a team: the commune party committee's decision);
    # the 3- and 5-year reviews start no earlier. None: not recorded.
    founded_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    parent: Mapped["OrgUnit | None"] = relationship(remote_side="OrgUnit.id", lazy="raise")

    def __repr__(self) -> str:
        return f"OrgUnit({self.id}, {self.kind}, {self.name!r})"
