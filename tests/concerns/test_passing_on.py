"""Closing the loop: the answer reaches the household through the volunteer — on the next visit,
by the “✅ Đã báo cho hộ” button, and through the 7-day nudge when it has not."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.text import fold
from models.concerns import passing_on, workflow
from models.concerns.passing_on_texts import told_button
from models.concerns.record import record_concern
from models.enums import Channel, CloseReason, ConcernCategory, OutboxStatus, Role, Urgency
from models.tables import (
    AuditLog,
    ChatIdentity,
    Concern,
    ConcernEvent,
    ConcernHousehold,
    Household,
    Membership,
    OutboxMessage,
    Person,
)
from scheduler.concerns.passing_on import concern_followups
from tests.dialog import Chat
from tests.world import World, build_world

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LOGGED = dt.datetime(2026, 11, 10, 2, 0, tzinfo=dt.UTC)
ANSWERED = dt.datetime(2026, 11, 17, 3, 0, tzinfo=dt.UTC)  # 10:00 in Hà Nội; the nudge is due 24/11 10:00
NOW = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)  # the chats' clock
ANSWER = "UBND xã đã lên kế hoạch sửa đoạn đường trong tháng 12."
QUESTION = "Bạn đã chuyển câu trả lời này cho hộ chưa?"


@dataclass
class Loop:
    world: World
    concern_id: int
    row_id: int  # the reporting household's row (Nguyễn Văn Hùng, logged by the member)
    hung: Household
    nam: Household


async def _concern(session: AsyncSession, world: World, household: Household, reporter: Person, *,
                   description: str = "Đường vào xóm Trại bị sụt lún, xe máy đi lại khó khăn.") -> Concern:
    return await record_concern(
        session, reporter_id=reporter.id, commune_id=world.commune.id, village_id=world.village.id,
        nhom_id=household.nhom_id, household=household, several_households=False,
        category=ConcernCategory.INFRASTRUCTURE, urgency=Urgency.NORMAL, description=description, photos=[],
        channel=Channel.TERMINAL, now=LOGGED)


async def _answer(session: AsyncSession, concern: Concern, world: World, at: dt.datetime = ANSWERED) -> None:
    await workflow.answer(session, concern, actor_id=world.leader.id, text=ANSWER, now=at)


@pytest.fixture
async def loop(sessions: async_sessionmaker[AsyncSession]) -> Loop:
    async with sessions() as session:
        world = await build_world(session)
        hung, nam = world.households[0], world.households[4]
        # The member also uses Telegram, where nudges can reach them (the terminal gets none).
        session.add(ChatIdentity(person_id=world.member.id, channel=Channel.TELEGRAM, external_id="tg-member",
                                 chat_id="tg-member"))
        concern = await _concern(session, world, hung, world.member)
        await _answer(session, concern, world)
        await session.commit()
        row_id = await session.scalar(select(ConcernHousehold.id).where(ConcernHousehold.concern_id == concern.id))
        return Loop(world, concern.id, row_id, hung, nam)


async def _person(sessions: async_sessionmaker[AsyncSession], world: World, name: str, chat: str, role: Role,
                  unit_id: int) -> Person:
    async with sessions() as session:
        person = Person(full_name=name, name_key=fold(name), commune_id=world.commune.id)
        session.add(person)
        await session.flush()
        session.add_all([Membership(person_id=person.id, unit_id=unit_id, role=role),
                         ChatIdentity(person_id=person.id, channel=Channel.TERMINAL, external_id=chat, chat_id=chat),
                         ChatIdentity(person_id=person.id, channel=Channel.TELEGRAM, external_id=f"tg-{chat}",
                                      chat_id=f"tg-{chat}")])
        await session.commit()
        return person


async def _row(sessions: async_sessionmaker[AsyncSession], row_id: int) -> ConcernHousehold:
    async with sessions() as session:
        return await session.get(ConcernHousehold, row_id)


async def _concern_row(sessions: async_sessionmaker[AsyncSession], concern_id: int) -> Concern:
    async with sessions() as session:
        return await session.get(Concern, concern_id)


async def _told_events(sessions: async_sessionmaker[AsyncSession]) -> list[tuple[int, int | None, str | None]]:
    async with sessions() as session:
        rows = await session.scalars(select(ConcernEvent).where(ConcernEvent.action == passing_on.TOLD)
                                     .order_by(ConcernEvent.id))
        return [(e.concern_id, e.actor_id, e.note) for e in rows]


async def _nudges(sessions: async_sessionmaker[AsyncSession]) -> list[OutboxMessage]:
    async with sessions() as session:
        return list(await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "concern_pass_on")
                                          .order_by(OutboxMessage.id)))


async def _visit(chat: Chat, household: str) -> None:
    """Menu → visit → the household; the screen is whatever follows the choice."""
    await chat.say("/menu")
    await chat.say(chat.option_number("Ghi thăm hộ"))
    await _pick(chat, household)


async def _pick(chat: Chat, household: str) -> None:
    """Chosen from the picker's first page, or found by name when it is on another."""
    if not any(household in option.label for option in chat.last[-1].options):
        await chat.say(household)
    await chat.say(chat.option_number(household))


