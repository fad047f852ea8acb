"""Time limits for answering a concern: the defaults, and a commune's own (`ConcernRule` rows).

Days to answer, counted from the day the concern is logged:

- **Khiếu nại, tố cáo: 30.** Law on Complaints 2011 (02/2011/QH13), art. 28: a first complaint is
  settled within 30 days of its acceptance, 45 for a complicated case; in remote areas that are
  hard to reach, 45 and 60. Law on Denunciations 2018 (25/2018/QH14), art. 30: 30 days from
  acceptance, extendable once by 30 days, twice for a particularly complicated case. A commune in
  a remote area sets 45 with `set_rule` (hence up to `MAX_DUE_DAYS` = 90: a denunciation extended
  twice).
- **Đất đai: 30.** Land Law 2024 (31/2024/QH15), art. 235: a land dispute's mediation at the
  commune's People's Committee takes at most 30 days.
- The rest have no legal limit when raised through the team (a kiến nghị, phản ánh): the project's
  own choice — 7 days for security and order, 10 for environment and hygiene, 15 for what the
  commune settles itself (procedures, social policy, infrastructure, disputes between neighbours,
  other), 30 for programmes and projects, often decided above the commune. The source documents
  (seeds 000–004) give no time limit for answering; their complaint is that answers come "slowly
  or never" (seed 000).
- **Urgent: 3 days**, or the category's own days when fewer (the issue's example).

An overdue concern goes up a level after `escalate_after_days` at its level: 3 days, 1 when
urgent (see `scheduler/concerns/overdue.py` for how the days are counted).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import audit
from models.enums import ConcernCategory, Urgency
from models.tables import ConcernRule

DEFAULT_DUE_DAYS: dict[ConcernCategory, int] = {
    ConcernCategory.LAND: 30,
    ConcernCategory.ADMIN_PROCEDURE: 15,
    ConcernCategory.COMPLAINT: 30,
    ConcernCategory.SOCIAL_POLICY: 15,
    ConcernCategory.ENVIRONMENT: 10,
    ConcernCategory.SECURITY: 7,
    ConcernCategory.INFRASTRUCTURE: 15,
    ConcernCategory.DISPUTE: 15,
    ConcernCategory.PROGRAMME: 30,
    ConcernCategory.OTHER: 15,
}
URGENT_DUE_DAYS = 3
DEFAULT_ESCALATE_DAYS: dict[Urgency, int] = {Urgency.NORMAL: 3, Urgency.URGENT: 1}
MAX_DUE_DAYS, MAX_ESCALATE_DAYS = 90, 30

Key = tuple[ConcernCategory, Urgency]


@dataclass(frozen=True)
class Limits:
    due_days: int
    escalate_after_days: int
    custom: bool = False  # the commune set it; False: the default above


class BadRule(ValueError):
    """Days outside the allowed range (1–90 to answer, 1–30 before going up a level)."""


def due_days(category: ConcernCategory, urgency: Urgency) -> int:
    """The default days to answer."""
    if urgency == Urgency.URGENT:
        return min(URGENT_DUE_DAYS, DEFAULT_DUE_DAYS[category])
    return DEFAULT_DUE_DAYS[category]


def default_limits(category: ConcernCategory, urgency: Urgency) -> Limits:
    return Limits(due_days(category, urgency), DEFAULT_ESCALATE_DAYS[urgency])


def defaults() -> dict[Key, Limits]:
    return {(c, u): default_limits(c, u) for c in ConcernCategory for u in Urgency}


def _limits(row: ConcernRule) -> Limits:
    return Limits(row.due_days, row.escalate_after_days, custom=True)


async def rules_for(session: AsyncSession, commune_id: int) -> dict[Key, Limits]:
    """Every category and urgency: the commune's own rule where it set one, else the default."""
    return (await rules_by_commune(session, [commune_id]))[commune_id]


async def rules_by_commune(session: AsyncSession, commune_ids: Collection[int]) -> dict[int, dict[Key, Limits]]:
    """`rules_for` of many communes in one query (the overdue job)."""
    found = {commune_id: defaults() for commune_id in commune_ids}
    if not found:
        return found
    rows = await session.scalars(select(ConcernRule).where(ConcernRule.commune_id.in_(list(found))))
    for row in rows:
        found[row.commune_id][(row.category, row.urgency)] = _limits(row)
    return found


async def limits_for(session: AsyncSession, commune_id: int, category: ConcernCategory, urgency: Urgency) -> Limits:
    """One category and urgency of one commune: a single indexed lookup when a concern is logged."""
    row = await _rule(session, commune_id, category, urgency)
    return _limits(row) if row is not None else default_limits(category, urgency)


async def _rule(session: AsyncSession, commune_id: int, category: ConcernCategory,
                urgency: Urgency) -> ConcernRule | None:
    return await session.scalar(select(ConcernRule).where(
        ConcernRule.commune_id == commune_id, ConcernRule.category == category, ConcernRule.urgency == urgency))


def validate(due_days: int, escalate_after_days: int) -> None:
    if not 1 <= due_days <= MAX_DUE_DAYS:
        raise BadRule(f"due_days={due_days}")
    if not 1 <= escalate_after_days <= MAX_ESCALATE_DAYS:
        raise BadRule(f"escalate_after_days={escalate_after_days}")


async def set_rule(session: AsyncSession, commune_id: int, category: ConcernCategory, urgency: Urgency, *,
                   due_days: int, escalate_after_days: int, person_id: int | None, now: dt.datetime,
                   actor_label: str | None = None) -> ConcernRule:
    """The commune's own limits for one category and urgency, with the change in the audit trail.

    Concerns already logged keep their due date; the days before going up a level apply to them
    from the next run of the overdue job.
    """
    validate(due_days, escalate_after_days)
    row = await _rule(session, commune_id, category, urgency)
    before = _as_dict(_limits(row) if row is not None else default_limits(category, urgency))
    if row is None:
        row = ConcernRule(commune_id=commune_id, category=category, urgency=urgency)
        session.add(row)
    row.due_days, row.escalate_after_days = due_days, escalate_after_days
    row.updated_at, row.updated_by_id = now, person_id
    await session.flush()
    entry = audit.record(session, "set_concern_rule", "concern_rule", row.id, actor_id=person_id,
                         actor_label=actor_label or _label(person_id),
                         details={"commune_id": commune_id, "category": category.value, "urgency": urgency.value,
                                  "before": before, "after": _as_dict(_limits(row))})
    entry.at = now
    return row


async def reset_rule(session: AsyncSession, commune_id: int, category: ConcernCategory, urgency: Urgency, *,
                     person_id: int | None, now: dt.datetime, actor_label: str | None = None) -> bool:
    """Back to the default; False when the commune had no rule of its own."""
    row = await _rule(session, commune_id, category, urgency)
    if row is None:
        return False
    before = _as_dict(_limits(row))
    await session.delete(row)
    await session.flush()
    entry = audit.record(session, "reset_concern_rule", "concern_rule", row.id, actor_id=person_id,
                         actor_label=actor_label or _label(person_id),
                         details={"commune_id": commune_id, "category": category.value, "urgency": urgency.value,
                                  "before": before, "after": _as_dict(default_limits(category, urgency))})
    entry.at = now
    return True


def _as_dict(limits: Limits) -> dict[str, int]:
    return {"due_days": limits.due_days, "escalate_after_days": limits.escalate_after_days}


def _label(person_id: int | None) -> str:
    return f"person:{person_id}" if person_id is not None else "system"
