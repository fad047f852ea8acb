"""The meeting job: materialise occurrences, remind members, send results to the chi bộ group.

It keeps no state of its own: each run reads what is due from the database and enqueues under
idempotency keys, so a second run, or a late one after downtime, adds nothing already queued.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.i18n import _, format_date, use_locale
from models.enums import AttendanceAnswer, GroupPurpose
from models.groups import posts
from models.meetings import occurrences
from models.meetings.due import cancelled_ahead, due_reminders, results_due
from models.outbox.enqueue import enqueue_for_person, payload
from models.tables import Meeting, OrgUnit


async def meeting_jobs(sessions: async_sessionmaker[AsyncSession], *, now: dt.datetime, tz: ZoneInfo,
                       default_locale: str | None = None) -> int:
    """One run in one transaction; how many messages were enqueued.

    Without `default_locale`, texts for groups and for people with no language of their own are
    in the caller's current language (`scheduler.app.run_job` sets DEFAULT_LOCALE).
    """
    async with sessions() as session:
        today = now.astimezone(tz).date()
        for team_id in await occurrences.scheduled_teams(session):
            await occurrences.ensure_occurrences(session, team_id, today, tz=tz)
        added = 0
        for due in await due_reminders(session, now, tz):
            added += await _to_members(session, due.meeting, due.key, due.kind, now, tz, default_locale)
        for meeting in await cancelled_ahead(session, now):
            added += await _to_members(session, meeting, f"meeting:{meeting.id}:cancelled", "cancelled", now, tz,
                                       default_locale)
        for meeting in await results_due(session, now):
            added += await _result(session, meeting, now, tz, default_locale)
        await session.commit()
    return added


async def _to_members(session: AsyncSession, meeting: Meeting, key: str, kind: str, now: dt.datetime,
                      tz: ZoneInfo, default_locale: str | None) -> int:
    team = await session.get(OrgUnit, meeting.team_id)
    added = 0
    for person in await occurrences.team_members(session, meeting.team_id):
        with use_locale(person.locale or default_locale):
            body = cancelled_text(meeting, team, tz) if kind == "cancelled" else reminder(meeting, team, kind, tz)
        added += await enqueue_for_person(session, person, key=key, kind=f"meeting_{kind}", body=body, now=now,
                                          tz=tz)
    return added


def _when(meeting: Meeting, tz: ZoneInfo) -> tuple[str, str, str]:
    local = meeting.starts_at.astimezone(tz)
    place = _(", tại {place}").format(place=meeting.place) if meeting.place else ""
    return format_date(local.date()), local.strftime("%H:%M"), place


def reminder(meeting: Meeting, team: OrgUnit, kind: str, tz: ZoneInfo) -> dict:
    """The reminder in the current locale, with the attend / cannot-attend buttons."""
    date, time, place = _when(meeting, tz)
    if kind == "morning":
        text = _("📅 Hôm nay họp giao ban {team} lúc {time}{place}.").format(team=team.name, time=time, place=place)
    else:
        text = _("📅 Nhắc họp giao ban {team}: {date} lúc {time}{place}.").format(
            team=team.name, date=date, time=time, place=place)
    if meeting.occurrence and meeting.occurrence != meeting.starts_at.astimezone(tz).date():
        text += "\n" + _("(Đã dời từ {date}.)").format(date=format_date(meeting.occurrence))
    text += "\n" + _("Bạn có tham dự không?")
    return payload(text, [(f"mt:{meeting.id}:y", _("✅ Tham dự")), (f"mt:{meeting.id}:n", _("🚫 Vắng"))],
                   columns=2)


def cancelled_text(meeting: Meeting, team: OrgUnit, tz: ZoneInfo) -> dict:
    date, time, _place = _when(meeting, tz)
    text = _("📅 Buổi họp giao ban {team} {date} lúc {time} đã hủy.").format(team=team.name, date=date, time=time)
    if meeting.cancel_reason:
        text += "\n" + _("Lý do: {reason}").format(reason=meeting.cancel_reason)
    return payload(text)


async def _result(session: AsyncSession, meeting: Meeting, now: dt.datetime, tz: ZoneInfo,
                  default_locale: str | None) -> int:
    village = await occurrences.village_of(session, meeting.team_id)
    if village is None:
        return 0
    team = await session.get(OrgUnit, meeting.team_id)

    async def body(locale: str | None) -> dict[str, Any]:
        with use_locale(locale or default_locale):
            return payload(await result_text(session, meeting, team, tz))

    added = int(await posts.post(session, village, GroupPurpose.CHI_BO, key=f"meeting:{meeting.id}:result",
                                 kind="meeting_result", body=body, now=now, tz=tz))
    if added:
        occurrences.mark_result_sent(meeting, now)
    return added


async def result_text(session: AsyncSession, meeting: Meeting, team: OrgUnit, tz: ZoneInfo) -> str:
    """The meeting's result for the chi bộ: when, who came, who could not and why, the minutes."""
    date, time, place = _when(meeting, tz)
    rows = await occurrences.answers(session, meeting)
    lines = [_("📋 Kết quả họp giao ban — {team}").format(team=team.name),
             _("{date} lúc {time}{place}").format(date=date, time=time, place=place)]
    if any(a is not None and a.attended is not None for _p, a in rows):  # attendance was taken
        came = [p.full_name for p, a in rows if a is not None and a.attended]
        away = []
        for person, row in rows:
            if row is None or not row.attended:
                reason = row.reason if row is not None and row.answer == AttendanceAnswer.ABSENT else None
                away.append(f"{person.full_name} ({reason})" if reason else person.full_name)
        lines.append(_("Tham dự ({count}/{total}): {names}").format(count=len(came), total=len(rows),
                                                                    names=", ".join(came) or "—"))
        if away:
            lines.append(_("Vắng ({count}): {names}").format(count=len(away), names=", ".join(away)))
    lines += [_("Nội dung, kết luận:"), meeting.minutes or "—"]
    return "\n".join(lines)