async def _save(chat: Chat) -> None:
    """Purpose, then "nothing raised": the visit is saved."""
    await chat.say("1")
    await chat.say(chat.option_number("Không — lưu ngay"))
    assert chat.last[0].text.startswith("✅ Đã ghi thăm hộ"), chat.screen


# --- the visit flow ----------------------------------------------------------------------------------

async def test_the_next_visit_shows_the_answer_and_records_it_passed_on(sessions, loop: Loop) -> None:
    chat = Chat(sessions, "member")
    await _visit(chat, "Nguyễn Văn Hùng")
    assert chat.screen == "\n".join([
        "📨 Có câu trả lời chờ chuyển cho hộ Nguyễn Văn Hùng:",
        "• PA-2026-00001 — Đường vào xóm Trại bị sụt lún, xe máy đi lại khó khăn.",
        f"  Trả lời: {ANSWER}",
        "",
        QUESTION,
        "",
        "1. ✅ Đã chuyển",
        "2. Chưa, lần sau",
    ])
    await chat.say("1")
    assert chat.last[-1].text.startswith("Thăm hộ Nguyễn Văn Hùng (hôm nay). Mục đích thăm?")
    await _save(chat)
    assert chat.last[0].text == ("✅ Đã ghi thăm hộ Nguyễn Văn Hùng, ngày 24 tháng 11 năm 2026.\n"
                                 "Mục đích: Tuyên truyền chủ trương, chính sách.\n"
                                 "📨 Đã ghi nhận: hộ đã được báo câu trả lời PA-2026-00001.\n"
                                 "(Có thể hoàn tác trong 10 phút.)")
    row = await _row(sessions, loop.row_id)
    assert (row.told_at, row.told_by_id) == (chat.now, loop.world.member.id)
    assert (await _concern_row(sessions, loop.concern_id)).household_told_at == chat.now
    assert await _told_events(sessions) == [(loop.concern_id, loop.world.member.id, "Nguyễn Văn Hùng")]
    async with sessions() as session:
        entry = await session.scalar(select(AuditLog).where(AuditLog.action == "concern_household_told"))
        assert (entry.entity_id, entry.actor_id, entry.details) == (
            loop.concern_id, loop.world.member.id, {"row": loop.row_id, "household_id": loop.hung.id})
    # Told: the next visit goes straight to the purpose.
    await _visit(chat, "Nguyễn Văn Hùng")
    assert chat.last[-1].text.startswith("Thăm hộ Nguyễn Văn Hùng (hôm nay). Mục đích thăm?")


async def test_later_records_nothing_and_the_next_visit_asks_again(sessions, loop: Loop) -> None:
    chat = Chat(sessions, "member")
    await _visit(chat, "Nguyễn Văn Hùng")
    await chat.say(chat.option_number("Chưa, lần sau"))
    await _save(chat)
    assert "📨" not in chat.last[0].text
    assert (await _row(sessions, loop.row_id)).told_at is None
    assert (await _concern_row(sessions, loop.concern_id)).household_told_at is None
    assert await _told_events(sessions) == []
    await _visit(chat, "Nguyễn Văn Hùng")
    assert QUESTION in chat.screen


