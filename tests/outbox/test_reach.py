"""No screen says a message went to people who cannot receive it: reach counts and the unreachable list."""

import datetime as dt

from models.enums import Channel, Role
from models.people.identities import mark_unreachable
from models.people.reach import Reach, reach_of, reach_text
from models.tables import ChatIdentity, Membership, Person
from tests.dialog import Chat
from tests.world import build_world

BLOCKED_AT = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)


async def _newcomer(session, world, name: str) -> Person:
    """A member of the roster who never used an invite: no chat identity at all."""
    person = Person(full_name=name, name_key=name.lower(), commune_id=world.commune.id)
    session.add(person)
    await session.flush()
    session.add(Membership(person_id=person.id, unit_id=world.nhom.id, role=Role.MEMBER))
    return person


async def test_reach_tells_joined_from_never_joined_and_blocked(session):
    world = await build_world(session)
    newcomer = await _newcomer(session, world, "Đỗ Thị Mới")
    # The leader joined on Telegram and blocked the bot: a terminal identity does not make her reachable.
    session.add(ChatIdentity(person_id=world.leader.id, channel=Channel.TELEGRAM, external_id="9", chat_id="9",
                             unreachable_at=BLOCKED_AT))
    await session.flush()
    reach = await reach_of(session, [world.member.id, world.leader.id, newcomer.id])
    assert reach == Reach(reachable=1, not_joined=1, blocked=1)
    assert reach_text(reach) == "📶 1 người nhận được tin; 2 người không nhận được (1 chưa tham gia bot, 1 đã chặn bot)."
    assert reach_text(await reach_of(session, [world.member.id])) == "📶 Cả 1 người đều nhận được tin."


async def test_unreachable_lists_those_who_never_joined_as_well_as_the_blocked(session, sessions):
    world = await build_world(session)
    await _newcomer(session, world, "Đỗ Thị Mới")
    await mark_unreachable(session, Channel.TERMINAL, "member", "Forbidden: bot was blocked by the user", BLOCKED_AT)
    await session.commit()
    leader = Chat(sessions, "leader")
    await leader.say("/menu")
    await leader.menu_entry("Chưa liên lạc được")
    screen = leader.screen
    assert world.member.full_name in screen and "20/11/2026" in screen
    assert "Chưa tham gia bot (chưa dùng mã mời nên không nhận được tin): 1 người\n• Đỗ Thị Mới" in screen


async def test_nobody_missing_says_so(session, sessions):
    await build_world(session)
    leader = Chat(sessions, "leader")
    await leader.say("/menu")
    await leader.menu_entry("Chưa liên lạc được")
    assert leader.screen.startswith("📵 Mọi người đều nhận được tin nhắn của bot.")


async def test_an_answer_whose_volunteer_cannot_be_reached_says_so(session, sessions):
    from models.concerns.record import record_concern
    from models.enums import ConcernCategory, Urgency

    world = await build_world(session)
    newcomer = await _newcomer(session, world, "Đỗ Thị Mới")
    concern = await record_concern(
        session, reporter_id=newcomer.id, commune_id=world.commune.id, village_id=world.village.id,
        nhom_id=world.nhom.id, household=world.households[0], several_households=False,
        category=ConcernCategory.ENVIRONMENT, urgency=Urgency.NORMAL, description="Rác để cạnh mương",
        photos=[], channel=None, now=BLOCKED_AT)
    await session.commit()
    leader = Chat(sessions, "leader")
    await leader.say(f"/pa {concern.reference}")
    await leader.say(leader.option_number("Trả lời"))
    await leader.say("Xã sẽ bố trí xe thu gom vào thứ Ba hằng tuần")
    assert leader.last[0].text == (
        f"💬 Đã ghi trả lời ý kiến {concern.reference}. Người đã ghi ý kiến chưa tham gia bot hoặc đã chặn bot "
        "nên không nhận được tin: hãy báo trực tiếp để họ chuyển lời cho hộ.")
