"""The console's concerns board: the concerns a person's roles cover (as the chat's inbox: a village's
leaders their village, the commune's office the commune, anyone the ones given to them), filtered
and sorted in one statement, a page at a time, or every matching row for the spreadsheet.

Rights per row come from `access.concern_access`, so a household's name never shows where the chat
would hide it (`ConcernAccess.names_household`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import access, audit
from models.concerns import group_posts
from models.concerns.workflow import ACTIVE
from models.digests.queries import local_midnight
from models.enums import ConcernCategory, ConcernLevel, ConcernStatus, UnitKind, Urgency
from models.tables import Concern, ConcernHousehold, Household, OrgUnit

PAGE = 50
EXPORT_LIMIT = 5000
OPEN, ALL = "open", "all"  # status filters beyond the statuses themselves
SORTS = ("due", "new", "village")
MONTH = re.compile(r"20\d\d-(0[1-9]|1[0-2])")


@dataclass(frozen=True)
class Filters:
    village_id: int | None = None
    category: ConcernCategory | None = None
    status: str = OPEN  # OPEN (new, forwarded, in progress), ALL, or a ConcernStatus value
    level: ConcernLevel | None = None
    overdue: bool = False
    sort: str = "due"
    month: str | None = None  # "2026-11": recorded that month (answered that month, with status=answered)
    page: int = 0

    def query(self, **changes: object) -> dict[str, str]:
        """The filters as URL parameters (only those set), with `changes` applied."""
        values = {"village": self.village_id, "category": self.category, "status": self.status,
                  "level": self.level, "overdue": "1" if self.overdue else None, "sort": self.sort, "month": self.month,
                  "page": self.page or None}
        values.update(changes)
        return {k: str(v) for k, v in values.items() if v not in (None, "", 0)}


@dataclass(frozen=True)
class Row:
    concern: Concern
    village: str
    households: int
    text: str  # the description on one line, the household's name removed where it is not shown
    household: str | None  # the household's name, where the person may read it
    overdue: bool


@dataclass(frozen=True)
class Board:
    rows: list[Row]
    more: bool
    villages: list[tuple[int, str]] = field(default_factory=list)  # what the village filter offers


def visible(held: Sequence[access.Held], person_id: int) -> ColumnElement[bool]:
    """SQL: the concern's village is in the person's leading roles' area, or it is given to them (the inbox's rule)."""
    return or_(access.covers_area(access.concern_leads(held), OrgUnit.path), Concern.assignee_id == person_id)


def month_range(month: str, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """[first day, first day of the next month) of "2026-11", local midnights in UTC."""
    year, number = int(month[:4]), int(month[5:])
    start = dt.date(year, number, 1)
    end = dt.date(year + number // 12, number % 12 + 1, 1)
    return local_midnight(start, tz), local_midnight(end, tz)


def _statement(held: Sequence[access.Held], person_id: int, filters: Filters, now: dt.datetime,
               tz: ZoneInfo) -> Select:
    households = (select(func.count()).where(ConcernHousehold.concern_id == Concern.id)
                  .correlate(Concern).scalar_subquery())
    query = (select(Concern, OrgUnit, Household.head_name, households)
             .join(OrgUnit, OrgUnit.id == Concern.village_id)
             .outerjoin(Household, Household.id == Concern.household_id)
             .where(visible(held, person_id)))
    if filters.status == OPEN:
        query = query.where(Concern.status.in_(ACTIVE))
    elif filters.status != ALL:
        query = query.where(Concern.status == ConcernStatus(filters.status))
    if filters.village_id is not None:
        query = query.where(Concern.village_id == filters.village_id)
    if filters.category is not None:
        query = query.where(Concern.category == filters.category)
    if filters.level is not None:
        query = query.where(Concern.level == filters.level)
    if filters.overdue:
        query = query.where(Concern.status.in_(ACTIVE), Concern.due_at < now)
    if filters.month is not None:
        start, end = month_range(filters.month, tz)
        column = Concern.answered_at if filters.status == ConcernStatus.ANSWERED else Concern.created_at
        query = query.where(column >= start, column < end)
    order = {
        "due": ((Concern.urgency == Urgency.URGENT).desc(), Concern.due_at, Concern.id),
        "new": (Concern.created_at.desc(), Concern.id.desc()),
        "village": (OrgUnit.name_key, Concern.due_at, Concern.id),
    }[filters.sort if filters.sort in SORTS else "due"]
    return query.order_by(*order)


def _row(held: Sequence[access.Held], person_id: int, concern: Concern, village: OrgUnit, head: str | None,
         households: int, now: dt.datetime) -> Row:
    rights = access.concern_access(held, village, concern.level, reporter=concern.reporter_id == person_id,
                                   assignee=concern.assignee_id == person_id)
    shown = rights.names_household(concern.category)
    text = group_posts.snippet(concern.description, hidden_name=None if shown else head, limit=140)
    return Row(concern, village.name, max(households, 1), text, head if shown else None,
               concern.status in ACTIVE and concern.due_at < now)


async def board(session: AsyncSession, held: Sequence[access.Held], person_id: int, filters: Filters, *,
                now: dt.datetime, tz: ZoneInfo, limit: int = PAGE) -> Board:
    """One page of the board, audited (its lines may name households), with the villages to filter by."""
    statement = _statement(held, person_id, filters, now, tz).offset(filters.page * limit).limit(limit + 1)
    found = (await session.execute(statement)).all()
    rows = [_row(held, person_id, c, v, head, n, now) for c, v, head, n in found[:limit]]
    audit.record(session, "concern.list", "concern", None, actor_id=person_id, actor_label=f"person:{person_id}",
                 details={"filters": filters.query(), "shown": [r.concern.id for r in rows]})
    return Board(rows, len(found) > limit, await villages(session, held))


async def export_rows(session: AsyncSession, held: Sequence[access.Held], person_id: int, filters: Filters, *,
                      now: dt.datetime, tz: ZoneInfo) -> list[Row]:
    """Every row the filters match (up to EXPORT_LIMIT), for the spreadsheet; audited like a page."""
    found = (await session.execute(_statement(held, person_id, filters, now, tz).limit(EXPORT_LIMIT))).all()
    rows = [_row(held, person_id, c, v, head, n, now) for c, v, head, n in found]
    audit.record(session, "concern.export", "concern", None, actor_id=person_id, actor_label=f"person:{person_id}",
                 details={"filters": filters.query(page=None), "rows": len(rows)})
    return rows


async def villages(session: AsyncSession, held: Sequence[access.Held]) -> list[tuple[int, str]]:
    """The villages a person's leading roles cover, by name: the board's village filter."""
    leads = access.concern_leads(held)
    if not leads:
        return []
    found = await session.scalars(select(OrgUnit).where(OrgUnit.kind == UnitKind.VILLAGE, access.covers_area(leads, OrgUnit.path))
                                  .order_by(OrgUnit.name_key))
    return [(v.id, v.name) for v in found]
