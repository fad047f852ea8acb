"""A second visit to the same household on the same day asks before it is saved."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from models.enums import Channel, VisitPurpose
from models.tables import Household, Visit
from models.visits.record import record_visit, undo_visit
from tests.dialog import Chat
from tests.world import build_world

ASKED = ("Hộ Hoàng Văn Nam đã có lượt thăm ngày 24 tháng 11 năm 2026 ({who} ghi lúc {time}).\n"
         "Vẫn ghi thêm lượt thăm này?")


async def visits(sessions) -> list[Visit]:
    async with sessions() as s:
        return list(await s.scalars(select(Visit).order_by(Visit.id)))


async def visit_nam(chat: Chat, *, day: str | None = None, save: str = "Không — lưu ngay") -> None:
    await chat.transcript([("/menu", "Chọn việc cần làm:"), ("1", "📝 Ghi thăm hộ"), ("Hoàng Văn Nam", "")])
    if "Kết quả tìm" in chat.screen:  # visited, so no longer on the first page: found by search
        await chat.say("1")
    assert "Thăm hộ Hoàng Văn Nam" in chat.screen
    if day:
        await chat.say(day)
    await chat.transcript([("1", "Hộ có ý kiến, kiến nghị gì không?"), (save, "")])


async def test_a_second_visit_the_same_day_asks_and_may_be_dropped_or_kept(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    await visit_nam(chat)
    assert chat.last[0].text.startswith("✅ Đã ghi thăm hộ Hoàng Văn Nam")
    chat.now += dt.timedelta(minutes=30)
    await visit_nam(chat)
    assert chat.last[-1].text == ASKED.format(who="bạn", time="09:00")
    assert [o.label for o in chat.last[-1].options] == ["✅ Vẫn ghi thêm", "Không ghi lượt này"]
    assert len(await visits(sessions)) == 1
    await chat.say("2")
    assert chat.last[0].text == "Không ghi thêm lượt thăm hộ Hoàng Văn Nam."
    assert chat.last[-1].text == "Chọn việc cần làm:"
    assert len(await visits(sessions)) == 1
    await visit_nam(chat)
    await chat.say("vẫn ghi thêm")
    assert chat.last[0].text.startswith("✅ Đã ghi thăm hộ Hoàng Văn Nam")
    assert len(await visits(sessions)) == 2


async def test_the_note_path_asks_too_and_a_concern_still_follows(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    await visit_nam(chat)
    await visit_nam(chat, save="Không, thêm ghi chú")
    await chat.say("Gia đình vắng nhà")
    assert chat.last[-1].text.endswith("Vẫn ghi thêm lượt thăm này?")
    await chat.say("1")
    [_first, second] = await visits(sessions)
    assert second.note == "Gia đình vắng nhà"
    await visit_nam(chat, save="Có — ghi ý kiến")
    await chat.say("Không ghi lượt này")
    assert chat.last[0].text == "Không ghi thêm lượt thăm hộ Hoàng Văn Nam."
    assert chat.last[-1].text == "📣 Ghi ý kiến, kiến nghị của hộ Hoàng Văn Nam\nLĩnh vực?"
    assert len(await visits(sessions)) == 2


async def test_another_volunteers_visit_is_named_and_other_days_or_undone_ones_ask_nothing(session, sessions):
    world = await build_world(session)
    nam = await session.get(Household, world.households[4].id)
    earlier = await record_visit(session, person_id=world.leader.id, household=nam, visited_on=dt.date(2026, 11, 24),
                                 purpose=VisitPurpose.ENCOURAGE, note=None, channel=Channel.TERMINAL,
                                 now=dt.datetime(2026, 11, 24, 1, 15, tzinfo=dt.UTC))
    await session.commit()
    chat = Chat(sessions, "member")
    await visit_nam(chat)
    assert chat.last[-1].text == ASKED.format(who="Nguyễn Thị Hằng", time="08:15")
    await chat.say("/huy")
    await visit_nam(chat, day="hôm qua")  # another day: nothing to ask
    assert chat.last[0].text.startswith("✅ Đã ghi thăm hộ Hoàng Văn Nam, ngày 23 tháng 11 năm 2026.")
    async with sessions() as s:
        assert await undo_visit(s, person_id=world.leader.id, visit_id=earlier.id, now=earlier.created_at)
        await s.commit()
    await visit_nam(chat)  # the leader's visit was undone: nothing to ask
    assert chat.last[0].text.startswith("✅ Đã ghi thăm hộ Hoàng Văn Nam, ngày 24 tháng 11 năm 2026.")
