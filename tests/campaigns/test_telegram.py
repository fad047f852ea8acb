"""A campaign through the fake Telegram Bot API: the visit's question and the list, by buttons."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from models.campaigns.create import Draft, create_campaign
from models.enums import OutcomeKind
from models.tables import CampaignHousehold, Household
from tests.channels.test_telegram_e2e import MEMBER_ID, TgUser, fake, polling, texts, world  # noqa: F401


async def test_the_campaign_question_and_the_list_by_buttons(fake, sessions, session, world):  # noqa: F811
    today = dt.datetime.now(dt.UTC).date()
    await create_campaign(session, Draft(scope=world.village, name="BHYT hộ gia đình", description="",
                                         starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=30),
                                         target_percent=90), person_id=world.leader.id, now=dt.datetime.now(dt.UTC))
    await session.commit()
    async with polling(fake, sessions) as channel:
        member = TgUser(fake, channel, MEMBER_ID)
        await member.say("/menu")
        await member.press("Ghi thăm hộ")
        await member.press("Nguyễn Văn Hùng")
        asked = await member.press("Thăm hỏi, động viên")
        assert "Kết quả vận động hộ Nguyễn Văn Hùng?" in texts(asked)
        assert [b["text"] for b in asked[-1].buttons] == ["Đã đồng ý, thực hiện", "Đang vận động", "Chưa đồng ý",
                                                           "Không thuộc diện", "Chưa hỏi, bỏ qua"]
        assert "Hộ có ý kiến" in texts(await member.press("Đang vận động"))
        saved = await member.press("lưu ngay")
        assert "📣 Kết quả vận động: Đang vận động." in texts(saved)
        # the list: the household being worked on is marked, and agreed there it leaves the list
        await member.say("/menu")
        await member.press("Vận động")
        await member.press("BHYT hộ gia đình")
        listed = await member.press("Ghi kết quả vận động")
        assert any(b["text"] == "Nguyễn Văn Hùng, Xóm Trại, Thôn Đồng Tâm (Đang vận động)" for b in listed[-1].buttons)
        await member.press("Nguyễn Văn Hùng")
        done = await member.press("Đã đồng ý")
        assert "✅ Đã ghi: Nguyễn Văn Hùng — Đã đồng ý, thực hiện." in texts(done)
        assert not any(b["text"].startswith("Nguyễn Văn Hùng") for b in done[-1].buttons)
    row = await session.scalar(select(CampaignHousehold).join(Household)
                               .where(Household.head_name == "Nguyễn Văn Hùng")
                               .execution_options(populate_existing=True))
    assert row.outcome_kind == OutcomeKind.AGREED
