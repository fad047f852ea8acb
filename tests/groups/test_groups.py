"""Binding a group chat to a unit with /ganket: only roles that cover the unit may do it."""

from sqlalchemy import func, select

from models.enums import GroupPurpose
from models.tables import AuditLog, ChatGroup
from tests.dialog import Chat
from tests.world import build_world

GROUP = "-100123"


async def test_team_leader_binds_the_chi_bo_group_and_can_unbind(session, sessions):
    world = await build_world(session)
    leader = Chat(sessions, "leader", chat_id=GROUP)
    await leader.say("/ganket@GanDanBot")
    screen = leader.screen
    assert "Nhóm chi bộ — Thôn Đồng Tâm" in screen and "Nhóm thành viên — Nhóm 1" in screen
    await leader.say(leader.option_number("Nhóm chi bộ"))
    assert "Đã gắn nhóm này: Nhóm chi bộ — Thôn Đồng Tâm" in leader.screen
    group = await session.scalar(select(ChatGroup))
    assert (group.chat_id, group.unit_id, group.purpose, group.bound_by_id) == (
        GROUP, world.village.id, GroupPurpose.CHI_BO, world.leader.id)

    await leader.say("/ganket")
    assert "Nhóm này đang là: Nhóm chi bộ — Thôn Đồng Tâm" in leader.screen
    await leader.say(leader.option_number("Bỏ gắn kết"))
    assert "Đã bỏ gắn kết" in leader.screen
    assert await session.scalar(select(func.count()).select_from(ChatGroup)) == 0
    actions = (await session.scalars(select(AuditLog.action).order_by(AuditLog.id))).all()
    assert actions[-2:] == ["bind_group", "unbind_group"]


async def test_member_and_stranger_are_refused_and_chatter_is_ignored(session, sessions):
    await build_world(session)
    member = Chat(sessions, "member", chat_id=GROUP)
    await member.say("/ganket")
    assert "không có vai trò" in member.screen
    stranger = Chat(sessions, "nobody", chat_id=GROUP)
    await stranger.say("/ganket")
    assert "Chỉ thành viên đã tham gia" in stranger.screen
    assert await member.say("xin chào cả nhóm") == []
    assert await member.say("/menu") and "nhắn riêng" in member.screen
    assert await session.scalar(select(func.count()).select_from(ChatGroup)) == 0


async def test_only_the_person_who_asked_may_choose(session, sessions):
    await build_world(session)
    leader = Chat(sessions, "leader", chat_id=GROUP)
    await leader.say("/ganket")
    number = leader.option_number("Nhóm chi bộ")
    member = Chat(sessions, "member", chat_id=GROUP)
    assert await member.say(number) == []
    assert await session.scalar(select(func.count()).select_from(ChatGroup)) == 0
    await leader.say("", choice=f"#{int(number) - 1}")  # a long key sent as its index
    assert await session.scalar(select(func.count()).select_from(ChatGroup)) == 1


async def test_group_replies_never_mention_households(session, sessions):
    world = await build_world(session)
    leader = Chat(sessions, "leader", chat_id=GROUP)
    for text in ("/ganket", "1", "/help", "/menu", "Nguyễn Văn Hùng"):
        await leader.say(text)
        for household in world.households:
            assert household.head_name not in leader.screen


async def test_leaders_see_who_cannot_be_reached(session, sessions):
    import datetime as dt

    from models.enums import Channel
    from models.people.identities import mark_unreachable

    world = await build_world(session)
    await mark_unreachable(session, Channel.TERMINAL, "member", "Forbidden: bot was blocked by the user",
                           dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
    await session.commit()
    leader = Chat(sessions, "leader")
    await leader.say("/menu")
    await leader.menu_entry("Chưa liên lạc được")
    assert world.member.full_name in leader.screen and "20/11/2026" in leader.screen
    member = Chat(sessions, "member")
    await member.say("/menu")
    assert "Chưa liên lạc được" not in member.screen