async def test_a_visit_given_up_after_yes_records_nothing(sessions, loop: Loop) -> None:
    chat = Chat(sessions, "member")
    await _visit(chat, "Nguyễn Văn Hùng")
    await chat.say(chat.option_number("Đã chuyển"))
    await chat.say("/huy")
    assert (await _row(sessions, loop.row_id)).told_at is None
    # Going back to the question and on to another household forgets the "yes" as well.
    await _visit(chat, "Nguyễn Văn Hùng")
    await chat.say(chat.option_number("Đã chuyển"))
    await chat.say("/quaylai")
    assert QUESTION in chat.screen
    await chat.say("/quaylai")
    await _pick(chat, "Hoàng Văn Nam")
    await _save(chat)
    assert (await _row(sessions, loop.row_id)).told_at is None


async def test_a_visit_to_another_household_shows_nothing(sessions, loop: Loop) -> None:
    chat = Chat(sessions, "member")
    await _visit(chat, "Hoàng Văn Nam")
    assert chat.last[-1].text.startswith("Thăm hộ Hoàng Văn Nam (hôm nay). Mục đích thăm?")
    assert "📨" not in chat.screen


async def test_any_volunteer_visiting_the_household_may_pass_it_on(sessions, loop: Loop) -> None:
    """The row stays the member's (the nudge would go to them), but a leader visiting may tell."""
    chat = Chat(sessions, "leader")
    await _visit(chat, "Nguyễn Văn Hùng")
    assert QUESTION in chat.screen
    await chat.say(chat.option_number("Đã chuyển"))
    await _save(chat)
    row = await _row(sessions, loop.row_id)
    assert (row.reporter_id, row.told_by_id) == (loop.world.member.id, loop.world.leader.id)


async def test_no_answer_waits_while_open_reopened_or_closed_unresolved(sessions, loop: Loop) -> None:
    world = loop.world
    async with sessions() as session:
        open_one = await _concern(session, world, world.households[1], world.member)  # Trần Thị Lan: not answered
        unresolved = await _concern(session, world, world.households[2], world.member)  # Lê Văn Đức
        await _answer(session, unresolved, world)
        await workflow.close(session, unresolved, actor_id=world.leader.id,
                                     reason=CloseReason.NOT_COMPETENT, now=ANSWERED)
        resolved = await _concern(session, world, world.households[3], world.member)  # Phạm Thị Hoa
        await _answer(session, resolved, world)
        await workflow.close(session, resolved, actor_id=world.leader.id, reason=CloseReason.RESOLVED,
                                     now=ANSWERED)
        await session.commit()
        waiting = await passing_on.waiting_for_volunteer(session, world.member.id)
        assert [(w.reference, w.household_name, w.answer_text) for w in waiting] == [
            ("PA-2026-00001", "Nguyễn Văn Hùng", ANSWER), ("PA-2026-00004", "Phạm Thị Hoa", ANSWER)]
        assert open_one.reference == "PA-2026-00002"
        concern = await session.get(Concern, loop.concern_id)
        await workflow.reopen(session, concern, actor_id=world.leader.id, reason="Dân chưa đồng ý",
                                      now=NOW)
        await session.commit()
        assert [w.reference for w in await passing_on.waiting_for_volunteer(session, world.member.id)] == [
            "PA-2026-00004"]
    chat = Chat(sessions, "member")
    for name in ("Nguyễn Văn Hùng", "Trần Thị Lan", "Lê Văn Đức"):
        await _visit(chat, name)
        assert chat.last[-1].text.startswith(f"Thăm hộ {name} (hôm nay). Mục đích thăm?"), chat.screen
    await _visit(chat, "Phạm Thị Hoa")
    assert QUESTION in chat.screen


# --- the button --------------------------------------------------------------------------------------

