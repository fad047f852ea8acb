"""A concern's screen: the whole text within reach, answered concerns out of the open list, the way back."""

from __future__ import annotations

from sqlalchemy import select

from handlers.engine.types import render_numbered
from models.concerns import workflow
from models.enums import ConcernCategory, ConcernStatus
from models.tables import Concern
from tests.concerns.test_lifecycle import NOW, add_concern, build_town, open_inbox, option_keys

ZALO = 2000
# 2,000 characters as a volunteer may type them: the end must be readable too.
LONG = " ".join(f"Đoạn {n}: đường vào xóm bị sạt lở, nước tràn vào ruộng, bà con đi lại khó khăn." for n in range(24))
LONG_ANSWER = " ".join(f"Ý {n}: xã đã cử cán bộ địa chính xuống kiểm tra và sẽ sửa trong tháng." for n in range(20))


async def test_the_whole_description_and_answer_are_read_page_by_page(session, sessions):
    town = await build_town(session)
    concern = await add_concern(session, town, ConcernCategory.INFRASTRUCTURE, description=LONG[:2000])
    await workflow.answer(session, concern, actor_id=town.khoi.id, text=LONG_ANSWER[:1500], now=NOW)
    await session.commit()
    for who in ("leader", "khoi", "member"):  # leaders and the volunteer who logged it
        chat = town.chat(sessions, who)
        await chat.say("/pa PA-2026-00001")
        detail = chat.last[0]
        assert len(render_numbered(detail)) <= ZALO
        assert "Đoạn 23" not in detail.text  # shortened on the screen …
        await chat.say(chat.option_number("Xem toàn văn"))
        read = chat.last[-1].text
        while "▶ Trang sau" in [o.label for o in chat.last[-1].options]:
            assert len(render_numbered(chat.last[-1])) <= ZALO
            await chat.say(chat.option_number("Trang sau"))
            read += "\n" + chat.last[-1].text
        assert len(render_numbered(chat.last[-1])) <= ZALO
        assert "📄 Ý kiến PA-2026-00001 — toàn văn · trang 1/" in read
        assert "Đoạn 23: đường vào xóm" in read and "Ý 19: xã đã cử" in read  # … and read to the end here
        await chat.say(chat.option_number("Xem ý kiến"))
        assert chat.last[0].text.startswith("📄 Ý kiến PA-2026-00001\n")

    other = town.chat(sessions, "other_leader")  # not entitled: the same refusal as for a missing one
    await other.say(choice=f"pa:{concern.id}:f:0")
    assert other.last[0].text.startswith("Không tìm thấy ý kiến này trong phạm vi bạn theo dõi.")


async def test_a_short_concern_offers_no_full_text(session, sessions):
    town = await build_town(session)
    await add_concern(session, town, ConcernCategory.LAND)
    chat = town.chat(sessions, "leader")
    await chat.say("/pa PA-2026-00001")
    assert "📄 Xem toàn văn" not in [o.label for o in chat.last[-1].options]


async def test_answered_concerns_leave_the_open_list_and_the_screen_leads_back(session, sessions):
    town = await build_town(session)
    await add_concern(session, town, ConcernCategory.LAND)
    answered = await add_concern(session, town, ConcernCategory.OTHER, description="Xin lịch tiêm chủng cho trẻ")
    await workflow.answer(session, answered, actor_id=town.world.leader.id, text="Thứ bảy tuần này ở trạm y tế",
                          now=NOW)
    await session.commit()
    leader = town.chat(sessions, "leader")
    listed = await open_inbox(leader)
    assert "PA-2026-00001" in listed and "PA-2026-00002" not in listed
    await leader.say(leader.option_number("Trạng thái"))
    assert leader.last[-1].options[0].label == "Đang mở (chưa trả lời)"
    await leader.say("Đã trả lời")  # answered ones have their own filter
    assert leader.last[-1].text.splitlines()[:2] == ["📂 Ý kiến: Đã trả lời",
                                                     "• PA-2026-00002 · Khác · Thôn Đồng Tâm · Đã trả lời"]
    await leader.say("1")
    assert leader.last[-1].text.startswith("📄 Ý kiến PA-2026-00002\n")
    await leader.say(leader.option_number("Danh sách ý kiến"))  # back to the list as it was left
    assert leader.last[-1].text.splitlines()[0] == "📂 Ý kiến: Đã trả lời"
    await leader.say(leader.option_number("Trạng thái"))
    await leader.say("Đang mở")
    await leader.say("1")
    assert leader.last[-1].text.startswith("📄 Ý kiến PA-2026-00001\n")
    assert option_keys(leader)[-1] == "pal::::0"
    await leader.say(leader.option_number("Danh sách ý kiến"))
    assert leader.last[-1].text.splitlines()[0] == \
        "📂 Ý kiến đang mở (khẩn trước, gần hạn trước)"
    async with sessions() as s:
        assert (await s.get(Concern, answered.id)).status == ConcernStatus.ANSWERED
        assert len((await s.scalars(select(Concern))).all()) == 2
