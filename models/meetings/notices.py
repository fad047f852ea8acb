"""Telling a team that its monthly meeting now has a schedule: once, through the outbox.

Moves and cancellations are told by the meeting job (`scheduler/meetings.py`); the first schedule
is told when the leader sets it, so members hear of it before the first reminder, three days ahead.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import _, format_date, use_locale
from models.meetings import occurrences
from models.meetings.texts import answer_options, at_place, describe_rule
from models.outbox.enqueue import enqueue_for_person, payload
from models.tables import MeetingSchedule, OrgUnit


def first_schedule_text(schedule: MeetingSchedule, team: OrgUnit, next_meeting: tuple[dt.date, str] | None) -> str:
    text = _("📅 {team} đã có lịch họp giao ban: {rule}, lúc {time}{place}.").format(
        team=team.name, rule=describe_rule(schedule.rule), time=f"{schedule.hour:02d}:{schedule.minute:02d}",
        place=at_place(schedule.place))
    if next_meeting is not None:
        text += "\n" + _("Buổi tới: {date} lúc {time}. Bạn có tham dự không?").format(
            date=format_date(next_meeting[0]), time=next_meeting[1])
    return text


async def tell_first_schedule(session: AsyncSession, schedule: MeetingSchedule, *, actor_id: int | None,
                              now: dt.datetime, tz: ZoneInfo, default_locale: str) -> int:
    """Each member of the team but the one who set it, once per team (a later change is not news of
    this kind); how many were queued. The next meeting's answer buttons come with it."""
    team = await session.get(OrgUnit, schedule.team_id)
    upcoming = await occurrences.next_meeting(session, schedule.team_id, now)
    when = None
    if upcoming is not None:
        local = upcoming.starts_at.astimezone(tz)
        when = (local.date(), local.strftime("%H:%M"))
    added = 0
    for person in await occurrences.team_members(session, schedule.team_id):
        if person.id == actor_id:
            continue
        with use_locale(person.locale or default_locale):
            body = payload(first_schedule_text(schedule, team, when),
                           answer_options(upcoming.id) if upcoming is not None else None, columns=2)
        added += await enqueue_for_person(session, person, key=f"meeting_schedule:{schedule.team_id}:first",
                                          kind="meeting_schedule", body=body, now=now, tz=tz)
    return added