async def test_the_button_records_it_for_the_reporter_and_a_second_press_is_harmless(sessions, loop: Loop) -> None:
    key, label = told_button(loop.concern_id, loop.row_id)
    assert label == "✅ Đã báo cho hộ" and len(key.encode()) <= 64
    chat = Chat(sessions, "member")
    await chat.say(choice=key)
    assert chat.last[0].text == "✅ Đã ghi nhận: hộ Nguyễn Văn Hùng đã được báo câu trả lời PA-2026-00001."
    row = await _row(sessions, loop.row_id)
    assert (row.told_at, row.told_by_id) == (chat.now, loop.world.member.id)
    assert (await _concern_row(sessions, loop.concern_id)).household_told_at == chat.now
    chat.now += dt.timedelta(hours=1)
    await chat.say(choice=key)
    assert chat.last[0].text == ("Đã ghi nhận trước đó: hộ Nguyễn Văn Hùng đã được báo câu trả lời PA-2026-00001 "
                                 "(ngày 24 tháng 11 năm 2026).")
    assert (await _row(sessions, loop.row_id)).told_at == NOW  # unchanged
    assert len(await _told_events(sessions)) == 1


async def test_the_button_refuses_an_unrelated_member_and_takes_a_village_leader(sessions, loop: Loop) -> None:
    key, _label = told_button(loop.concern_id, loop.row_id)
    await _person(sessions, loop.world, "Đỗ Văn Khác", "other", Role.MEMBER, loop.world.other_nhom.id)
    other = Chat(sessions, "other")
    await other.say(choice=key)
    assert other.last[0].text == ("Chỉ người đã ghi ý kiến này, người đang xử lý hoặc lãnh đạo thôn mới ghi nhận "
                                  "được.")
    assert (await _row(sessions, loop.row_id)).told_at is None
    await other.say(choice=f"bh:{loop.concern_id + 1}:{loop.row_id}")  # a key that does not add up
    assert other.last[0].text == "Nút này đã cũ."
    leader = Chat(sessions, "leader")
    await leader.say(choice=key)
    assert leader.last[0].text.startswith("✅ Đã ghi nhận: hộ Nguyễn Văn Hùng")
    assert (await _row(sessions, loop.row_id)).told_by_id == loop.world.leader.id


async def test_the_button_after_a_reopen_says_there_is_nothing_to_pass_on(sessions, loop: Loop) -> None:
    async with sessions() as session:
        concern = await session.get(Concern, loop.concern_id)
        await workflow.reopen(session, concern, actor_id=loop.world.leader.id, reason="Chưa rõ", now=NOW)
        await session.commit()
    chat = Chat(sessions, "member")
    await chat.say(choice=told_button(loop.concern_id, loop.row_id)[0])
    assert chat.last[0].text == "Ý kiến PA-2026-00001 hiện không có câu trả lời nào chờ báo cho hộ."
    assert (await _row(sessions, loop.row_id)).told_at is None


# --- the 7-day nudge ---------------------------------------------------------------------------------

async def test_the_nudge_goes_once_on_day_seven_with_the_button(sessions, loop: Loop) -> None:
    day7 = ANSWERED + passing_on.WAIT
    assert await concern_followups(sessions, now=day7 - dt.timedelta(minutes=1), tz=TZ) == 0
    assert await concern_followups(sessions, now=day7, tz=TZ) == 1
    assert await concern_followups(sessions, now=day7 + dt.timedelta(minutes=15), tz=TZ) == 0
    assert await concern_followups(sessions, now=day7 + dt.timedelta(days=3), tz=TZ) == 0
    [nudge] = await _nudges(sessions)
    assert nudge.idempotency_key == (f"concern:{loop.concern_id}:told{loop.row_id}:{int(ANSWERED.timestamp())}:d7"
                                     f":p{loop.world.member.id}")
    assert (nudge.channel, nudge.chat_id, nudge.person_id) == (Channel.TELEGRAM, "tg-member", loop.world.member.id)
    assert nudge.payload["text"] == "\n".join([
        "⏰ Câu trả lời cho hộ Nguyễn Văn Hùng chưa được chuyển (7 ngày từ khi có trả lời):",
        "• PA-2026-00001 — Đường vào xóm Trại bị sụt lún, xe máy đi lại khó khăn.",
        f"  Trả lời: {ANSWER}",
        "",
        "Báo cho hộ xong (gặp hoặc gọi điện), bấm “✅ Đã báo cho hộ”. Lần ghi thăm hộ tới, bot cũng hỏi lại.",
    ])
    assert nudge.payload["options"] == [list(told_button(loop.concern_id, loop.row_id))]
    # The nudge's button records it.
    chat = Chat(sessions, "member")
    await chat.say(choice=nudge.payload["options"][0][0])
    assert chat.last[0].text.startswith("✅ Đã ghi nhận")


