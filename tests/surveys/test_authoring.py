"""Writing a survey in the chat (the commune's office), its preview a page at a time, publishing; the results screen."""

from __future__ import annotations

from sqlalchemy import select

from core.text import fold
from models.enums import Channel, Role
from models.surveys.tables import QuestionKind, Respondents, Survey, SurveyChoice, SurveyQuestion
from models.tables import ChatIdentity, Membership, Person
from tests.dialog import Chat
from tests.surveys.world import water_survey
from tests.world import build_world


async def secretary(session, world) -> Person:
    person = Person(full_name="Đỗ Văn Bí", name_key=fold("Đỗ Văn Bí"), commune_id=world.commune.id)
    session.add(person)
    await session.flush()
    session.add_all([Membership(person_id=person.id, unit_id=world.commune.id, role=Role.COMMUNE_SECRETARY),
                     ChatIdentity(person_id=person.id, channel=Channel.TERMINAL, external_id="secretary",
                                  chat_id="secretary")])
    await session.commit()
    return person


async def test_the_commune_office_writes_previews_and_publishes_a_survey(session, sessions):
    world = await build_world(session)
    author = await secretary(session, world)
    chat = Chat(sessions, "secretary")
    await chat.say("/menu")
    await chat.menu_entry("Quản lý khảo sát")
    assert "🗳 Xã chưa có khảo sát nào." in chat.screen
    await chat.transcript([
        (chat.option_number("Soạn khảo sát mới"), "🗳 Khảo sát mới của Xã Phúc Sơn. Tên khảo sát?"),
        ("Đời", "Tên khảo sát cần có chữ (ít nhất 5 ký tự)."),
        ("Đời sống các hộ 2026", "Ai trả lời khảo sát này?"),
        ("1", "Hạn trả lời đến hết ngày nào?"),
        ("hôm qua", "Cần một ngày từ hôm nay trở đi"),
        ("15/12/2026", "“Đời sống các hộ 2026”: 0 câu hỏi. Hạn: hết ngày 15 tháng 12 năm 2026.\n\n1. ➕ Thêm câu hỏi"),
        ("1", "Câu hỏi 1: gõ nội dung câu hỏi."),
        ("Hộ có dùng nước sạch không?", "Kiểu câu trả lời?"),
        ("Chọn một", "Gõ các lựa chọn"),
        ("Có", "Cần từ 2 đến 20 lựa chọn; bạn gõ 1."),
        ("Có; Không", "Câu này có bắt buộc trả lời không?"),
        ("Bắt buộc", "1 câu hỏi."),
        ("1", "Câu hỏi 2"),
        ("Số nhân khẩu", "Kiểu câu trả lời?"),
        ("Số nguyên", "Khoảng cho phép"),
        ("30-1", "Gõ hai số, số nhỏ trước"),
        ("1-30", "bắt buộc"),
        ("2", "2 câu hỏi."),
        ("2", "👁 Xem trước “Đời sống các hộ 2026”:\n"
         "1. Hộ có dùng nước sạch không? — Chọn một, bắt buộc\n   ○ Có\n   ○ Không\n"
         "2. Số nhân khẩu — Số nguyên, không bắt buộc\n   khoảng: 1 – 30"),
        ("3", "Bạn chọn “✅ Đăng khảo sát”. Chắc chắn chứ?"),  # a bare number asks again before publishing
    ])
    await chat.transcript([(chat.option_number("Đăng khảo sát"),
                            "✅ Đã đăng khảo sát “Đời sống các hộ 2026” (2 câu hỏi), hạn hết ngày 15 tháng 12 năm 2026.")])
    async with sessions() as check:
        survey = await check.scalar(select(Survey))
        assert (survey.title, survey.respondents, survey.author_id, survey.commune_id) == (
            "Đời sống các hộ 2026", Respondents.HOUSEHOLDS, author.id, world.commune.id)
        questions = list(await check.scalars(select(SurveyQuestion).order_by(SurveyQuestion.position)))
        assert [(q.kind, q.required, q.minimum, q.maximum) for q in questions] == [
            (QuestionKind.SINGLE, True, None, None), (QuestionKind.INTEGER, False, 1, 30)]
        assert list(await check.scalars(select(SurveyChoice.label).order_by(SurveyChoice.position))) == ["Có", "Không"]
    member = Chat(sessions, "member")  # the volunteer sees it at once
    await member.say("/menu")
    await member.menu_entry("Khảo sát")
    assert "Bùi Thị Thu — Đời sống các hộ 2026" in member.screen


async def test_a_long_preview_pages_within_one_zalo_message(session, sessions):
    world = await build_world(session)
    await secretary(session, world)
    chat = Chat(sessions, "secretary")
    await chat.say("/menu")
    await chat.menu_entry("Quản lý khảo sát")
    await chat.transcript([(chat.option_number("Soạn khảo sát mới"), "Tên khảo sát?"), ("Khảo sát dài", "Ai trả lời"),
                           ("2", "Hạn"), ("15/12/2026", "0 câu hỏi")])
    for number in range(1, 13):
        await chat.transcript([("1", f"Câu hỏi {number}"), (f"Câu hỏi thứ {number} " + "rất dài " * 20, "Kiểu"),
                               ("Chọn nhiều", "Gõ các lựa chọn"),
                               ("\n".join(f"Lựa chọn {i} khá dài để thử" for i in range(1, 6)), "bắt buộc"),
                               ("1", f"{number} câu hỏi.")])
    await chat.say("2")
    assert chat.last[-1].text.startswith("👁 Xem trước “Khảo sát dài”:")
    assert chat.option_number("Xem tiếp") == "1" and "(2/" in chat.screen
    pages = [chat.screen]
    while "Xem tiếp" in chat.screen:
        await chat.say("1")
        pages.append(chat.screen)
    assert len(pages) >= 3 and all(len(page) <= 2000 for page in pages)
    assert "12. Câu hỏi thứ 12" in pages[-1]


async def test_results_on_the_screen_only_for_the_commune_office(session, sessions):
    world = await build_world(session)
    await secretary(session, world)
    survey = await water_survey(session, world)
    chat = Chat(sessions, "secretary")
    await chat.say("/menu")
    await chat.menu_entry("Quản lý khảo sát")
    assert "• Khảo sát nước sạch (đang mở, hạn 23:59 ngày 30 tháng 11 năm 2026)" in chat.screen
    await chat.transcript([(chat.option_number("📊 Khảo sát nước sạch"),
                            "📊 Kết quả khảo sát “Khảo sát nước sạch”: 0 phiếu hoàn thành.")])
    leader = Chat(sessions, "leader")  # a team leader: no such entry, and the button refused
    await leader.say("/menu")
    assert "Quản lý khảo sát" not in "\n".join(await leader.menu_labels())
    await leader.say(choice=f"svr:{survey.id}")
    assert "Kết quả khảo sát dành cho lãnh đạo xã." in leader.screen
