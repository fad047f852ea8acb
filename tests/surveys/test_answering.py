"""Answering a household survey in the chat: the due list, the show-if question, ✔ toggles by number, bad
input asked again, a form resumed after a restart, and a survey closed at its deadline."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from models.surveys.tables import Survey, SurveyAnswer, SurveyChoice, SurveyResponse, SurveyStatus
from scheduler.surveys import survey_jobs
from tests.dialog import Chat
from tests.surveys.world import NOW, water_survey
from tests.world import build_world


async def test_a_volunteer_answers_a_household_survey_from_the_menu(session, sessions):
    world = await build_world(session)
    survey = await water_survey(session, world)
    chat = Chat(sessions, "member")
    await chat.say("/menu")
    await chat.menu_entry("Khảo sát")
    assert chat.last[-1].text == "📋 Khảo sát cần trả lời (✏️: đang làm dở):"
    assert chat.last[-1].options[0].label == "Bùi Thị Thu — Khảo sát nước sạch"
    await chat.transcript([
        ("1", "📋 Khảo sát nước sạch — hộ Bùi Thị Thu\nCâu 1/3:\nHộ có dùng nước sạch không?\n\n1. Có\n2. Không"),
        ("2", "Câu 2/4:\nVì sao chưa dùng?"),  # the show-if question appears for "Không"
        ("1", "1. ✔ Xa nguồn nước\n2. Chi phí cao\n3. Lý do khác\n4. ✅ Xong"),
        ("3", "1. ✔ Xa nguồn nước\n2. Chi phí cao\n3. ✔ Lý do khác"),
        ("1", "1. Xa nguồn nước\n2. Chi phí cao\n3. ✔ Lý do khác"),
        ("xong", "Câu 3/4:\nSố nhân khẩu\nGõ một số từ 1 đến 30."),
        ("45", "45 nằm ngoài khoảng cho phép: cần một số từ 1 đến 30."),
        ("năm", "Cần một số nguyên từ 1 đến 30."),
        ("5", "Câu 4/4:\nÝ kiến khác (không bắt buộc)"),
        ("bỏ qua", "✅ Đã lưu phiếu khảo sát “Khảo sát nước sạch” của hộ Bùi Thị Thu."),
    ])
    async with sessions() as check:
        response = await check.scalar(select(SurveyResponse))
        assert (response.survey_id, response.household_id, response.asked_by_id, response.team_id) == (
            survey.id, next(h.id for h in world.households if h.head_name == "Bùi Thị Thu"), world.member.id,
            world.team.id)
        assert response.completed_at == chat.now
        rows = list(await check.execute(select(SurveyAnswer.question_id, SurveyChoice.value, SurveyAnswer.number,
                                               SurveyAnswer.text).outerjoin(SurveyChoice).order_by(SurveyAnswer.id)))
        assert [(value, number, text) for _q, value, number, text in rows] == [
            ("khong", None, None), ("khac", None, None), (None, 5.0, None), (None, None, None)]
    await chat.say("/menu")
    await chat.menu_entry("Khảo sát")  # the household done leaves the list
    assert "Bùi Thị Thu" not in chat.screen and "Đặng Văn Tâm — Khảo sát nước sạch" in chat.screen


async def test_several_choices_typed_at_once_on_zalo_numbers(session, sessions):
    world = await build_world(session)
    await water_survey(session, world)
    chat = Chat(sessions, "member")
    await chat.say("/menu")
    await chat.menu_entry("Khảo sát")
    await chat.transcript([("1", "Câu 1/3"), ("Không", "Câu 2/4"), ("1 2", "Câu 3/4"), ("0", "ngoài khoảng"),
                           ("1.240", "1.240 nằm ngoài khoảng"), ("4", "Câu 4/4"),
                           ("Cần làm giếng khoan", "✅ Đã lưu phiếu")])
    async with sessions() as check:
        values = list(await check.scalars(select(SurveyChoice.value).join(SurveyAnswer).order_by(SurveyAnswer.id)))
        assert values == ["khong", "xa", "tien"]
        assert await check.scalar(select(SurveyAnswer.text).where(SurveyAnswer.text.is_not(None))) == \
            "Cần làm giếng khoan"


async def test_a_form_left_halfway_resumes_after_a_restart(session, sessions):
    world = await build_world(session)
    await water_survey(session, world)
    chat = Chat(sessions, "member")
    await chat.say("/menu")
    await chat.menu_entry("Khảo sát")
    await chat.transcript([("1", "Câu 1/3"), ("Có", "Câu 2/3:\nSố nhân khẩu")])
    await chat.say("/menu")  # left for something else; the bot restarts: a new chat on the same database
    again = Chat(sessions, "member")
    await again.say("/menu")
    await again.menu_entry("Khảo sát")
    assert again.last[-1].options[0].label == "✏️ Bùi Thị Thu — Khảo sát nước sạch"  # started ones first
    await again.transcript([("1", "Câu 2/3:\nSố nhân khẩu"), ("3", "Câu 3/3"), ("Bỏ qua", "✅ Đã lưu phiếu")])
    # …and the step itself survives a restart too: /tieptuc asks it again.
    await again.say("/menu")
    await again.menu_entry("Khảo sát")
    await again.transcript([("1", "Câu 1/3"), ("Có", "Câu 2/3")])
    third = Chat(sessions, "member")
    await third.transcript([("/tieptuc", "Tiếp tục việc đang làm dở:\n\n📋 Khảo sát nước sạch — hộ Đặng Văn Tâm\n"
                                         "Câu 2/3:\nSố nhân khẩu")])


async def test_a_survey_closes_at_its_deadline(session, sessions):
    world = await build_world(session)
    deadline = NOW + dt.timedelta(hours=2)
    survey = await water_survey(session, world, deadline=deadline)
    chat = Chat(sessions, "member")
    await chat.say("/menu")
    await chat.menu_entry("Khảo sát")
    await chat.transcript([("1", "Câu 1/3")])
    chat.now = deadline + dt.timedelta(minutes=1)
    await chat.transcript([("Có", "Khảo sát “Khảo sát nước sạch” đã kết thúc. Phiếu chưa xong nên không được tính.")])
    assert await survey_jobs(sessions, now=chat.now, tz=chat.env.tz) == 0
    async with sessions() as check:
        closed = await check.get(Survey, survey.id)
        assert (closed.status, closed.closed_at) == (SurveyStatus.CLOSED, chat.now)
        assert await check.scalar(select(SurveyResponse.completed_at)) is None
    await chat.say("/menu")
    await chat.transcript([(chat.option_number("Khảo sát"), "Hiện không có khảo sát nào cần trả lời.")])


async def test_a_household_outside_ones_scope_is_refused(session, sessions):
    world = await build_world(session)
    survey = await water_survey(session, world)
    chat = Chat(sessions, "member")
    await chat.say("/menu")
    replies = await chat.say(choice=f"svh:{survey.id}:{world.stranger_household.id}")
    assert "Hộ này không thuộc khảo sát hoặc ngoài phạm vi của bạn." in chat.screen, replies


async def test_going_back_takes_the_last_answer_back(session, sessions):
    world = await build_world(session)
    await water_survey(session, world)
    chat = Chat(sessions, "member")
    await chat.say("/menu")
    await chat.menu_entry("Khảo sát")
    await chat.transcript([
        ("1", "Câu 1/3"), ("Có", "Câu 2/3:\nSố nhân khẩu"),
        ("/quaylai", "Câu 1/3:\nHộ có dùng nước sạch không?"),  # "Có" taken back
        ("Không", "Câu 2/4:\nVì sao chưa dùng?"), ("1 3", "Câu 3/4"), ("4", "Câu 4/4"),
        ("/quaylai", "Câu 3/4:\nSố nhân khẩu"), ("/quaylai", "Câu 2/4:\nVì sao chưa dùng?"),
        ("/quaylai", "Câu 1/3"), ("/quaylai", "📋 Khảo sát cần trả lời"),
    ])
    async with sessions() as check:
        assert list(await check.scalars(select(SurveyAnswer.id))) == []
