"""A few months of made-up history for the demo commune, so that every screen a newcomer opens
shows something true: visits that match the households' last-visit dates, concerns in every
state, a held meeting with minutes and the next ones planned, one report submitted and the others
overdue. Built through the same domain operations the flows use, relative to `now`, from one seed.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.concerns import passing_on, workflow
from models.concerns.record import record_concern
from models.deadlines.calendar import deadlines, ensure_defaults, periods_between
from models.enums import (AttendanceAnswer, CloseReason, ConcernCategory, MeetingStatus, Role, UnitKind, Urgency,
                          VisitPurpose)
from models.meetings.calendar import local_moment, occurrence_in
from models.meetings.occurrences import ensure_occurrences, set_schedule, team_members
from models.tables import (ConcernHousehold, Household, Meeting, MeetingAttendance, Membership, OrgUnit,
                           ReportSubmission, Visit)
from models.units.tree import children

MEETING_DAY, MEETING_HOUR, MEETING_MINUTE = 25, 19, 30
PURPOSES = (VisitPurpose.LEARN_SITUATION,) * 3 + (VisitPurpose.PROPAGANDA,) * 2 + (
    VisitPurpose.ENCOURAGE, VisitPurpose.MOBILISE, VisitPurpose.MEDIATE)
NOTES = (None, None, None, "Gia đình khỏe, không có kiến nghị.", "Đã phổ biến lịch tiêm chủng.",
         "Nhắc hộ phân loại rác tại nguồn.")
# (status reached, category, urgency, days ago it was logged, description)
CONCERNS = (
    ("new", ConcernCategory.INFRASTRUCTURE, Urgency.URGENT, 1,
     "Đèn đường đầu xóm hỏng ba hôm, tối rất tối, người già đi lại khó khăn."),
    ("in_progress", ConcernCategory.ENVIRONMENT, Urgency.NORMAL, 6,
     "Rác thải để ở bãi đất trống cạnh mương, bốc mùi, đề nghị có lịch thu gom."),
    ("forwarded", ConcernCategory.LAND, Urgency.NORMAL, 12,
     "Hộ đề nghị xem lại ranh giới đất với hộ bên cạnh sau khi đo đạc lại."),
    ("answered", ConcernCategory.SOCIAL_POLICY, Urgency.NORMAL, 18,
     "Hỏi thủ tục hưởng trợ cấp cho người cao tuổi trên 80 tuổi."),
    ("told", ConcernCategory.ADMIN_PROCEDURE, Urgency.NORMAL, 26,
     "Hỏi nơi làm thủ tục cấp lại căn cước bị mất."),
    ("closed", ConcernCategory.SECURITY, Urgency.NORMAL, 40,
     "Có người lạ hay đứng trước cổng nhà văn hóa buổi tối."),
)
ANSWERS = {
    "answered": "Hộ mang giấy khai sinh hoặc căn cước của cụ đến bộ phận một cửa UBND xã; trợ cấp được nhận "
                "từ tháng sau khi hồ sơ được duyệt.",
    "told": "Làm tại Công an xã, sáng thứ Hai đến thứ Sáu; mang theo sổ hộ khẩu cũ nếu còn.",
    "closed": "Công an xã đã tăng tuần tra buổi tối; không còn hiện tượng trên.",
}
MINUTES = ("Tổ họp giao ban tháng: điểm lại các hộ đã thăm, ý kiến đang mở; thống nhất tuyên truyền phân loại "
           "rác và vận động hộ nghèo làm hồ sơ hỗ trợ.")


def _at(day: dt.date, hour: int, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=tz).astimezone(dt.UTC)


async def add_history(session: AsyncSession, commune: OrgUnit, *, now: dt.datetime, tz: ZoneInfo) -> None:
    """Everything the demo's screens report on, consistent with the roster just built."""
    rng = random.Random(2027)
    # The units existed before the history: they owe the reports that fell due meanwhile.
    await session.execute(update(OrgUnit).where(OrgUnit.path.startswith(commune.path))
                          .values(created_at=now - dt.timedelta(days=365)).execution_options(synchronize_session=False))
    households = list(await session.scalars(
        select(Household).where(Household.commune_id == commune.id).order_by(Household.id)))
    _visits(session, rng, households, tz)
    villages = sorted(await children(session, commune, UnitKind.VILLAGE), key=lambda v: v.id)
    for index, village in enumerate(villages):
        team = (await children(session, village, UnitKind.TEAM))[0]
        await _meetings(session, team, village, now=now, tz=tz)
        mine = [h for h in households if h.village_id == village.id]
        await _concerns(session, mine, team, now=now, tz=tz, all_states=index == 0)
    await _reports(session, commune, villages, now=now, tz=tz)
    await session.flush()


def _visits(session: AsyncSession, rng: random.Random, households: list[Household], tz: ZoneInfo) -> None:
    """The visit of each household's last-visit date, by its volunteer, and for some an earlier one."""
    for household in households:
        if household.last_visited_on is None:
            continue
        days = [household.last_visited_on]
        if rng.random() < 0.4:
            days.append(household.last_visited_on - dt.timedelta(days=rng.randint(25, 60)))
        for day in days:
            session.add(Visit(household_id=household.id, person_id=household.assigned_member_id,
                              nhom_id=household.nhom_id, village_id=household.village_id,
                              commune_id=household.commune_id, visited_on=day, purpose=rng.choice(PURPOSES),
                              note=rng.choice(NOTES), channel=None, created_at=_at(day, 17, tz)))


