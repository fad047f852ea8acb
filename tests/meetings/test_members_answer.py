"""Members answer the next meeting from "📅 Lịch họp", and hear once when the schedule is first set."""

from sqlalchemy import select

from models.enums import AttendanceAnswer
from models.tables import MeetingAttendance, OutboxMessage
from tests.dialog import Chat
from tests.meetings.test_meetings import all_meetings, open_admin, outbox, reachable, set_25th
from tests.world import build_world


async def test_a_member_answers_from_the_schedule_and_can_change_their_mind(session, sessions):
    world = await build_world(session)
    await set_25th(session, world)
    chat = Chat(sessions, "member")
    await chat.say("/menu")
    await chat.menu_entry("Lịch họp")
    assert chat.last[-1].text.splitlines()[1:3] == [
        "• ngày 25 tháng 11 năm 2026 lúc 19:30 — Tổ Dân vận cộng đồng thôn Đồng Tâm, Nhà văn hóa thôn",
        "  Bạn chưa trả lời có tham dự không."]
    assert [o.label for o in chat.last[-1].options] == ["✅ Tham dự 25/11/2026", "🚫 Vắng 25/11/2026", "🏠 Trang chính"]
    await chat.say("1")  # a number, as on Zalo
    assert chat.last[0].text == "✅ Cảm ơn! Đã ghi: bạn tham dự buổi họp ngày 25 tháng 11 năm 2026 lúc 19:30."
    await chat.say("/menu")
    await chat.menu_entry("Lịch họp")
    assert "  Bạn đã trả lời: ✅ tham dự." in chat.last[-1].text
    await chat.say(chat.option_number("Vắng"))
    await chat.say("Đi công tác")
    assert chat.last[0].text.startswith("Đã ghi: bạn vắng buổi họp ngày 25 tháng 11 năm 2026 lúc 19:30.")
    first = (await all_meetings(sessions))[0]
    async with sessions() as s:
        row = await s.scalar(select(MeetingAttendance).where(MeetingAttendance.meeting_id == first.id))
    assert (row.person_id, row.answer, row.reason) == (world.member.id, AttendanceAnswer.ABSENT, "Đi công tác")
    await chat.say("/menu")
    await chat.menu_entry("Lịch họp")
    assert "  Bạn đã trả lời: 🚫 vắng." in chat.last[-1].text
    await chat.say(chat.option_number("Trang chính"))
    assert chat.last[-1].text == "Chọn việc cần làm:"


async def test_members_are_told_once_when_the_schedule_is_first_set(session, sessions):
    world = await build_world(session)
    silent = await reachable(session, world)
    leader = Chat(sessions, "leader")

    async def set_day(day: str) -> None:
        await open_admin(leader)
        for said in ("1", "1", day, "19:30", "Nhà văn hóa thôn"):
            await leader.say(said)

    await set_day("25")
    notices = [m for m in await outbox(sessions) if m.kind == "meeting_schedule"]
    assert [(m.person_id, m.chat_id) for m in notices] == [(world.member.id, "701")]  # not the leader; silent has no app
    [notice] = notices
    first = (await all_meetings(sessions))[0]
    assert notice.payload["text"] == (
        "📅 Tổ Dân vận cộng đồng thôn Đồng Tâm đã có lịch họp giao ban: ngày 25 hằng tháng, lúc 19:30, "
        "tại Nhà văn hóa thôn.\nBuổi tới: ngày 25 tháng 11 năm 2026 lúc 19:30. Bạn có tham dự không?")
    assert notice.payload["options"] == [[f"mt:{first.id}:y", "✅ Tham dự"], [f"mt:{first.id}:n", "🚫 Vắng"]]
    await set_day("26")  # a change is not a first schedule: no second notice
    async with sessions() as s:
        kinds = (await s.scalars(select(OutboxMessage.kind).where(OutboxMessage.kind == "meeting_schedule"))).all()
    assert len(kinds) == 1 and silent.id not in [m.person_id for m in await outbox(sessions)]