async def test_an_answer_given_again_after_a_reopen_is_nudged_again(sessions, loop: Loop) -> None:
    assert await concern_followups(sessions, now=ANSWERED + passing_on.WAIT, tz=TZ) == 1
    again = ANSWERED + dt.timedelta(days=10)
    async with sessions() as session:
        concern = await session.get(Concern, loop.concern_id)
        await workflow.reopen(session, concern, actor_id=loop.world.leader.id, reason="Chưa rõ", now=again)
        await workflow.answer(session, concern, actor_id=loop.world.leader.id, text="Trả lời bổ sung.",
                                      now=again)
        await session.commit()
    assert await concern_followups(sessions, now=again + dt.timedelta(days=6), tz=TZ) == 0
    assert await concern_followups(sessions, now=again + passing_on.WAIT, tz=TZ) == 1
    assert "Trả lời: Trả lời bổ sung." in (await _nudges(sessions))[-1].payload["text"]


async def test_no_nudge_once_the_household_was_told(sessions, loop: Loop) -> None:
    chat = Chat(sessions, "member")
    await chat.say(choice=told_button(loop.concern_id, loop.row_id)[0])
    assert await concern_followups(sessions, now=ANSWERED + dt.timedelta(days=8), tz=TZ) == 0
    assert await _nudges(sessions) == []


async def test_after_downtime_the_job_catches_up_once(sessions, loop: Loop) -> None:
    late = ANSWERED + dt.timedelta(days=12)
    assert await concern_followups(sessions, now=late, tz=TZ) == 1
    assert await concern_followups(sessions, now=late, tz=TZ) == 0
    [nudge] = await _nudges(sessions)
    assert "(12 ngày từ khi có trả lời)" in nudge.payload["text"]
    # Down for longer than the catch-up window: the row is left to the visit flow and the digest.
    async with sessions() as session:
        concern = await _concern(session, loop.world, loop.nam, loop.world.member)
        await _answer(session, concern, loop.world)
        await session.commit()
    far = ANSWERED + passing_on.WAIT + dt.timedelta(days=31)
    assert await concern_followups(sessions, now=far, tz=TZ) == 0


async def test_a_nudge_due_at_night_waits_until_seven_and_is_withdrawn_when_told(sessions, loop: Loop) -> None:
    night = dt.datetime(2026, 11, 24, 22, 0, tzinfo=TZ).astimezone(dt.UTC)
    assert await concern_followups(sessions, now=night, tz=TZ) == 1
    [nudge] = await _nudges(sessions)
    assert nudge.next_attempt_at == dt.datetime(2026, 11, 25, 7, 0, tzinfo=TZ).astimezone(dt.UTC)
    chat = Chat(sessions, "member")
    chat.now = night + dt.timedelta(minutes=5)
    await chat.say(choice=told_button(loop.concern_id, loop.row_id)[0])
    [nudge] = await _nudges(sessions)
    assert nudge.status == OutboxStatus.SKIPPED


# --- a second household attached to the concern --------------------------------------------------------

