"""A survey through the fake Telegram server (several choices toggled with ✔ buttons) and the fake Zalo
server (numbers and words only, each screen one message)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from models.base import utcnow
from models.enums import Channel
from models.surveys.tables import SurveyAnswer, SurveyChoice, SurveyResponse
from models.tables import ChatIdentity
from tests.channels.test_telegram_e2e import MEMBER_ID, TgUser, fake, polling, texts  # noqa: F401  (fixtures)
from tests.channels.test_zalo_e2e import number, zalo  # noqa: F401  (fixture)
from tests.surveys.world import water_survey
from tests.world import build_world


async def _ticked(sessions) -> list[str]:
    async with sessions() as check:
        return list(await check.scalars(select(SurveyChoice.value).join(SurveyAnswer).order_by(SurveyAnswer.id)))


async def test_telegram_toggles_several_choices_with_check_marks(fake, sessions, session):  # noqa: F811
    world = await build_world(session)
    session.add(ChatIdentity(person_id=world.member.id, channel=Channel.TELEGRAM, external_id=str(MEMBER_ID),
                             chat_id=str(MEMBER_ID), display_name="Long Phạm"))
    await session.commit()
    await water_survey(session, world, deadline=utcnow() + dt.timedelta(days=7))  # these run on the clock
    async with polling(fake, sessions) as channel:
        member = TgUser(fake, channel, MEMBER_ID)
        await member.say("/menu")
        assert "📋 Khảo sát cần trả lời" in texts(await member.press("📋 Khảo sát"))
        assert "Câu 1/3" in texts(await member.press("Bùi Thị Thu"))
        shown = await member.press("Không")
        assert "Vì sao chưa dùng?" in texts(shown)
        assert [b["text"] for b in shown[-1].buttons] == ["Xa nguồn nước", "Chi phí cao", "Lý do khác", "✅ Xong"]
        ticked = await member.press("Xa nguồn nước")
        assert [b["text"] for b in ticked[-1].buttons][:2] == ["✔ Xa nguồn nước", "Chi phí cao"]
        ticked = await member.press("Chi phí cao")
        assert [b["text"] for b in ticked[-1].buttons][:3] == ["✔ Xa nguồn nước", "✔ Chi phí cao", "Lý do khác"]
        ticked = await member.press("✔ Xa nguồn nước")  # pressed again: taken off
        assert [b["text"] for b in ticked[-1].buttons][:2] == ["Xa nguồn nước", "✔ Chi phí cao"]
        assert "Số nhân khẩu" in texts(await member.press("Xong"))
        assert "Câu 4/4" in texts(await member.say("6"))
        assert "✅ Đã lưu phiếu khảo sát" in texts(await member.press("Bỏ qua"))
        assert not fake.violations()
    assert await _ticked(sessions) == ["khong", "tien"]


async def test_zalo_answers_by_numbers_and_words(zalo, sessions, session):  # noqa: F811
    world = await build_world(session)
    session.add(ChatIdentity(person_id=world.member.id, channel=Channel.ZALO, external_id="z-long", chat_id="z-long"))
    await session.commit()
    await water_survey(session, world, deadline=utcnow() + dt.timedelta(days=7))  # these run on the clock
    menu = await zalo.say("z-long", "/menu")
    listed = await zalo.say("z-long", number(menu, "Khảo sát"))
    assert "📋 Khảo sát cần trả lời" in listed
    first = await zalo.say("z-long", number(listed, "Bùi Thị Thu"))
    assert "Câu 1/3:\nHộ có dùng nước sạch không?\n\n1. Có\n2. Không" in first
    several = await zalo.say("z-long", "khong")
    assert "Vì sao chưa dùng?" in several and "4. ✅ Xong" in several
    assert "1. ✔ Xa nguồn nước" in await zalo.say("z-long", "1")
    assert "3. ✔ Lý do khác" in await zalo.say("z-long", "3")
    assert "Số nhân khẩu" in await zalo.say("z-long", "xong")
    assert "ngoài khoảng" in await zalo.say("z-long", "99")
    assert "Câu 4/4" in await zalo.say("z-long", "7")
    assert "✅ Đã lưu phiếu khảo sát" in await zalo.say("z-long", "bo qua")
    assert all(len(message) <= 2000 for message in zalo.api.sent("z-long"))
    assert await _ticked(sessions) == ["khong", "xa", "khac"]
    async with sessions() as check:
        assert (await check.scalar(select(SurveyResponse.completed_at))) is not None
