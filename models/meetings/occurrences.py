"""Monthly team meetings (họp giao ban): the schedule, its occurrences, answers, attendance, minutes.

Each occurrence of the schedule's rule (`models/meetings/calendar.py`) becomes one Meeting row,
unique per team and scheduled date, so materialising them again is harmless. Times are stored
in UTC, built from local time in the zone given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models import access, audit
from models.enums import AttendanceAnswer, MeetingStatus, UnitKind
from models.meetings.calendar import local_moment, occurrence_in, occurrences, validate_rule
from models.tables import Meeting, MeetingAttendance, MeetingSchedule, Membership, OrgUnit, Person

# --- the schedule -------------------------------------------------------------------------------

async def schedule_of(session: AsyncSession, team_id: int) -> MeetingSchedule | None:
    return await session.scalar(select(MeetingSchedule).where(MeetingSchedule.team_id == team_id))


async def scheduled_teams(session: AsyncSession) -> Sequence[int]:
    return (await session.scalars(select(MeetingSchedule.team_id).where(MeetingSchedule.active.is_(True))
                                  .order_by(MeetingSchedule.team_id))).all()


async def set_schedule(session: AsyncSession, team_id: int, *, rule: dict[str, Any], hour: int, minute: int,
                       place: str | None, actor_id: int | None, now: dt.datetime, tz: ZoneInfo) -> MeetingSchedule:
    """Sets or replaces the team's schedule; future occurrences nobody moved by hand follow it."""
    rule = validate_rule(rule)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValueError(f"not a time: {hour}:{minute}")
    schedule = await schedule_of(session, team_id)
    previous = None
    if schedule is None:
        schedule = MeetingSchedule(team_id=team_id)
        session.add(schedule)
    else:
        previous = {"rule": schedule.rule, "hour": schedule.hour, "minute": schedule.minute,
                    "place": schedule.place}
        await _replan(session, schedule, rule, hour, minute, place, now, tz)
    schedule.rule, schedule.hour, schedule.minute, schedule.place = rule, hour, minute, place
    schedule.active, schedule.created_by_id, schedule.updated_at = True, actor_id, now
    await session.flush()
    audit.record(session, "meeting_schedule.set", "meeting_schedule", schedule.id, actor_id=actor_id,
                 actor_label=f"person:{actor_id}", details={"team_id": team_id, "rule": rule, "hour": hour,
                                                            "minute": minute, "place": place,
                                                            "previous": previous})
    await ensure_occurrences(session, team_id, now.astimezone(tz).date(), tz=tz)
    return schedule


async def _replan(session: AsyncSession, old: MeetingSchedule, rule: dict[str, int], hour: int, minute: int,
                  place: str | None, now: dt.datetime, tz: ZoneInfo) -> None:
    """Future planned occurrences still as the old schedule made them: retimed, or dropped if off the rule."""
    future = (await session.scalars(select(Meeting).where(
        Meeting.team_id == old.team_id, Meeting.status == MeetingStatus.PLANNED, Meeting.starts_at > now,
        Meeting.occurrence.is_not(None)))).all()
    for meeting in future:
        day = meeting.occurrence
        untouched = (meeting.starts_at == local_moment(day, old.hour, old.minute, tz)
                     and meeting.place == old.place)
        if not untouched:
            continue  # moved by the leader: it stays where they put it
        if occurrence_in(rule, day.year, day.month) == day:
            meeting.starts_at, meeting.place = local_moment(day, hour, minute, tz), place
        else:
            await session.execute(delete(MeetingAttendance).where(MeetingAttendance.meeting_id == meeting.id))
            await session.delete(meeting)
    await session.flush()


async def ensure_occurrences(session: AsyncSession, team_id: int, today: dt.date, months_ahead: int = 2, *,
                             tz: ZoneInfo) -> int:
    """Adds the Meeting rows the schedule calls for that do not exist yet; how many were added."""
    schedule = await schedule_of(session, team_id)
    if schedule is None or not schedule.active:
        return 0
    existing = set((await session.scalars(select(Meeting.occurrence).where(
        Meeting.team_id == team_id, Meeting.occurrence >= today))).all())
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    added = 0
    for day in occurrences(schedule.rule, today, months_ahead):
        if day in existing:
            continue
        statement = insert(Meeting).values(
            team_id=team_id, occurrence=day, starts_at=local_moment(day, schedule.hour, schedule.minute, tz),
            place=schedule.place, status=MeetingStatus.PLANNED, created_by_id=schedule.created_by_id,
        ).on_conflict_do_nothing(index_elements=["team_id", "occurrence"])
        added += (await session.execute(statement)).rowcount or 0
    return added


# --- one occurrence -------------------------------------------------------------------------------

async def move_meeting(session: AsyncSession, meeting: Meeting, *, starts_at: dt.datetime, place: str | None,
                       actor_id: int | None) -> Meeting:
    details = {"from": meeting.starts_at.isoformat(), "to": starts_at.isoformat(),
               "place_from": meeting.place, "place_to": place}
    meeting.starts_at, meeting.place = starts_at, place
    audit.record(session, "meeting.move", "meeting", meeting.id, actor_id=actor_id,
                 actor_label=f"person:{actor_id}", details=details)
    return meeting


