"""A hand-built October 2026 for the digest tests: every figure in them was counted by hand from here.

Xã Phúc Sơn has three villages: Đồng Tâm (two nhóm, busy), Hòa Bình (one nhóm, quiet) and Yên Lạc
(one household, one idle member). A second commune's visit must never show up. The comments on
each row say where it falls: Hà Nội is UTC+7, so 17:30 UTC on 31 October is 00:30 on 1 November.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from core.text import fold
from models.enums import (
    AttendanceAnswer,
    Channel,
    CloseReason,
    ConcernCategory,
    ConcernStatus,
    MeetingStatus,
    Role,
    UnitKind,
    Urgency,
    VisitPurpose,
)
from models.tables import (
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
    Visit,
)
from models.units import tree

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 11, 1))
SEPTEMBER = (dt.date(2026, 9, 1), dt.date(2026, 10, 1))
_refs = itertools.count(1)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@dataclass
class Month:
    commune: OrgUnit
    villages: dict[str, OrgUnit] = field(default_factory=dict)
    teams: dict[str, OrgUnit] = field(default_factory=dict)
    nhom: dict[str, OrgUnit] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    homes: dict[str, Household] = field(default_factory=dict)


async def _person(session: AsyncSession, month: Month, key: str, name: str, *roles: tuple[OrgUnit, Role],
                  telegram: bool = True, ended: dt.datetime | None = None) -> Person:
    person = Person(full_name=name, name_key=fold(name), commune_id=month.commune.id)
    session.add(person)
    await session.flush()
    for unit, role in roles:
        session.add(Membership(person_id=person.id, unit_id=unit.id, role=role, ended_at=ended))
    if telegram:  # without it, no app at all: the terminal too takes a person's messages
        session.add(ChatIdentity(person_id=person.id, channel=Channel.TERMINAL, external_id=key, chat_id=key))
        session.add(ChatIdentity(person_id=person.id, channel=Channel.TELEGRAM, external_id=f"tg-{key}",
                                 chat_id=f"tg-{key}", last_seen_at=utc(2026, 10, 1)))
    month.people[key] = person
    return person


def _home(session: AsyncSession, month: Month, key: str, name: str, nhom: str, member: str | None,
          active: bool = True) -> Household:
    unit = month.nhom[nhom]
    village = next(v for v in month.villages.values() if unit.path.startswith(v.path))
    home = Household(commune_id=month.commune.id, village_id=village.id, nhom_id=unit.id, head_name=name,
                     name_key=fold(name), address="", address_key="", active=active,
                     assigned_member_id=month.people[member].id if member else None)
    session.add(home)
    month.homes[key] = home
    return home


def visit(month: Month, home: str, person: str, day: dt.date, undone: bool = False) -> Visit:
    h = month.homes[home]
    return Visit(household_id=h.id, person_id=month.people[person].id, nhom_id=h.nhom_id, village_id=h.village_id,
                 commune_id=h.commune_id, visited_on=day, purpose=VisitPurpose.ENCOURAGE,
                 undone_at=utc(2026, 10, 10, 3) if undone else None)


# A household on a concern: (household key or None for anonymous, its volunteer, added, told).
Raised = tuple[str | None, str, dt.datetime, dt.datetime | None]


async def concern(session: AsyncSession, month: Month, village: str, nhom: str | None, reporter: str,
                  category: ConcernCategory, created: dt.datetime, due_days: int,
                  events: tuple[tuple[ConcernStatus, dt.datetime], ...] = (),
                  close_reason: CloseReason | None = None, *, description: str = "…", household: str | None = None,
                  raised: tuple[Raised, ...] = ()) -> Concern:
    status = events[-1][0] if events else ConcernStatus.NEW
    row = Concern(reference=f"PA-2026-{next(_refs):05d}", commune_id=month.commune.id,
                  village_id=month.villages[village].id, nhom_id=month.nhom[nhom].id if nhom else None,
                  reporter_id=month.people[reporter].id, category=category, urgency=Urgency.NORMAL, status=status,
                  description=description, due_at=created + dt.timedelta(days=due_days), created_at=created,
                  close_reason=close_reason, household_id=month.homes[household].id if household else None)
    session.add(row)
    await session.flush()
    session.add_all(ConcernHousehold(concern_id=row.id, household_id=month.homes[home].id if home else None,
                                     reporter_id=month.people[who].id, added_at=added, told_at=told,
                                     told_by_id=month.people[who].id if told else None)
                    for home, who, added, told in raised)
    session.add(ConcernEvent(concern_id=row.id, action="created", to_status=ConcernStatus.NEW, at=created))
    previous = ConcernStatus.NEW
    for status, at in events:
        session.add(ConcernEvent(concern_id=row.id, action=status.value, from_status=previous, to_status=status,
                                 at=at))
        previous = status
    return row


async def build_month(session: AsyncSession) -> Month:
    global _refs
    _refs = itertools.count(1)  # PA-2026-00001 … in the order below, whatever ran before
    province = await tree.add_unit(session, UnitKind.PROVINCE, "Thành phố Hà Nội", code="01")
    commune = await tree.add_unit(session, UnitKind.COMMUNE, "Xã Phúc Sơn", province, code="10459")
    month = Month(commune)
    for key, name, nhom in (("dt", "Thôn Đồng Tâm", ("n1", "n2")), ("hb", "Thôn Hòa Bình", ("n3",)),
                            ("yl", "Thôn Yên Lạc", ("n4",))):
        village = month.villages[key] = await tree.add_unit(session, UnitKind.VILLAGE, name, commune)
        team = month.teams[key] = await tree.add_unit(session, UnitKind.TEAM, f"Tổ Dân vận {name}", village)
        for index, nhom_key in enumerate(nhom, 1):
            month.nhom[nhom_key] = await tree.add_unit(session, UnitKind.NHOM, f"Nhóm {index}", team)
    v, t, n = month.villages, month.teams, month.nhom
    await _person(session, month, "l1", "Nguyễn Thị Hằng", (t["dt"], Role.TEAM_LEADER),
                  (v["dt"], Role.CHI_BO_SECRETARY))
    await _person(session, month, "d1", "Trần Văn Phó", (t["dt"], Role.TEAM_DEPUTY))
    await _person(session, month, "a", "Phạm Văn An", (n["n1"], Role.MEMBER))
    await _person(session, month, "b", "Lê Thị Bình", (n["n1"], Role.GROUP_LEADER))
    await _person(session, month, "c", "Đỗ Văn Chung", (n["n2"], Role.MEMBER))
    # Left the team on 10 October: still on October's roster, not on November's.
    await _person(session, month, "e", "Vũ Thị Én", (n["n2"], Role.MEMBER), ended=utc(2026, 10, 10, 3))
    await _person(session, month, "l2", "Hoàng Văn Hải", (t["hb"], Role.TEAM_LEADER))
    await _person(session, month, "f", "Bùi Thị Phương", (n["n3"], Role.MEMBER))
    await _person(session, month, "g", "Ngô Văn Giang", (n["n4"], Role.MEMBER))
    await _person(session, month, "k", "Đinh Văn Khối", (commune, Role.KHOI_DAN_VAN_HEAD))
    await _person(session, month, "s", "Mai Thị Sương", (commune, Role.COMMUNE_SECRETARY))
    await _person(session, month, "x", "Quản Trị Viên", (commune, Role.ADMIN))
    await _person(session, month, "l3", "Trịnh Văn Ba", (t["yl"], Role.TEAM_LEADER), telegram=False)

    for key, name, nhom, member in (("h1", "Nguyễn Văn Một", "n1", "a"), ("h2", "Trần Thị Hai", "n1", "a"),
                                    ("h3", "Lê Văn Ba", "n1", "b"), ("h4", "Phạm Thị Bốn", "n1", None),
                                    ("h5", "Hoàng Văn Năm", "n2", "c"), ("h6", "Vũ Thị Sáu", "n2", "c"),
                                    ("h8", "Đặng Văn Tám", "n3", "f"), ("h9", "Bùi Thị Chín", "n3", "f"),
                                    ("h10", "Ngô Văn Mười", "n4", None)):
        _home(session, month, key, name, nhom, member)
    _home(session, month, "h7", "Hộ Đã Chuyển", "n2", "c", active=False)
    await session.flush()

    day = dt.date
    session.add_all([
        visit(month, "h1", "a", day(2026, 10, 1)),   # first day: in
        visit(month, "h1", "a", day(2026, 10, 15)),  # same household again: reached once
        visit(month, "h2", "a", day(2026, 9, 30)),   # the day before: September
        visit(month, "h2", "a", day(2026, 11, 1)),   # the day after: November
        visit(month, "h3", "b", day(2026, 10, 31)),  # last day: in
        visit(month, "h3", "a", day(2026, 10, 20)),  # A visits B's household
        visit(month, "h4", "b", day(2026, 9, 1)),    # 60 days before 31 October: stale
        visit(month, "h5", "c", day(2026, 9, 2)),    # 59 days before: not stale
        visit(month, "h6", "c", day(2026, 10, 10), undone=True),  # undone: never happened
        visit(month, "h7", "a", day(2026, 10, 5)),   # an inactive household: a visit, not a household
        visit(month, "h5", "l1", day(2026, 10, 25)),
        visit(month, "h8", "f", day(2026, 10, 10)),
    ])

    C, S = ConcernCategory, ConcernStatus
    # Households on each concern (concern_households): what the answering measures and the ranking of
    # concerns raised by several households count. October's measures in Đồng Tâm: the land concern
    # (answered on time after 19 days 9½ hours; h1 told on 25 Oct, h2 never, h3 only on 2 Nov) and the
    # resolved complaint (late, after 18 days; its household told). Open at October's end with two or
    # more households: the security concern (3) and the admin procedure (2) in Đồng Tâm, the
    # infrastructure one (2) in Hòa Bình.
    await concern(session, month, "dt", "n1", "a", C.LAND, utc(2026, 9, 30, 17, 30), 30,  # 00:30 on 1 Oct
                  ((S.ANSWERED, utc(2026, 10, 20, 3)),), household="h1", description="Tranh chấp lối đi chung",
                  raised=(("h1", "a", utc(2026, 9, 30, 17, 30), utc(2026, 10, 25, 3)),
                          ("h2", "a", utc(2026, 10, 5, 3), None),
                          ("h3", "b", utc(2026, 10, 8, 3), utc(2026, 11, 2, 3))))  # told in November
    await concern(session, month, "dt", "n1", "b", C.LAND, utc(2026, 10, 31, 16, 30), 30,  # 23:30 on 31 Oct
                  household="h4", raised=(("h4", "b", utc(2026, 10, 31, 16, 30), None),
                                          (None, "l1", utc(2026, 11, 2, 3), None)))  # a second one in November
    await concern(session, month, "dt", "n1", "a", C.ENVIRONMENT, utc(2026, 10, 31, 17, 30), 10,  # 1 Nov
                  household="h1", raised=(("h1", "a", utc(2026, 10, 31, 17, 30), None),))
    await concern(session, month, "dt", "n1", "a", C.SECURITY, utc(2026, 9, 10, 3), 7,  # open, overdue
                  household="h1", description="Thanh niên đua xe ban đêm trước nhà Nguyễn Văn Một, gọi 0912345678",
                  raised=(("h1", "a", utc(2026, 9, 10, 3), None), ("h5", "c", utc(2026, 10, 3, 3), None),
                          ("h6", "c", utc(2026, 10, 20, 3), None)))
    await concern(session, month, "dt", "n1", "b", C.COMPLAINT, utc(2026, 9, 5, 3), 30,
                  ((S.CLOSED, utc(2026, 10, 3, 3)),), CloseReason.WITHDRAWN)  # withdrawn: never an answer
    await concern(session, month, "dt", "n1", "a", C.COMPLAINT, utc(2026, 10, 2, 3), 10,
                  ((S.CLOSED, utc(2026, 10, 20, 3)),), CloseReason.RESOLVED,  # resolved: an answer
                  household="h3", raised=(("h3", "a", utc(2026, 10, 2, 3), utc(2026, 10, 21, 3)),))
    await concern(session, month, "dt", None, "l1", C.ADMIN_PROCEDURE, utc(2026, 10, 5, 3), 15,
                  ((S.ANSWERED, utc(2026, 10, 31, 17, 30)),),  # answered on 1 Nov: overdue at October's end
                  description="Chậm cấp giấy chứng nhận cho các hộ xóm Trại",
                  raised=((None, "l1", utc(2026, 10, 5, 3), None), ("h2", "a", utc(2026, 10, 12, 3), None)))
    await concern(session, month, "dt", "n1", "a", C.OTHER, utc(2026, 8, 1, 3), 15,
                  ((S.ANSWERED, utc(2026, 9, 1, 3)), (S.CLOSED, utc(2026, 10, 10, 3))), CloseReason.NOT_COMPETENT,
                  raised=(("h2", "a", utc(2026, 8, 1, 3), utc(2026, 9, 3, 3)),))
    await concern(session, month, "dt", "n2", "b", C.DISPUTE, utc(2026, 10, 10, 3), 15,
                  ((S.CLOSED, utc(2026, 10, 12, 3)),), CloseReason.DUPLICATE,
                  raised=(("h5", "b", utc(2026, 10, 10, 3), None), ("h6", "b", utc(2026, 10, 11, 3), None)))
    await concern(session, month, "hb", "n3", "f", C.LAND, utc(2026, 10, 15, 3), 30,
                  raised=(("h9", "f", utc(2026, 10, 15, 3), None),))
    await concern(session, month, "hb", "n3", "f", C.INFRASTRUCTURE, utc(2026, 9, 20, 3), 15,  # overdue 5 Oct
                  household="h8", description="Cầu tràn qua suối bị sạt, xe máy không qua được",
                  raised=(("h8", "f", utc(2026, 9, 20, 3), None), ("h9", "f", utc(2026, 10, 6, 3), None)))

    held = Meeting(team_id=t["dt"].id, occurrence=day(2026, 10, 25), starts_at=utc(2026, 10, 25, 12, 30),
                   status=MeetingStatus.HELD, minutes="…")
    september = Meeting(team_id=t["dt"].id, occurrence=day(2026, 9, 25), starts_at=utc(2026, 9, 25, 12, 30),
                        status=MeetingStatus.HELD, minutes="…")
    cancelled = Meeting(team_id=t["dt"].id, starts_at=utc(2026, 10, 10, 12, 30), status=MeetingStatus.CANCELLED)
    after = Meeting(team_id=t["dt"].id, starts_at=utc(2026, 10, 31, 17, 30), status=MeetingStatus.HELD)  # 1 Nov
    quiet = Meeting(team_id=t["hb"].id, occurrence=day(2026, 10, 28), starts_at=utc(2026, 10, 28, 12, 30),
                    status=MeetingStatus.PLANNED)  # its time passed, nothing recorded
    session.add_all([held, september, cancelled, after, quiet])
    await session.flush()
    p = month.people
    session.add_all([
        MeetingAttendance(meeting_id=held.id, person_id=p["l1"].id, attended=True),
        MeetingAttendance(meeting_id=held.id, person_id=p["a"].id, attended=True,
                          answer=AttendanceAnswer.ATTEND),
        MeetingAttendance(meeting_id=held.id, person_id=p["b"].id, attended=True),
        MeetingAttendance(meeting_id=held.id, person_id=p["c"].id, attended=False,
                          answer=AttendanceAnswer.ABSENT, reason="ốm"),
        MeetingAttendance(meeting_id=held.id, person_id=p["d1"].id, attended=False),
        MeetingAttendance(meeting_id=after.id, person_id=p["d1"].id, attended=True),
    ])

    # Another commune: its visit and concern must not leak into Phúc Sơn's figures.
    other = await tree.add_unit(session, UnitKind.COMMUNE, "Xã Khác", province, code="99999")
    other_village = await tree.add_unit(session, UnitKind.VILLAGE, "Thôn Khác", other)
    other_team = await tree.add_unit(session, UnitKind.TEAM, "Tổ Khác", other_village)
    other_nhom = await tree.add_unit(session, UnitKind.NHOM, "Nhóm 1", other_team)
    stranger = Person(full_name="Người Xã Khác", name_key="nguoi xa khac", commune_id=other.id)
    session.add(stranger)
    await session.flush()
    session.add(Membership(person_id=stranger.id, unit_id=other_nhom.id, role=Role.MEMBER))
    far = Household(commune_id=other.id, village_id=other_village.id, nhom_id=other_nhom.id, head_name="Hộ Xa",
                    name_key="ho xa")
    session.add(far)
    await session.flush()
    session.add(Visit(household_id=far.id, person_id=stranger.id, nhom_id=other_nhom.id, village_id=other_village.id,
                      commune_id=other.id, visited_on=day(2026, 10, 10), purpose=VisitPurpose.OTHER))
    await session.commit()
    return month


async def add_answers(session: AsyncSession, month: Month) -> None:
    """Two more October answers, for a median of four and a second village (October's counts change).

    Hòa Bình: a programme concern answered on time after 5 days, one of its two households told.
    Đồng Tâm: an infrastructure one answered at the very moment it was due (on time) after 15 days;
    h5 told at 23:59 on 31 October, h6 at 00:00 on 1 November (not by October's end), and an
    anonymous report attached on 1 November (not October's).
    """
    C, S = ConcernCategory, ConcernStatus
    await concern(session, month, "hb", "n3", "f", C.PROGRAMME, utc(2026, 10, 1, 3), 10,
                  ((S.ANSWERED, utc(2026, 10, 6, 3)),),
                  raised=(("h8", "f", utc(2026, 10, 1, 3), utc(2026, 10, 8, 3)),
                          ("h9", "f", utc(2026, 10, 1, 3), None)))
    await concern(session, month, "dt", "n2", "c", C.INFRASTRUCTURE, utc(2026, 10, 3, 3), 15,
                  ((S.IN_PROGRESS, utc(2026, 10, 4, 3)), (S.ANSWERED, utc(2026, 10, 18, 3))),
                  raised=(("h5", "c", utc(2026, 10, 3, 3), utc(2026, 10, 31, 16, 59)),
                          ("h6", "c", utc(2026, 10, 4, 3), utc(2026, 10, 31, 17, 0)),
                          (None, "l1", utc(2026, 10, 31, 17, 0), None)))
    await session.commit()
