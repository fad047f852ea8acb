"""The monthly digest's figures: per village (by nhóm and by member) and the commune side by side.

Every figure comes from the grouped statements in `models/digests/queries.py`, each one over the
whole commune: a digest costs the same handful of statements for three villages or three hundred.
Python only adds grouped rows up from (nhóm, member) to the village. Periods are local dates with
`end` exclusive; timestamps are compared with local midnights in UTC.

Definitions (the words on the digest mean exactly this):

- **visits**: visits whose local day falls in the period, not undone; a nhóm's are the visits to
  the households it served at the time, a member's the ones they made.
- **households assigned**: today's active households of the village / nhóm / member (assignments
  keep no history). **Reached**: those of them with at least one visit in the period, by anyone.
- **not visited for 60+ days**: active households with no visit in the 60 days up to the period's
  last day (never visited included); the leader's list shows the few waiting longest.
- **opened**: concerns recorded in the period. **Answered**: concerns whose first answer fell in
  the period — the first event that moved them to ANSWERED, or closed them with the reason
  RESOLVED; a closure for any other reason (not competent, duplicate, withdrawn) is never an
  answer, and a concern is counted answered once, in the period it was first answered.
  **Overdue**: concerns open at the period's end (or now, for a month still running) — neither
  answered nor closed by then — whose due date had passed; by category.
- **measures of answering**, over the concerns answered in the period (as above, so a closure other
  than resolved never counts), by village, by category and both: **answered on time**, the share
  answered by their due date (as "tỷ lệ giải quyết đúng hạn" in administrative reports: of those
  answered, not of those due); **median days to answer**, from recorded to first answer;
  **households told**, of their concern_households rows (the reporting household, those attached
  later, and anonymous ones) added by the period's end, the share whose `told_at` falls before it
  (answers of the last days may not have reached the household yet).
- **raised by several households**: concerns open at the period's end (as for overdue, whenever
  recorded) with two or more concern_households rows by then, most first; the village's few and
  the commune's few.
- **meeting**: the team's meetings held (status HELD) that began in the period, with attendance as
  the leader ticked it; meetings whose time passed still PLANNED are "not recorded".
- **members**: people holding a role at the village's team or one of its nhóm (today's roster
  plus roles that ended during the period). **Idle**: members with no visit and no concern
  recorded anywhere in the commune during the period.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from models.campaigns import progress as campaign_progress
from models.dan_van_kheo import figures as dvk_figures
from models.digests import queries as q
from models.digests.figures import (
    CategoryLine,
    CommuneDigest,
    Figures,
    Measures,
    MeetingFigures,
    MemberLine,
    NhomLine,
    RaisedConcern,
    StaleHousehold,
    VillageDigest,
)
from models.digests.measures import Answered, by_category, grouped, measure
from models.digests.queries import Window
from models.enums import ConcernCategory, UnitKind
from models.tables import OrgUnit

__all__ = [
    "CategoryLine", "CommuneDigest", "Figures", "Measures", "MeetingFigures", "MemberLine", "NhomLine",
    "RaisedConcern", "StaleHousehold", "VillageDigest", "commune_digest", "month_to_date", "period_key",
    "previous_month", "previous_period",
    "shift_first", "shift_month", "village_digests",
]

OLDEST = 5
RAISED = 5  # per village from SQL; the village's text shows fewer, the commune's these many overall


# --- periods -----------------------------------------------------------------------------------------

def shift_month(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (earlier when negative), kept within the month (31 → 30, 28 …)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    first = dt.date(year, month + 1, 1)
    last = (shift_first(first, 1) - dt.timedelta(days=1)).day
    return first.replace(day=min(day.day, last))


def shift_first(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def previous_month(today: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar month before `today`'s: what the digest on the 1st covers."""
    end = today.replace(day=1)
    return shift_first(end, -1), end


