"""The demo commune: built once, every role present, a few hundred households, idempotent."""

import datetime as dt
import time

from sqlalchemy import func, select

from core.text import fold, normalize_phone
from models.demo import DEMO_CODE, build_demo, find_demo
from models.enums import Role, UnitKind
from models.people.identities import find_people, terminal_identity
from models.tables import ChatIdentity, Household, Membership, OrgUnit, Person
from models.units import admin_divisions
from models.units.communes import setup_commune
from models.units.tree import add_unit, children

NOW = dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC)


async def counts(session) -> dict[str, int]:
    tables = {"units": OrgUnit, "people": Person, "memberships": Membership, "households": Household}
    return {name: await session.scalar(select(func.count()).select_from(t)) for name, t in tables.items()}


async def test_demo_is_built_once_with_every_role(session):
    started = time.perf_counter()
    demo = await build_demo(session, now=NOW)
    await session.commit()
    assert time.perf_counter() - started < 5
    assert demo.created and demo.commune_name == "Xã Phúc Sơn"
    assert (demo.villages, demo.teams, demo.nhom) == (3, 3, 9)
    assert demo.households >= 250 and demo.people == 48

    roles = dict((await session.execute(
        select(Membership.role, func.count()).where(Membership.source == "cli").group_by(Membership.role))).all())
    assert set(roles) == set(Role)
    assert roles[Role.GROUP_LEADER] == 9 and roles[Role.TEAM_LEADER] == 3 and roles[Role.TEAM_DEPUTY] == 6
    assert roles[Role.CHI_BO_SECRETARY] == 3 and roles[Role.MEMBER] == 27

    people = (await session.scalars(select(Person))).all()
    assert all(normalize_phone(p.phone) == p.phone and p.phone.startswith("0912") for p in people)
    assert len({p.full_name for p in people}) == len(people)  # --as by name is never ambiguous

    before = await counts(session)
    again = await build_demo(session, now=NOW + dt.timedelta(days=1))
    await session.commit()
    assert not again.created and await counts(session) == before
    assert (again.member_id, again.leader_id) == (demo.member_id, demo.leader_id)
    assert await find_demo(session) == again


async def test_known_people_and_households(session):
    demo = await build_demo(session, now=NOW)
    member_roles = (await session.execute(
        select(Membership.role, OrgUnit.name, OrgUnit.path).join(OrgUnit, OrgUnit.id == Membership.unit_id)
        .where(Membership.person_id == demo.member_id))).all()
    assert [(role, name) for role, name, _ in member_roles] == [(Role.MEMBER, "Nhóm 1")]
    village = await session.scalar(select(OrgUnit).where(OrgUnit.name == "Thôn Đồng Tâm"))
    assert member_roles[0].path.startswith(village.path)
    leader_roles = set((await session.scalars(
        select(Membership.role).where(Membership.person_id == demo.leader_id))).all())
    assert leader_roles == {Role.TEAM_LEADER, Role.CHI_BO_SECRETARY}

    households = (await session.scalars(select(Household))).all()
    per_nhom: dict[int, int] = {}
    for household in households:
        per_nhom[household.nhom_id] = per_nhom.get(household.nhom_id, 0) + 1
        assert household.head_name and household.code
        assert household.address.endswith(("Thôn Đồng Tâm", "Thôn Phúc Lâm", "Tổ dân phố Số 5"))
    assert all(30 <= n <= 40 for n in per_nhom.values()) and len(per_nhom) == 9
    assert any(h.assigned_member_id == demo.member_id for h in households)
    visited = [h for h in households if h.last_visited_on is not None]
    assert 0 < len(visited) < len(households) and all(h.last_visited_on < NOW.date() for h in visited)
    # Each household is looked after by someone who holds a role in its own nhóm.
    holders = set((await session.execute(select(Membership.person_id, Membership.unit_id))).all())
    assert all((h.assigned_member_id, h.nhom_id) in holders for h in households)


async def test_existing_commune_gets_villages_only_when_it_has_none(session):
    official = admin_divisions.by_code(DEMO_CODE)
    commune, _ = await setup_commune(session, official)
    assert await find_demo(session) is None
    demo = await build_demo(session, now=NOW)
    assert demo.created and demo.commune_id == commune.id and demo.villages == 3
    assert len(await children(session, commune, UnitKind.VILLAGE)) == 3


