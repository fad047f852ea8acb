"""A hand-built first half of 2026 for the report tests: every figure in them was counted by hand from here.

Xã Phúc Sơn (Tỉnh Bắc Giang) has two villages: Đồng Tâm (team founded 15 March 2024, two nhóm) and
Hòa Bình (team founded 1 April 2026, one nhóm). The half-year runs 1 January – 15 June 2026; the
comments say where each row falls. A second commune's rows must never show up. Hà Nội time is UTC+7.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.text import fold
from models.deadlines import calendar
from models.enums import Channel, ConcernCategory, ConcernStatus, MeetingStatus, Role, UnitKind, Urgency, VisitPurpose
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
    ReportDeadline,
    ReportSubmission,
    Visit,
)
from models.units import tree

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.date(2026, 6, 20)  # after the half-year deadline: the whole period is in
_refs = itertools.count(1)


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ).astimezone(dt.UTC)


@dataclass
class Half:
    commune: OrgUnit
    other: OrgUnit
    villages: dict[str, OrgUnit] = field(default_factory=dict)
    teams: dict[str, OrgUnit] = field(default_factory=dict)
    nhom: dict[str, OrgUnit] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    homes: dict[str, Household] = field(default_factory=dict)


async def _person(session: AsyncSession, half: Half, key: str, name: str, *roles: tuple[OrgUnit, Role],
                  ended: bool = False) -> Person:
    person = Person(full_name=name, name_key=fold(name), commune_id=half.commune.id)
    session.add(person)
    await session.flush()
    for unit, role in roles:
        session.add(Membership(person_id=person.id, unit_id=unit.id, role=role,
                               ended_at=local(2026, 3, 1, 9) if ended else None))
    session.add(ChatIdentity(person_id=person.id, channel=Channel.TERMINAL, external_id=key, chat_id=key))
    half.people[key] = person
    return person


def _visit(half: Half, home: str, person: str, day: dt.date, undone: bool = False) -> Visit:
    h = half.homes[home]
    return Visit(household_id=h.id, person_id=half.people[person].id, nhom_id=h.nhom_id, village_id=h.village_id,
                 commune_id=h.commune_id, visited_on=day, purpose=VisitPurpose.ENCOURAGE,
                 undone_at=local(2026, 4, 5, 10) if undone else None)


async def _concern(session: AsyncSession, half: Half, village: str, category: ConcernCategory, created: dt.datetime,
                   due_days: int, answered: dt.datetime | None, homes: tuple[tuple[str, dt.datetime | None], ...],
                   commune: OrgUnit | None = None) -> Concern:
    unit = half.villages[village]
    row = Concern(reference=f"PA-2026-{next(_refs):05d}", commune_id=(commune or half.commune).id,
                  village_id=unit.id, reporter_id=half.people["a"].id, category=category, urgency=Urgency.NORMAL,
                  status=ConcernStatus.ANSWERED if answered else ConcernStatus.NEW, description="…",
                  due_at=created + dt.timedelta(days=due_days), created_at=created)
    session.add(row)
    await session.flush()
    session.add(ConcernEvent(concern_id=row.id, action="created", to_status=ConcernStatus.NEW, at=created))
    if answered:
        session.add(ConcernEvent(concern_id=row.id, action="answered", from_status=ConcernStatus.NEW,
                                 to_status=ConcernStatus.ANSWERED, at=answered))
    session.add_all(ConcernHousehold(concern_id=row.id, household_id=half.homes[h].id, reporter_id=half.people["a"].id,
                                     added_at=created, told_at=told) for h, told in homes)
    return row


async def build_half(session: AsyncSession) -> Half:
    global _refs
    _refs = itertools.count(1)
    province = await tree.add_unit(session, UnitKind.PROVINCE, "Tỉnh Bắc Giang", code="24")
    commune = await tree.add_unit(session, UnitKind.COMMUNE, "Xã Phúc Sơn", province, code="07000")
    other = await tree.add_unit(session, UnitKind.COMMUNE, "Xã Khác", province, code="07001")
    half = Half(commune, other)
    for key, name, nhom, founded in (("dt", "Thôn Đồng Tâm", ("n1", "n2"), dt.date(2024, 3, 15)),
                                     ("hb", "Thôn Hòa Bình", ("n3",), dt.date(2026, 4, 1)),
                                     ("xk", "Thôn Xa", ("n9",), dt.date(2020, 1, 1))):
        parent = other if key == "xk" else commune
        village = half.villages[key] = await tree.add_unit(session, UnitKind.VILLAGE, name, parent)
        team = half.teams[key] = await tree.add_unit(session, UnitKind.TEAM, f"Tổ Dân vận {name}", village)
        team.founded_on = founded
        for index, nhom_key in enumerate(nhom, 1):
            half.nhom[nhom_key] = await tree.add_unit(session, UnitKind.NHOM, f"Nhóm {index}", team)
    v, t, n = half.villages, half.teams, half.nhom
    # Members of Đồng Tâm's team: the leader, A (member and nhóm leader: once), B; C left in March.
    await _person(session, half, "l1", "Nguyễn Thị Hằng", (t["dt"], Role.TEAM_LEADER))
    await _person(session, half, "cb", "Lê Văn Bí Thư", (v["dt"], Role.CHI_BO_SECRETARY))
    await _person(session, half, "a", "Phạm Văn An", (n["n1"], Role.MEMBER), (n["n1"], Role.GROUP_LEADER))
    await _person(session, half, "b", "Đỗ Thị Bình", (n["n2"], Role.MEMBER))
    await _person(session, half, "c", "Vũ Văn Cũ", (n["n2"], Role.MEMBER), ended=True)
    await _person(session, half, "l2", "Hoàng Văn Hải", (t["hb"], Role.TEAM_LEADER))
    await _person(session, half, "d", "Bùi Thị Dung", (n["n3"], Role.MEMBER))
    await _person(session, half, "k", "Đinh Văn Khối", (commune, Role.KHOI_DAN_VAN_HEAD))
    await _person(session, half, "s", "Trần Quốc Sơn", (commune, Role.COMMUNE_SECRETARY))
    await _person(session, half, "x", "Quản Trị Viên", (commune, Role.ADMIN))
    await _person(session, half, "z", "Người Xã Khác", (n["n9"], Role.MEMBER))

    for key, nhom in (("h1", "n1"), ("h2", "n1"), ("h3", "n2"), ("h4", "n2"), ("h5", "n2"),
                      ("k1", "n3"), ("k2", "n3"), ("z1", "n9")):
        unit = n[nhom]
        village = next(vv for vv in v.values() if unit.path.startswith(vv.path))
        home = Household(commune_id=village.parent_id, village_id=village.id, nhom_id=unit.id, head_name=key,
                         name_key=key, active=key != "h5")  # h5 has moved away: not a household any more
        session.add(home)
        half.homes[key] = home
    await session.flush()

    day = dt.date
    session.add_all([
        _visit(half, "h1", "a", day(2026, 2, 3)),
        _visit(half, "h1", "a", day(2026, 3, 10)),              # again: one household reached
        _visit(half, "h2", "a", day(2026, 4, 5)),
        _visit(half, "h2", "b", day(2026, 4, 6), undone=True),  # undone: never happened
        _visit(half, "h3", "b", day(2026, 6, 15)),              # the deadline's day: in
        _visit(half, "h4", "b", day(2026, 6, 16)),              # the day after: out
        _visit(half, "h4", "b", day(2025, 12, 31)),             # the year before: out
        _visit(half, "k1", "d", day(2026, 1, 5)),
        _visit(half, "z1", "z", day(2026, 2, 1)),               # another commune
    ])

    land, env, security = ConcernCategory.LAND, ConcernCategory.ENVIRONMENT, ConcernCategory.SECURITY
    await _concern(session, half, "dt", land, local(2026, 2, 1, 9), 15, local(2026, 2, 10, 9),
                   (("h1", local(2026, 2, 12, 9)),))                       # answered on time, told
    await _concern(session, half, "dt", land, local(2026, 3, 1, 9), 10, None, (("h1", None),))  # open, overdue
    await _concern(session, half, "dt", land, local(2026, 4, 1, 9), 10, local(2026, 5, 1, 9),
                   (("h2", None),))                                        # answered late, not told
    await _concern(session, half, "dt", env, local(2026, 6, 1, 9), 30, None, (("h3", None),))  # open, not yet due
    await _concern(session, half, "dt", land, local(2025, 12, 20, 9), 10, None, (("h4", None),))  # last year's, overdue
    await _concern(session, half, "hb", security, local(2026, 5, 5, 9), 30, local(2026, 5, 10, 9),
                   (("k1", local(2026, 5, 11, 9)),))                       # answered on time, told
    await _concern(session, half, "xk", land, local(2026, 2, 1, 9), 10, None, (("z1", None),), commune=other)

    def meeting(team: str, month: int, status: MeetingStatus) -> Meeting:
        return Meeting(team_id=t[team].id, occurrence=day(2026, month, 25), starts_at=local(2026, month, 25, 19, 30),
                       status=status)
    held = [meeting("dt", m, MeetingStatus.HELD) for m in (1, 2, 3, 4)]
    session.add_all([*held, meeting("dt", 5, MeetingStatus.CANCELLED), meeting("dt", 6, MeetingStatus.PLANNED),
                     meeting("hb", 4, MeetingStatus.HELD), meeting("xk", 4, MeetingStatus.HELD)])
    await session.flush()
    session.add_all([MeetingAttendance(meeting_id=held[0].id, person_id=half.people[p].id, attended=present)
                     for p, present in (("l1", True), ("a", True), ("b", False))])

    def announcement(scope: OrgUnit, sent: dt.datetime | None, recipients: tuple[tuple[str, bool], ...],
                     cancelled: bool = False) -> None:
        row = Announcement(author_id=half.people["k"].id, scope_unit_id=scope.id, text="…",
                           send_at=sent or local(2026, 3, 1, 8), enqueued_at=sent,
                           cancelled_at=local(2026, 2, 1, 8) if cancelled else None)
        session.add(row)
        pending.append((row, recipients))
    pending: list[tuple[Announcement, tuple[tuple[str, bool], ...]]] = []
    announcement(commune, local(2026, 3, 1, 8), (("l1", True), ("a", True), ("b", True), ("l2", False)))
    announcement(t["dt"], local(2026, 5, 1, 8), (("a", True), ("b", True)))
    announcement(t["dt"], local(2026, 7, 1, 8), (("a", True),))       # after the period
    announcement(t["dt"], None, (), cancelled=True)                    # withdrawn before its time
    await session.flush()
    for row, recipients in pending:
        session.add_all(AnnouncementReceipt(announcement_id=row.id, person_id=half.people[p].id,
                                            acknowledged_at=local(2026, 5, 2, 8) if ack else None)
                        for p, ack in recipients)

    await calendar.ensure_defaults(session, commune)
    await session.flush()
    monthly = await session.scalar(
        select(ReportDeadline).where(ReportDeadline.commune_id == commune.id,
                                                               ReportDeadline.kind == calendar.MONTHLY_TEAM))
    # January's on time, February's late, March's in the evening of its due day (on time); Hòa Bình's April.
    session.add_all(ReportSubmission(deadline_id=monthly.id, unit_id=t[team].id, period=period, submitted_at=at)
                    for team, period, at in (("dt", "2026-01", local(2026, 1, 24, 9)),
                                             ("dt", "2026-02", local(2026, 2, 27, 9)),
                                             ("dt", "2026-03", local(2026, 3, 25, 20)),
                                             ("hb", "2026-04", local(2026, 4, 20, 9))))
    await session.commit()
    return half
