"""The stretch of days each kind of report covers, from the commune's deadlines and the unit's founding.

- **half_year**: 1 January to the commune's half-year deadline (15 June by default), both included.
- **annual**: the documents' reporting year: the day after last year's annual deadline to this
  year's (21 November 2025 – 20 November 2026 by default), so that no day falls between two reports.
- **review_3y / review_5y** (sơ kết, tổng kết): the 3 or 5 reporting years ending with this year's,
  starting no earlier than the day the team was set up (`OrgUnit.founded_on`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.dates import format_date as babel_date
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import _, current_locale, format_date
from models.deadlines import calendar
from models.enums import UnitKind
from models.tables import OrgUnit, ReportDeadline
from reports.official import ReportKind

YEARS = {ReportKind.REVIEW_3Y: 3, ReportKind.REVIEW_5Y: 5}


@dataclass(frozen=True)
class Period:
    """[start, end] in local days, both included; `founded` when the start was moved to the founding."""

    kind: ReportKind
    start: dt.date
    end: dt.date
    founded: dt.date | None = None

    @property
    def end_exclusive(self) -> dt.date:
        return self.end + dt.timedelta(days=1)

    @property
    def years(self) -> int:
        return YEARS.get(self.kind, 1)


async def deadline_day(session: AsyncSession, commune: OrgUnit | None, kind: str, year: int) -> dt.date:
    """The commune's due date of a yearly report (its own setting, else the documents' default)."""
    row = None
    if commune is not None:
        row = await session.scalar(select(ReportDeadline).where(ReportDeadline.commune_id == commune.id,
                                                                ReportDeadline.kind == kind))
    if row is None:
        _level, month, day = calendar.DEFAULTS[kind]
        row = ReportDeadline(kind=kind, month=month, day=day)
    return calendar.due_date(row, str(year))


async def founding(session: AsyncSession, unit: OrgUnit) -> dt.date | None:
    """The earliest founding recorded for the unit or a team under it (a commune's: its first team's)."""
    return await session.scalar(select(func.min(OrgUnit.founded_on)).where(
        OrgUnit.path.startswith(unit.path), OrgUnit.kind.in_([unit.kind, UnitKind.TEAM])))


async def report_period(session: AsyncSession, *, unit: OrgUnit, commune: OrgUnit | None, kind: ReportKind,
                        year: int) -> Period:
    if kind == ReportKind.HALF_YEAR:
        return Period(kind, dt.date(year, 1, 1), await deadline_day(session, commune, calendar.HALF_YEAR, year))
    end = await deadline_day(session, commune, calendar.ANNUAL, year)
    years = YEARS.get(kind, 1)
    start = await deadline_day(session, commune, calendar.ANNUAL, year - years) + dt.timedelta(days=1)
    founded = await founding(session, unit) if kind in YEARS else None
    if founded is not None and founded > start:
        return Period(kind, min(founded, end), end, founded)
    return Period(kind, start, end)


def period_line(period: Period) -> str:
    """"(từ ngày 1 tháng 1 đến ngày 15 tháng 6 năm 2026)": the start's year only when it differs."""
    if period.start.year == period.end.year:
        # The CLDR pattern is a message, as in core/i18n.py: each language words its dates its own way.
        first = babel_date(period.start, _("'ngày' d 'tháng' M"), locale=current_locale())
    else:
        first = format_date(period.start)
    return _("(từ {start} đến {end})").format(start=first, end=format_date(period.end))