def month_to_date(today: dt.date) -> tuple[dt.date, dt.date]:
    """From the 1st to `today` included: what /tonghop shows."""
    return today.replace(day=1), today + dt.timedelta(days=1)


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The same stretch one month earlier: October 1–24 for November 1–24, September for October."""
    if start.day == 1 and end.day == 1:
        return shift_first(start, -1), shift_first(end, -1)
    return shift_month(start, -1), shift_month(end, -1)


def period_key(start: dt.date) -> str:
    return f"{start.year:04d}-{start.month:02d}"


# --- the digests ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Tree:
    villages: dict[int, str]  # id → name, by name
    village_of: dict[int, int]  # team or nhóm id → village id
    nhom: dict[int, list[tuple[int, str]]]  # village id → its nhóm (id, name)
    nhom_name: dict[int, str]


async def _tree(session: AsyncSession, commune: OrgUnit) -> _Tree:
    rows = await q.units(session, commune.path)
    villages = {r.id: r.name for r in rows if r.kind == UnitKind.VILLAGE}
    village_of: dict[int, int] = {}
    for r in rows:
        if r.kind == UnitKind.TEAM and r.parent_id in villages:
            village_of[r.id] = r.parent_id
    nhom: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for r in rows:
        if r.kind == UnitKind.NHOM and r.parent_id in village_of:
            village_of[r.id] = village_of[r.parent_id]
            nhom[village_of[r.id]].append((r.id, r.name))
    return _Tree(villages, village_of, nhom, {r.id: r.name for r in rows if r.kind == UnitKind.NHOM})


class _Sums:
    """Grouped rows added up under a few keys: a missing key is all zeros."""

    def __init__(self, width: int) -> None:
        self.width, self.rows = width, {}

    def add(self, key: object, *values: int | None) -> None:
        row = self.rows.setdefault(key, [0] * self.width)
        for index, value in enumerate(values):
            row[index] += int(value or 0)

    def __getitem__(self, key: object) -> list[int]:
        return self.rows.get(key, [0] * self.width)

    def __contains__(self, key: object) -> bool:
        return key in self.rows


@dataclass(frozen=True)
class _Answering:
    """The answering measures' rows and the concerns several households raised, for one window."""

    answered: tuple[Answered, ...]
    raised: tuple[RaisedConcern, ...]


async def _answering(session: AsyncSession, commune_id: int, w: Window) -> _Answering:
    """Two statements: one row per concern answered in the period, and the most-raised open ones."""
    answered = tuple(Answered(*row) for row in await q.answers(session, commune_id, w))
    raised = tuple(RaisedConcern(*row) for row in await q.raised(session, commune_id, w, RAISED))
    return _Answering(answered, raised)


async def _digests(session: AsyncSession, commune: OrgUnit, tree: _Tree, roster: Sequence[Row[Any]], w: Window,
                   with_oldest: bool, answering: _Answering | None = None) -> dict[int, VillageDigest]:
    """Every village's digest for one window, from five grouped statements (and `answering`, if given)."""
    visits, homes, worries, active = _Sums(1), _Sums(3), _Sums(3), set()
    for village_id, nhom_id, person_id, count in await q.visits(session, commune.id, w):
        for key in (("village", village_id), ("nhom", nhom_id), ("person", village_id, person_id)):
            visits.add(key, count)
        active.add(person_id)
    for village_id, nhom_id, member_id, assigned, reached, stale in await q.households(session, commune.id, w):
        for key in (("village", village_id), ("nhom", nhom_id), ("person", member_id)):
            homes.add(key, assigned, reached, stale)
    for village_id, nhom_id, category, reporter_id, opened, answered, overdue in await q.concerns(
            session, commune.id, w):
        worries.add(("category", village_id, category), opened, answered, overdue)
        worries.add(("nhom", nhom_id), opened)
        worries.add(("person", village_id, reporter_id), opened)
        if opened:
            active.add(reporter_id)
    meetings = {row[0]: row for row in await q.meetings(session, commune.path, w)}
    oldest: dict[int, list[StaleHousehold]] = defaultdict(list)
    for village_id, household_id, name, last in (await q.oldest(session, commune.id, w, OLDEST)
                                                 if with_oldest else []):
        oldest[village_id].append(StaleHousehold(household_id, name, last))

    people: dict[int, dict[int, tuple[str, str | None]]] = defaultdict(dict)  # village → person → (name, nhóm)
    nhom_people: dict[int, set[int]] = defaultdict(set)
    for unit_id, person_id, name, ended_at in roster:
        village_id = tree.village_of.get(unit_id)
        if village_id is None or (ended_at is not None and ended_at <= w.start_at):
            continue
        nhom_name = tree.nhom_name.get(unit_id)
        if nhom_name is not None:
            nhom_people[unit_id].add(person_id)
        known = people[village_id].get(person_id)
        people[village_id][person_id] = (name, known[1] if known and known[1] else nhom_name)

    rows = answering.answered if answering else ()
    village_measures = grouped(rows, lambda r: r.village_id)
    raised: dict[int, list[RaisedConcern]] = defaultdict(list)
    for concern in answering.raised if answering else ():
        raised[concern.village_id].append(concern)

    result = {}
    for village_id, village_name in tree.villages.items():
        nhom_lines = tuple(
            NhomLine(nhom_id, name, len(nhom_people[nhom_id]), visits["nhom", nhom_id][0],
                     worries["nhom", nhom_id][0], *homes["nhom", nhom_id])
            for nhom_id, name in tree.nhom.get(village_id, []))
        member_lines = sorted((
            MemberLine(person_id, name, nhom_name, visits["person", village_id, person_id][0],
                       worries["person", village_id, person_id][0], *homes["person", person_id][:2],
                       idle=person_id not in active)
            for person_id, (name, nhom_name) in people[village_id].items()),
            key=lambda m: (-m.visits, -m.concerns))  # stable: ties stay in the roster's name order
        categories = tuple(CategoryLine(c, *worries["category", village_id, c]) for c in ConcernCategory
                           if ("category", village_id, c) in worries)
        assigned, reached, stale = homes["village", village_id]
        result[village_id] = VillageDigest(
            village_id=village_id, name=village_name, start=w.start, end=w.end,
            visits=visits["village", village_id][0], households=assigned, reached=reached, stale=stale,
            nhom=nhom_lines, members=tuple(member_lines), categories=categories, oldest=tuple(oldest[village_id]),
            meeting=_meeting(meetings.get(village_id)), measures=village_measures.get(village_id, Measures()),
            category_measures=by_category(r for r in rows if r.village_id == village_id),
            raised=tuple(raised[village_id]))
    return result


