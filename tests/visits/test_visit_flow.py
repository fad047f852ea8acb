"""Logging a household visit through the real engine and database."""

import datetime as dt

from sqlalchemy import func, select

from models.enums import Channel, VisitPurpose
from models.tables import Concern, Household, Visit
from tests.dialog import Chat
from tests.world import build_world

PICKER = "📝 Ghi thăm hộ — chọn hộ đã thăm:"
HINT = "Hoặc gõ một phần tên chủ hộ hoặc địa chỉ để tìm."
RAISED = "Hộ có ý kiến, kiến nghị gì không?"
PAGE_1 = [
    "Hoàng Văn Nam, Xóm Giữa, Thôn Đồng Tâm (chưa thăm)",
    "Nguyễn Văn Hùng, Xóm Trại, Thôn Đồng Tâm (chưa thăm)",
    "Đặng Văn Tâm, Xóm Trại, Thôn Đồng Tâm (1/8/2026)",
    "Lê Văn Đức, Xóm Đồng, Thôn Đồng Tâm (1/9/2026)",
    "Phạm Thị Hoa, Xóm Trại, Thôn Đồng Tâm (15/10/2026)",
    "Vũ Thị Mai, Xóm Đồng, Thôn Đồng Tâm (1/11/2026)",
]
PAGE_2 = [
    "Bùi Thị Thu, Xóm Giữa, Thôn Đồng Tâm (10/11/2026)",
    "Trần Thị Lan, Xóm Giữa, Thôn Đồng Tâm (20/11/2026)",
]


def purpose_prompt(name: str, when: str = "hôm nay", example: str = "12/11") -> str:
    """The example day is 12 days back: 12/11 on the tests' 24/11."""
    return (f"Thăm hộ {name} ({when}). Mục đích thăm?\n"
            f"(Thăm vào ngày khác? Gõ ngày, ví dụ “hôm qua” hoặc “{example}”.)")


def labels(chat: Chat) -> list[str]:
    return [o.label for o in chat.last[-1].options]


async def visits(sessions) -> list[Visit]:
    async with sessions() as s:
        return list(await s.scalars(select(Visit).order_by(Visit.id)))


async def household(sessions, name: str) -> Household:
    async with sessions() as s:
        return await s.scalar(select(Household).where(Household.head_name == name))


async def to_picker(chat: Chat) -> None:
    await chat.say("/menu")
    await chat.say("1")
    assert chat.last[-1].text == f"{PICKER}\n{HINT}"


async def test_a_visit_in_four_taps(session, sessions):
    world = await build_world(session)
    chat = Chat(sessions, "member")
    chat.now = dt.datetime(2026, 11, 24, 18, 30, tzinfo=dt.UTC)  # already 25/11, 01:30 in Hà Nội
    await chat.say("/menu")
    await chat.say("1")
    assert labels(chat) == [*PAGE_1, "➡ Xem thêm"]
    await chat.say("1")
    assert chat.screen == purpose_prompt("Hoàng Văn Nam", example="13/11") + "\n\n" + "\n".join([
        "1. Tuyên truyền chủ trương, chính sách", "2. Thăm hỏi, động viên", "3. Vận động tham gia phong trào",
        "4. Nắm tình hình, tâm tư, nguyện vọng", "5. Hòa giải mâu thuẫn", "6. Khác"])
    await chat.say("4")
    assert chat.last[-1].text == RAISED
    assert labels(chat) == ["Không — lưu ngay", "Không, thêm ghi chú", "Có — ghi ý kiến"]
    await chat.say("1")
    assert chat.last[-1].text == ("✅ Đã ghi thăm hộ Hoàng Văn Nam, ngày 25 tháng 11 năm 2026.\n"
                                  "Mục đích: Nắm tình hình, tâm tư, nguyện vọng.\n(Có thể hoàn tác trong 10 phút.)")
    assert labels(chat) == ["📝 Ghi thăm hộ", "🏠 Trang chính", "↩ Hoàn tác"]

    [visit] = await visits(sessions)
    nam = world.households[4]
    assert (visit.person_id, visit.household_id, visit.nhom_id, visit.village_id, visit.commune_id) == (
        world.member.id, nam.id, world.nhom.id, world.village.id, world.commune.id)
    assert visit.visited_on == dt.date(2026, 11, 25)
    assert visit.created_at == chat.now
    assert (visit.purpose, visit.note, visit.channel, visit.undone_at) == (
        VisitPurpose.LEARN_SITUATION, None, Channel.TERMINAL, None)
    assert (await household(sessions, "Hoàng Văn Nam")).last_visited_on == dt.date(2026, 11, 25)
    # the visited household goes to the end of the picker
    await chat.say(chat.option_number("Trang chính"))
    await chat.say("1")
    assert labels(chat)[0].startswith("Nguyễn Văn Hùng")
    await chat.say(chat.option_number("Xem thêm"))
    assert labels(chat) == [PAGE_2[1], "Hoàng Văn Nam, Xóm Giữa, Thôn Đồng Tâm (25/11/2026)", "↩ Về đầu danh sách"]


