"""A confirmed year, frozen: the evaluation stored whole, so later edits to visits, concerns or the
rubric leave what was confirmed exactly as it was."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import audit
from models.evaluation.scoring import Evaluation, Line, Scorecard
from models.tables import EvaluationResult


class AlreadyConfirmed(Exception):
    """The year was confirmed before: it stays as it was."""


class NotClosed(Exception):
    """The period has not ended: the year cannot be confirmed yet."""


def dump(evaluation: Evaluation) -> dict[str, Any]:
    data = asdict(evaluation)
    for key in ("start", "end", "as_of", "confirmed_at"):
        value = data[key]
        data[key] = value.isoformat() if value is not None else None
    return data


def load(data: dict[str, Any], confirmed_at: dt.datetime) -> Evaluation:
    cards = tuple(Scorecard(**{**card, "lines": tuple(Line(**line) for line in card["lines"])})
                  for card in data["cards"])
    return Evaluation(
        unit_id=data["unit_id"], name=data["name"], year=data["year"], start=dt.date.fromisoformat(data["start"]),
        end=dt.date.fromisoformat(data["end"]), as_of=dt.datetime.fromisoformat(data["as_of"]),
        closed=data["closed"], sample=data["sample"], bands=tuple(tuple(b) for b in data["bands"]),  # type: ignore[misc]
        cards=cards, proposed=tuple(data["proposed"]), confirmed_at=confirmed_at)


async def read(session: AsyncSession, commune_ids: list[int], year: int) -> dict[int, Evaluation]:
    """The communes' confirmed evaluations of the year, by commune."""
    if not commune_ids:
        return {}
    rows = await session.scalars(select(EvaluationResult).where(
        EvaluationResult.year == year, EvaluationResult.commune_id.in_(sorted(commune_ids))))
    return {row.commune_id: load(row.data, row.confirmed_at) for row in rows}


async def confirm(session: AsyncSession, evaluation: Evaluation, *, person_id: int | None, actor_label: str,
                  now: dt.datetime) -> Evaluation:
    """Freezes the commune's evaluation of the year; AlreadyConfirmed if it was, NotClosed before its end."""
    if evaluation.confirmed_at is not None or await read(session, [evaluation.unit_id], evaluation.year):
        raise AlreadyConfirmed
    if not evaluation.closed:
        raise NotClosed
    row = EvaluationResult(commune_id=evaluation.unit_id, year=evaluation.year, data=dump(evaluation),
                           confirmed_at=now, confirmed_by_id=person_id)
    session.add(row)
    await session.flush()
    audit.record(session, "confirm_evaluation", "evaluation_result", row.id, actor_id=person_id,
                 actor_label=actor_label, details={"commune_id": evaluation.unit_id, "year": evaluation.year,
                                                   "teams": len(evaluation.cards)})
    return load(row.data, now)