def _meeting(row: Row[Any] | None) -> MeetingFigures:
    if row is None:
        return MeetingFigures()
    _village, held, last_held, unrecorded, present, recorded = row
    return MeetingFigures(int(held or 0), last_held, int(unrecorded or 0), int(present or 0), int(recorded or 0))


async def _commune(session: AsyncSession, commune_id: int) -> OrgUnit:
    commune = await session.get(OrgUnit, commune_id)
    if commune is None or commune.kind != UnitKind.COMMUNE:
        raise ValueError(f"no commune {commune_id}")
    return commune


async def village_digests(session: AsyncSession, commune_id: int, start: dt.date, end: dt.date, tz: ZoneInfo,
                          *, now: dt.datetime | None = None) -> dict[int, VillageDigest]:
    """Every village of the commune for [start, end); `now` cuts "still open" short for a running month."""
    commune = await _commune(session, commune_id)
    w = Window.of(start, end, tz, now)
    tree = await _tree(session, commune)
    roster = list(await q.roster(session, commune.path, w.start_at))
    answering = await _answering(session, commune.id, w)
    found = await _digests(session, commune, tree, roster, w, with_oldest=True, answering=answering)
    return await _with_campaigns_and_models(session, commune.id, found, start, end)


async def _with_campaigns_and_models(session: AsyncSession, commune_id: int, found: dict[int, VillageDigest],
                                     start: dt.date, end: dt.date) -> dict[int, VillageDigest]:
    """Each village's running campaigns and approved "Dân vận khéo" models: two grouped statements."""
    campaigns = await campaign_progress.in_villages(session, commune_id, start, end)
    models = await dvk_figures.approved_count(session, list(found))
    return {village_id: replace(digest, campaigns=tuple(campaigns.get(village_id, ())),
                                models_approved=models.get(village_id, 0))
            for village_id, digest in found.items()}


async def commune_digest(session: AsyncSession, commune_id: int, start: dt.date, end: dt.date, tz: ZoneInfo,
                         *, now: dt.datetime | None = None) -> CommuneDigest:
    """The villages side by side for [start, end), with the same stretch a month earlier to compare."""
    commune = await _commune(session, commune_id)
    w = Window.of(start, end, tz, now)
    before_start, before_end = previous_period(start, end)
    before = Window.of(before_start, before_end, tz)
    tree = await _tree(session, commune)
    roster = list(await q.roster(session, commune.path, before.start_at))
    answering = await _answering(session, commune.id, w)
    current = await _with_campaigns_and_models(
        session, commune.id, await _digests(session, commune, tree, roster, w, with_oldest=True, answering=answering),
        start, end)
    previous = await _digests(session, commune, tree, roster, before, with_oldest=False)
    most = sorted(answering.raised, key=lambda c: (-c.households, c.concern_id))[:RAISED]  # ties: the older first
    return CommuneDigest(commune.id, commune.name, start, end, before_start, before_end,
                         tuple(current.values()), previous, measures=measure(answering.answered),
                         category_measures=by_category(answering.answered), raised=tuple(most),
                         campaigns=tuple(campaign_progress.over_villages(
                             {v.village_id: list(v.campaigns) for v in current.values()})))