async def test_picker_order_and_paging(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    await to_picker(chat)
    assert labels(chat) == [*PAGE_1, "➡ Xem thêm"]
    await chat.say("xem thêm")
    assert chat.last[-1].text == f"{PICKER}\n{HINT}"
    assert labels(chat) == [*PAGE_2, "↩ Về đầu danh sách"]
    await chat.say(chat.option_number("Về đầu"))
    assert labels(chat) == [*PAGE_1, "➡ Xem thêm"]
    await chat.say("7")
    await chat.say("2")  # Trần Thị Lan, second on page 2
    assert chat.last[-1].text == purpose_prompt("Trần Thị Lan")
    assert await visits(sessions) == []


async def test_search_ignores_diacritics_and_case(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    await to_picker(chat)
    await chat.say("dong tam")
    assert chat.last[-1].text == f"Kết quả tìm “dong tam”: 8 hộ\n{HINT}"
    everyone = [*PAGE_1, *PAGE_2]
    assert labels(chat) == [*everyone, "↩ Danh sách hộ của tôi"]
    await chat.say("ĐỒNG")
    assert labels(chat) == [*everyone, "↩ Danh sách hộ của tôi"]
    await chat.say(chat.option_number("Danh sách hộ"))
    await chat.say("thu")  # not on the first page: found by search
    assert chat.last[-1].text == f"Kết quả tìm “thu”: 1 hộ\n{HINT}"
    assert labels(chat) == [PAGE_2[0], "↩ Danh sách hộ của tôi"]
    await chat.say(chat.option_number("Danh sách hộ"))
    assert labels(chat) == [*PAGE_1, "➡ Xem thêm"]
    await chat.say("hung")
    assert chat.last[-1].text == purpose_prompt("Nguyễn Văn Hùng")
    await chat.say("/quaylai")
    await chat.say("VĂN")  # a word of four labels on screen: a search, in the picker's order
    assert chat.last[-1].text == f"Kết quả tìm “VĂN”: 4 hộ\n{HINT}"
    assert labels(chat) == [*PAGE_1[:4], "↩ Danh sách hộ của tôi"]
    await chat.say("2")
    assert chat.last[-1].text == purpose_prompt("Nguyễn Văn Hùng")


async def test_another_nhoms_household_is_never_offered(session, sessions):
    world = await build_world(session)
    chat = Chat(sessions, "member")
    await to_picker(chat)
    seen = list(labels(chat))
    await chat.say("Xem thêm")
    seen += labels(chat)
    for query in ["xa", "Ngô Văn Xa", "ngo van", "xom xa"]:
        await chat.say(query)
        assert chat.last[-1].text == f"Không tìm thấy hộ nào khớp “{query}”.\n{HINT}"
        assert labels(chat) == ["↩ Danh sách hộ của tôi"]
    assert not any("Xa" in label.split(",")[0] for label in seen)
    # a forged button for it is refused
    await chat.say(choice=f"h:{world.stranger_household.id}")
    assert chat.last[-1].text == f"Nút này đã cũ; hãy chọn lại.\n\nKhông tìm thấy hộ nào khớp “xom xa”.\n{HINT}"
    assert "Ngô Văn Xa" not in chat.screen
    assert await visits(sessions) == []


async def test_picking_by_words_instead_of_numbers(session, sessions):
    world = await build_world(session)
    chat = Chat(sessions, "member")
    await chat.say("/menu")
    await chat.say("ghi thăm")
    assert chat.last[-1].text == f"{PICKER}\n{HINT}"
    await chat.say("hoang van nam")
    await chat.say("tham hoi")
    assert chat.last[-1].text == RAISED
    await chat.say("lưu ngay")
    [visit] = await visits(sessions)
    assert (visit.household_id, visit.purpose) == (world.households[4].id, VisitPurpose.ENCOURAGE)


async def test_a_visit_on_another_day(session, sessions):
    world = await build_world(session)
    chat = Chat(sessions, "member")
    await to_picker(chat)
    await chat.say("1")
    await chat.say("hôm qua")
    assert chat.last[-1].text == ("Ngày thăm: ngày 23 tháng 11 năm 2026.\n\n"
                                  + purpose_prompt("Hoàng Văn Nam", "ngày 23 tháng 11 năm 2026"))
    await chat.say("25/11/2026")
    assert chat.last[-1].text == ("Ngày thăm không thể ở tương lai.\n\n"
                                  + purpose_prompt("Hoàng Văn Nam", "ngày 23 tháng 11 năm 2026"))
    await chat.say("1/1/2026")
    assert chat.last[-1].text.startswith("Chỉ ghi được lượt thăm trong 90 ngày gần đây.\n\n")
    await chat.say("31/2")
    assert chat.last[-1].text.startswith("Không hiểu ngày này; gõ ví dụ “hôm qua” hoặc “12/11”.\n\n")
    await chat.say("1")
    await chat.say("1")
    assert chat.last[-1].text.startswith("✅ Đã ghi thăm hộ Hoàng Văn Nam, ngày 23 tháng 11 năm 2026.")

    # "12/11" for a household last visited on 20/11: the older visit does not move that date back
    await chat.say(chat.option_number("Trang chính"))
    await chat.say("1")
    await chat.say("Trần Thị Lan")  # not on the first page: a search
    assert labels(chat) == [PAGE_2[1], "↩ Danh sách hộ của tôi"]
    await chat.say("1")
    await chat.say("12/11")
    assert "Ngày thăm: ngày 12 tháng 11 năm 2026." in chat.screen
    await chat.say("2")
    await chat.say("1")
    first, second = await visits(sessions)
    assert (first.household_id, first.visited_on) == (world.households[4].id, dt.date(2026, 11, 23))
    assert (second.household_id, second.visited_on) == (world.households[1].id, dt.date(2026, 11, 12))
    assert (await household(sessions, "Hoàng Văn Nam")).last_visited_on == dt.date(2026, 11, 23)
    assert (await household(sessions, "Trần Thị Lan")).last_visited_on == dt.date(2026, 11, 20)


async def test_a_note_is_stored_or_skipped(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    await to_picker(chat)
    await chat.say("1")
    await chat.say("2")
    await chat.say("2")
    assert chat.last[-1].text == "Ghi chú ngắn (tối đa 500 ký tự), hoặc bỏ qua:"
    assert labels(chat) == ["Bỏ qua"]
    await chat.say("x" * 501)
    assert chat.last[-1].text.startswith("Ghi chú dài 501 ký tự; tối đa 500.")
    await chat.say("Gia đình khỏe, cháu bỏ qua học thêm")  # words of the option, but a note
    assert "Ghi chú: Gia đình khỏe, cháu bỏ qua học thêm" in chat.last[-1].text

    for skip in ["1", "Bỏ qua", "bo qua"]:
        await chat.say(chat.option_number("Trang chính"))
        await chat.say("1")
        await chat.say("1")
        await chat.say("1")
        await chat.say("Không, thêm ghi chú")
        await chat.say(skip)
        assert chat.last[-1].text.startswith("✅ Đã ghi thăm hộ"), skip
        assert "Ghi chú" not in chat.last[-1].text
    notes = [v.note for v in await visits(sessions)]
    assert notes == ["Gia đình khỏe, cháu bỏ qua học thêm", None, None, None]


async def test_undo_within_ten_minutes(session, sessions):
    world = await build_world(session)
    chat = Chat(sessions, "member")
    # an earlier visit to Nam, then today's
    await to_picker(chat)
    await chat.transcript([
        ("Hoàng Văn Nam", purpose_prompt("Hoàng Văn Nam")),
        ("hôm kia", "Ngày thăm: ngày 22 tháng 11 năm 2026.\n\n" + purpose_prompt("Hoàng Văn Nam", "ngày 22 tháng 11 năm 2026")),
        ("1", RAISED), ("1", "✅ Đã ghi thăm hộ Hoàng Văn Nam, ngày 22 tháng 11 năm 2026."),
    ])
    await chat.say(chat.option_number("Trang chính"))
    await chat.transcript([
        ("1", PICKER),
        ("Hoàng Văn Nam", "Kết quả tìm “Hoàng Văn Nam”:"),  # now on the second page: found by search
        ("1", purpose_prompt("Hoàng Văn Nam")), ("1", RAISED),
        ("1", "✅ Đã ghi thăm hộ Hoàng Văn Nam, ngày 24 tháng 11 năm 2026."),
    ])
    assert (await household(sessions, "Hoàng Văn Nam")).last_visited_on == dt.date(2026, 11, 24)
    saved_at = chat.now
    chat.now += dt.timedelta(minutes=9)
    await chat.say("Hoàn tác")
    assert chat.last[0].text == "↩ Đã hoàn tác lượt thăm."
    assert chat.last[-1].text == "Chọn việc cần làm:"
    earlier, undone = await visits(sessions)
    assert undone.undone_at == chat.now and undone.created_at == saved_at
    assert earlier.undone_at is None
    assert (await household(sessions, "Hoàng Văn Nam")).last_visited_on == dt.date(2026, 11, 22)
    # a second press of the old button does nothing more
    await chat.say(choice=f"undo:{undone.id}")
    assert chat.last[0].text == "Không hoàn tác được: đã quá 10 phút hoặc lượt thăm không còn."
    # a never-visited household goes back to "never visited"
    await chat.transcript([
        ("1", PICKER), ("Nguyễn Văn Hùng", purpose_prompt("Nguyễn Văn Hùng")), ("1", RAISED),
        ("1", "✅ Đã ghi thăm hộ Nguyễn Văn Hùng"),
    ])
    await chat.say(chat.option_number("Hoàn tác"))  # a bare number is asked again
    assert chat.last[-1].text == "Bạn chọn “↩ Hoàn tác”. Chắc chắn chứ?"
    await chat.say(chat.option_number("Hoàn tác"))
    assert chat.last[0].text == "↩ Đã hoàn tác lượt thăm."
    assert (await household(sessions, "Nguyễn Văn Hùng")).last_visited_on is None
    assert [v.undone_at is not None for v in await visits(sessions)] == [False, True, True]
    assert world.households[0].id == (await visits(sessions))[-1].household_id


async def test_undo_is_refused_after_eleven_minutes_and_for_someone_else(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    await to_picker(chat)
    await chat.transcript([("1", purpose_prompt("Hoàng Văn Nam")), ("1", RAISED), ("1", "✅ Đã ghi thăm hộ")])
    [visit] = await visits(sessions)
    leader = Chat(sessions, "leader")
    await leader.say(choice=f"undo:{visit.id}")
    assert leader.last[0].text == "Không hoàn tác được: đã quá 10 phút hoặc lượt thăm không còn."
    chat.now += dt.timedelta(minutes=11)
    await chat.say(chat.option_number("Hoàn tác"))
    await chat.say(chat.option_number("Hoàn tác"))  # confirmed
    assert chat.last[0].text == "Không hoàn tác được: đã quá 10 phút hoặc lượt thăm không còn."
    [visit] = await visits(sessions)
    assert visit.undone_at is None
    assert (await household(sessions, "Hoàng Văn Nam")).last_visited_on == dt.date(2026, 11, 24)


async def test_a_visit_with_a_concern_chains_into_the_concern_flow(session, sessions):
    world = await build_world(session)
    chat = Chat(sessions, "member")
    screens = []
    await to_picker(chat)
    for line in ["1", "1", "Có — ghi ý kiến"]:
        await chat.say(line)
        screens.append(chat.screen)
    assert chat.last[0].text == ("✅ Đã ghi thăm hộ Hoàng Văn Nam, ngày 24 tháng 11 năm 2026.\n"
                                 "Mục đích: Tuyên truyền chủ trương, chính sách.")
    assert chat.last[-1].text == "📣 Ghi ý kiến, kiến nghị của hộ Hoàng Văn Nam\nLĩnh vực?"
    assert len(await visits(sessions)) == 1
    for line in ["7", "Đường vào xóm bị sạt lở sau mưa", "1"]:
        await chat.say(line)
        screens.append(chat.screen)
    assert chat.last[-1].text.startswith("📋 Kiểm tra trước khi lưu:\nHộ: Hoàng Văn Nam\n")
    assert "✏️ Đổi hộ" not in chat.screen  # the household is the one visited
    await chat.say("1")
    assert chat.last[0].text.startswith("✅ Đã ghi ý kiến PA-2026-00001 (Hoàng Văn Nam).")
    assert not any("Ý kiến của hộ nào?" in screen for screen in screens)
    async with sessions() as s:
        [concern] = (await s.scalars(select(Concern))).all()
    assert (concern.household_id, concern.nhom_id, concern.village_id, concern.reporter_id) == (
        world.households[4].id, world.nhom.id, world.village.id, world.member.id)
    assert concern.description == "Đường vào xóm bị sạt lở sau mưa"
    assert len(await visits(sessions)) == 1


async def test_a_redelivered_message_is_processed_once(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    await to_picker(chat)
    await chat.say("1")
    await chat.say("1")
    first = await chat.say("1", message_id="x")
    assert first and first[0].text.startswith("✅ Đã ghi thăm hộ Hoàng Văn Nam")
    assert await chat.say("1", message_id="x") == []
    async with sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Visit)) == 1
    # the same id from another chat is another message
    leader = Chat(sessions, "leader")
    assert await leader.say("/menu", message_id="x") != []
