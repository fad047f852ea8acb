"""Monthly meetings: the leader's schedule, moves and cancellations, reminders, answers, results."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from handlers.engine.dates import parse_future_day, parse_time
from handlers.meetings.input import parse_month_day
from models.enums import AttendanceAnswer, Channel, GroupPurpose, MeetingStatus, Role
from models.meetings import calendar, occurrences
from models.tables import (
    AuditLog,
    ChatGroup,
    ChatIdentity,
    Meeting,
    MeetingAttendance,
    MeetingSchedule,
    Membership,
    OutboxMessage,
    Person,
)
from scheduler.meetings import meeting_jobs
from tests.dialog import Chat
from tests.world import build_world

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MENU = "Chọn việc cần làm:"
ADMIN_OPTIONS = ["🗓 Đặt lịch hằng tháng", "↪ Dời buổi tới", "✖ Hủy buổi tới", "👥 Xem ai tham dự",
                 "✍ Điểm danh, biên bản"]


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=TZ).astimezone(dt.UTC)


async def reachable(session, world) -> Person:
    """Telegram identities (the terminal gets no queued messages) and a third member who has none."""
    silent = Person(full_name="Đỗ Văn Im", name_key="do van im", commune_id=world.commune.id)
    session.add(silent)
    await session.flush()
    session.add_all([
        Membership(person_id=silent.id, unit_id=world.other_nhom.id, role=Role.MEMBER),
        ChatIdentity(person_id=world.member.id, channel=Channel.TELEGRAM, external_id="701", chat_id="701"),
        ChatIdentity(person_id=world.leader.id, channel=Channel.TELEGRAM, external_id="702", chat_id="702"),
    ])
    await session.commit()
    return silent


async def set_25th(session, world, now: dt.datetime = Chat.now) -> None:
    await occurrences.set_schedule(session, world.team.id, rule={"day": 25}, hour=19, minute=30,
                                place="Nhà văn hóa thôn", actor_id=world.leader.id, now=now, tz=TZ)
    await session.commit()


async def all_meetings(sessions) -> list[Meeting]:
    async with sessions() as s:
        return list((await s.scalars(select(Meeting).order_by(Meeting.starts_at))).all())


async def outbox(sessions) -> list[OutboxMessage]:
    async with sessions() as s:
        return list((await s.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all())


async def open_admin(chat: Chat) -> None:
    await chat.say("/menu")
    await chat.menu_entry("Lịch họp")


# --- rules and typed input -------------------------------------------------------------------------

def test_rules_give_one_date_a_month():
    assert calendar.occurrence_in({"day": 31}, 2027, 2) == dt.date(2027, 2, 28)
    assert calendar.occurrence_in({"day": 30}, 2028, 2) == dt.date(2028, 2, 29)
    assert calendar.occurrence_in({"weekday": 6, "nth": -1}, 2026, 11) == dt.date(2026, 11, 29)
    assert calendar.occurrence_in({"weekday": 0, "nth": 1}, 2026, 6) == dt.date(2026, 6, 1)
    assert calendar.occurrence_in({"weekday": 4, "nth": 1}, 2026, 11) == dt.date(2026, 11, 6)
    assert calendar.occurrences({"day": 25}, dt.date(2026, 11, 26), 2) == [dt.date(2026, 12, 25), dt.date(2027, 1, 25)]
    with pytest.raises(ValueError):
        calendar.validate_rule({"weekday": 7, "nth": -1})


def test_typed_times_and_days_ahead():
    assert [parse_time(t) for t in ["19:30", "19h30", "7h", "19.30", "25:00", "chiều"]] == [
        (19, 30), (19, 30), (7, 0), (19, 30), None, None]
    assert [parse_month_day(t) for t in ["25", "ngày 5", "cuối tháng", "32", "x"]] == [25, 5, 31, None, None]
    today = dt.date(2026, 12, 20)
    assert parse_future_day("28/12", today) == dt.date(2026, 12, 28)
    assert parse_future_day("5/1", today) == dt.date(2027, 1, 5)  # next year's
    assert parse_future_day("ngày mai", today) == dt.date(2026, 12, 21)
    assert parse_future_day("1/12/2026", today) is None  # past
    assert parse_future_day("18/12", today) is None  # a few days ago is a slip, not next year
    assert parse_future_day("31/2", today) is None


# --- the leader sets, replaces, moves and cancels ------------------------------------------------------

async def test_leader_sets_the_25th_and_occurrences_appear(session, sessions):
    world = await build_world(session)
    chat = Chat(sessions, "leader")
    await open_admin(chat)
    assert chat.screen == "\n".join([
        "📅 Lịch họp giao ban — Tổ Dân vận cộng đồng thôn Đồng Tâm", "Chưa đặt lịch họp hằng tháng.", "",
        *[f"{i}. {label}" for i, label in enumerate(ADMIN_OPTIONS, 1)]])
    await chat.say("1")
    assert chat.last[-1].text == "Họp vào ngày nào hằng tháng?"
    await chat.say("1")
    await chat.say("ba mươi hai")
    assert chat.last[-1].text.startswith("Hãy gõ một số từ 1 đến 31")
    await chat.say("25")
    assert chat.last[-1].text == "Họp lúc mấy giờ? Gõ giờ:phút, ví dụ 19:30."
    await chat.say("19 giờ rưỡi")
    assert chat.last[-1].text.startswith("Không hiểu giờ này; gõ ví dụ 19:30.")
    await chat.say("19:30")
    await chat.say("Nhà văn hóa thôn")
    assert chat.last[0].text == ("✅ Đã đặt lịch họp giao ban: ngày 25 hằng tháng, lúc 19:30, tại Nhà văn hóa thôn.\n"
                                 "Buổi tới: ngày 25 tháng 11 năm 2026 lúc 19:30, tại Nhà văn hóa thôn.")
    assert chat.last[-1].text == MENU

    rows = await all_meetings(sessions)
    assert [(m.occurrence, m.starts_at, m.place) for m in rows] == [
        (dt.date(2026, 11, 25), local(2026, 11, 25, 19, 30), "Nhà văn hóa thôn"),
        (dt.date(2026, 12, 25), local(2026, 12, 25, 19, 30), "Nhà văn hóa thôn"),
        (dt.date(2027, 1, 25), local(2027, 1, 25, 19, 30), "Nhà văn hóa thôn"),
    ]
    async with sessions() as s:
        assert await occurrences.ensure_occurrences(s, world.team.id, dt.date(2026, 11, 24), tz=TZ) == 0
        entry = await s.scalar(select(AuditLog).where(AuditLog.action == "meeting_schedule.set"))
        assert entry.actor_id == world.leader.id and entry.details["rule"] == {"day": 25}

    member = Chat(sessions, "member")  # members keep the read-only schedule
    await member.say("/menu")
    await member.menu_entry("Lịch họp")
    assert member.last[0].text.startswith("📅 Lịch họp sắp tới:\n• ngày 25 tháng 11 năm 2026 lúc 19:30")
    assert member.last[-1].options[-1].label == "🏠 Trang chính"  # answered there (tests/meetings/test_members_answer.py)


async def test_last_sunday_replaces_the_25th(session, sessions):
    world = await build_world(session)
    await set_25th(session, world)
    chat = Chat(sessions, "leader")
    await open_admin(chat)
    assert "Hằng tháng: ngày 25 hằng tháng, lúc 19:30, tại Nhà văn hóa thôn." in chat.screen
    for line in ["Đặt lịch", "3"]:
        await chat.say(line)
    assert chat.last[-1].text == "Thứ mấy cuối cùng của tháng?"
    for line in ["Chủ nhật", "8h"]:
        await chat.say(line)
    await chat.say("Bỏ qua")
    assert chat.last[0].text == ("✅ Đã đặt lịch họp giao ban: Chủ nhật cuối cùng của tháng, lúc 08:00.\n"
                                 "Buổi tới: ngày 29 tháng 11 năm 2026 lúc 08:00.")
    rows = await all_meetings(sessions)
    assert [(m.occurrence, m.starts_at, m.place) for m in rows] == [
        (dt.date(2026, 11, 29), local(2026, 11, 29, 8), None),
        (dt.date(2026, 12, 27), local(2026, 12, 27, 8), None),
        (dt.date(2027, 1, 31), local(2027, 1, 31, 8), None),
    ]
    async with sessions() as s:
        assert (await s.scalar(select(MeetingSchedule))).rule == {"weekday": 6, "nth": -1}


async def test_move_and_cancel_the_next_occurrence(session, sessions):
    world = await build_world(session)
    await reachable(session, world)
    await set_25th(session, world)
    chat = Chat(sessions, "leader")
    await open_admin(chat)
    await chat.say("Dời buổi tới")
    assert chat.last[-1].text == ("Dời buổi họp ngày 25 tháng 11 năm 2026 lúc 19:30, tại Nhà văn hóa thôn sang "
                                  "ngày nào? Gõ ngày, ví dụ 28/11.")
    await chat.say("20/11")
    assert chat.last[-1].text.startswith("Hãy gõ một ngày từ hôm nay trở đi")
    await chat.say("28/11")
    assert [o.label for o in chat.last[-1].options] == ["Giữ giờ cũ (19:30)"]
    await chat.say("1")
    await chat.say("Nhà ông Trưởng thôn")
    assert chat.last[0].text == ("✅ Đã dời buổi họp sang ngày 28 tháng 11 năm 2026 lúc 19:30, tại Nhà ông Trưởng "
                                 "thôn. Thành viên sẽ được nhắc theo lịch mới.\n"
                                 "📶 1 người nhận được tin; 1 người không nhận được (1 chưa tham gia bot, 0 đã chặn bot).")
    moved = (await all_meetings(sessions))[0]
    assert (moved.occurrence, moved.starts_at, moved.place) == (
        dt.date(2026, 11, 25), local(2026, 11, 28, 19, 30), "Nhà ông Trưởng thôn")

    # the 3-day reminder follows the new date and says it was moved
    assert await meeting_jobs(sessions, now=local(2026, 11, 25, 19, 0), tz=TZ) == 2
    body = (await outbox(sessions))[0].payload
    assert body["text"] == ("📅 Nhắc họp giao ban Tổ Dân vận cộng đồng thôn Đồng Tâm: ngày 28 tháng 11 năm 2026 "
                            "lúc 19:30, tại Nhà ông Trưởng thôn.\n(Đã dời từ ngày 25 tháng 11 năm 2026.)\n"
                            "Bạn có tham dự không?")

    await open_admin(chat)
    await chat.say("Hủy buổi tới")
    assert chat.last[-1].text.startswith("Hủy buổi họp ngày 28 tháng 11 năm 2026")
    await chat.say("Trùng lịch họp của xã")
    assert chat.last[0].text == ("✅ Đã hủy buổi họp ngày 28 tháng 11 năm 2026 lúc 19:30, tại Nhà ông Trưởng thôn. "
                                 "Thành viên sẽ được báo.\n"
                                 "📶 1 người nhận được tin; 1 người không nhận được (1 chưa tham gia bot, 0 đã chặn bot).")
    cancelled = (await all_meetings(sessions))[0]
    assert (cancelled.status, cancelled.cancel_reason) == (MeetingStatus.CANCELLED, "Trùng lịch họp của xã")
    now = local(2026, 11, 26, 9)
    assert await meeting_jobs(sessions, now=now, tz=TZ) == 2  # the notice, no morning reminder on the 28th
    assert await meeting_jobs(sessions, now=local(2026, 11, 28, 7), tz=TZ) == 0
    notice = (await outbox(sessions))[-1]
    assert notice.kind == "meeting_cancelled" and notice.payload["text"] == (
        "📅 Buổi họp giao ban Tổ Dân vận cộng đồng thôn Đồng Tâm ngày 28 tháng 11 năm 2026 lúc 19:30 đã hủy.\n"
        "Lý do: Trùng lịch họp của xã")
    await open_admin(chat)  # the next one is now December's
    assert "Buổi tới: ngày 25 tháng 12 năm 2026 lúc 19:30, tại Nhà văn hóa thôn." in chat.screen


# --- reminders ---------------------------------------------------------------------------------------

async def test_reminders_are_enqueued_once_per_due_moment(session, sessions):
    world = await build_world(session)
    await reachable(session, world)
    async with sessions() as s:
        (await s.get(Person, world.member.id)).locale = "en"
        await s.commit()
    await set_25th(session, world)
    december = (await all_meetings(sessions))[1]

    assert await meeting_jobs(sessions, now=local(2026, 12, 22, 18, 59), tz=TZ) == 0  # not yet
    assert await meeting_jobs(sessions, now=local(2026, 12, 22, 19), tz=TZ) == 2  # leader and member
    rows = await outbox(sessions)
    assert [(r.idempotency_key, r.chat_id, r.kind) for r in rows] == [
        (f"meeting:{december.id}:remind3:2026-12-25T19:30:p{world.leader.id}", "702", "meeting_remind3"),
        (f"meeting:{december.id}:remind3:2026-12-25T19:30:p{world.member.id}", "701", "meeting_remind3"),
    ]
    assert rows[0].payload["text"] == ("📅 Nhắc họp giao ban Tổ Dân vận cộng đồng thôn Đồng Tâm: ngày 25 tháng 12 "
                                       "năm 2026 lúc 19:30, tại Nhà văn hóa thôn.\nBạn có tham dự không?")
    assert rows[0].payload["options"] == [[f"mt:{december.id}:y", "✅ Tham dự"], [f"mt:{december.id}:n", "🚫 Vắng"]]
    assert "25 December 2026" in rows[1].payload["text"]  # in the member's language

    assert await meeting_jobs(sessions, now=local(2026, 12, 22, 19, 15), tz=TZ) == 0  # a second run
    assert await meeting_jobs(sessions, now=local(2026, 12, 25, 7), tz=TZ) == 2  # the morning
    assert await meeting_jobs(sessions, now=local(2026, 12, 25, 7, 15), tz=TZ) == 0
    morning = [r for r in await outbox(sessions) if r.person_id == world.leader.id][-1]  # the Vietnamese one
    assert morning.kind == "meeting_morning" and morning.payload["text"].startswith(
        "📅 Hôm nay họp giao ban Tổ Dân vận cộng đồng thôn Đồng Tâm lúc 19:30, tại Nhà văn hóa thôn.")
    assert await meeting_jobs(sessions, now=local(2026, 12, 25, 19, 30), tz=TZ) == 0  # started: nothing more


async def test_a_late_run_after_downtime_sends_each_reminder_once(session, sessions):
    world = await build_world(session)
    await reachable(session, world)
    await set_25th(session, world)
    # down from before the 3-day moment until the morning of the day
    assert await meeting_jobs(sessions, now=local(2026, 12, 25, 9, 40), tz=TZ) == 4
    assert await meeting_jobs(sessions, now=local(2026, 12, 25, 9, 55), tz=TZ) == 0
    kinds = sorted(r.idempotency_key.split(":")[2] for r in await outbox(sessions))
    assert kinds == ["morning", "morning", "remind3", "remind3"]
    # down until after the meeting began: nothing for it
    async with sessions() as s:
        await s.execute(OutboxMessage.__table__.delete())
        await s.commit()
    assert await meeting_jobs(sessions, now=local(2026, 12, 25, 20), tz=TZ) == 0
    # the job also materialises the months ahead by itself
    await meeting_jobs(sessions, now=local(2027, 2, 1, 8), tz=TZ)
    assert [m.occurrence for m in await all_meetings(sessions)][-3:] == [
        dt.date(2027, 2, 25), dt.date(2027, 3, 25), dt.date(2027, 4, 25)]


# --- answers, attendance, minutes, result --------------------------------------------------------------

async def test_members_answer_and_the_leader_records_the_meeting(session, sessions):
    world = await build_world(session)
    silent = await reachable(session, world)
    await set_25th(session, world)
    november = (await all_meetings(sessions))[0]
    member = Chat(sessions, "member")

    await member.say(choice=f"mt:{november.id}:y")
    assert member.last[0].text == "✅ Cảm ơn! Đã ghi: bạn tham dự buổi họp ngày 25 tháng 11 năm 2026 lúc 19:30."
    assert member.last[-1].text == MENU
    await member.say(choice=f"mt:{november.id}:n")
    assert member.screen == ("Bạn vắng buổi họp ngày 25 tháng 11 năm 2026 lúc 19:30. Lý do (không bắt buộc):\n\n"
                             "1. Bỏ qua")
    await member.say("Đi viện thăm mẹ")
    assert member.last[0].text == ("Đã ghi: bạn vắng buổi họp ngày 25 tháng 11 năm 2026 lúc 19:30. "
                                   "Tổ trưởng sẽ được biết.")
    async with sessions() as s:
        row = await s.scalar(select(MeetingAttendance))
        assert (row.person_id, row.answer, row.reason) == (world.member.id, AttendanceAnswer.ABSENT, "Đi viện thăm mẹ")
    await member.say(choice=f"mt:{november.id}:x")
    assert member.last[0].text == "Nút này đã cũ."

    leader = Chat(sessions, "leader")
    await leader.say(choice=f"mt:{november.id}:y")
    await open_admin(leader)
    await leader.say("Xem ai tham dự")
    assert leader.last[-1].text.startswith("\n".join([
        "👥 Buổi họp ngày 25 tháng 11 năm 2026 lúc 19:30:",
        "✅ Tham dự (1): Nguyễn Thị Hằng",
        "🚫 Vắng (1): Phạm Văn Long (Đi viện thăm mẹ)",
        "❔ Chưa trả lời (1): Đỗ Văn Im",
        "",
        "📅 Lịch họp giao ban"]))
    await leader.say("Điểm danh")
    assert leader.last[-1].text.startswith("Chưa có buổi họp nào đã diễn ra để ghi.\n\n📅 Lịch họp giao ban")

    # after the meeting: too late to answer; the leader ticks who came
    member.now = leader.now = local(2026, 11, 25, 21, 30)
    await member.say(choice=f"mt:{november.id}:y")
    assert member.last[0].text == "Buổi họp này đã diễn ra."
    await open_admin(leader)
    await leader.say("Điểm danh")
    assert [o.label for o in leader.last[-1].options] == ["⬜ Đỗ Văn Im", "✅ Nguyễn Thị Hằng", "⬜ Phạm Văn Long",
                                                          "Xong"]
    await leader.say("1 3")
    await leader.say("3")
    assert [o.label for o in leader.last[-1].options][:3] == ["✅ Đỗ Văn Im", "✅ Nguyễn Thị Hằng", "⬜ Phạm Văn Long"]
    await leader.say("9")
    assert leader.last[-1].text.startswith("Hãy chọn số từ 1 đến 4, hoặc Xong.")
    await leader.say("Xong")
    assert leader.last[-1].text == "Biên bản ngắn: kết luận, việc đã giao cho ai (gõ vài dòng):"
    await leader.say("Thống nhất vận động làm đường liên xóm. Anh Long phụ trách Xóm Trại.")
    assert leader.last[0].text == ("✅ Đã ghi điểm danh (2/3 có mặt) và biên bản buổi họp ngày 25 tháng 11 năm 2026. "
                                   "Kết quả sẽ được gửi nhóm chi bộ.")
    async with sessions() as s:
        meeting = await s.get(Meeting, november.id)
        assert meeting.status == MeetingStatus.HELD and meeting.minutes.startswith("Thống nhất")
        attended = dict((await s.execute(select(MeetingAttendance.person_id, MeetingAttendance.attended))).all())
        assert attended == {world.member.id: False, world.leader.id: True, silent.id: True}

    # the result goes once to the chi bộ group (with none bound, to its people: tests/groups)
    now = local(2026, 11, 25, 21, 45)
    async with sessions() as s:
        s.add(ChatGroup(channel=Channel.ZALO, chat_id="g-chibo", title="Chi bộ Đồng Tâm", unit_id=world.village.id,
                        purpose=GroupPurpose.CHI_BO))
        s.add(ChatGroup(channel=Channel.ZALO, chat_id="g-team", title="Tổ Đồng Tâm", unit_id=world.team.id,
                        purpose=GroupPurpose.TEAM))
        await s.commit()
    assert await meeting_jobs(sessions, now=now, tz=TZ) == 1
    assert await meeting_jobs(sessions, now=now + dt.timedelta(minutes=15), tz=TZ) == 0
    result = (await outbox(sessions))[-1]
    assert (result.chat_id, result.kind, result.next_attempt_at) == (
        "g-chibo", "meeting_result", local(2026, 11, 26, 7))  # after the quiet hours
    assert result.payload["text"] == "\n".join([
        "📋 Kết quả họp giao ban — Tổ Dân vận cộng đồng thôn Đồng Tâm",
        "ngày 25 tháng 11 năm 2026 lúc 19:30, tại Nhà văn hóa thôn",
        "Tham dự (2/3): Đỗ Văn Im, Nguyễn Thị Hằng",
        "Vắng (1): Phạm Văn Long (Đi viện thăm mẹ)",
        "Nội dung, kết luận:",
        "Thống nhất vận động làm đường liên xóm. Anh Long phụ trách Xóm Trại.",
    ])
    async with sessions() as s:
        assert (await s.get(Meeting, november.id)).result_sent_at == now
        assert await s.scalar(select(func.count()).select_from(AuditLog).where(
            AuditLog.action.in_(["meeting.attendance", "meeting.minutes"]))) == 2


async def test_only_team_leaders_manage_and_only_members_answer(session, sessions):
    world = await build_world(session)
    await set_25th(session, world)
    november = (await all_meetings(sessions))[0]
    outsider = Person(full_name="Người Ngoài", name_key="nguoi ngoai", commune_id=world.commune.id)
    session.add(outsider)
    await session.flush()
    session.add_all([Membership(person_id=outsider.id, unit_id=world.commune.id, role=Role.ADMIN),
                     ChatIdentity(person_id=outsider.id, channel=Channel.TERMINAL, external_id="o", chat_id="o")])
    await session.commit()
    chat = Chat(sessions, "o")
    await chat.say(choice=f"mt:{november.id}:y")
    assert chat.last[0].text == "Bạn không thuộc tổ của buổi họp này."
    await chat.say("/menu")
    await chat.menu_entry("Lịch họp")
    assert chat.last[0].text.startswith("📅 Lịch họp sắp tới:")  # the view, not the leader's menu
    await chat.say(choice="mt:99999:y")
    assert chat.last[0].text == "Buổi họp này không còn trong lịch."
