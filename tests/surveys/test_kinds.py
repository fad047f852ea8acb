"""The other kinds of answer (a decimal in Vietnamese writing, a date, a photo) and what one answer costs the database."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from models.surveys import forms
from models.surveys.forms import QuestionDraft, SurveyDraft
from models.surveys.tables import QuestionKind, Respondents, SurveyAnswer
from tests.dialog import Chat
from tests.engine.test_update_cost import statements
from tests.surveys.world import DEADLINE, NOW
from tests.world import build_world

ANSWER_BUDGET = 12  # statements for one answer, whatever the survey's or the commune's size


async def test_decimal_date_and_photo_answers(engine, session, sessions):
    world = await build_world(session)
    draft = SurveyDraft("Khảo sát nhà ở", Respondents.HOUSEHOLDS, [
        QuestionDraft("dien_tich", "Diện tích nhà (m²)", QuestionKind.DECIMAL, True, minimum=5, maximum=2000),
        QuestionDraft("ngay", "Ngày xây", QuestionKind.DATE, True),
        QuestionDraft("anh", "Ảnh nhà", QuestionKind.PHOTO, False),
    ])
    await forms.create_survey(session, draft, commune_id=world.commune.id, deadline=DEADLINE, author_id=None,
                              now=NOW)
    await session.commit()
    chat = Chat(sessions, "member")
    await chat.say("/menu")
    await chat.menu_entry("Khảo sát")
    await chat.transcript([("1", "Câu 1/3:\nDiện tích nhà (m²)\nGõ một số từ 5 đến 2.000."),
                           ("tám mươi", "Cần một số, ví dụ 86,5 từ 5 đến 2.000."),
                           ("2.500", "2.500 nằm ngoài khoảng cho phép")])
    with statements(engine) as sent:
        await chat.transcript([("86,5", "Câu 2/3:\nNgày xây")])
    assert len(sent) <= ANSWER_BUDGET, "\n".join(sent)
    await chat.transcript([("31/2/2020", "Không hiểu ngày “31/2/2020”; gõ ví dụ 15/6/2026."),
                           ("15/6/2020", "Câu 3/3:\nẢnh nhà (không bắt buộc)\nGửi một ảnh.")])
    await chat.say("ảnh đây")
    assert "Câu này cần một ảnh: hãy gửi ảnh." in chat.screen
    await chat.say(photo="tg-file-123")
    assert "✅ Đã lưu phiếu khảo sát “Khảo sát nhà ở”" in chat.screen
    async with sessions() as check:
        rows = list(await check.execute(select(SurveyAnswer.number, SurveyAnswer.day, SurveyAnswer.text)
                                        .order_by(SurveyAnswer.id)))
        assert [tuple(r) for r in rows] == [(86.5, None, None), (None, dt.date(2020, 6, 15), None),
                                            (None, None, "tg-file-123")]
