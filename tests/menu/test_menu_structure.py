"""The main menu as a small phone shows it: long menus folded one level down, and the visit list
of a commune's leader kept to their own households."""

from core.text import fold
from models.enums import Channel, Role
from models.tables import ChatIdentity, Household, Membership, Person
from tests.dialog import Chat
from tests.world import build_world


def labels(chat: Chat) -> list[str]:
    return [o.label for o in chat.last[-1].options]


async def add_person(session, world, name: str, user: str, *roles: tuple[Role, object]) -> Person:
    person = Person(full_name=name, name_key=fold(name), commune_id=world.commune.id)
    session.add(person)
    await session.flush()
    session.add_all([Membership(person_id=person.id, unit_id=unit.id, role=role) for role, unit in roles])
    session.add(ChatIdentity(person_id=person.id, channel=Channel.TERMINAL, external_id=user, chat_id=user))
    await session.commit()
    return person


async def test_a_commune_secretary_sees_eight_entries_first_and_the_rest_one_level_down(session, sessions):
    world = await build_world(session)
    await add_person(session, world, "Đỗ Văn Bí", "secretary", (Role.COMMUNE_SECRETARY, world.commune))
    chat = Chat(sessions, "secretary")
    await chat.say("/menu")
    first = labels(chat)
    assert len(first) <= 8
    assert first[:5] == ["📝 Ghi thăm hộ", "📣 Ghi ý kiến, kiến nghị", "🏠 Hộ tôi phụ trách",
                         "📋 Báo cáo của tôi", "📅 Lịch họp"]
    assert first[-1] == "🗂 Mục khác…"
    await chat.transcript([(str(len(first)), "🗂 Mục khác:")])
    down = labels(chat)
    assert down[-1] == "↩ Trang chính"
    # every entry once, on one screen or the other
    assert "🌐 Ngôn ngữ" in down and "📢 Gửi thông báo" in down and "⏱ Thời hạn xử lý ý kiến" in down
    assert len(set(first[:-1]) | set(down[:-1])) == len(first) - 1 + len(down) - 1 == 22  # 🖥 Trang quản lý (web), 📈 Xếp loại, 🤝 Vận động, 🌟 Dân vận khéo, 📋 Khảo sát, 🗳 Quản lý khảo sát too
    assert "🔗 Nhóm nhận báo cáo" in down and "🖥 Trang quản lý (web)" in down
    # a number there picks from the folded screen; its entry runs as from the main menu
    await chat.transcript([(chat.option_number("Ngôn ngữ"), "🌐 Chọn ngôn ngữ:"), ("/menu", "Chọn việc cần làm:"),
                           (str(len(first)), "🗂 Mục khác:"), (chat.option_number("Trang chính"), "Chọn việc cần làm:")])
    assert labels(chat) == first
    # the words of a folded entry, typed at the main menu (Zalo has no buttons), open it all the same
    assert "📢 Gửi thông báo" not in first
    await chat.transcript([("gui thong bao", "Gõ nội dung thông báo")])
    await chat.transcript([("/huy", ""), ("ngon ngu", "🌐 Chọn ngôn ngữ:")])


async def test_a_team_leader_menu_fits_one_screen_and_a_member_menu_is_unchanged(session, sessions):
    await build_world(session)
    leader, member = Chat(sessions, "leader"), Chat(sessions, "member")
    await leader.say("/menu")
    assert len(labels(leader)) <= 8 and labels(leader)[-1] == "🗂 Mục khác…"
    await member.say("/menu")
    assert labels(member) == ["📝 Ghi thăm hộ", "📣 Ghi ý kiến, kiến nghị", "🏠 Hộ tôi phụ trách",
                              "📋 Báo cáo của tôi", "📅 Lịch họp", "🤝 Vận động", "📋 Khảo sát", "🗂 Mục khác…"]


async def test_the_commune_secretary_visit_list_offers_only_their_own_households(session, sessions):
    world = await build_world(session)
    secretary = await add_person(session, world, "Đỗ Văn Bí", "secretary", (Role.COMMUNE_SECRETARY, world.commune))
    mine = Household(commune_id=world.commune.id, village_id=world.village.id, nhom_id=world.other_nhom.id,
                     head_name="Cao Thị Mình", name_key="cao thi minh", address="Xóm Mới", address_key="xom moi",
                     assigned_member_id=secretary.id)
    session.add(mine)
    await session.commit()
    chat = Chat(sessions, "secretary")
    await chat.transcript([("/menu", "Chọn việc cần làm:"), ("1", "📝 Ghi thăm hộ — chọn hộ đã thăm:")])
    assert [label.split(",")[0] for label in labels(chat)] == ["Cao Thị Mình"]
    # the rest of the commune is still found by name
    await chat.transcript([("Trần Thị Lan", "Kết quả tìm “Trần Thị Lan”:")])
    assert labels(chat)[0].startswith("Trần Thị Lan")
    # a team leader still lists the whole village's households
    leader = Chat(sessions, "leader")
    await leader.transcript([("/menu", "Chọn việc cần làm:"), ("1", "📝 Ghi thăm hộ — chọn hộ đã thăm:")])
    assert any(label.startswith("Nguyễn Văn Hùng") for label in labels(leader))
