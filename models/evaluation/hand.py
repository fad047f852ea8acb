"""Criteria scored by hand: the points and note the khối dân vận head gives each team, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import _
from models import audit
from models.evaluation.numbers import number_text
from models.evaluation.rubric import Criterion
from models.tables import EvaluationHandScore

NOTE_LENGTH = 500


class BadScore(ValueError):
    """Points outside the criterion's range, or a note too long: the message states the rule."""


def check(criterion: Criterion, points: float, note: str | None) -> None:
    if not criterion.min_points <= points <= criterion.max_points:
        raise BadScore(_("Điểm “{criterion}” phải từ {min} đến {max}.").format(
            criterion=criterion.label, min=number_text(criterion.min_points), max=number_text(criterion.max_points)))
    if note is not None and len(note) > NOTE_LENGTH:
        raise BadScore(_("Ghi chú dài {count} ký tự; tối đa {max}.").format(count=len(note), max=NOTE_LENGTH))


async def set_score(session: AsyncSession, team_id: int, year: int, criterion: Criterion, points: float,
                    note: str | None, *, actor_id: int | None, actor_label: str, now: dt.datetime) -> None:
    """The team's points for the criterion this year, in place of any before, with the audit trail."""
    check(criterion, points, note)
    row = await session.scalar(select(EvaluationHandScore).where(
        EvaluationHandScore.team_id == team_id, EvaluationHandScore.year == year,
        EvaluationHandScore.code == criterion.code))
    before = None if row is None else {"points": row.points, "note": row.note}
    if row is None:
        row = EvaluationHandScore(team_id=team_id, year=year, code=criterion.code, points=points, note=note,
                                  scored_by_id=actor_id, scored_at=now)
        session.add(row)
    else:
        row.points, row.note, row.scored_by_id, row.scored_at = points, note, actor_id, now
    await session.flush()
    audit.record(session, "set_evaluation_score", "evaluation_hand_score", row.id, actor_id=actor_id,
                 actor_label=actor_label, details={"team_id": team_id, "year": year, "code": criterion.code,
                                                   "before": before, "after": {"points": points, "note": note}})


async def scores(session: AsyncSession, team_ids: Sequence[int], year: int
                 ) -> dict[int, dict[str, tuple[float, str | None]]]:
    """team → code → (points, note), for every team given, in one statement."""
    found: dict[int, dict[str, tuple[float, str | None]]] = {}
    if not team_ids:
        return found
    rows = await session.execute(
        select(EvaluationHandScore.team_id, EvaluationHandScore.code, EvaluationHandScore.points,
               EvaluationHandScore.note)
        .where(EvaluationHandScore.year == year, EvaluationHandScore.team_id.in_(sorted(set(team_ids)))))
    for team_id, code, points, note in rows:
        found.setdefault(team_id, {})[code] = (points, note)
    return found
