"""A person a roster re-import leaves out: told in their language, no member menu any more, and
their households offered to the team's leader to give to another member."""

from zoneinfo import ZoneInfo

from sqlalchemy import select

from models.enums import Channel
from models.roster.importer import import_roster
from models.tables import ChatIdentity, Household, OutboxMessage
from tests.dialog import Chat
from tests.roster.test_import_roster import rows
from tests.world import build_world

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
VILLAGE, TEAM = "Thôn Đồng Tâm", "Tổ Dân vận cộng đồng thôn Đồng Tâm"
# The leader keeps both roles, a new member joins Nhóm 1; Phạm Văn Long (Nhóm 1) is left out.
EDITED = rows(
    (VILLAGE, TEAM, "", "Nguyễn Thị Hằng", "0912100001", "Tổ trưởng"),
    (VILLAGE, TEAM, "", "Nguyễn Thị Hằng", "0912100001", "Bí thư chi bộ"),
    (VILLAGE, TEAM, "Nhóm 1", "Trần Văn Mới", "0912100099", "Thành viên"),
)


async def removed(session, sessions):
    world = await build_world(session)
    world.member.locale = "en"
    session.add_all([
        ChatIdentity(person_id=world.member.id, channel=Channel.TELEGRAM, external_id="501", chat_id="501"),
        ChatIdentity(person_id=world.leader.id, channel=Channel.TELEGRAM, external_id="502", chat_id="502"),
    ])
    await session.commit()
    chat = Chat(sessions, "member")
    async with sessions() as s:
        report = await import_roster(s, world.commune, EDITED, now=chat.now, tz=TZ)
        await s.commit()
    return world, chat, report


async def outbox(sessions, chat_id: str) -> list[OutboxMessage]:
    async with sessions() as s:
        return list(await s.scalars(select(OutboxMessage).where(OutboxMessage.chat_id == chat_id)))


async def test_the_person_left_out_is_told_in_their_language_and_loses_the_menu(session, sessions):
    world, chat, report = await removed(session, sessions)
    assert report["memberships_ended"] == 1 and report["households_released"] == len(world.households)
    [told] = await outbox(sessions, "501")
    assert "you are no longer on it" in told.payload["text"]
    await chat.say("/menu")
    assert chat.last[-1].options == ()
    assert "You no longer hold a role" in chat.screen
    # an old button of the menu opens nothing either
    await chat.say(choice="m:visit")
    assert "You no longer hold a role" in chat.screen and "visit" not in chat.screen.lower()


async def test_their_households_are_offered_to_the_team_leader_to_give_to_another_member(session, sessions):
    world, _chat, _report = await removed(session, sessions)
    async with sessions() as s:
        assert (await s.scalar(select(Household).where(Household.id == world.households[0].id))
                ).assigned_member_id is None
    [offer] = await outbox(sessions, "502")
    assert f"{len(world.households)} hộ chưa có người phụ trách" in offer.payload["text"]
    assert "Nguyễn Văn Hùng — Nhóm 1" in offer.payload["text"]
    [[key, label]] = offer.payload["options"]
    assert label == "🏠 Giao hộ cho thành viên"
    leader = Chat(sessions, "leader")
    await leader.say(choice=key)
    # the released ones, and the one of Nhóm 2 that never had a volunteer
    assert "9 hộ chưa có người phụ trách. Chọn hộ cần giao:" in leader.screen
    await leader.transcript([(leader.option_number("Nguyễn Văn Hùng"), "Giao hộ Nguyễn Văn Hùng — Nhóm 1 cho ai?")])
    assert [o.label for o in leader.last[-1].options] == ["Trần Văn Mới — Nhóm 1"]
    await leader.transcript([("1", "✅ Đã giao hộ Nguyễn Văn Hùng cho Trần Văn Mới.")])
    assert "8 hộ chưa có người phụ trách" in leader.screen  # the next one straight away
    async with sessions() as s:
        household = await s.get(Household, world.households[0].id)
        newcomer = household.assigned_member_id
        assert newcomer is not None and newcomer != world.member.id
    # only the team's leaders may give them
    outsider = Chat(sessions, "member")
    await outsider.say(choice=key)
    assert "Nguyễn Văn Hùng" not in outsider.screen
