"""An invite answered with a roster person's phone, written another way, links that person."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from models.enums import Role
from models.people.invites import create_invite
from models.tables import ChatIdentity, Membership, Person
from tests.dialog import Chat
from tests.world import build_world

# As the roster may hold it (the import writes 0912100022; older or hand-entered rows, any of these)
# and as the newcomer may type it.
STORED = ["0912100022", "0912 100 022", "+84912100022", "+84 912.100.022"]  # the column holds 16
TYPED = ["0912 100 022", "+84912100022", "84912100022"]


@pytest.mark.parametrize("name", ["Đỗ Thị Bích", "Bích Đỗ"], ids=["same-name", "other-spelling"])
@pytest.mark.parametrize("typed", TYPED)
@pytest.mark.parametrize("stored", STORED)
async def test_the_roster_person_is_linked_whatever_the_phones_format(session, sessions, stored, typed, name):
    world = await build_world(session)
    roster = Person(full_name="Đỗ Thị Bích", name_key="do thi bich", phone=stored, commune_id=world.commune.id)
    session.add(roster)
    await session.flush()
    session.add(Membership(person_id=roster.id, unit_id=world.nhom.id, role=Role.MEMBER))
    await session.commit()
    chat = Chat(sessions, "bich")
    made = await create_invite(session, world.nhom, Role.MEMBER, now=chat.now, valid_for=dt.timedelta(days=7),
                              created_by_id=world.leader.id)
    await session.commit()

    await chat.transcript([(made.code, "Bạn đồng ý tham gia?"), ("đồng ý", "Họ và tên"), (name, "Số điện thoại"),
                           (typed, "Chào mừng Đỗ Thị Bích!")])
    async with sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Person)) == 3  # the world's two and Bích: no second
        identity = (await s.scalars(select(ChatIdentity).where(ChatIdentity.external_id == "bich"))).one()
        assert identity.person_id == roster.id


@pytest.mark.parametrize("typed", ["+84912100001", "84 912 100 001"])
async def test_a_leaders_phone_in_another_format_still_gives_nothing_away(session, sessions, typed):
    """The roster writes the leader's phone with spaces; typed another way with a member invite, it
    links nobody and is not copied onto the newcomer (phones identify people)."""
    world = await build_world(session)
    world.leader.phone = "0912 100 001"
    await session.commit()
    chat = Chat(sessions, "intruder")
    made = await create_invite(session, world.nhom, Role.MEMBER, now=chat.now, valid_for=dt.timedelta(days=7),
                               created_by_id=world.leader.id)
    await session.commit()
    await chat.transcript([(made.code, "Bạn đồng ý tham gia?"), ("đồng ý", "Họ và tên"),
                           (world.leader.full_name, "Số điện thoại"), (typed, "Chào mừng")])
    async with sessions() as s:
        identity = (await s.scalars(select(ChatIdentity).where(ChatIdentity.external_id == "intruder"))).one()
        assert identity.person_id not in (world.leader.id, world.member.id)
        assert (await s.get(Person, identity.person_id)).phone is None
