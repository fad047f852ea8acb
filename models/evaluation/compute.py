"""The evaluation of a commune's teams, or of every team of a province, for one year.

A confirmed year is read back frozen; any other is computed afresh: one statement per measure for
all the teams that share a period, whatever their number (bench/province.py times a province).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.deadlines import calendar
from models.enums import UnitKind
from models.evaluation import frozen, hand, queries
from models.evaluation.measures import Counts, measure_all
from models.evaluation.period import Period
from models.evaluation.queries import Scope
from models.evaluation.rubric import Rubric, rubrics_for
from models.evaluation.scoring import Evaluation, Scorecard, proposal, ranked, score
from models.tables import OrgUnit, ReportDeadline


def last_day(year: int, rubric: Rubric, deadlines: Sequence[ReportDeadline]) -> dt.date:
    """The period's last day: the rubric's, else the commune's annual report deadline (20 November)."""
    if rubric.period_end is not None:
        return dt.date(year, *rubric.period_end)
    annual = next((d for d in deadlines if d.kind == calendar.ANNUAL), None)
    if annual is None:
        _level, month, day = calendar.DEFAULTS[calendar.ANNUAL]
        return dt.date(year, month or 11, day)
    return calendar.due_date(annual, str(year))


@dataclass(frozen=True)
class Province:
    """Every commune's evaluation, and all their teams ranked together."""

    unit_id: int
    name: str
    year: int
    communes: tuple[Evaluation, ...]
    cards: tuple[Scorecard, ...]


async def _communes(session: AsyncSession, unit: OrgUnit) -> list[OrgUnit]:
    if unit.kind == UnitKind.COMMUNE:
        return [unit]
    return list((await session.scalars(select(OrgUnit).where(
        OrgUnit.kind == UnitKind.COMMUNE, OrgUnit.path.startswith(unit.path)).order_by(OrgUnit.name_key))).all())


async def evaluate_many(session: AsyncSession, communes: Sequence[OrgUnit], year: int, tz: ZoneInfo,
                        now: dt.datetime | None = None, counts_out: dict[int, Counts] | None = None
                        ) -> list[Evaluation]:
    """Each commune's evaluation (the confirmed ones frozen); communes sharing a rubric and period are
    measured together, so a province costs one statement a measure. `counts_out` receives the counts
    behind each commune computed afresh."""
    done = await frozen.read(session, [c.id for c in communes], year)
    open_ = [c for c in communes if c.id not in done]
    rubrics = await rubrics_for(session, open_)
    scope_all = Scope(_common_path(open_), tuple(c.id for c in open_)) if open_ else None
    deadlines = await queries.deadlines(session, scope_all) if scope_all else []
    by_commune: dict[int, list[ReportDeadline]] = defaultdict(list)
    for deadline in deadlines:
        by_commune[deadline.commune_id].append(deadline)
    groups: dict[tuple[int | None, dt.date], list[OrgUnit]] = defaultdict(list)
    for commune in open_:
        rubric = rubrics[commune.id]
        groups[(rubric.unit_id, last_day(year, rubric, by_commune[commune.id]))].append(commune)
    for (_unit, day), members in groups.items():
        period = Period.of(year, day, tz, now)
        scope = Scope(_common_path(members), tuple(c.id for c in members))
        counts = await measure_all(session, scope, period, [d for c in members for d in by_commune[c.id]])
        hand_scores = await hand.scores(session, [t.team_id for t in counts.teams], year)
        for commune in members:
            done[commune.id] = _evaluation(commune, rubrics[commune.id], period, counts, hand_scores)
            if counts_out is not None:
                counts_out[commune.id] = counts
    return [done[c.id] for c in communes]


def _evaluation(commune: OrgUnit, rubric: Rubric, period: Period, counts: Counts,
                hand_scores: dict[int, dict[str, tuple[float, str | None]]]) -> Evaluation:
    mine = Counts(tuple(t for t in counts.teams if t.commune_id == commune.id), counts.counts, counts.unvisited)
    cards = score(mine, rubric, {commune.id: commune.name}, hand_scores)
    return Evaluation(commune.id, commune.name, period.year, period.start, period.end - dt.timedelta(days=1),
                      period.as_of, period.closed, rubric.sample,
                      tuple((b.label, b.minimum) for b in rubric.bands), cards, proposal(cards, rubric))


def _common_path(units: Sequence[OrgUnit]) -> str:
    """The deepest path all the units lie under (their province's, or the commune's own)."""
    parts = [u.path.strip("/").split("/") for u in units]
    common: list[str] = []
    for column in zip(*parts, strict=False):
        if len(set(column)) != 1:
            break
        common.append(column[0])
    return "/" + "/".join(common) + "/" if common else "/"


async def evaluate_commune(session: AsyncSession, commune: OrgUnit, year: int, tz: ZoneInfo,
                           now: dt.datetime | None = None) -> Evaluation:
    return (await evaluate_many(session, [commune], year, tz, now))[0]


async def evaluate_province(session: AsyncSession, unit: OrgUnit, year: int, tz: ZoneInfo,
                            now: dt.datetime | None = None) -> Province:
    """Every commune under `unit` (a province, or any unit above communes), ranked together too."""
    evaluations = await evaluate_many(session, await _communes(session, unit), year, tz, now)
    return Province(unit.id, unit.name, year, tuple(evaluations),
                    ranked([card for e in evaluations for card in e.cards]))