async def _leader(session: AsyncSession, team: OrgUnit) -> int:
    return (await session.scalar(select(Membership.person_id).where(
        Membership.unit_id == team.id, Membership.role == Role.TEAM_LEADER).order_by(Membership.id).limit(1)))


async def _meetings(session: AsyncSession, team: OrgUnit, village: OrgUnit, *, now: dt.datetime,
                    tz: ZoneInfo) -> None:
    """A monthly schedule on the 25th, the last meeting before today held with minutes, the next ones planned."""
    leader = await _leader(session, team)
    today = now.astimezone(tz).date()
    rule = {"day": MEETING_DAY}
    held = occurrence_in(rule, today.year, today.month)
    if held >= today:
        previous = today.replace(day=1) - dt.timedelta(days=1)
        held = occurrence_in(rule, previous.year, previous.month)
    place = f"Nhà văn hóa {village.name.removeprefix('Thôn ').removeprefix('Tổ dân phố ')}"
    await set_schedule(session, team.id, rule=rule, hour=MEETING_HOUR, minute=MEETING_MINUTE, place=place,
                       actor_id=leader, now=now, tz=tz)
    await ensure_occurrences(session, team.id, today, tz=tz)
    starts = local_moment(held, MEETING_HOUR, MEETING_MINUTE, tz)
    meeting = Meeting(team_id=team.id, occurrence=held, starts_at=starts, place=place, status=MeetingStatus.HELD,
                      minutes=MINUTES, result_sent_at=starts + dt.timedelta(hours=2), created_by_id=leader,
                      created_at=starts - dt.timedelta(days=30))
    session.add(meeting)
    await session.flush()
    members = await team_members(session, team.id)
    for position, person in enumerate(members):
        came = position % 5 != 4  # one in five could not come
        session.add(MeetingAttendance(
            meeting_id=meeting.id, person_id=person.id,
            answer=AttendanceAnswer.ATTEND if came else AttendanceAnswer.ABSENT,
            reason=None if came else "Đi làm ca tối", answered_at=starts - dt.timedelta(days=2), attended=came))


async def _concerns(session: AsyncSession, households: list[Household], team: OrgUnit, *, now: dt.datetime,
                    tz: ZoneInfo, all_states: bool) -> None:
    """Concerns of the village's volunteers: every state in the first village, two open ones elsewhere."""
    leader = await _leader(session, team)
    # The village's first household is the demo member's: the concerns are theirs, visited households first.
    visited = sorted(households, key=lambda h: (h.assigned_member_id != households[0].assigned_member_id,
                                                h.last_visited_on is None, h.id))
    wanted = CONCERNS if all_states else CONCERNS[1:3]
    for (state, category, urgency, days_ago, description), household in zip(wanted, visited, strict=False):
        logged = now - dt.timedelta(days=days_ago, hours=3)
        concern = await record_concern(
            session, reporter_id=household.assigned_member_id, commune_id=household.commune_id,
            village_id=household.village_id, nhom_id=household.nhom_id, household=household,
            several_households=False, category=category, urgency=urgency, description=description, photos=[],
            channel=None, now=logged, year=logged.astimezone(tz).year)
        if state == "new":
            continue
        step = logged + dt.timedelta(days=1)
        await workflow.take_on(session, concern, actor_id=leader, now=step, assignee_id=leader)
        if state == "forwarded":
            await workflow.escalate(session, concern, actor_id=leader, now=step + dt.timedelta(days=2),
                                    note="Cần chi bộ phối hợp với cán bộ địa chính xã.")
        if state in ANSWERS:
            answered = step + dt.timedelta(days=days_ago // 3)
            await workflow.answer(session, concern, actor_id=leader, text=ANSWERS[state], now=answered)
            if state in ("told", "closed"):
                row = await session.scalar(select(ConcernHousehold).where(ConcernHousehold.concern_id == concern.id))
                await passing_on.mark_told(session, row, person_id=household.assigned_member_id,
                                           now=answered + dt.timedelta(days=2), concern=concern)
            if state == "closed":
                await workflow.close(session, concern, actor_id=leader, reason=CloseReason.RESOLVED,
                                     now=answered + dt.timedelta(days=4))


async def _reports(session: AsyncSession, commune: OrgUnit, villages: list[OrgUnit], *, now: dt.datetime,
                   tz: ZoneInfo) -> None:
    """Every report that fell due this past year submitted two days early, but last month's team report
    of the villages after the first: those are overdue."""
    await ensure_defaults(session, commune)
    today = now.astimezone(tz).date()
    teams = {village.id: (await children(session, village, UnitKind.TEAM))[0] for village in villages}
    late_period = f"{(today.replace(day=1) - dt.timedelta(days=1)):%Y-%m}"
    for deadline in await deadlines(session, commune):
        units = list(teams.values()) if deadline.level == UnitKind.TEAM else villages
        for period, due in periods_between(deadline, today - dt.timedelta(days=365), today - dt.timedelta(days=1)):
            for unit in units:
                if deadline.month is None and period == late_period and unit.id != teams[villages[0].id].id:
                    continue
                session.add(ReportSubmission(deadline_id=deadline.id, unit_id=unit.id, period=period,
                                             submitted_at=_at(due - dt.timedelta(days=2), 20, tz)))
