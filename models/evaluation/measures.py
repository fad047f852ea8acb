"""The automatic measures: each a percentage per team, with its evidence ("10/12 cuộc họp").

`MEASURES` names every one a rubric may use; `measure_all` runs one grouped statement per measure
for all the teams of a scope. A measure with nothing to count yet (no concern fell due) has no
value: its criterion gets full points, and the evidence says why.

Extension point: campaign targets reached ("campaign_targets") joins MEASURES once campaigns and
their targets are recorded; until then no rubric can name it, so no score pretends to know it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import LazyString, __, _
from models.deadlines import calendar
from models.digests.queries import local_midnight
from models.enums import UnitKind
from models.evaluation import queries
from models.evaluation.numbers import percent_text
from models.evaluation.period import Period
from models.evaluation.queries import Scope
from models.tables import ReportDeadline


@dataclass(frozen=True)
class Value:
    """part / whole as a percentage (None when there is nothing to count), and the evidence in words."""

    part: int
    whole: int
    evidence: str
    inverse: bool = False  # less is better (households left unvisited)
    empty_full: bool = True  # nothing to count earns full points (nothing was late), else none

    @property
    def empty(self) -> bool:
        return not self.whole

    @property
    def percent(self) -> float | None:
        return 100 * self.part / self.whole if self.whole else None


@dataclass(frozen=True)
class Measure:
    label: LazyString
    evidence: LazyString  # names {part}, {whole} and {percent}
    none: LazyString  # the evidence when there is nothing to count
    # Nothing to count is no fault (no concern fell due) — unless the team did nothing to count
    # (no meeting held, no household listed, no member): then the criterion earns nothing.
    empty_full: bool = True


MEASURES: dict[str, Measure] = {
    "meetings_held": Measure(__("Họp giao ban hằng tháng"), __("{part}/{whole} cuộc họp"),
                             __("chưa đến hạn họp")),
    "attendance": Measure(__("Tỷ lệ dự họp"), __("{part}/{whole} lượt có mặt ({percent})"),
                          __("chưa ghi điểm danh cuộc họp nào"), empty_full=False),
    "monthly_reports": Measure(__("Báo cáo tháng đúng hạn"), __("{part}/{whole} báo cáo tháng đúng hạn"),
                               __("chưa đến hạn báo cáo tháng")),
    "yearly_reports": Measure(__("Báo cáo 6 tháng, năm đúng hạn"), __("{part}/{whole} báo cáo đúng hạn"),
                              __("chưa đến hạn báo cáo 6 tháng, năm")),
    "households_visited": Measure(__("Hộ được thăm"), __("{part}/{whole} hộ được thăm ({percent})"),
                                  __("chưa có hộ nào"), empty_full=False),
    "households_stale": Measure(__("Hộ quá 60 ngày chưa thăm"),
                                __("{part}/{whole} hộ quá 60 ngày chưa thăm ({percent})"),
                                __("chưa có hộ nào"), empty_full=False),
    "concerns_on_time": Measure(__("Ý kiến trả lời đúng hạn"), __("{part}/{whole} ý kiến trả lời đúng hạn"),
                                __("chưa có ý kiến nào đến hạn")),
    "households_told": Measure(__("Hộ được báo kết quả"), __("{part}/{whole} hộ được báo kết quả ({percent})"),
                               __("chưa có ý kiến nào được trả lời")),
    "announcements_acknowledged": Measure(__("Thông báo được xác nhận"),
                                          __("{part}/{whole} lượt bấm “Đã nhận” ({percent})"),
                                          __("chưa có thông báo nào")),
    "active_members": Measure(__("Thành viên hoạt động đủ các quý"),
                              __("{part}/{whole} thành viên có lượt thăm hộ mỗi quý"),
                              __("chưa có thành viên nào"), empty_full=False),
}
INVERSE = {"households_stale"}


def value(code: str, part: int, whole: int) -> Value:
    measure = MEASURES[code]
    if not whole:
        return Value(part, whole, str(measure.none), code in INVERSE, measure.empty_full)
    return Value(part, whole, str(measure.evidence).format(part=part, whole=whole,
                                                           percent=percent_text(100 * part / whole)),
                 code in INVERSE, measure.empty_full)


@dataclass(frozen=True)
class Team:
    team_id: int
    village_id: int
    commune_id: int
    name: str
    village: str


@dataclass(frozen=True)
class Counts:
    """What the statements found, per team, before any rubric: (part, whole) per measure, and the
    households not visited this year per nhóm (for the actions that would raise a score)."""

    teams: tuple[Team, ...]
    counts: dict[int, dict[str, tuple[int, int]]]
    unvisited: dict[int, list[tuple[str, int]]]  # team → (nhóm name, households not visited), most first

    def values(self, team_id: int) -> dict[str, Value]:
        return {code: value(code, *self.counts[team_id].get(code, (0, 0))) for code in MEASURES}


def _commune_of(path: str, communes: tuple[int, ...]) -> int | None:
    """The commune of the scope a unit lies in, by its path (None: a commune measured apart)."""
    return next((int(p) for p in path.strip("/").split("/") if int(p) in communes), None)


async def measure_all(session: AsyncSession, scope: Scope, period: Period,
                      deadlines: Sequence[ReportDeadline]) -> Counts:
    """Every measure of every team in the scope over the period (`deadlines`: the scope's, as
    `queries.deadlines` reads them). Communes of a province that share a rubric share the period."""
    rows = await queries.units(session, scope)
    villages = {r.id: r for r in rows if r.kind == UnitKind.VILLAGE}
    teams = [Team(r.id, r.parent_id, commune_id, r.name, villages[r.parent_id].name)
             for r in rows if r.kind == UnitKind.TEAM and r.parent_id in villages
             and (commune_id := _commune_of(r.path, scope.commune_ids)) is not None]
    by_village = {t.village_id: t.team_id for t in teams}
    nhom_names = {r.id: r.name for r in rows if r.kind == UnitKind.NHOM}
    counts: dict[int, dict[str, tuple[int, int]]] = {t.team_id: {} for t in teams}

    def add(team_id: int | None, code: str, part: int, whole: int) -> None:
        if team_id in counts:
            old = counts[team_id].get(code, (0, 0))
            counts[team_id][code] = (old[0] + int(part or 0), old[1] + int(whole or 0))

    due_months = len(period.months)
    for team_id in counts:
        add(team_id, "meetings_held", 0, due_months)
    for team_id, *months in await queries.meetings(session, scope, period):
        add(team_id, "meetings_held", sum(int(m or 0) for m in months), 0)
    for team_id, present, recorded in await queries.attendance(session, scope, period):
        add(team_id, "attendance", present, recorded)

    await _reports(session, scope, period, teams, deadlines, add)

    unvisited: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for village_id, nhom_id, total, visited, stale in await queries.households(session, scope, period):
        team_id = by_village.get(village_id)
        add(team_id, "households_visited", visited, total)
        add(team_id, "households_stale", stale, total)
        if team_id is not None and total - (visited or 0) > 0:
            unvisited[team_id].append((nhom_names.get(nhom_id, ""), total - int(visited or 0)))
    for village_id, due, on_time in await queries.concerns(session, scope, period):
        add(by_village.get(village_id), "concerns_on_time", on_time, due)
    for village_id, households, told in await queries.told(session, scope, period):
        add(by_village.get(village_id), "households_told", told, households)
    for team_id, received, acknowledged in await queries.announcements(session, scope, period):
        add(team_id, "announcements_acknowledged", acknowledged, received)
    for team_id, _person, *quarters in await queries.members(session, scope, period):
        add(team_id, "active_members", int(all(int(q or 0) for q in quarters)), 1)
    for lines in unvisited.values():
        lines.sort(key=lambda line: (-line[1], line[0]))
    return Counts(tuple(teams), counts, dict(unvisited))


async def _reports(session: AsyncSession, scope: Scope, period: Period, teams: list[Team],
                   deadlines: Sequence[ReportDeadline], add: Callable[[int | None, str, int, int], None]) -> None:
    """Reports due by `as_of` in the period, and those marked submitted by the end of their due day."""
    deadlines = list(deadlines)
    # A commune that never opened its calendar owes the documents' defaults (and has marked none).
    known = {d.commune_id for d in deadlines}
    deadlines += [ReportDeadline(commune_id=c, kind=kind, level=level, month=month, day=day, active=True)
                  for c in scope.commune_ids if c not in known
                  for kind, (level, month, day) in calendar.DEFAULTS.items()]
    submitted = {(d, u, p): at for d, u, p, at in await queries.submissions(session, scope, period)}
    by_commune: dict[int, list[ReportDeadline]] = defaultdict(list)
    for deadline in deadlines:
        by_commune[deadline.commune_id].append(deadline)
    last_day = (period.as_of.astimezone(period.tz) - dt.timedelta(days=1)).date()
    if period.closed:
        last_day = period.end - dt.timedelta(days=1)
    # Each deadline's periods due, with the moment its report was still on time: once, not once a team.
    due: dict[int, list[tuple[str, dt.datetime]]] = {
        id(d): [(key, local_midnight(day + dt.timedelta(days=1), period.tz))
                for key, day in calendar.periods_between(d, period.start, last_day)] for d in deadlines}
    for team in teams:
        for deadline in by_commune.get(team.commune_id, []):
            if deadline.level not in (UnitKind.TEAM, UnitKind.VILLAGE):
                continue
            code = "monthly_reports" if deadline.kind == calendar.MONTHLY_TEAM else "yearly_reports"
            unit_id = team.team_id if deadline.level == UnitKind.TEAM else team.village_id
            for key, until in due[id(deadline)]:
                at = submitted.get((deadline.id, unit_id, key))
                add(team.team_id, code, int(at is not None and at < until), 1)


def label(code: str) -> str:
    return str(MEASURES[code].label) if code in MEASURES else _("Chấm tay")