async def test_an_attached_household_gets_its_own_pass_on_task(sessions, loop: Loop) -> None:
    world = loop.world
    second = await _person(sessions, world, "Vũ Văn Hai", "second", Role.MEMBER, world.nhom.id)
    lan = world.households[1]
    async with sessions() as session:
        row = ConcernHousehold(concern_id=loop.concern_id, household_id=lan.id, reporter_id=second.id,
                               added_at=LOGGED + dt.timedelta(days=1))
        session.add(row)
        await session.commit()
        lan_row = row.id
    # Each volunteer's nudge is for their own household.
    assert await concern_followups(sessions, now=ANSWERED + passing_on.WAIT, tz=TZ) == 2
    nudges = await _nudges(sessions)
    assert [(n.person_id, n.payload["options"][0][0]) for n in nudges] == [
        (world.member.id, told_button(loop.concern_id, loop.row_id)[0]),
        (second.id, told_button(loop.concern_id, lan_row)[0])]
    assert "cho hộ Trần Thị Lan" in nudges[1].payload["text"]
    # The second volunteer's visit to Lan shows the answer; telling Lan leaves Hùng waiting.
    chat = Chat(sessions, "second")
    await _visit(chat, "Trần Thị Lan")
    assert "📨 Có câu trả lời chờ chuyển cho hộ Trần Thị Lan:" in chat.screen
    await chat.say(chat.option_number("Đã chuyển"))
    await _save(chat)
    assert (await _row(sessions, lan_row)).told_by_id == second.id
    assert (await _row(sessions, loop.row_id)).told_at is None
    assert (await _concern_row(sessions, loop.concern_id)).household_told_at is None  # not the reporting household
    async with sessions() as session:
        assert [w.row_id for w in await passing_on.waiting_for_volunteer(session, world.member.id)] == [loop.row_id]
        assert await passing_on.waiting_for_volunteer(session, second.id) == []
    # A household attached after the answer counts its 7 days from when it was attached.
    third = world.households[5]
    async with sessions() as session:
        session.add(ConcernHousehold(concern_id=loop.concern_id, household_id=third.id, reporter_id=second.id,
                                     added_at=ANSWERED + dt.timedelta(days=5)))
        await session.commit()
    assert await concern_followups(sessions, now=ANSWERED + dt.timedelta(days=8), tz=TZ) == 0
    assert await concern_followups(sessions, now=ANSWERED + dt.timedelta(days=12), tz=TZ) == 1


async def test_an_unrelated_volunteer_may_not_record_an_attached_households_row(sessions, loop: Loop) -> None:
    world = loop.world
    second = await _person(sessions, world, "Vũ Văn Hai", "second", Role.MEMBER, world.nhom.id)
    async with sessions() as session:
        row = ConcernHousehold(concern_id=loop.concern_id, household_id=world.households[1].id,
                               reporter_id=second.id, added_at=LOGGED)
        session.add(row)
        await session.commit()
        lan_row = row.id
    member = Chat(sessions, "member")  # the concern's reporter, but not this row's
    await member.say(choice=told_button(loop.concern_id, lan_row)[0])
    assert member.last[0].text.startswith("Chỉ người đã ghi ý kiến này")
    assert (await _row(sessions, lan_row)).told_at is None


async def test_the_answered_notification_carries_the_button(sessions) -> None:
    """`models.concerns.notify` (the life helper's) gives each volunteer a button per household owed."""
    from models.concerns.notify import notify_change

    async with sessions() as session:
        world = await build_world(session)
        session.add(ChatIdentity(person_id=world.member.id, channel=Channel.TELEGRAM, external_id="tg-member",
                                 chat_id="tg-member"))
        concern = await _concern(session, world, world.households[0], world.member)
        event = await workflow.answer(session, concern, actor_id=world.leader.id, text=ANSWER, now=ANSWERED)
        assert await notify_change(session, concern, event, now=ANSWERED, tz=TZ, default_locale="vi") == 1
        await session.commit()
        row_id = await session.scalar(select(ConcernHousehold.id))
        message = await session.scalar(select(OutboxMessage).where(OutboxMessage.person_id == world.member.id))
    assert message.payload["options"][0] == list(told_button(concern.id, row_id))
