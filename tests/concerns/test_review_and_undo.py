"""A concern is reviewed before it is saved, and can be undone for 10 minutes like a visit: the
groups' notice waits out those minutes, so an undone concern never reached them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from models.enums import Channel, ConcernCategory, GroupPurpose, OutboxStatus, Urgency
from models.tables import AuditLog, ChatGroup, Concern, ConcernEvent, ConcernHousehold, OutboxMessage
from tests.dialog import Chat
from tests.world import World, build_world

REVIEW = "📋 Kiểm tra trước khi lưu:"
UNDO_ASK = "Hoàn tác ý kiến PA-2026-00001? Ý kiến sẽ bị xóa và không được gửi tới nhóm nào."


async def bind_chi_bo(session, world: World) -> None:
    session.add(ChatGroup(channel=Channel.TELEGRAM, chat_id="-1001", unit_id=world.village.id,
                          purpose=GroupPurpose.CHI_BO))
    await session.commit()


async def rows(sessions, table) -> list:
    async with sessions() as s:
        return list(await s.scalars(select(table).order_by(table.id)))


async def to_review(chat: Chat) -> None:
    await chat.transcript([
        ("/menu", "Chọn việc cần làm:"), ("2", "Lĩnh vực?"), ("Đất đai", "Nội dung ý kiến"),
        ("Nhà bên cạnh lấn sang 2m đất vườn", "Mức độ?"), ("1", "Ý kiến của hộ nào?"),
        ("Nguyễn Văn Hùng", REVIEW),
    ])


async def test_every_part_can_be_changed_on_the_review_and_nothing_is_saved_before(session, sessions):
    world = await build_world(session)
    chat = Chat(sessions, "member")
    await to_review(chat)
    assert chat.last[-1].options[0].label == "✅ Lưu"  # saving comes first, nothing destructive
    await chat.transcript([
        ("Sửa nội dung", "Nội dung ý kiến"),
        ("Nhà bên cạnh lấn sang 3m đất vườn, đã nhắc hai lần", "Nội dung: Nhà bên cạnh lấn sang 3m đất vườn"),
        ("Sửa lĩnh vực", "Lĩnh vực?"), ("Mâu thuẫn", "Lĩnh vực: Mâu thuẫn, tranh chấp trong nhân dân ·"),
        ("Sửa mức độ", "Mức độ?"), ("Khẩn", "· Mức độ: Khẩn"),
        ("Đổi hộ", "Ý kiến của hộ nào?"), ("Trần Thị Lan", "Kết quả tìm"), ("1", "Hộ: Trần Thị Lan"),
        ("xin chào", "Hãy chọn “✅ Lưu”, hoặc phần cần sửa."),
    ])
    assert await rows(sessions, Concern) == []
    await chat.say("1")
    assert chat.last[0].text.startswith("✅ Đã ghi ý kiến PA-2026-00001 (Trần Thị Lan).")
    [concern] = await rows(sessions, Concern)
    assert (concern.category, concern.urgency, concern.description, concern.household_id) == (
        ConcernCategory.DISPUTE, Urgency.URGENT, "Nhà bên cạnh lấn sang 3m đất vườn, đã nhắc hai lần",
        world.households[1].id)


async def test_a_long_description_is_shortened_on_the_review_and_saved_whole(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    long = "Đường xóm bị sụt lún nặng sau mưa lớn. " * 40  # 1,560 characters
    for line in ["/menu", "2", "Hạ tầng", long, "1", "Nguyễn Văn Hùng"]:
        await chat.say(line)
    assert f"… ({len(long.strip())} ký tự)" in chat.screen and len(chat.screen) < 1200
    await chat.say("Lưu")
    [concern] = await rows(sessions, Concern)
    assert concern.description == long.strip()


async def test_undo_asks_first_then_removes_the_concern_and_its_held_group_notice(session, sessions):
    world = await build_world(session)
    await bind_chi_bo(session, world)
    chat = Chat(sessions, "member")
    await to_review(chat)
    await chat.say("Lưu")
    assert chat.last[0].text.endswith("\n(Có thể hoàn tác trong 10 phút.)")
    assert [o.label for o in chat.last[-1].options] == ["🏠 Trang chính", "↩ Hoàn tác"]  # never first
    [notice] = await rows(sessions, OutboxMessage)
    assert notice.next_attempt_at == chat.now + dt.timedelta(minutes=10)  # held while it may be undone
    await chat.say("2")
    assert chat.last[0].text == UNDO_ASK
    assert [o.label for o in chat.last[-1].options] == ["Không, giữ lại", "↩ Hoàn tác ý kiến"]
    await chat.say("1")  # a bare "1" keeps it
    assert chat.last[-1].text == "Chọn việc cần làm:"
    assert len(await rows(sessions, Concern)) == 1
    [concern] = await rows(sessions, Concern)
    chat.now += dt.timedelta(minutes=9)
    await chat.say(choice=f"cu:{concern.id}")
    assert chat.last[0].text == UNDO_ASK, chat.screen
    await chat.say("hoàn tác ý kiến")
    assert chat.last[0].text == "↩ Đã hoàn tác ý kiến PA-2026-00001."
    assert chat.last[-1].text == "Chọn việc cần làm:"
    for table in (Concern, ConcernEvent, ConcernHousehold, OutboxMessage):
        assert await rows(sessions, table) == [], table
    [entry] = [a for a in await rows(sessions, AuditLog) if a.action == "undo_concern"]
    assert entry.details["reference"] == "PA-2026-00001"
    await chat.say(choice=f"cu:{concern.id}:y")  # the old button again
    assert chat.last[0].text == "Không hoàn tác được: đã quá 10 phút hoặc ý kiến không còn."

    # the number is not given out again, and the next concern's notice is queued as usual
    await to_review(chat)
    await chat.say("Lưu")
    assert chat.last[0].text.startswith("✅ Đã ghi ý kiến PA-2026-00002")
    [notice] = await rows(sessions, OutboxMessage)
    assert notice.status == OutboxStatus.QUEUED and "PA-2026-00002" in notice.payload["text"]


async def test_undo_is_refused_late_for_others_once_acted_on_or_sent(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    await to_review(chat)
    await chat.say("Lưu")
    [concern] = await rows(sessions, Concern)
    leader = Chat(sessions, "leader")
    await leader.say(choice=f"cu:{concern.id}:y")
    assert leader.last[0].text == "Không hoàn tác được: đã quá 10 phút hoặc ý kiến không còn."

    async with sessions() as s:  # the team has taken it up
        s.add(ConcernEvent(concern_id=concern.id, actor_id=concern.reporter_id, action="note", note="Đã xem",
                           at=chat.now))
        await s.commit()
    await chat.say(choice=f"cu:{concern.id}:y")
    assert chat.last[0].text == "Không hoàn tác được: ý kiến đã được tiếp nhận hoặc có hộ khác cùng phản ánh."

    async with sessions() as s:
        await s.execute(ConcernEvent.__table__.delete().where(ConcernEvent.action == "note"))
        s.add(OutboxMessage(idempotency_key=f"concern:{concern.id}:ev1:p1", channel=Channel.TELEGRAM, chat_id="1",
                            kind="concern_event", payload={"text": "x"}, status=OutboxStatus.SENT, attempts=1,
                            next_attempt_at=chat.now, created_at=chat.now))
        await s.commit()
    await chat.say(choice=f"cu:{concern.id}:y")
    assert chat.last[0].text == "Không hoàn tác được: ý kiến đã được gửi tới nhóm."

    chat.now += dt.timedelta(minutes=11)
    await chat.say(choice=f"cu:{concern.id}")
    assert chat.last[0].text == "Không hoàn tác được: đã quá 10 phút hoặc ý kiến không còn."
    async with sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Concern)) == 1