async def cancel_meeting(session: AsyncSession, meeting: Meeting, *, reason: str, actor_id: int | None) -> Meeting:
    meeting.status, meeting.cancel_reason = MeetingStatus.CANCELLED, reason[:200]
    audit.record(session, "meeting.cancel", "meeting", meeting.id, actor_id=actor_id,
                 actor_label=f"person:{actor_id}", details={"reason": meeting.cancel_reason})
    return meeting


async def _attendance(session: AsyncSession, meeting_id: int, person_id: int) -> MeetingAttendance:
    row = await session.scalar(select(MeetingAttendance).where(
        MeetingAttendance.meeting_id == meeting_id, MeetingAttendance.person_id == person_id))
    if row is None:
        row = MeetingAttendance(meeting_id=meeting_id, person_id=person_id)
        session.add(row)
    return row


async def record_answer(session: AsyncSession, meeting: Meeting, person_id: int, answer: AttendanceAnswer,
                        reason: str | None, now: dt.datetime) -> MeetingAttendance:
    """A member's "I will come" or "I cannot" (the latest answer counts)."""
    row = await _attendance(session, meeting.id, person_id)
    row.answer, row.answered_at = answer, now
    row.reason = reason[:500] if reason and answer == AttendanceAnswer.ABSENT else None
    await session.flush()
    return row


async def answers_of(session: AsyncSession, person_id: int, meeting_ids: Sequence[int]
                     ) -> dict[int, AttendanceAnswer]:
    """The person's latest answer to each of these meetings that they answered."""
    rows = (await session.execute(select(MeetingAttendance.meeting_id, MeetingAttendance.answer).where(
        MeetingAttendance.person_id == person_id, MeetingAttendance.meeting_id.in_(meeting_ids),
        MeetingAttendance.answer.is_not(None)))).all()
    return {meeting_id: answer for meeting_id, answer in rows}


async def record_attendance(session: AsyncSession, meeting: Meeting, *, present: set[int],
                            member_ids: Sequence[int], actor_id: int | None) -> None:
    """Who came, as the leader ticked them after the meeting; everyone else listed was absent."""
    for person_id in member_ids:
        row = await _attendance(session, meeting.id, person_id)
        row.attended = person_id in present
    meeting.status = MeetingStatus.HELD
    audit.record(session, "meeting.attendance", "meeting", meeting.id, actor_id=actor_id,
                 actor_label=f"person:{actor_id}", details={"present": sorted(present)})
    await session.flush()


async def record_minutes(session: AsyncSession, meeting: Meeting, minutes: str, *, actor_id: int | None) -> None:
    meeting.minutes, meeting.status = minutes, MeetingStatus.HELD
    audit.record(session, "meeting.minutes", "meeting", meeting.id, actor_id=actor_id,
                 actor_label=f"person:{actor_id}", details={"length": len(minutes)})


def mark_result_sent(meeting: Meeting, now: dt.datetime) -> None:
    meeting.result_sent_at = now


# --- queries ----------------------------------------------------------------------------------------

async def led_teams(session: AsyncSession, person_id: int) -> Sequence[OrgUnit]:
    """The teams whose meetings the person runs (team leader or deputy)."""
    return (await session.scalars(
        select(OrgUnit).join(Membership, Membership.unit_id == OrgUnit.id)
        .where(Membership.person_id == person_id, Membership.ended_at.is_(None),
               access.sets_meetings(Membership.role, OrgUnit.kind))
        .order_by(OrgUnit.id)
    )).unique().all()


async def team_members(session: AsyncSession, team_id: int) -> Sequence[Person]:
    """Everyone holding a role at the team or one of its nhóm, by name."""
    team = await session.get(OrgUnit, team_id)
    holders = (select(Membership.person_id).join(OrgUnit, OrgUnit.id == Membership.unit_id)
               .where(Membership.ended_at.is_(None), OrgUnit.path.startswith(team.path)))
    return (await session.scalars(select(Person).where(Person.id.in_(holders))
                                  .order_by(Person.name_key, Person.id))).all()


async def is_member(session: AsyncSession, team_id: int, person_id: int) -> bool:
    return any(p.id == person_id for p in await team_members(session, team_id))


async def next_meeting(session: AsyncSession, team_id: int, now: dt.datetime) -> Meeting | None:
    return await session.scalar(select(Meeting).where(
        Meeting.team_id == team_id, Meeting.status == MeetingStatus.PLANNED, Meeting.starts_at > now)
        .order_by(Meeting.starts_at).limit(1))


async def last_started(session: AsyncSession, team_id: int, now: dt.datetime) -> Meeting | None:
    """The latest meeting that has begun and was not cancelled: the one to record."""
    return await session.scalar(select(Meeting).where(
        Meeting.team_id == team_id, Meeting.status != MeetingStatus.CANCELLED, Meeting.starts_at <= now)
        .order_by(Meeting.starts_at.desc()).limit(1))


async def answers(session: AsyncSession, meeting: Meeting) -> list[tuple[Person, MeetingAttendance | None]]:
    """Each team member with their answer and attendance, if any."""
    rows = {a.person_id: a for a in (await session.scalars(
        select(MeetingAttendance).where(MeetingAttendance.meeting_id == meeting.id))).all()}
    return [(person, rows.get(person.id)) for person in await team_members(session, meeting.team_id)]


async def village_of(session: AsyncSession, team_id: int) -> OrgUnit | None:
    team = await session.get(OrgUnit, team_id)
    parent = await session.get(OrgUnit, team.parent_id) if team and team.parent_id else None
    return parent if parent is not None and parent.kind == UnitKind.VILLAGE else None
