"""A survey for members and leaders: sent once through the outbox with its button, one reminder a day before the
deadline to those not done, answered in the chat from the button; the admin is not asked."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select

from core.text import fold
from models.enums import Channel, Role
from models.surveys.tables import Respondents, SurveyResponse
from models.tables import ChatIdentity, Membership, OutboxMessage, Person
from scheduler.surveys import survey_jobs
from tests.dialog import Chat
from tests.surveys.world import DEADLINE, NOW, water_survey
from tests.world import build_world


async def test_sent_reminded_once_and_answered_from_the_button(session, sessions):
    world = await build_world(session)
    admin = Person(full_name="Quản Trị", name_key=fold("Quản Trị"), commune_id=world.commune.id)
    session.add(admin)
    await session.flush()
    session.add_all([Membership(person_id=admin.id, unit_id=world.commune.id, role=Role.ADMIN),
                     ChatIdentity(person_id=admin.id, channel=Channel.TERMINAL, external_id="admin", chat_id="admin")])
    await session.commit()
    survey = await water_survey(session, world, Respondents.PEOPLE)
    tz = ZoneInfo("Asia/Ho_Chi_Minh")

    assert await survey_jobs(sessions, now=NOW, tz=tz) == 2  # the member and the leader, not the admin
    assert await survey_jobs(sessions, now=NOW + dt.timedelta(minutes=15), tz=tz) == 0  # sent once
    async with sessions() as check:
        sent = list(await check.scalars(select(OutboxMessage).order_by(OutboxMessage.person_id)))
        assert [(m.person_id, m.kind) for m in sent] == [(world.member.id, "survey"), (world.leader.id, "survey")]
        assert sent[0].payload["text"] == ("📋 Khảo sát “Khảo sát nước sạch” (4 câu hỏi). Mời bạn trả lời trước "
                                           "23:59 ngày 30 tháng 11 năm 2026.")
        assert sent[0].payload["options"] == [[f"svp:{survey.id}", "📋 Trả lời khảo sát"]]
        responses = {r.person_id: r for r in await check.scalars(select(SurveyResponse))}
        assert set(responses) == {world.member.id, world.leader.id}
        assert {r.team_id for r in responses.values()} == {world.team.id}

    member = Chat(sessions, "member")
    await member.say(choice=f"svp:{survey.id}")
    assert "📋 Khảo sát nước sạch\nCâu 1/3:" in member.screen
    await member.transcript([("1", "Câu 2/3"), ("4", "Câu 3/3"), ("Bỏ qua", "✅ Đã lưu phiếu khảo sát “Khảo sát nước "
                                                                          "sạch”. Cảm ơn bạn!")])
    await member.say(choice=f"svp:{survey.id}")
    assert "Phiếu này đã hoàn thành." in member.screen

    early = DEADLINE - dt.timedelta(days=1, minutes=15)
    assert await survey_jobs(sessions, now=early, tz=tz) == 0
    remind_at = DEADLINE - dt.timedelta(hours=23)
    assert await survey_jobs(sessions, now=remind_at, tz=tz) == 1  # the leader, who has not answered
    assert await survey_jobs(sessions, now=remind_at + dt.timedelta(hours=1), tz=tz) == 0  # one reminder only
    async with sessions() as check:
        reminder = await check.scalar(select(OutboxMessage).where(OutboxMessage.kind == "survey_reminder"))
        assert reminder.person_id == world.leader.id
        assert reminder.payload["text"].startswith("⏰ Nhắc: bạn chưa trả lời xong khảo sát “Khảo sát nước sạch”")

    admin_chat = Chat(sessions, "admin")
    await admin_chat.say(choice=f"svp:{survey.id}")
    assert "Khảo sát này không gửi cho bạn." in admin_chat.screen


def test_a_short_survey_is_reminded_halfway_not_at_once():
    from models.surveys.sending import remind_at

    sent = NOW
    assert remind_at(sent, sent + dt.timedelta(days=7)) == sent + dt.timedelta(days=6)
    assert remind_at(sent, sent + dt.timedelta(hours=10)) == sent + dt.timedelta(hours=5)
