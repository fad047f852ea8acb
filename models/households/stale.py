"""Households nobody visited for 60 days under the units a leader lists, with each one's last
visit: paged for the chat, whole for a spreadsheet (the digest's carries the same sheet)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from core.i18n import _, format_short_date
from models.digests.queries import STALE_DAYS
from models.tables import Household, OrgUnit, Person
from reports.tables import Table

SHEET_LIMIT = 20_000  # a commune's worst case, well within one sheet


class StaleHousehold(NamedTuple):
    id: int
    head_name: str
    address: str
    nhom: str
    member: str | None
    last_visited_on: dt.date | None


def _where(units: Sequence[OrgUnit], today: dt.date) -> tuple:
    # No visit in the 60 days up to `today` included: the digests' count, whose period ends tomorrow.
    before = today + dt.timedelta(days=1) - dt.timedelta(days=STALE_DAYS)
    return (Household.active.is_(True), or_(*(OrgUnit.path.startswith(u.path) for u in units)),
            or_(Household.last_visited_on.is_(None), Household.last_visited_on < before))


async def page(session: AsyncSession, units: Sequence[OrgUnit], today: dt.date, offset: int, size: int
               ) -> tuple[list[StaleHousehold], int]:
    """One page, never visited first then the longest ago, and how many there are in all."""
    if not units:
        return [], 0
    total = await session.scalar(select(func.count()).select_from(Household)
                                 .join(OrgUnit, OrgUnit.id == Household.nhom_id).where(*_where(units, today)))
    return await _rows(session, units, today, offset, size), total or 0


async def every(session: AsyncSession, units: Sequence[OrgUnit], today: dt.date) -> list[StaleHousehold]:
    return await _rows(session, units, today, 0, SHEET_LIMIT) if units else []


async def _rows(session: AsyncSession, units: Sequence[OrgUnit], today: dt.date, offset: int, limit: int
                ) -> list[StaleHousehold]:
    member = aliased(Person)
    rows = (await session.execute(
        select(Household.id, Household.head_name, Household.address, OrgUnit.name, member.full_name,
               Household.last_visited_on)
        .join(OrgUnit, OrgUnit.id == Household.nhom_id)
        .outerjoin(member, member.id == Household.assigned_member_id)
        .where(*_where(units, today))
        .order_by(Household.last_visited_on.is_not(None), Household.last_visited_on, OrgUnit.name_key,
                  Household.name_key, Household.id)
        .offset(offset).limit(limit))).all()
    return [StaleHousehold(*row) for row in rows]


def last_visit(household: StaleHousehold) -> str:
    return format_short_date(household.last_visited_on) if household.last_visited_on else _("chưa thăm")


def stale_table(households: Sequence[StaleHousehold]) -> Table:
    """The per-household sheet, in the reader's language: the leaders' file and the digest's."""
    return Table(_("Hộ quá 60 ngày chưa thăm"),
                 (_("Chủ hộ"), _("Địa chỉ"), _("Nhóm"), _("Người phụ trách"), _("Lần thăm gần nhất")),
                 tuple((h.head_name, h.address or "", h.nhom, h.member or "",
                        last_visit(h))
                       for h in households))
