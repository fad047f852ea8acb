"""👥 Nhóm của tôi: a nhóm leader's own nhóm at a glance."""

import datetime as dt

from core.text import fold
from models.enums import Channel, ConcernCategory, ConcernStatus, Role, Urgency, VisitPurpose
from models.tables import ChatIdentity, Concern, Membership, Person, Visit
from tests.dialog import Chat
from tests.world import build_world


async def test_a_nhom_leader_sees_members_households_coverage_visits_and_open_concerns(session, sessions):
    world = await build_world(session)
    head = Person(full_name="Lê Thị Nhóm", name_key=fold("Lê Thị Nhóm"), commune_id=world.commune.id)
    session.add(head)
    await session.flush()
    session.add_all([Membership(person_id=head.id, unit_id=world.nhom.id, role=Role.GROUP_LEADER),
                     ChatIdentity(person_id=head.id, channel=Channel.TERMINAL, external_id="head", chat_id="head")])
    household = world.households[1]
    for day, person in ((dt.date(2026, 11, 20), world.member), (dt.date(2026, 11, 2), world.member),
                        (dt.date(2026, 10, 30), world.member), (dt.date(2026, 11, 3), head)):
        session.add(Visit(household_id=household.id, person_id=person.id, nhom_id=world.nhom.id,
                          village_id=world.village.id, commune_id=world.commune.id, visited_on=day,
                          purpose=VisitPurpose.ENCOURAGE))
    for i, status in enumerate((ConcernStatus.NEW, ConcernStatus.IN_PROGRESS, ConcernStatus.ANSWERED)):
        session.add(Concern(reference=f"PA-2026-0000{i + 1}", commune_id=world.commune.id, village_id=world.village.id,
                            nhom_id=world.nhom.id, reporter_id=world.member.id, category=ConcernCategory.ENVIRONMENT,
                            urgency=Urgency.NORMAL, status=status, description="Rác",
                            due_at=dt.datetime(2026, 12, 10, tzinfo=dt.UTC)))
    await session.commit()
    chat = Chat(sessions, "head")
    await chat.say("/menu")
    await chat.transcript([(chat.option_number("Nhóm của tôi"), "👥 Nhóm 1")])
    assert "Hộ: 8, đã thăm trong 60 ngày: 4 (50%); chưa có người phụ trách: 0" in chat.screen
    assert "Lượt thăm tháng này: 3 · Ý kiến đang mở: 2" in chat.screen
    assert "Thành viên (2):" in chat.screen
    assert "• Lê Thị Nhóm: 0/0 hộ đã thăm trong 60 ngày, 1 lượt tháng này" in chat.screen
    assert "• Phạm Văn Long: 4/8 hộ đã thăm trong 60 ngày, 2 lượt tháng này" in chat.screen
    # a member has no such entry, and an old button tells them so
    member = Chat(sessions, "member")
    await member.say("/menu")
    assert "Nhóm của tôi" not in member.screen
    await member.say(choice="m:nhom")
    assert "Mục này dành cho nhóm trưởng." in member.screen and "Phạm Văn Long:" not in member.screen