async def test_imported_commune_is_left_alone(session):
    commune, _ = await setup_commune(session, admin_divisions.by_code(DEMO_CODE))
    village = await add_unit(session, UnitKind.VILLAGE, "Thôn Đồng Tâm", commune)
    before = await counts(session)
    demo = await build_demo(session, now=NOW)
    assert not demo.created and demo.member_id is None and await counts(session) == before
    assert demo.villages == 1 and demo.commune_id == village.parent_id


async def test_find_people_and_terminal_identity(session):
    demo = await build_demo(session, now=NOW)
    leader = await session.get(Person, demo.leader_id)
    spaced = f"{leader.phone[:4]} {leader.phone[4:7]} {leader.phone[7:]}"
    assert await find_people(session, spaced) == [leader]
    assert await find_people(session, "+84" + leader.phone[1:]) == [leader]
    assert await find_people(session, leader.full_name.upper()) == [leader]
    assert await find_people(session, fold(leader.full_name)) == [leader]
    assert len(await find_people(session, "nguyen")) > 1
    assert await find_people(session, "0999999999") == [] and await find_people(session, "  ") == []

    first = await terminal_identity(session, leader)
    again = await terminal_identity(session, leader)
    assert first.id == again.id and first.external_id == first.chat_id == f"person-{leader.id}"
    assert await session.scalar(select(func.count()).select_from(ChatIdentity)) == 1


async def test_demo_history_is_consistent(session):
    """Visits match the last-visit dates; concerns in every state; a held meeting; reports done and late."""
    from models.deadlines.calendar import overdue
    from models.demo import HANOI
    from models.enums import ConcernStatus, MeetingStatus
    from models.tables import Concern, ConcernHousehold, Meeting, MeetingAttendance, ReportSubmission, Visit

    demo = await build_demo(session, now=NOW)
    last = dict((await session.execute(
        select(Visit.household_id, func.max(Visit.visited_on)).group_by(Visit.household_id))).all())
    homes = (await session.scalars(select(Household))).all()
    assert {h.id: h.last_visited_on for h in homes if h.last_visited_on} == last
    assert all(day < NOW.date() for day in last.values()) and len(last) > len(homes) // 3
    visits = (await session.scalars(select(Visit))).all()
    owners = {h.id: h.assigned_member_id for h in homes}
    assert all(v.person_id == owners[v.household_id] for v in visits)

    concerns = (await session.scalars(select(Concern).order_by(Concern.id))).all()
    statuses = {c.status for c in concerns}
    assert statuses == set(ConcernStatus)
    answered = [c for c in concerns if c.status == ConcernStatus.ANSWERED]
    assert {c.household_told_at is None for c in answered} == {True, False}  # one to pass on, one passed on
    first_village = [c for c in concerns if c.village_id == concerns[0].village_id]
    assert len(first_village) == 6 and {c.reporter_id for c in first_village} == {demo.member_id}
    told = await session.scalar(select(func.count()).select_from(ConcernHousehold)
                                .where(ConcernHousehold.told_at.is_not(None)))
    assert told == 2  # the passed-on one and the closed one

    held = (await session.scalars(select(Meeting).where(Meeting.status == MeetingStatus.HELD))).all()
    assert len(held) == 3 and all(m.minutes and m.starts_at < NOW for m in held)
    assert await session.scalar(select(func.count()).select_from(MeetingAttendance)
                                .where(MeetingAttendance.attended.is_(True))) > 0
    planned = (await session.scalars(select(Meeting).where(Meeting.status == MeetingStatus.PLANNED))).all()
    assert planned and all(m.starts_at > NOW for m in planned)

    commune = await session.get(OrgUnit, demo.commune_id)
    assert await session.scalar(select(func.count()).select_from(ReportSubmission)) > 0
    late = await overdue(session, commune, NOW.astimezone(HANOI).date(), HANOI)
    assert [(p.deadline.kind, p.period) for p in late] == [("monthly_team", "2026-05")] * 2
