"""What the meeting job must send now: reminders whose moment came, cancellations, results."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import MeetingStatus
from models.tables import Meeting

REMIND3_AT, MORNING_AT = dt.time(19, 0), dt.time(7, 0)
RESULT_WINDOW = dt.timedelta(days=30)  # a chi bộ group bound later does not get old results


@dataclass(frozen=True)
class Due:
    """A reminder whose moment has come: `kind` is "remind3" or "morning"."""

    meeting: Meeting
    kind: str
    key: str


def reminder_moments(meeting: Meeting, tz: ZoneInfo) -> dict[str, dt.datetime]:
    day = meeting.starts_at.astimezone(tz).date()
    return {"remind3": dt.datetime.combine(day - dt.timedelta(days=3), REMIND3_AT, tzinfo=tz).astimezone(dt.UTC),
            "morning": dt.datetime.combine(day, MORNING_AT, tzinfo=tz).astimezone(dt.UTC)}


async def due_reminders(session: AsyncSession, now: dt.datetime, tz: ZoneInfo) -> list[Due]:
    """Reminders whose moment has passed for planned meetings that have not begun.

    The key names the meeting's local start, so a moved meeting is announced again.
    """
    soon = (await session.scalars(select(Meeting).where(
        Meeting.status == MeetingStatus.PLANNED, Meeting.starts_at > now,
        Meeting.starts_at <= now + dt.timedelta(days=4)).order_by(Meeting.starts_at, Meeting.id))).all()
    due = []
    for meeting in soon:
        start = meeting.starts_at.astimezone(tz).strftime("%Y-%m-%dT%H:%M")
        for kind, moment in reminder_moments(meeting, tz).items():
            if moment <= now:
                due.append(Due(meeting, kind, f"meeting:{meeting.id}:{kind}:{start}"))
    return due


async def cancelled_ahead(session: AsyncSession, now: dt.datetime) -> Sequence[Meeting]:
    """Cancelled meetings still in the future: members are told once."""
    return (await session.scalars(select(Meeting).where(
        Meeting.status == MeetingStatus.CANCELLED, Meeting.starts_at > now).order_by(Meeting.starts_at))).all()


async def results_due(session: AsyncSession, now: dt.datetime) -> Sequence[Meeting]:
    """Held meetings with minutes whose result has not gone to the chi bộ yet."""
    return (await session.scalars(select(Meeting).where(
        Meeting.status == MeetingStatus.HELD, Meeting.minutes.is_not(None), Meeting.result_sent_at.is_(None),
        Meeting.starts_at >= now - RESULT_WINDOW).order_by(Meeting.starts_at))).all()
