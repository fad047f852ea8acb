"""Points, bands and the ranking: a rubric applied to the measures and the hand scores.

A measure scores on its criterion's scale (full points at `full` %, none at `zero` %, linear between;
nothing to count yet: full points). A criterion scored by hand counts what the khối dân vận head
gave, 0 until then. The total is kept within 0–100; teams rank by it, ties sharing a rank. The model
teams proposed for commendation are the best of those in the first band, `COMMENDED` at most (more
when tied).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from core.i18n import _
from models.evaluation.measures import Counts, Team, Value
from models.evaluation.rubric import Criterion, Rubric, TOTAL

COMMENDED = 3


@dataclass(frozen=True)
class Line:
    """One criterion of a scorecard: the value (%, None for a hand score or nothing to count), the
    points out of the maximum, and the evidence in words."""

    code: str
    label: str
    max_points: float
    points: float
    value: float | None
    evidence: str
    by_hand: bool = False
    measure: str = ""

    @property
    def lost(self) -> float:
        return self.max_points - self.points


@dataclass(frozen=True)
class Scorecard:
    team_id: int
    team: str
    village_id: int
    village: str
    commune_id: int
    commune: str
    total: float
    band: str
    rank: int
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Evaluation:
    """A commune's (or a province's) year: its scorecards best first, and the proposal."""

    unit_id: int
    name: str
    year: int
    start: dt.date
    end: dt.date  # the period's last day
    as_of: dt.datetime
    closed: bool  # the period is over: the year can be confirmed
    sample: bool  # scored by the sample rubric
    bands: tuple[tuple[str, float], ...]
    cards: tuple[Scorecard, ...]
    proposed: tuple[int, ...]  # team ids proposed as model teams
    confirmed_at: dt.datetime | None = None

    def card(self, team_id: int) -> Scorecard | None:
        return next((c for c in self.cards if c.team_id == team_id), None)


def measure_points(criterion: Criterion, value: Value) -> float:
    percent = value.percent
    if percent is None:
        return criterion.max_points if value.empty_full else 0.0
    full, zero = float(criterion.full or 0), float(criterion.zero or 0)
    share = (percent - zero) / (full - zero)
    return round(criterion.max_points * min(1.0, max(0.0, share)), 2)


def line(criterion: Criterion, values: dict[str, Value], hand: dict[str, tuple[float, str | None]]) -> Line:
    if criterion.by_hand:
        given = hand.get(criterion.code)
        if given is None:
            unscored = _("không có điểm trừ") if criterion.min_points < 0 else _("chưa chấm")
            return Line(criterion.code, criterion.label, criterion.max_points, 0.0, None, unscored, True)
        points, note = given
        return Line(criterion.code, criterion.label, criterion.max_points, points, None, note or _("chấm tay"), True)
    value = values[criterion.measure]
    return Line(criterion.code, criterion.label, criterion.max_points, measure_points(criterion, value),
                value.percent, value.evidence, measure=criterion.measure)


def scorecard(team: Team, commune: str, rubric: Rubric, values: dict[str, Value],
              hand: dict[str, tuple[float, str | None]]) -> Scorecard:
    lines = tuple(line(c, values, hand) for c in rubric.criteria)
    total = round(min(TOTAL, max(0.0, sum(x.points for x in lines))), 1)
    return Scorecard(team.team_id, team.name, team.village_id, team.village, team.commune_id, commune, total,
                     rubric.band(total).label, 0, lines)


def ranked(cards: Sequence[Scorecard]) -> tuple[Scorecard, ...]:
    """Best first (by name among equals); equal totals share a rank: 1, 2, 2, 4."""
    ordered = sorted(cards, key=lambda c: (-c.total, c.village.casefold(), c.team_id))
    result, rank = [], 0
    for index, card in enumerate(ordered, 1):
        if index == 1 or card.total != ordered[index - 2].total:
            rank = index
        result.append(Scorecard(**{**card.__dict__, "rank": rank}))
    return tuple(result)


def proposal(cards: Sequence[Scorecard], rubric: Rubric) -> tuple[int, ...]:
    """The model teams to commend: the first band's best, COMMENDED at most unless tied."""
    first = [c for c in cards if c.total >= rubric.bands[0].minimum]
    if len(first) <= COMMENDED:
        return tuple(c.team_id for c in first)
    cut = first[COMMENDED - 1].total
    return tuple(c.team_id for c in first if c.total >= cut)


def score(counts: Counts, rubric: Rubric, communes: dict[int, str],
          hand: dict[int, dict[str, tuple[float, str | None]]]) -> tuple[Scorecard, ...]:
    """Every team's scorecard, ranked."""
    return ranked([scorecard(t, communes.get(t.commune_id, ""), rubric, counts.values(t.team_id),
                             hand.get(t.team_id, {})) for t in counts.teams])
