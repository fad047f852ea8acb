"""Strangers and joining by invite code, through the real engine and database."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from models.enums import Channel, Role
from models.people.invites import create_invite
from models.tables import (
    ChatIdentity,
    ConversationState,
    Household,
    InviteCode,
    Membership,
    Person,
    Visit,
)
from tests.dialog import Chat
from tests.world import HOUSEHOLDS, build_world

INVITE_HELP = ("Chào bạn! Bot này dành cho thành viên Tổ Dân vận cộng đồng.\n"
               "Để tham gia, xin tổ trưởng một mã mời rồi gửi mã đó vào đây (hoặc bấm đường dẫn mời).")
UNIT_LABEL = "Xã Phúc Sơn › Thôn Đồng Tâm › Tổ Dân vận cộng đồng thôn Đồng Tâm › Nhóm 1"
CONFIRM = f"Mã mời này cho vai trò Thành viên tại:\n{UNIT_LABEL}\nBạn đồng ý tham gia?"
ASK_NAME = "Họ và tên của bạn (như trong danh sách tổ)?"
ASK_PHONE = "Số điện thoại của bạn (để nhận đúng tên trong danh sách), hoặc bỏ qua:"
MENU_LABELS = ["📝 Ghi thăm hộ", "📣 Ghi ý kiến, kiến nghị", "🏠 Hộ tôi phụ trách", "📋 Báo cáo của tôi",
               "📅 Lịch họp", "🤝 Vận động", "📋 Khảo sát", "🗂 Mục khác…"]
ALL_HOUSEHOLD_NAMES = [name for name, _, _ in HOUSEHOLDS] + ["Ngô Văn Xa"]


def joining_as_mot(code: str) -> list[tuple[str, str]]:
    return [(code, CONFIRM), ("1", ASK_NAME), ("Đỗ Văn Một", ASK_PHONE), ("Bỏ qua", "Chào mừng Đỗ Văn Một!")]


async def count(sessions, model, *where):
    async with sessions() as s:
        return await s.scalar(select(func.count()).select_from(model).where(*where))


async def new_invite(session, world, *, now, valid_for=dt.timedelta(days=7), max_uses=1, role=Role.MEMBER,
                     unit=None):
    made = await create_invite(session, unit or world.nhom, role, now=now, valid_for=valid_for,
                               max_uses=max_uses, created_by_id=world.leader.id)
    await session.commit()
    return made


async def used_count(sessions, invite_id):
    async with sessions() as s:
        return (await s.get(InviteCode, invite_id)).used_count


async def nothing_stored_for(sessions, user_id, people_before):
    assert await count(sessions, Person) == people_before
    assert await count(sessions, ChatIdentity, ChatIdentity.external_id == user_id) == 0
    assert await count(sessions, Membership, Membership.source == "invite") == 0


async def test_a_stranger_only_learns_how_to_get_an_invite(session, sessions):
    world = await build_world(session)
    stranger = Chat(sessions, "stranger")
    for text, choice in [("xin chào", None), ("1", None), ("/menu", None), ("/start", None), ("/help", None),
                         ("/quaylai", None), ("Nguyễn Văn Hùng", None), ("hung", None), ("dong tam", None),
                         ("", "m:households"), ("", "m:visit"), ("", "m:reports"), ("", "m:open"),
                         ("", f"h:{world.households[0].id}"), ("", "undo:1"), ("/baocao", None)]:
        replies = await stranger.say(text, choice=choice)
        assert [(r.text, r.options) for r in replies] == [(INVITE_HELP, ())], (text, choice, stranger.screen)
    # /huy has nothing to cancel; it says so, and still shows nothing else
    await stranger.say("/huy")
    assert stranger.screen == "Không có việc gì đang làm dở."
    assert not any(name in stranger.screen for name in ALL_HOUSEHOLD_NAMES)
    assert await count(sessions, Person) == 2
    assert await count(sessions, ChatIdentity, ChatIdentity.external_id == "stranger") == 0
    assert await count(sessions, Visit) == 0


async def test_joining_by_start_command_creates_a_person_identity_and_membership(session, sessions):
    world = await build_world(session)
    chat = Chat(sessions, "newbie")
    invite = await new_invite(session, world, now=chat.now)

    await chat.say(f"/start {invite.code}")
    assert chat.last[-1].text == CONFIRM
    assert [o.label for o in chat.last[-1].options] == ["Đồng ý", "Hủy"]
    await chat.say("1")
    assert chat.screen == ASK_NAME
    await chat.say("  Đỗ   Văn  Mới ")
    assert chat.last[-1].text == ASK_PHONE and [o.label for o in chat.last[-1].options] == ["Bỏ qua"]
    await chat.say(chat.option_number("Bỏ qua"))
    assert chat.last[0].text == f"Chào mừng Đỗ Văn Mới! Bạn đã tham gia với vai trò Thành viên tại {UNIT_LABEL}."
    assert chat.last[-1].text == "Chọn việc cần làm:"
    assert [o.label for o in chat.last[-1].options] == MENU_LABELS

    async with sessions() as s:
        person = (await s.scalars(select(Person).where(Person.full_name == "Đỗ Văn Mới"))).one()
        assert (person.name_key, person.phone, person.commune_id) == ("do van moi", None, world.commune.id)
        identities = (await s.scalars(select(ChatIdentity).where(ChatIdentity.person_id == person.id))).all()
        assert [(i.channel, i.external_id, i.chat_id, i.display_name) for i in identities] == [
            (Channel.TERMINAL, "newbie", "newbie", "Tester")]
        memberships = (await s.scalars(select(Membership).where(Membership.person_id == person.id))).all()
        assert [(m.unit_id, m.role, m.source, m.ended_at) for m in memberships] == [
            (world.nhom.id, Role.MEMBER, "invite", None)]
        assert memberships[0].started_at == chat.now
    assert await count(sessions, Person) == 3
    assert await used_count(sessions, invite.invite.id) == 1

    # the new member can work straight away: the visit picker shows the nhóm's households
    await chat.say("1")
    assert "📝 Ghi thăm hộ — chọn hộ đã thăm:" in chat.screen
    assert "Ngô Văn Xa" not in chat.screen


@pytest.mark.parametrize("typed", [
    lambda code: code.lower(),
    lambda code: code.lower().replace("-", " "),
    lambda code: code.replace("-", ""),
    lambda code: f"  {code}  ",
], ids=["lower", "spaces", "no-dashes", "padded"])
async def test_joining_by_sending_the_code_links_the_roster_person_by_phone(session, sessions, typed):
    world = await build_world(session)
    roster = Person(full_name="Đỗ Thị Bích", name_key="do thi bich", phone="0987654321", commune_id=world.commune.id)
    session.add(roster)
    await session.flush()
    session.add(Membership(person_id=roster.id, unit_id=world.nhom.id, role=Role.MEMBER))  # on the roster
    await session.commit()
    chat = Chat(sessions, "bich-telegram")
    invite = await new_invite(session, world, now=chat.now)

    await chat.say(typed(invite.code))
    assert chat.last[-1].text == CONFIRM
    await chat.say("đồng ý")
    await chat.say("Bích Đỗ")  # not how the roster spells it: the phone decides
    await chat.say("+84 987 654 321")
    assert chat.last[0].text.startswith("Chào mừng Đỗ Thị Bích! Bạn đã tham gia với vai trò Thành viên")
    assert [o.label for o in chat.last[-1].options] == MENU_LABELS

    assert await count(sessions, Person) == 3  # no new Person
    async with sessions() as s:
        identity = (await s.scalars(select(ChatIdentity).where(ChatIdentity.external_id == "bich-telegram"))).one()
        assert identity.person_id == roster.id
        memberships = (await s.scalars(select(Membership).where(Membership.person_id == roster.id))).all()
        assert [(m.unit_id, m.role, m.source) for m in memberships] == [(world.nhom.id, Role.MEMBER, "import")]  # the roster role, kept
        assert (await s.get(Person, roster.id)).full_name == "Đỗ Thị Bích"
    assert await used_count(sessions, invite.invite.id) == 1


async def test_a_phone_given_by_a_new_person_is_stored(session, sessions):
    world = await build_world(session)
    chat = Chat(sessions, "with-phone")
    invite = await new_invite(session, world, now=chat.now)
    await chat.say(invite.code)
    await chat.say("Đồng ý")
    await chat.say("Lý Thị Cúc")
    await chat.say("12345")
    assert "Số điện thoại Việt Nam có 10 chữ số" in chat.screen and ASK_PHONE in chat.screen
    await chat.say("0978 111 222")
    assert chat.last[0].text.startswith("Chào mừng Lý Thị Cúc!")
    async with sessions() as s:
        person = (await s.scalars(select(Person).where(Person.phone == "0978111222"))).one()
        assert person.full_name == "Lý Thị Cúc"


async def test_a_bad_name_is_asked_again(session, sessions):
    world = await build_world(session)
    chat = Chat(sessions, "bad-name")
    invite = await new_invite(session, world, now=chat.now)
    await chat.say(invite.code)
    await chat.say("1")
    for bad in ["", "An", "😀👍", "Nguyen Van 3", "x" * 81 + " y"]:
        await chat.say(bad)
        assert ASK_NAME in chat.screen, bad
    assert await count(sessions, Person) == 2
    assert await used_count(sessions, invite.invite.id) == 0


async def test_an_expired_code_is_refused_and_nothing_is_stored(session, sessions):
    world = await build_world(session)
    chat = Chat(sessions, "late")
    invite = await new_invite(session, world, now=chat.now, valid_for=dt.timedelta(minutes=5))
    chat.now += dt.timedelta(minutes=6)
    await chat.say(invite.code)
    assert chat.screen == "Mã mời đã hết hạn. Xin tổ trưởng một mã mới."
    await chat.say(f"/start {invite.code}")
    assert chat.screen == "Mã mời đã hết hạn. Xin tổ trưởng một mã mới."
    await nothing_stored_for(sessions, "late", 2)
    assert await used_count(sessions, invite.invite.id) == 0


async def test_a_code_that_expires_during_onboarding_is_refused_at_the_end(session, sessions):
    world = await build_world(session)
    chat = Chat(sessions, "slow")
    invite = await new_invite(session, world, now=chat.now, valid_for=dt.timedelta(minutes=5))
    await chat.say(invite.code)
    await chat.say("1")
    await chat.say("Đỗ Văn Chậm")
    chat.now += dt.timedelta(minutes=10)
    await chat.say("Bỏ qua")
    assert chat.screen == "Mã mời đã hết hạn. Xin tổ trưởng một mã mới."
    await nothing_stored_for(sessions, "slow", 2)
    assert await used_count(sessions, invite.invite.id) == 0
    async with sessions() as s:
        state = await s.scalar(select(ConversationState).where(ConversationState.chat_id == "slow"))
        assert state.flow is None


async def test_an_unknown_code_is_refused(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "guess")
    await chat.say("ABCD-EFGH-JKMN-PQRS")
    assert chat.screen == "Mã mời không đúng. Kiểm tra lại hoặc xin tổ trưởng mã mới."
    await chat.say("/start nope")
    assert chat.screen == "Mã mời không đúng. Kiểm tra lại hoặc xin tổ trưởng mã mới."
    await nothing_stored_for(sessions, "guess", 2)


async def test_a_used_up_code_is_refused(session, sessions):
    world = await build_world(session)
    first, second = Chat(sessions, "first"), Chat(sessions, "second")
    invite = await new_invite(session, world, now=first.now)
    await first.transcript(joining_as_mot(invite.code))
    assert first.last[0].text.startswith("Chào mừng Đỗ Văn Một!")
    await second.say(invite.code)
    assert second.screen == "Mã mời đã được dùng hết. Xin tổ trưởng một mã mới."
    assert await count(sessions, Person) == 3
    assert await count(sessions, ChatIdentity, ChatIdentity.external_id == "second") == 0
    assert await used_count(sessions, invite.invite.id) == 1


async def test_a_code_used_up_by_someone_else_meanwhile_is_refused_at_the_end(session, sessions):
    world = await build_world(session)
    first, second = Chat(sessions, "first"), Chat(sessions, "second")
    invite = await new_invite(session, world, now=first.now)
    await second.transcript([(invite.code, CONFIRM), ("1", ASK_NAME), ("Đỗ Văn Hai", ASK_PHONE)])
    await first.transcript(joining_as_mot(invite.code))
    await second.say("Bỏ qua")
    assert second.screen == "Mã mời đã được dùng hết. Xin tổ trưởng một mã mới."
    assert await count(sessions, Person) == 3
    assert await count(sessions, ChatIdentity, ChatIdentity.external_id == "second") == 0
    assert await used_count(sessions, invite.invite.id) == 1


async def test_declining_stores_nothing(session, sessions):
    world = await build_world(session)
    chat = Chat(sessions, "shy")
    invite = await new_invite(session, world, now=chat.now)
    await chat.say(invite.code)
    await chat.say("Hủy")
    assert chat.screen == "Đã hủy. Bạn có thể gửi lại mã mời bất cứ lúc nào."
    await nothing_stored_for(sessions, "shy", 2)
    assert await used_count(sessions, invite.invite.id) == 0
    # the code still works afterwards
    await chat.say(invite.code)
    assert chat.last[-1].text == CONFIRM


@pytest.mark.parametrize("steps, command", [([], "/huy"), (["1"], "/cancel"), (["1", "Đỗ Văn Hủy"], "/huy")],
                         ids=["confirm", "name", "phone"])
async def test_cancelling_during_onboarding_stores_nothing(session, sessions, steps, command):
    world = await build_world(session)
    chat = Chat(sessions, "quitter")
    invite = await new_invite(session, world, now=chat.now)
    await chat.transcript([(invite.code, CONFIRM), *zip(steps, [ASK_NAME, ASK_PHONE], strict=False)])
    await chat.say(command)
    assert chat.screen == "Đã hủy."
    await chat.say("Đỗ Văn Hủy")  # no flow any more: back to being a stranger
    assert chat.screen == INVITE_HELP
    await nothing_stored_for(sessions, "quitter", 2)
    assert await used_count(sessions, invite.invite.id) == 0


async def test_a_member_with_a_new_invite_gets_the_role_without_being_asked_who_they_are(session, sessions):
    world = await build_world(session)
    chat = Chat(sessions, "member")
    invite = await new_invite(session, world, now=chat.now, role=Role.GROUP_LEADER)
    await chat.say(invite.code)
    assert "Nhóm trưởng" in chat.last[-1].text
    await chat.say("1")
    assert chat.last[0].text == f"Chào mừng Phạm Văn Long! Bạn đã tham gia với vai trò Nhóm trưởng tại {UNIT_LABEL}."
    assert await count(sessions, Person) == 2
    assert await count(sessions, ChatIdentity, ChatIdentity.person_id == world.member.id) == 1
    async with sessions() as s:
        roles = sorted((m.role.value, m.source) for m in await s.scalars(
            select(Membership).where(Membership.person_id == world.member.id)))
    assert roles == [("group_leader", "invite"), ("member", "import")]
    assert await count(sessions, Household) == 9


async def test_a_member_invite_cannot_take_over_a_leaders_account(session, sessions):
    """Typing the team leader's name and phone with a member invite must not yield the leader's roles."""
    world = await build_world(session)
    chat = Chat(sessions, "intruder")
    invite = await new_invite(session, world, now=chat.now)
    await chat.say(invite.code)
    await chat.say("đồng ý")
    await chat.say(world.leader.full_name)
    await chat.say(world.leader.phone)
    async with sessions() as s:
        identity = (await s.scalars(select(ChatIdentity).where(ChatIdentity.external_id == "intruder"))).one()
        assert identity.person_id not in (world.leader.id, world.member.id)
        intruder = await s.get(Person, identity.person_id)
        assert intruder.phone is None  # the leader's phone stays the leader's
        roles = (await s.scalars(select(Membership.role).where(Membership.person_id == intruder.id))).all()
        assert roles == [Role.MEMBER]
    assert "📂 Ý kiến đang mở" not in chat.screen
