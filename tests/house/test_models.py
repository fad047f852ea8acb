"""The data model on a real database: tree paths, UTC round trips, constraints."""

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models.enums import Channel, Role, UnitKind, VisitPurpose
from models.tables import ChatIdentity, Household, Membership, OrgUnit, Person, Visit
from models.units import tree


async def build_tree(session):
    province = await tree.add_unit(session, UnitKind.PROVINCE, "Thành phố Hà Nội", code="01")
    commune = await tree.add_unit(session, UnitKind.COMMUNE, "Xã Phúc Sơn", province, code="10459")
    village = await tree.add_unit(session, UnitKind.VILLAGE, "Thôn Đồng Tâm", commune)
    team = await tree.add_unit(session, UnitKind.TEAM, "Tổ Dân vận cộng đồng thôn Đồng Tâm", village)
    nhom = await tree.add_unit(session, UnitKind.NHOM, "Nhóm 1", team)
    return province, commune, village, team, nhom


async def test_tree_paths_and_lookup(session):
    province, commune, village, team, nhom = await build_tree(session)
    await session.commit()
    assert nhom.path == f"/{province.id}/{commune.id}/{village.id}/{team.id}/{nhom.id}/"
    assert [u.id for u in await tree.descendants(session, commune)] == [village.id, team.id, nhom.id]
    assert (await tree.ancestor(session, nhom, UnitKind.VILLAGE)).id == village.id
    found = await tree.find_units(session, "dong tam", kinds=[UnitKind.VILLAGE])
    assert [u.name for u in found] == ["Thôn Đồng Tâm"]


async def test_sibling_names_are_unique_ignoring_diacritics(session):
    _, commune, *_ = await build_tree(session)
    await session.commit()
    with pytest.raises(IntegrityError):
        await tree.add_unit(session, UnitKind.VILLAGE, "thon dong tam", commune)


async def test_times_round_trip_as_utc_and_dates_stay_dates(session, sessions):
    *_, village, team, nhom = await build_tree(session)
    person = Person(full_name="Nguyễn Văn A", name_key="nguyen van a", phone="0912345678")
    session.add(person)
    await session.flush()
    household = Household(commune_id=village.parent_id, village_id=village.id, nhom_id=nhom.id,
                          head_name="Trần Thị B", name_key="tran thi b", address="Xóm 1")
    session.add(household)
    await session.flush()
    hanoi = dt.timezone(dt.timedelta(hours=7))
    session.add(Visit(household_id=household.id, person_id=person.id, nhom_id=nhom.id,
                      village_id=village.id, commune_id=village.parent_id,
                      visited_on=dt.date(2026, 11, 23), purpose=VisitPurpose.ENCOURAGE,
                      created_at=dt.datetime(2026, 11, 24, 7, 30, tzinfo=hanoi)))
    await session.commit()
    async with sessions() as fresh:
        visit = await fresh.scalar(select(Visit))
        assert visit.created_at == dt.datetime(2026, 11, 24, 0, 30, tzinfo=dt.UTC)
        assert visit.created_at.tzinfo is not None
        assert visit.visited_on == dt.date(2026, 11, 23)
        assert visit.purpose is VisitPurpose.ENCOURAGE


async def test_one_person_many_identities_and_roles(session):
    *_, village, team, nhom = await build_tree(session)
    person = Person(full_name="Lê Văn C", name_key="le van c")
    session.add(person)
    await session.flush()
    session.add_all([
        ChatIdentity(person_id=person.id, channel=Channel.TELEGRAM, external_id="111", chat_id="111"),
        ChatIdentity(person_id=person.id, channel=Channel.ZALO, external_id="abc", chat_id="abc"),
        Membership(person_id=person.id, unit_id=team.id, role=Role.TEAM_LEADER),
        Membership(person_id=person.id, unit_id=village.id, role=Role.CHI_BO_SECRETARY),
    ])
    await session.commit()
    roles = (await session.scalars(select(Membership.role).where(Membership.person_id == person.id))).all()
    assert sorted(roles) == [Role.CHI_BO_SECRETARY, Role.TEAM_LEADER]
    session.add(ChatIdentity(person_id=person.id, channel=Channel.TELEGRAM, external_id="111", chat_id="1"))
    with pytest.raises(IntegrityError):
        await session.commit()


async def test_foreign_keys_are_enforced(session):
    session.add(OrgUnit(kind=UnitKind.VILLAGE, name="X", name_key="x", parent_id=9999, path="/"))
    with pytest.raises(IntegrityError):
        await session.commit()
