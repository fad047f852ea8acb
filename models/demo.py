"""A demo commune, so a newcomer without a token can try the bot in the terminal within a minute.

Built once, from a real commune code, with made-up but realistic Vietnamese people and
households (deterministic: the same names and phones on every machine).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.text import fold
from models import audit
from models.demo_history import add_history
from models.enums import Role, UnitKind
from models.roster.importer import default_team_name, division_type
from models.tables import Household, Membership, OrgUnit, Person
from models.units import admin_divisions
from models.units.communes import setup_commune
from models.units.tree import add_unit, children

DEMO_CODE = "10459"  # Xã Phúc Sơn, Hà Nội
SOURCE = "cli"
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
# (village, household code prefix, the xóm/ngõ of each of its three nhóm)
VILLAGES = (
    ("Thôn Đồng Tâm", "DT", ("Xóm Trại", "Xóm Giữa", "Xóm Đình")),
    ("Thôn Phúc Lâm", "PL", ("Xóm Chùa", "Xóm Bến", "Xóm Mới")),
    ("Tổ dân phố Số 5", "TDP5", ("Ngõ 3", "Ngõ 7", "Ngõ 12")),
)
MEMBERS_PER_NHOM = 3  # plus the nhóm trưởng: 4 people, within the 3–5 of the guidance
# Family names weighted roughly as they occur (Nguyễn about a third).
FAMILY = ("Nguyễn",) * 8 + ("Trần",) * 3 + ("Lê",) * 3 + ("Phạm",) * 2 + (
    "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Phan", "Trịnh")
MALE = (("Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Xuân", "Trọng"),
        ("Hùng", "Dũng", "Long", "Nam", "Tuấn", "Hải", "Sơn", "Bình", "Thắng", "Cường", "Quân", "Khánh",
         "Phúc", "Toàn", "Hòa", "Lâm", "Trung", "Việt", "Hiếu", "Tiến", "Thành", "Đạt"))
FEMALE = (("Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Kim"),
          ("Lan", "Hương", "Hoa", "Mai", "Hằng", "Nga", "Thủy", "Hạnh", "Loan", "Trang", "Huyền", "Linh",
           "Yến", "Dung", "Oanh", "Phương", "Thảo", "Nhung", "Hà", "Vân"))


class DemoNames:
    """Unique full names and fictitious phones (0912xxxxxx people, 0987xxxxxx households) from one seed."""

    def __init__(self, rng: random.Random, taken_phones: set[str]) -> None:
        self.rng = rng
        self.names: set[str] = set()
        self.phones = set(taken_phones)

    def person(self) -> str:
        while True:
            middles, givens = self.rng.choice((MALE, FEMALE))
            name = f"{self.rng.choice(FAMILY)} {self.rng.choice(middles)} {self.rng.choice(givens)}"
            if name not in self.names:
                self.names.add(name)
                return name

    def phone(self, prefix: str = "0912") -> str:
        while True:
            phone = f"{prefix}{self.rng.randrange(1_000_000):06d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone


@dataclass(frozen=True)
class DemoResult:
    """What the demo holds and whom to chat as; plain values, usable after the session closes."""

    commune_id: int
    commune_name: str
    created: bool
    villages: int
    teams: int
    nhom: int
    people: int
    households: int
    member_id: int | None = None
    member_name: str = ""
    member_phone: str | None = None
    leader_id: int | None = None
    leader_name: str = ""
    leader_phone: str | None = None


async def build_demo(session: AsyncSession, *, now: dt.datetime, tz: ZoneInfo = HANOI) -> DemoResult:
    """The demo commune with a few months of history (`models.demo_history`), created on first call;
    later calls (or a commune with villages) change nothing."""
    existing = await find_demo(session)
    if existing is not None:
        return existing
    official = admin_divisions.by_code(DEMO_CODE)
    assert official is not None, "the official list lost the demo commune"
    commune, _created = await setup_commune(session, official)
    await _populate(session, commune, now)
    await add_history(session, commune, now=now, tz=tz)
    audit.record(session, "demo_built", "org_unit", commune.id, actor_label=SOURCE)
    await session.flush()
    result = await _describe(session, commune, created=True)
    assert result is not None
    return result


async def find_demo(session: AsyncSession) -> DemoResult | None:
    """The demo commune if it exists with villages (imported examples count too), else None."""
    commune = await session.scalar(
        select(OrgUnit).where(OrgUnit.kind == UnitKind.COMMUNE, OrgUnit.code == DEMO_CODE))
    if commune is None:
        return None
    return await _describe(session, commune, created=False)


async def _populate(session: AsyncSession, commune: OrgUnit, now: dt.datetime) -> None:
    rng = random.Random(2026)
    taken = set(await session.scalars(select(Person.phone).where(Person.phone.startswith("0912"))))
    names = DemoNames(rng, {p for p in taken if p})
    people: list[Person] = []
    roles: list[tuple[Person, OrgUnit, Role]] = []
    nhom_people: list[tuple[OrgUnit, OrgUnit, str, list[Person]]] = []  # nhóm, village, xóm, members

    def person() -> Person:
        name = names.person()
        p = Person(full_name=name, name_key=fold(name), phone=names.phone(), commune_id=commune.id)
        people.append(p)
        return p

    for role in (Role.COMMUNE_SECRETARY, Role.KHOI_DAN_VAN_HEAD, Role.ADMIN):
        roles.append((person(), commune, role))
    for village_name, _prefix, places in VILLAGES:
        village = await add_unit(session, UnitKind.VILLAGE, village_name, commune,
                                 division_type=division_type(village_name))
        team = await add_unit(session, UnitKind.TEAM, default_team_name(village_name), village)
        leader = person()  # the tổ trưởng is the chi bộ secretary (seed 003)
        roles += [(leader, team, Role.TEAM_LEADER), (leader, village, Role.CHI_BO_SECRETARY)]
        roles += [(person(), team, Role.TEAM_DEPUTY) for _ in range(2)]
        for index, place in enumerate(places, 1):
            nhom = await add_unit(session, UnitKind.NHOM, f"Nhóm {index}", team)
            members = [person() for _ in range(MEMBERS_PER_NHOM)]
            group_leader = person()
            roles += [(p, nhom, Role.MEMBER) for p in members] + [(group_leader, nhom, Role.GROUP_LEADER)]
            nhom_people.append((nhom, village, place, [*members, group_leader]))

    session.add_all(people)
    await session.flush()  # person ids for the memberships and assignments
    joined = now - dt.timedelta(days=365)  # before the history (models/demo_history.py) begins
    session.add_all(Membership(person_id=p.id, unit_id=unit.id, role=role, source=SOURCE, started_at=joined)
                    for p, unit, role in roles)
    session.add_all(_households(rng, names, commune, nhom_people, now))
    await session.flush()


def _households(rng: random.Random, names: DemoNames, commune: OrgUnit,
                nhom_people: list[tuple[OrgUnit, OrgUnit, str, list[Person]]], now: dt.datetime) -> list[Household]:
    prefixes = {fold(name): prefix for name, prefix, _places in VILLAGES}
    numbers: dict[str, int] = {}
    today = now.date()
    result = []
    for nhom, village, place, members in nhom_people:
        prefix = prefixes[village.name_key]
        for index in range(rng.randint(30, 40)):
            numbers[prefix] = numbers.get(prefix, 0) + 1
            head = names.person()
            address = f"Số {rng.randint(1, 180)}, {place}, {village.name}"
            if index < len(members):  # each volunteer visited one of theirs this week
                visited: dt.date | None = today - dt.timedelta(days=rng.randint(1, 6))
            elif rng.random() < 0.5:  # the others over five months, more of them lately
                visited = today - dt.timedelta(days=int(rng.triangular(1, 150, 1)))
            else:
                visited = None
            result.append(Household(
                commune_id=commune.id, village_id=village.id, nhom_id=nhom.id,
                code=f"{prefix}-{numbers[prefix]:03d}", head_name=head, name_key=fold(head),
                address=address, address_key=fold(address),
                phone=names.phone("0987") if rng.random() < 0.6 else None,
                assigned_member_id=members[index % len(members)].id, last_visited_on=visited,
            ))
    return result


async def _describe(session: AsyncSession, commune: OrgUnit, *, created: bool) -> DemoResult | None:
    """Counts under the commune and the known people: the first member of the first village's first nhóm."""
    villages = await children(session, commune, UnitKind.VILLAGE)
    if not villages:
        return None
    kinds = dict((await session.execute(
        select(OrgUnit.kind, func.count()).where(OrgUnit.path.startswith(commune.path))
        .group_by(OrgUnit.kind))).all())
    people = await session.scalar(select(func.count()).select_from(Person).where(Person.commune_id == commune.id))
    households = await session.scalar(
        select(func.count()).select_from(Household).where(Household.commune_id == commune.id))
    first_village = min(villages, key=lambda v: v.id)
    member = await _first_holder(session, first_village, (Role.MEMBER,), UnitKind.NHOM)
    leader = await _first_holder(session, first_village, (Role.TEAM_LEADER,), UnitKind.TEAM)
    return DemoResult(
        commune_id=commune.id, commune_name=commune.name, created=created,
        villages=kinds.get(UnitKind.VILLAGE, 0), teams=kinds.get(UnitKind.TEAM, 0),
        nhom=kinds.get(UnitKind.NHOM, 0), people=people or 0, households=households or 0,
        member_id=member.id if member else None, member_name=member.full_name if member else "",
        member_phone=member.phone if member else None,
        leader_id=leader.id if leader else None, leader_name=leader.full_name if leader else "",
        leader_phone=leader.phone if leader else None,
    )


async def _first_holder(session: AsyncSession, village: OrgUnit, roles: tuple[Role, ...],
                        kind: UnitKind) -> Person | None:
    """The person holding one of `roles` at the first unit of `kind` under the village (by creation order)."""
    return await session.scalar(
        select(Person).join(Membership, Membership.person_id == Person.id)
        .join(OrgUnit, OrgUnit.id == Membership.unit_id)
        .where(OrgUnit.path.startswith(village.path), OrgUnit.kind == kind, Membership.role.in_(roles),
               Membership.ended_at.is_(None))
        .order_by(OrgUnit.id, Membership.id).limit(1)
    )
