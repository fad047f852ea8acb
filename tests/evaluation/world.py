"""A hand-built 2026 for the evaluation tests: every measure and score in them was counted by hand here.

Xã Phúc Sơn has two teams: Thôn An's (busy) and Thôn Bình's (quiet); Xã Khác one, for the province.
The period is 1 January – 20 November 2026 (the annual report's default deadline); "now" is
1 December 2026, after it. Hà Nội is UTC+7.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from core.text import fold
from models.deadlines import calendar
from models.enums import Channel, CloseReason, ConcernCategory, ConcernStatus, MeetingStatus, Role, UnitKind, Urgency
from models.enums import VisitPurpose
from models.tables import (
    Announcement,
    AnnouncementReceipt,
    ChatIdentity,
    Concern,
    ConcernEvent,
    ConcernHousehold,
    Household,
    Meeting,
    MeetingAttendance,
    Membership,
    OrgUnit,
    Person,
    ReportSubmission,
    Visit,
)
from models.units import tree

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)  # 9:00 on 1 December


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@dataclass
class Year:
    province: OrgUnit
    commune: OrgUnit
    other: OrgUnit
    units: dict[str, OrgUnit] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    homes: dict[str, Household] = field(default_factory=dict)


async def _person(session: AsyncSession, year: Year, key: str, name: str, *roles: tuple[str, Role]) -> Person:
    person = Person(full_name=name, name_key=fold(name), commune_id=year.commune.id)
    session.add(person)
    await session.flush()
    for unit, role in roles:
        session.add(Membership(person_id=person.id, unit_id=year.units[unit].id, role=role))
    session.add(ChatIdentity(person_id=person.id, channel=Channel.TERMINAL, external_id=key, chat_id=key))
    year.people[key] = person
    return person


def _visit(year: Year, home: str, person: str, day: dt.date, undone: bool = False) -> Visit:
    h = year.homes[home]
    return Visit(household_id=h.id, person_id=year.people[person].id, nhom_id=h.nhom_id, village_id=h.village_id,
                 commune_id=h.commune_id, visited_on=day, purpose=VisitPurpose.ENCOURAGE,
                 undone_at=utc(2026, 4, 1) if undone else None)


def _concern(session: AsyncSession, year: Year, ref: int, village: str, created: dt.datetime, due: dt.datetime,
             events: tuple[tuple[ConcernStatus, dt.datetime], ...], told: tuple[tuple[str, dt.datetime | None], ...],
             close_reason: CloseReason | None = None) -> Concern:
    row = Concern(reference=f"PA-2026-{ref:05d}", commune_id=year.commune.id, village_id=year.units[village].id,
                  reporter_id=year.people["ma1"].id, category=ConcernCategory.LAND, urgency=Urgency.NORMAL,
                  status=events[-1][0] if events else ConcernStatus.NEW, description="…", due_at=due,
                  created_at=created, close_reason=close_reason)
    session.add(row)
    return row


async def build_year(session: AsyncSession) -> Year:
    province = await tree.add_unit(session, UnitKind.PROVINCE, "Tỉnh Thử", code="98")
    commune = await tree.add_unit(session, UnitKind.COMMUNE, "Xã Phúc Sơn", province, code="10459")
    other = await tree.add_unit(session, UnitKind.COMMUNE, "Xã Khác", province, code="99999")
    year = Year(province, commune, other)
    u = year.units
    for key, name, parent in (("A", "Thôn An", commune), ("B", "Thôn Bình", commune), ("K", "Thôn Khác", other)):
        u[key] = await tree.add_unit(session, UnitKind.VILLAGE, name, parent)
        u["T" + key] = await tree.add_unit(session, UnitKind.TEAM, f"Tổ Dân vận {name}", u[key])
    u["NA1"] = await tree.add_unit(session, UnitKind.NHOM, "Nhóm 1", u["TA"])
    u["NA2"] = await tree.add_unit(session, UnitKind.NHOM, "Nhóm 2", u["TA"])
    u["NB1"] = await tree.add_unit(session, UnitKind.NHOM, "Nhóm 1", u["TB"])
    u["NK1"] = await tree.add_unit(session, UnitKind.NHOM, "Nhóm 1", u["TK"])
    u["C"] = commune
    await _person(session, year, "la", "Nguyễn Thị An", ("TA", Role.TEAM_LEADER), ("A", Role.CHI_BO_SECRETARY))
    await _person(session, year, "ma1", "Phạm Văn Một", ("NA1", Role.MEMBER))
    await _person(session, year, "ma2", "Lê Thị Hai", ("NA2", Role.MEMBER))
    await _person(session, year, "lb", "Trần Văn Bình", ("TB", Role.TEAM_LEADER))
    await _person(session, year, "mb1", "Đỗ Văn Ba", ("NB1", Role.MEMBER))
    await _person(session, year, "khoi", "Đinh Văn Khối", ("C", Role.KHOI_DAN_VAN_HEAD))
    await _person(session, year, "sec", "Mai Thị Sương", ("C", Role.COMMUNE_SECRETARY))
    await _person(session, year, "lk", "Hoàng Văn Khác", ("TK", Role.TEAM_LEADER))

    for key, nhom in (("hA1", "NA1"), ("hA2", "NA1"), ("hA3", "NA1"), ("hA4", "NA2"), ("hB1", "NB1"),
                      ("hB2", "NB1")):
        unit = u[nhom]
        village = u["A"] if key.startswith("hA") else u["B"]
        year.homes[key] = Household(commune_id=commune.id, village_id=village.id, nhom_id=unit.id, head_name=key,
                                    name_key=key.lower())
    session.add_all(year.homes.values())
    await session.flush()

    d = dt.date
    session.add_all([
        # Thôn An: hA1 visited (not stale), hA2 only early (stale), hA3 never (its visit undone), hA4 in November.
        _visit(year, "hA1", "ma1", d(2026, 3, 10)), _visit(year, "hA2", "ma1", d(2026, 5, 5)),
        _visit(year, "hA1", "ma1", d(2026, 8, 8)), _visit(year, "hA1", "ma1", d(2026, 10, 1)),
        _visit(year, "hA2", "la", d(2026, 2, 1)), _visit(year, "hA3", "la", d(2026, 6, 1), undone=True),
        _visit(year, "hA4", "ma2", d(2026, 11, 15)),
        # Thôn Bình: a visit last year and one after the period: none counts.
        _visit(year, "hB1", "mb1", d(2025, 12, 1)), _visit(year, "hB2", "mb1", d(2026, 11, 25)),
    ])
    # As the visit operations keep it: each household's last visit not undone.
    for key, last in (("hA1", d(2026, 10, 1)), ("hA2", d(2026, 5, 5)), ("hA4", d(2026, 11, 15)),
                      ("hB1", d(2025, 12, 1)), ("hB2", d(2026, 11, 25))):
        year.homes[key].last_visited_on = last

    # Thôn An's team met from January to October (10 of the 11 months due); two attendance lists.
    meetings = [Meeting(team_id=u["TA"].id, occurrence=d(2026, month, 20), starts_at=utc(2026, month, 20, 12, 30),
                        status=MeetingStatus.HELD) for month in range(1, 11)]
    meetings.append(Meeting(team_id=u["TB"].id, starts_at=utc(2026, 5, 20, 12, 30), status=MeetingStatus.CANCELLED))
    session.add_all(meetings)
    await session.flush()
    p = year.people
    session.add_all([
        MeetingAttendance(meeting_id=meetings[0].id, person_id=p["la"].id, attended=True),
        MeetingAttendance(meeting_id=meetings[0].id, person_id=p["ma1"].id, attended=True),
        MeetingAttendance(meeting_id=meetings[0].id, person_id=p["ma2"].id, attended=True),
        MeetingAttendance(meeting_id=meetings[1].id, person_id=p["la"].id, attended=True),
        MeetingAttendance(meeting_id=meetings[1].id, person_id=p["ma1"].id, attended=False),
    ])

    # Reports: Thôn An's team sent January–August on the due day, September two days late, October none;
    # the village's half-year and annual reports on time; Thôn Bình's half-year report late.
    await calendar.ensure_defaults(session, commune)
    by_kind = {row.kind: row for row in await calendar.deadlines(session, commune)}
    session.add_all([ReportSubmission(deadline_id=by_kind["monthly_team"].id, unit_id=u["TA"].id,
                                      period=f"2026-{month:02d}", submitted_at=utc(2026, month, 25, 10))
                     for month in range(1, 9)])
    session.add_all([
        ReportSubmission(deadline_id=by_kind["monthly_team"].id, unit_id=u["TA"].id, period="2026-09",
                         submitted_at=utc(2026, 9, 27, 3)),
        ReportSubmission(deadline_id=by_kind["half_year"].id, unit_id=u["A"].id, period="2026",
                         submitted_at=utc(2026, 6, 15, 16, 30)),  # 23:30 on the due day: on time
        ReportSubmission(deadline_id=by_kind["annual"].id, unit_id=u["A"].id, period="2026",
                         submitted_at=utc(2026, 11, 19, 3)),
        ReportSubmission(deadline_id=by_kind["half_year"].id, unit_id=u["B"].id, period="2026",
                         submitted_at=utc(2026, 6, 15, 17, 30)),  # 00:30 on 16 June: late
    ])

    # Concerns in Thôn An: answered on time (2 households, 1 told), answered late (1 told), overdue and
    # still open; a withdrawn one counts for nothing.
    S = ConcernStatus
    c1 = _concern(session, year, 1, "A", utc(2026, 3, 1, 3), utc(2026, 3, 31, 3), ((S.ANSWERED, utc(2026, 3, 20)),), ())
    c2 = _concern(session, year, 2, "A", utc(2026, 6, 1, 3), utc(2026, 6, 16, 3), ((S.ANSWERED, utc(2026, 7, 1)),), ())
    c3 = _concern(session, year, 3, "A", utc(2026, 10, 1, 3), utc(2026, 10, 31, 3), (), ())
    c4 = _concern(session, year, 4, "A", utc(2026, 9, 1, 3), utc(2026, 9, 15, 3), ((S.CLOSED, utc(2026, 9, 5)),), (),
                  CloseReason.WITHDRAWN)
    await session.flush()
    for concern, events in ((c1, ((S.ANSWERED, utc(2026, 3, 20)),)), (c2, ((S.ANSWERED, utc(2026, 7, 1)),)),
                            (c3, ()), (c4, ((S.CLOSED, utc(2026, 9, 5)),))):
        session.add(ConcernEvent(concern_id=concern.id, action="created", to_status=S.NEW, at=concern.created_at))
        for status, at in events:
            session.add(ConcernEvent(concern_id=concern.id, action=status.value, from_status=S.NEW, to_status=status,
                                     at=at))
    for concern, home, told in ((c1, "hA1", utc(2026, 3, 25)), (c1, "hA2", None), (c2, "hA3", utc(2026, 7, 2)),
                                (c3, "hA4", None)):
        session.add(ConcernHousehold(concern_id=concern.id, household_id=year.homes[home].id, reporter_id=p["ma1"].id,
                                     added_at=concern.created_at, told_at=told))

    # One announcement in April: Thôn An's team acknowledged 2 of 3, Thôn Bình's 1 of 2.
    announcement = Announcement(author_id=p["sec"].id, scope_unit_id=commune.id, text="Họp dân",
                                send_at=utc(2026, 4, 1, 3), enqueued_at=utc(2026, 4, 1, 3))
    session.add(announcement)
    await session.flush()
    for key, ack in (("la", True), ("ma1", True), ("ma2", False), ("lb", True), ("mb1", False)):
        session.add(AnnouncementReceipt(announcement_id=announcement.id, person_id=p[key].id,
                                        acknowledged_at=utc(2026, 4, 2) if ack else None))
    await session.commit()
    return year
