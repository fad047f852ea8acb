"""A province-sized world for the digest benchmark, built straight into a migrated database.

One province (Bắc Ninh: since the 2025 merger it holds Bắc Giang, whose 2,128 teams and 18,186
members seed 003 describes) with its real communes, and at scale 1: 2,000 villages, 18,000
team members, 500,000 households, one calendar year (2026) of visits (≈ 3.5 a household), 50,000
concerns with their history as of 1 January 2027 00:30 (the digest job's morning), the monthly
meetings with answers and attendance, report submissions, chat identities and groups.

Rows are generated in Python from one seed (the same database every time), ids given
explicitly, and written in batches in a few big transactions per table: on SQLite by SQLAlchemy
Core executemany with every index in place, as production fills them; on PostgreSQL by COPY, the
big tables' foreign keys and secondary indexes dropped first and rebuilt after. Visits and
concerns go in in time order, as production writes them, so their ids and the tables' physical
order are realistic. The audit log and the outbox are left empty: no digest reads them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import json
import math
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, insert, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from core.text import fold
from models.base import Base
from models.concerns.time_limits import due_days
from models.deadlines.calendar import ANNUAL, DEFAULTS, HALF_YEAR, MONTHLY_TEAM
from models.demo import FAMILY, FEMALE, MALE
from models.enums import (
    AttendanceAnswer,
    Channel,
    CloseReason,
    ConcernCategory,
    ConcernStatus,
    GroupPurpose,
    MeetingStatus,
    Role,
    UnitKind,
    Urgency,
    VisitPurpose,
)
from models.meetings.calendar import local_moment, occurrence_in
from models.roster.importer import default_team_name
from models.tables import (
    ChatGroup,
    ChatIdentity,
    Concern,
    ConcernEvent,
    ConcernPhoto,
    Counter,
    Household,
    Meeting,
    MeetingAttendance,
    MeetingSchedule,
    Membership,
    OrgUnit,
    Person,
    ReportDeadline,
    ReportSubmission,
    Visit,
)
from models.units import admin_divisions

PROVINCE_CODE = "24"  # Bắc Ninh: 99 communes and wards after the 2025 merger
YEAR = 2026
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
VN = dt.timedelta(hours=7)  # no daylight saving: local = UTC + 7 all year
# The state of the database is the one the digest job sees on the 1st, just after midnight.
NOW = dt.datetime(YEAR + 1, 1, 1, 0, 30, tzinfo=TZ).astimezone(dt.UTC)
BEFORE = dt.datetime(YEAR - 1, 10, 1, 2, 0, tzinfo=dt.UTC)  # roster import, households imported
FULL = {"villages": 2_000, "members": 18_000, "households": 500_000, "concerns": 50_000}
VISITS_A_YEAR = 3.5  # per household, on average
NHOM_HOUSEHOLDS = 50  # a nhóm serves 30–50 households (seed 003)
# Month weights (Tết falls in February: fewer visits, more concerns after it).
VISIT_SEASON = (1.0, 0.55, 1.0, 1.05, 1.1, 1.0, 0.95, 1.0, 1.05, 1.1, 1.1, 1.15)
CONCERN_SEASON = (0.9, 0.7, 1.2, 1.1, 1.0, 1.0, 1.0, 1.05, 1.0, 1.0, 1.0, 1.05)
BATCH = 5_000
# Loaded without their foreign keys and secondary indexes on PostgreSQL, which are rebuilt after.
BULK_TABLES = ("households", "visits", "concern_events", "meeting_attendance")

PURPOSES = ((VisitPurpose.PROPAGANDA, 35), (VisitPurpose.ENCOURAGE, 25), (VisitPurpose.LEARN_SITUATION, 20),
            (VisitPurpose.MOBILISE, 12), (VisitPurpose.MEDIATE, 3), (VisitPurpose.OTHER, 5))
# Roughly the shares of seed 000's survey (land first by far).
CATEGORIES = ((ConcernCategory.LAND, 30), (ConcernCategory.PROGRAMME, 12), (ConcernCategory.COMPLAINT, 11),
              (ConcernCategory.ADMIN_PROCEDURE, 10), (ConcernCategory.INFRASTRUCTURE, 12),
              (ConcernCategory.ENVIRONMENT, 8), (ConcernCategory.SOCIAL_POLICY, 7),
              (ConcernCategory.SECURITY, 4), (ConcernCategory.DISPUTE, 4), (ConcernCategory.OTHER, 2))
DESCRIPTIONS = {
    ConcernCategory.LAND: "Đề nghị xem xét cấp giấy chứng nhận quyền sử dụng đất cho hộ",
    ConcernCategory.PROGRAMME: "Phản ánh tiến độ chậm của dự án nâng cấp kênh mương nội đồng",
    ConcernCategory.COMPLAINT: "Khiếu nại về mức bồi thường giải phóng mặt bằng",
    ConcernCategory.ADMIN_PROCEDURE: "Hỏi thủ tục đăng ký khai sinh, thường trú cho cháu",
    ConcernCategory.INFRASTRUCTURE: "Đường ngõ xuống cấp, ngập nước khi mưa lớn",
    ConcernCategory.ENVIRONMENT: "Rác thải tập kết ven đường chưa được thu gom",
    ConcernCategory.SOCIAL_POLICY: "Đề nghị xét hộ cận nghèo, hỗ trợ bảo hiểm y tế",
    ConcernCategory.SECURITY: "Thanh niên tụ tập gây mất trật tự ban đêm",
    ConcernCategory.DISPUTE: "Mâu thuẫn giữa hai hộ về lối đi chung",
    ConcernCategory.OTHER: "Đề nghị lắp thêm đèn chiếu sáng ở đầu thôn",
}
AUTHORITIES = {
    ConcernCategory.LAND: "Văn phòng đăng ký đất đai", ConcernCategory.SECURITY: "Công an xã",
    ConcernCategory.COMPLAINT: "Ban tiếp công dân xã",
}
NOTES = ("Hộ phấn khởi, đồng tình với chủ trương", "Gia đình có người ốm, đã động viên",
         "Vận động tham gia bảo hiểm y tế", "Tuyên truyền phòng chống lừa đảo qua mạng",
         "Nắm tình hình sản xuất vụ mùa")
VILLAGE_NAMES = ("Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ", "Đồng Tâm", "Phúc Lâm", "An Lạc",
                 "Hòa Bình", "Tân Tiến", "Quyết Tiến", "Đoàn Kết", "Thắng Lợi", "Yên Mỹ", "Phú Mỹ", "Đình",
                 "Chùa", "Cầu", "Mới", "Cả", "Lạc Giang", "Hương Mặc", "Phù Lưu", "Tam Sơn", "Đại Đồng",
                 "Xuân Lai", "Kim Sơn", "Song Khê")

_fold = lru_cache(maxsize=None)(fold)


@dataclass(frozen=True)
class Size:
    """How much to build; `at(scale)` shrinks the full province in proportion."""

    communes: int
    villages: int
    members: int
    households: int
    concerns: int

    @classmethod
    def at(cls, scale: float) -> Size:
        villages = max(2, round(FULL["villages"] * scale))
        communes = max(1, min(len(official_communes()), round(villages * len(official_communes()) / FULL["villages"])))
        return cls(communes=communes, villages=villages,
                   members=max(6 * villages, round(FULL["members"] * scale)),
                   households=max(40 * villages, round(FULL["households"] * scale)),
                   concerns=max(1, round(FULL["concerns"] * scale)))


@lru_cache(maxsize=1)
def official_communes() -> tuple[admin_divisions.OfficialCommune, ...]:
    return tuple(sorted((c for c in admin_divisions._all() if c.province_code == PROVINCE_CODE),
                        key=lambda c: c.code))


def apportion(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """`total` split in proportion to `weights`, each share at least `minimum` (largest remainders)."""
    rest = total - minimum * len(weights)
    if rest < 0:
        raise ValueError(f"{total} cannot give {minimum} to each of {len(weights)}")
    whole = sum(weights)
    quotas = [rest * w / whole for w in weights]
    shares = [int(q) for q in quotas]
    for i in sorted(range(len(weights)), key=lambda i: shares[i] - quotas[i])[:rest - sum(shares)]:
        shares[i] += 1
    return [minimum + s for s in shares]


@dataclass
class Village:
    id: int
    commune_id: int
    name: str
    path: str
    team_id: int
    households: int  # how many
    activity: float  # visits per household relative to the province's mean
    vocal: float  # concerns per household, likewise
    answers_on_time: float  # share of its concerns answered within the due date
    first_household: int = 0
    people: list[int] = field(default_factory=list)  # [0] leader, [1:3] deputies
    nhoms: list[int] = field(default_factory=list)
    holders: dict[int, list[int]] = field(default_factory=dict)  # nhóm id → group leader and members


@dataclass
class BuildReport:
    size: Size
    rows: dict[str, int]
    seconds: dict[str, float]


class ProvinceBuilder:
    """Generates the world phase by phase (each phase one method) and writes it as it goes."""

    def __init__(self, size: Size, *, seed: int = 2026, progress: Callable[[str], None] | None = None) -> None:
        self.size = size
        self.rng = random.Random(seed)
        self.progress = progress or (lambda _message: None)
        self.rows: dict[str, int] = {}
        self.seconds: dict[str, float] = {}
        self.villages: list[Village] = []
        self.commune_people: dict[int, list[int]] = {}
        self.next_id: dict[str, int] = {}
        # Per household (index = id - 1): its village index, nhóm, assigned member, weight, last visit.
        self.hh_village: list[int] = []
        self.hh_nhom: list[int] = []
        self.hh_member: list[int] = []
        self.visit_plan: list[list[int]] = []  # per day of the year: household ids (~id when undone)

    def ids(self, table: str, count: int) -> range:
        first = self.next_id.get(table, 1)
        self.next_id[table] = first + count
        return range(first, first + count)

    async def build(self, engine: AsyncEngine) -> BuildReport:
        phases = (("units and people", self._org), ("households", self._households), ("visits", self._visits),
                  ("concerns", self._concerns), ("meetings", self._meetings), ("reports", self._reports))
        postgres = engine.dialect.name == "postgresql"
        if postgres:
            async with engine.begin() as conn:
                dropped = await _loosen(conn, BULK_TABLES)
        for label, phase in phases:
            started = time.perf_counter()
            await phase(engine)
            self.seconds[label] = time.perf_counter() - started
            self.progress(f"  {label}: {self.seconds[label]:.1f} s")
        if postgres:
            started = time.perf_counter()
            async with engine.begin() as conn:
                for statement in dropped:
                    await conn.exec_driver_sql(statement)
                await _reset_sequences(conn)
            self.seconds["indexes and foreign keys"] = time.perf_counter() - started
            self.progress(f"  indexes and foreign keys: {self.seconds['indexes and foreign keys']:.1f} s")
        return BuildReport(self.size, dict(self.rows), dict(self.seconds))

    async def _write(self, conn: AsyncConnection, table: type[Base], rows: Iterable[dict[str, Any]]) -> None:
        core: Table = table.__table__  # type: ignore[assignment]
        send = _copy if conn.dialect.name == "postgresql" else _executemany
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                await send(conn, core, batch)
                batch = []
        if batch:
            await send(conn, core, batch)

    # -- the tree and the people --------------------------------------------------------------

    async def _org(self, engine: AsyncEngine) -> None:
        rng, size = self.rng, self.size
        communes = official_communes()[:size.communes]
        per_commune = apportion(size.villages, [rng.lognormvariate(0, 0.3) for _ in communes], minimum=1)
        weights = [min(4.0, max(0.3, rng.lognormvariate(0, 0.55))) for _ in range(size.villages)]
        households = apportion(size.households, weights, minimum=min(40, size.households // size.villages))
        mean = sum(weights) / len(weights)
        members = apportion(size.members, [0.45 + 0.55 * w / mean for w in weights],
                            minimum=min(5, size.members // size.villages))
        activity = [rng.lognormvariate(0, 0.5) * (0.1 if rng.random() < 0.05 else 1.0) for _ in weights]
        average = sum(a * h for a, h in zip(activity, households)) / sum(households)
        vocal = [rng.lognormvariate(0, 0.5) for _ in weights]
        average_vocal = sum(v * h for v, h in zip(vocal, households)) / sum(households)

        units: list[dict[str, Any]] = []

        def unit(kind: UnitKind, name: str, parent: dict[str, Any] | None, **extra: Any) -> dict[str, Any]:
            (uid,) = self.ids("org_units", 1)
            row = dict(id=uid, parent_id=parent["id"] if parent else None, kind=kind, name=name, name_key=_fold(name),
                       code=extra.get("code"), division_type=extra.get("division_type"),
                       path=f"{parent['path'] if parent else '/'}{uid}/", depth=parent["depth"] + 1 if parent else 0,
                       created_at=BEFORE)
            units.append(row)
            return row

        province = unit(UnitKind.PROVINCE, communes[0].province_name, None, code=PROVINCE_CODE,
                        division_type=communes[0].province_division_type)
        people: list[dict[str, Any]] = []
        memberships: list[dict[str, Any]] = []
        phones = iter(rng.sample(range(10**6, 10**7), size.members + 3 * size.communes + 10))

        def person(commune_id: int) -> int:
            (pid,) = self.ids("people", 1)
            name = self._name()
            people.append(dict(id=pid, full_name=name, name_key=_fold(name), phone=f"091{next(phones):07d}",
                               commune_id=commune_id, locale=None, muted_until=None, created_at=BEFORE,
                               updated_at=BEFORE))
            return pid

        def hold(pid: int, unit_id: int, role: Role, *, ended: dt.datetime | None = None) -> None:
            memberships.append(dict(person_id=pid, unit_id=unit_id, role=role, source="import", started_at=BEFORE,
                                    ended_at=ended))

        index = 0
        for official, count in zip(communes, per_commune):
            commune = unit(UnitKind.COMMUNE, official.name, province, code=official.code,
                           division_type=official.division_type)
            staff = [person(commune["id"]) for _ in range(3)]
            self.commune_people[commune["id"]] = staff
            for pid, role in zip(staff, (Role.COMMUNE_SECRETARY, Role.KHOI_DAN_VAN_HEAD, Role.ADMIN)):
                hold(pid, commune["id"], role)
            urban = official.division_type.lower().startswith("phường")
            names = self._village_names(count, urban)
            for name in names:
                village_row = unit(UnitKind.VILLAGE, name, commune, code=f"{official.code}-{len(self.villages) + 1:04d}",
                                   division_type="tổ dân phố" if urban else "thôn")
                team = unit(UnitKind.TEAM, default_team_name(name), village_row)
                village = Village(id=village_row["id"], commune_id=commune["id"], name=name, path=village_row["path"],
                                  team_id=team["id"], households=households[index],
                                  activity=activity[index] / average, vocal=vocal[index] / average_vocal,
                                  answers_on_time=rng.uniform(0.55, 0.97))
                village.people = [person(commune["id"]) for _ in range(members[index])]
                leader, deputies = village.people[0], village.people[1:3]
                hold(leader, team["id"], Role.TEAM_LEADER)  # the tổ trưởng is the chi bộ secretary
                hold(leader, village.id, Role.CHI_BO_SECRETARY)
                for pid in deputies:
                    hold(pid, team["id"], Role.TEAM_DEPUTY)
                nhom_count = max(1, min(round(village.households / NHOM_HOUSEHOLDS), len(village.people) - 1))
                helpers = village.people[3:] + deputies  # group leaders: heads of tổ liên gia first
                pool = village.people[1:]
                turn = 0
                for n in range(nhom_count):
                    nhom = unit(UnitKind.NHOM, f"Nhóm {n + 1}", team)
                    group_leader = helpers[n % len(helpers)]
                    holders = [group_leader]
                    hold(group_leader, nhom["id"], Role.GROUP_LEADER)
                    while len(holders) < min(3, len(pool)):
                        pid = pool[turn % len(pool)]
                        turn += 1
                        if pid not in holders:
                            holders.append(pid)
                            hold(pid, nhom["id"], Role.MEMBER)
                    village.nhoms.append(nhom["id"])
                    village.holders[nhom["id"]] = holders
                for pid in village.people[3:]:  # a role changed during the year (kiện toàn): the old one ended
                    if rng.random() < 0.02:
                        hold(pid, team["id"], Role.TEAM_DEPUTY,
                             ended=dt.datetime(YEAR, rng.randint(1, 11), rng.randint(1, 28), 3, tzinfo=dt.UTC))
                self.villages.append(village)
                index += 1

        identities, groups = self._chats(people)
        async with engine.begin() as conn:
            await _tune(conn)
            await self._write(conn, OrgUnit, units)
            await self._write(conn, Person, people)
            await self._write(conn, Membership, ({"id": i, **m} for i, m in
                                                 zip(self.ids("memberships", len(memberships)), memberships)))
            await self._write(conn, ChatIdentity, identities)
            await self._write(conn, ChatGroup, groups)
        self.rows.update(org_units=len(units), people=len(people), memberships=len(memberships),
                         chat_identities=len(identities), chat_groups=len(groups))

    def _name(self) -> str:
        middles, givens = self.rng.choice((MALE, FEMALE))
        return f"{self.rng.choice(FAMILY)} {self.rng.choice(middles)} {self.rng.choice(givens)}"

    def _village_names(self, count: int, urban: bool) -> list[str]:
        if urban:
            return [f"Tổ dân phố số {n}" for n in range(1, count + 1)]
        names = list(VILLAGE_NAMES)
        self.rng.shuffle(names)
        return [f"Thôn {names[n]}" if n < len(names) else f"Thôn {names[n % len(names)]} {n // len(names) + 1}"
                for n in range(count)]

    def _chats(self, people: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Nine in ten people have talked to the bot (Zalo mostly); every unit has its group chat."""
        rng, identities, groups = self.rng, [], []
        for p in people:
            if rng.random() < 0.9:
                channel = Channel.ZALO if rng.random() < 0.75 else Channel.TELEGRAM
                external = f"{rng.randrange(10**17, 10**18)}" if channel == Channel.ZALO else f"{5 * 10**9 + p['id']}"
                unreachable = dt.datetime(YEAR, rng.randint(1, 12), 15, tzinfo=dt.UTC) if rng.random() < 0.02 else None
                identities.append(dict(person_id=p["id"], channel=channel, external_id=external, chat_id=external,
                                       display_name=p["full_name"], unreachable_at=unreachable, created_at=BEFORE,
                                       last_seen_at=dt.datetime(YEAR, 12, rng.randint(1, 30), 12, tzinfo=dt.UTC)))
        for i, row in zip(self.ids("chat_identities", len(identities)), identities):
            row["id"] = i
        targets = [(cid, GroupPurpose.KHOI_DAN_VAN) for cid in self.commune_people]
        for v in self.villages:
            targets += [(v.id, GroupPurpose.CHI_BO), (v.team_id, GroupPurpose.TEAM)]
        for gid, (unit_id, purpose) in zip(self.ids("chat_groups", len(targets)), targets):
            groups.append(dict(id=gid, channel=Channel.ZALO, chat_id=f"g{gid:08d}", title=None, unit_id=unit_id,
                               purpose=purpose))
        return identities, groups

    # -- households and visits ------------------------------------------------------------------

    async def _households(self, engine: AsyncEngine) -> None:
        rng = self.rng
        weights: list[float] = []
        for vi, village in enumerate(self.villages):
            village.first_household = len(self.hh_village) + 1
            per_nhom = apportion(village.households, [1.0] * len(village.nhoms))
            for nhom, count in zip(village.nhoms, per_nhom):
                holders = village.holders[nhom]
                for k in range(count):
                    self.hh_village.append(vi)
                    self.hh_nhom.append(nhom)
                    self.hh_member.append(holders[k % len(holders)])
                    weights.append(rng.gammavariate(1.5, 1 / 1.5))
        self._plan_visits(weights)
        last = [0] * len(self.hh_village)
        for day, planned in enumerate(self.visit_plan):
            for code in planned:
                if code > 0:
                    last[code - 1] = day + 1
        start = dt.date(YEAR, 1, 1).toordinal() - 1

        def rows() -> Iterator[dict[str, Any]]:
            numbers: dict[int, int] = {}
            for index, (vi, nhom, member) in enumerate(zip(self.hh_village, self.hh_nhom, self.hh_member)):
                village = self.villages[vi]
                number = numbers[vi] = numbers.get(vi, 0) + 1
                head = self._name()
                place = f"Xóm {village.nhoms.index(nhom) + 1}, {village.name}"
                house = rng.randint(1, 300)
                yield dict(id=index + 1, commune_id=village.commune_id, village_id=village.id, nhom_id=nhom,
                           code=f"H{village.id}-{number:04d}", head_name=head, name_key=_fold(head),
                           address=f"Số {house}, {place}", address_key=f"so {house}, {_fold(place)}",
                           phone=f"09{rng.randrange(10**8):08d}" if rng.random() < 0.6 else None,
                           assigned_member_id=member,
                           last_visited_on=dt.date.fromordinal(start + last[index]) if last[index] else None,
                           active=rng.random() > 0.015, created_at=BEFORE, updated_at=BEFORE)

        async with engine.begin() as conn:
            await _tune(conn)
            await self._write(conn, Household, rows())
        self.rows["households"] = len(self.hh_village)

    def _plan_visits(self, weights: list[float]) -> None:
        """Which household is visited on which day: per village and month a Poisson-like count,
        spread over the village's households by their weights (some are rarely visited)."""
        rng = self.rng
        lengths = [calendar.monthrange(YEAR, m)[1] for m in range(1, 13)]
        starts = [0, *accumulate(lengths)]
        self.visit_plan = [[] for _ in range(starts[-1])]
        season = sum(VISIT_SEASON)
        wobble = math.exp(0.25**2 / 2)  # the mean of lognormvariate(0, 0.25)
        for village in self.villages:
            first = village.first_household
            cum = list(accumulate(weights[first - 1:first - 1 + village.households]))
            ids = range(first, first + village.households)
            for month in range(12):
                lam = (VISITS_A_YEAR * village.households * village.activity * VISIT_SEASON[month] / season
                       * rng.lognormvariate(0, 0.25) / wobble)
                count = max(0, round(rng.gauss(lam, math.sqrt(lam)))) if lam > 0 else 0
                for household in rng.choices(ids, cum_weights=cum, k=count):
                    day = starts[month] + rng.randrange(lengths[month])
                    self.visit_plan[day].append(~household if rng.random() < 0.003 else household)

    async def _visits(self, engine: AsyncEngine) -> None:
        rng = self.rng
        purposes, purpose_weights = zip(*PURPOSES)
        cum_purposes = list(accumulate(purpose_weights))
        total = 0
        day = 0
        for month in range(1, 13):
            rows: list[dict[str, Any]] = []
            for date in (dt.date(YEAR, month, d) for d in range(1, calendar.monthrange(YEAR, month)[1] + 1)):
                planned = self.visit_plan[day]
                day += 1
                rng.shuffle(planned)
                for code in planned:
                    household = ~code if code < 0 else code
                    village = self.villages[self.hh_village[household - 1]]
                    nhom = self.hh_nhom[household - 1]
                    roll = rng.random()
                    if roll < 0.78:
                        person = self.hh_member[household - 1]
                    elif roll < 0.93:
                        person = rng.choice(village.holders[nhom])
                    else:
                        person = rng.choice(village.people[:3])
                    late = rng.random() < 0.15 and date.month * 100 + date.day != 1231
                    created = (dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC) - VN
                               + (dt.timedelta(days=1, hours=rng.randint(6, 9)) if late
                                  else dt.timedelta(hours=rng.randint(17, 21)))
                               + dt.timedelta(minutes=rng.randrange(60), seconds=rng.randrange(60)))
                    rows.append(dict(
                        household_id=household, person_id=person, nhom_id=nhom, village_id=village.id,
                        commune_id=village.commune_id, visited_on=date,
                        purpose=rng.choices(purposes, cum_weights=cum_purposes)[0],
                        note=rng.choice(NOTES) if rng.random() < 0.25 else None,
                        channel=Channel.ZALO if rng.random() < 0.72 else Channel.TELEGRAM, created_at=created,
                        undone_at=created + dt.timedelta(minutes=3) if code < 0 else None))
                planned.clear()
            for vid, row in zip(self.ids("visits", len(rows)), rows):
                row["id"] = vid
            async with engine.begin() as conn:  # a month a transaction
                await _tune(conn)
                await self._write(conn, Visit, rows)
            total += len(rows)
        self.rows["visits"] = total

    # -- concerns --------------------------------------------------------------------------------

    async def _concerns(self, engine: AsyncEngine) -> None:
        rng = self.rng
        cells = [(vi, month) for vi in range(len(self.villages)) for month in range(12)]
        counts = apportion(self.size.concerns, [self.villages[vi].households * self.villages[vi].vocal
                                                * CONCERN_SEASON[month] * rng.uniform(0.6, 1.4)
                                                for vi, month in cells])
        raw: list[tuple[dt.datetime, int]] = []
        for (vi, month), count in zip(cells, counts):
            for _ in range(count):
                day = rng.randint(1, calendar.monthrange(YEAR, month + 1)[1])
                at = (dt.datetime(YEAR, month + 1, day, tzinfo=dt.UTC) - VN
                      + dt.timedelta(hours=rng.randint(7, 21), minutes=rng.randrange(60), seconds=rng.randrange(60)))
                raw.append((at, vi))
        raw.sort()
        categories, category_weights = zip(*CATEGORIES)
        cum_categories = list(accumulate(category_weights))
        concerns, events, photos = [], [], []
        for (concern_id, (created, vi)) in zip(self.ids("concerns", len(raw)), raw):
            village = self.villages[vi]
            household = (rng.randrange(village.first_household, village.first_household + village.households)
                         if rng.random() < 0.85 else None)
            nhom = self.hh_nhom[household - 1] if household else (rng.choice(village.nhoms) if rng.random() < 0.5 else None)
            reporter = self.hh_member[household - 1] if household and rng.random() < 0.8 else rng.choice(village.people)
            category = rng.choices(categories, cum_weights=cum_categories)[0]
            urgency = Urgency.URGENT if rng.random() < 0.08 else Urgency.NORMAL
            channel = Channel.ZALO if rng.random() < 0.7 else Channel.TELEGRAM
            due = created + dt.timedelta(days=due_days(category, urgency))
            row, history = self._lifecycle(village, concern_id, created, due, reporter, category)
            row.update(id=concern_id, reference=f"PA-{YEAR}-{concern_id:05d}", commune_id=village.commune_id,
                       village_id=village.id, nhom_id=nhom, household_id=household,
                       several_households=household is None and rng.random() < 0.4, reporter_id=reporter,
                       category=category, urgency=urgency, description=DESCRIPTIONS[category], channel=channel,
                       due_at=due, created_at=created)
            concerns.append(row)
            events += history
            if channel == Channel.TELEGRAM and rng.random() < 0.5:
                photos.append(dict(concern_id=concern_id, channel=channel, created_at=created,
                                   file_ref=f"AgACAgUAAxkBAAI{rng.getrandbits(96):024x}"))
        for eid, event in zip(self.ids("concern_events", len(events)), events):
            event["id"] = eid
        for pid, photo in zip(self.ids("concern_photos", len(photos)), photos):
            photo["id"] = pid
        async with engine.begin() as conn:
            await _tune(conn)
            await self._write(conn, Concern, concerns)
            await self._write(conn, ConcernEvent, events)
            await self._write(conn, ConcernPhoto, photos)
            await self._write(conn, Counter, [dict(name=f"concern:{YEAR}", value=len(concerns))])
        self.rows.update(concerns=len(concerns), concern_events=len(events), concern_photos=len(photos))

    def _lifecycle(self, village: Village, concern_id: int, created: dt.datetime, due: dt.datetime, reporter: int,
                   category: ConcernCategory) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The concern's state on NOW and its events up to then: forwarded or taken in hand, then
        answered (on time in the village's share of cases, late, or never), the household told,
        closed; a few closed for another reason."""
        rng, leader = self.rng, village.people[0]
        allowed = due - created
        steps: list[tuple[dt.datetime, str, ConcernStatus | None, ConcernStatus | None, str | None]] = [
            (created, "created", None, ConcernStatus.NEW, None)]
        forwarded = rng.random() < 0.7
        label = AUTHORITIES.get(category, "UBND xã") if forwarded else None
        taken = created + dt.timedelta(hours=rng.uniform(1, 48))
        status_taken = ConcernStatus.FORWARDED if forwarded else ConcernStatus.IN_PROGRESS
        steps.append((taken, "forwarded" if forwarded else "in_progress", ConcernStatus.NEW, status_taken, label))
        answered = told = closed = None
        reason = None
        roll = rng.random()
        if roll < 0.07:  # not for the commune, a duplicate, or withdrawn
            closed = taken + dt.timedelta(days=rng.uniform(0.5, 10))
            reason = rng.choice((CloseReason.NOT_COMPETENT, CloseReason.DUPLICATE, CloseReason.WITHDRAWN))
            steps.append((closed, "closed", status_taken, ConcernStatus.CLOSED, reason.value))
        elif roll < 0.96:
            late = rng.random() > village.answers_on_time
            answered = max(taken + dt.timedelta(hours=1),
                           created + allowed * (rng.uniform(1.05, 3.0) if late else rng.uniform(0.15, 1.0)))
            steps.append((answered, "answered", status_taken, ConcernStatus.ANSWERED, "Đã trả lời hộ gia đình"))
            if rng.random() < 0.9:
                told = answered + dt.timedelta(days=rng.uniform(0, 4))
                steps.append((told, "household_told", ConcernStatus.ANSWERED, None, None))
                if rng.random() < 0.7:
                    closed, reason = told + dt.timedelta(days=rng.uniform(0, 7)), CloseReason.RESOLVED
                    steps.append((closed, "closed", ConcernStatus.ANSWERED, ConcernStatus.CLOSED, reason.value))
        steps = [s for s in steps if s[0] <= NOW]
        status = next((s[3] for s in reversed(steps) if s[3] is not None), ConcernStatus.NEW)
        row = dict(status=status, assignee_id=None if forwarded else leader, assignee_label=label,
                   answer_text="Đã trả lời hộ gia đình" if answered and answered <= NOW else None,
                   answered_at=answered if answered and answered <= NOW else None,
                   household_told_at=told if told and told <= NOW else None,
                   closed_at=closed if closed and closed <= NOW else None,
                   close_reason=reason if closed and closed <= NOW else None, updated_at=steps[-1][0])
        events = [dict(concern_id=concern_id, actor_id=reporter if action == "created" else leader, action=action,
                       from_status=before, to_status=after, note=note, at=at)
                  for at, action, before, after, note in steps]
        return row, events

    # -- meetings and reports ----------------------------------------------------------------------

    async def _meetings(self, engine: AsyncEngine) -> None:
        rng = self.rng
        schedules, meetings, attendance = [], [], []
        rules: list[tuple[Village, dict[str, int], int, int]] = []
        for village in self.villages:
            rule = {"day": rng.randint(20, 28)} if rng.random() < 0.7 else {"weekday": 6, "nth": -1}
            hour, minute = rng.choice(((19, 30), (20, 0), (19, 0), (8, 0)))
            rules.append((village, rule, hour, minute))
            schedules.append(dict(team_id=village.team_id, rule=rule, hour=hour, minute=minute,
                                  place=f"Nhà văn hóa {village.name.lower()}", active=True,
                                  created_by_id=village.people[0], updated_at=BEFORE))
        months = [(YEAR, m) for m in range(1, 13)] + [(YEAR + 1, 1), (YEAR + 1, 2)]
        for year, month in months:
            for village, rule, hour, minute in rules:
                day = occurrence_in(rule, year, month)
                starts = local_moment(day, hour, minute, TZ)
                (mid,) = self.ids("meetings", 1)
                status = MeetingStatus.PLANNED
                if starts < NOW:
                    roll = rng.random()
                    status = (MeetingStatus.HELD if roll < 0.8 + 0.1 * min(1.0, village.activity)
                              else MeetingStatus.CANCELLED if roll < 0.94 else MeetingStatus.PLANNED)
                minutes = "Giao ban tháng: rà soát hộ, phân công vận động" if (
                    status == MeetingStatus.HELD and rng.random() < 0.7) else None
                meetings.append(dict(id=mid, team_id=village.team_id, occurrence=day, starts_at=starts,
                                     place=f"Nhà văn hóa {village.name.lower()}", status=status, minutes=minutes,
                                     cancel_reason="Trùng lịch họp của xã" if status == MeetingStatus.CANCELLED else None,
                                     result_sent_at=starts + dt.timedelta(hours=3) if minutes else None,
                                     created_by_id=village.people[0], created_at=starts - dt.timedelta(days=40)))
                if starts >= NOW:
                    continue
                for pid in village.people:
                    roll = rng.random()
                    answer = (AttendanceAnswer.ATTEND if roll < 0.7 else AttendanceAnswer.ABSENT if roll < 0.82
                              else None)
                    attended = None
                    if status == MeetingStatus.HELD:
                        chance = {AttendanceAnswer.ATTEND: 0.92, AttendanceAnswer.ABSENT: 0.05, None: 0.6}[answer]
                        attended = rng.random() < chance
                    attendance.append(dict(meeting_id=mid, person_id=pid, answer=answer,
                                           reason="Bận việc gia đình" if answer == AttendanceAnswer.ABSENT else None,
                                           answered_at=starts - dt.timedelta(hours=rng.uniform(2, 96))
                                           if answer else None, attended=attended))
        for sid, row in zip(self.ids("meeting_schedules", len(schedules)), schedules):
            row["id"] = sid
        for aid, row in zip(self.ids("meeting_attendance", len(attendance)), attendance):
            row["id"] = aid
        async with engine.begin() as conn:
            await _tune(conn)
            await self._write(conn, MeetingSchedule, schedules)
            await self._write(conn, Meeting, meetings)
            await self._write(conn, MeetingAttendance, attendance)
        self.rows.update(meeting_schedules=len(schedules), meetings=len(meetings), meeting_attendance=len(attendance))

    async def _reports(self, engine: AsyncEngine) -> None:
        """The default deadlines of every commune, and who submitted what (most teams, not all)."""
        rng = self.rng
        deadlines, submissions = [], []
        for commune_id, staff in self.commune_people.items():
            ids = {}
            for kind in (MONTHLY_TEAM, HALF_YEAR, ANNUAL):
                level, month, day = DEFAULTS[kind]
                (did,) = self.ids("report_deadlines", 1)
                ids[kind] = did
                deadlines.append(dict(id=did, commune_id=commune_id, kind=kind, level=level, month=month, day=day,
                                      active=True, updated_at=BEFORE))
            for village in (v for v in self.villages if v.commune_id == commune_id):
                owed = [(ids[MONTHLY_TEAM], village.team_id, f"{YEAR}-{m:02d}", dt.date(YEAR, m, 25)) for m in range(1, 13)]
                owed += [(ids[HALF_YEAR], village.id, f"{YEAR}", dt.date(YEAR, 6, 15)),
                         (ids[ANNUAL], village.id, f"{YEAR}", dt.date(YEAR, 11, 20))]
                for deadline_id, unit_id, period, due in owed:
                    if rng.random() < 0.7 + 0.25 * min(1.0, village.activity):
                        at = dt.datetime.combine(due, dt.time(3), tzinfo=dt.UTC) + dt.timedelta(days=rng.randint(-6, 4))
                        submissions.append(dict(deadline_id=deadline_id, unit_id=unit_id, period=period,
                                                submitted_at=min(at, NOW), submitted_by_id=village.people[0]))
        for sid, row in zip(self.ids("report_submissions", len(submissions)), submissions):
            row["id"] = sid
        async with engine.begin() as conn:
            await _tune(conn)
            await self._write(conn, ReportDeadline, deadlines)
            await self._write(conn, ReportSubmission, submissions)
        self.rows.update(report_deadlines=len(deadlines), report_submissions=len(submissions))


async def _executemany(conn: AsyncConnection, table: Table, batch: list[dict[str, Any]]) -> None:
    await conn.execute(insert(table), batch)


async def _copy(conn: AsyncConnection, table: Table, batch: list[dict[str, Any]]) -> None:
    """PostgreSQL's COPY through asyncpg, in the connection's transaction: ten times executemany's pace."""
    await conn.exec_driver_sql("SELECT 1")  # the adapter opens its transaction on the first statement
    columns = list(batch[0])
    defaults = _defaults(table, columns)  # COPY knows the server's defaults only, not SQLAlchemy's
    driver = (await conn.get_raw_connection()).driver_connection
    await driver.copy_records_to_table(table.name, columns=columns + list(defaults), records=[
        tuple(_plain(v) for v in (*(row[c] for c in columns), *defaults.values())) for row in batch])


def _defaults(table: Table, given: list[str]) -> dict[str, Any]:
    """The Python-side defaults of the columns the rows leave out (e.g. a `created_at` added later)."""
    values = {}
    for column in table.columns:
        default = column.default
        if column.name in given or default is None:
            continue
        if default.is_scalar:
            values[column.name] = default.arg  # type: ignore[attr-defined]
        elif default.is_callable:
            values[column.name] = default.arg(None)  # type: ignore[attr-defined]
    return values


def _plain(value: Any) -> Any:
    """What asyncpg's COPY takes: enums as their stored codes, JSON as text."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return json.dumps(value)
    return value


async def _loosen(conn: AsyncConnection, tables: Sequence[str]) -> list[str]:
    """PostgreSQL: drops the big tables' foreign keys and secondary indexes, as a bulk load does; the
    statements that put them back, exactly as the database defined them."""
    restore: list[str] = []
    for name in tables:
        keys = (await conn.execute(text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = CAST(:t AS regclass) AND contype = 'f'"), {"t": name})).all()
        indexes = (await conn.execute(text(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
            "AND i.tablename = :t AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"),
            {"t": name})).all()
        for key, definition in keys:
            await conn.exec_driver_sql(f'ALTER TABLE {name} DROP CONSTRAINT "{key}"')
            restore.append(f'ALTER TABLE {name} ADD CONSTRAINT "{key}" {definition}')
        for index, definition in indexes:
            await conn.exec_driver_sql(f'DROP INDEX "{index}"')
            restore.insert(0, definition)  # indexes first: the foreign keys' checks use them
    return restore


async def _tune(conn: AsyncConnection) -> None:
    """A bigger page cache for the build's connection on SQLite (the indexes are updated in place)."""
    if conn.dialect.name == "sqlite":
        await conn.exec_driver_sql("PRAGMA cache_size=-262144")


async def _reset_sequences(conn: AsyncConnection) -> None:
    """Ids were given explicitly: each PostgreSQL sequence moves past the largest one."""
    for table in Base.metadata.sorted_tables:
        if "id" in table.c and table.c.id.primary_key:
            await conn.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT max(id) FROM {table.name}), 0) + 1, false)"))


async def build_province(engine: AsyncEngine, scale: float = 1.0, *, seed: int = 2026,
                         progress: Callable[[str], None] | None = None) -> BuildReport:
    """Fills a migrated, empty database with the province at `scale`."""
    return await ProvinceBuilder(Size.at(scale), seed=seed, progress=progress).build(engine)
