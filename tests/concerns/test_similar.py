"""Same issue, many households: the offer to attach a household to a similar open concern.

The pairs below set the threshold (`models/concerns/similar.py`): the first list must be offered,
the second never. Conversations run through the real engine; the other concerns are set up
directly through the tables.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, func, select

from models.concerns import similar
from models.concerns.similar import SIMILAR_AT, likeness
from models.enums import Channel, CloseReason, ConcernCategory, ConcernStatus, GroupPurpose, UnitKind, Urgency
from models.tables import (
    AuditLog,
    ChatGroup,
    Concern,
    ConcernEvent,
    ConcernHousehold,
    ConcernPhoto,
    Household,
    OutboxMessage,
)
from models.units import tree
from tests.dialog import Chat
from tests.world import World, build_world

C = ConcernCategory
NOW = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)
FLOOD = "Đường xóm 3 ngập nước khi mưa"

ALIKE = [
    (FLOOD, "duong xom 3 bi ngap khi troi mua"),  # typed without diacritics
    (FLOOD, "Mưa to là đường xóm 3 lại ngập, đi lại khó khăn"),
    ("Đèn đường xóm Trại hỏng cả tháng nay", "Đèn đường ở xóm Trại bị hỏng, tối không có đèn"),
    ("Cống thoát nước bị tắc, nước tràn vào nhà", "Cống thoát nước xóm Giữa tắc, nước bẩn tràn ra đường"),
    ("Nước sinh hoạt bị đục, có mùi", "Nước máy đục và có mùi lạ mấy hôm nay"),
]
UNLIKE = [
    (FLOOD, "Xin làm đường bê tông vào nhà văn hóa"),  # "đường" alone
    (FLOOD, "Đèn đường xóm 3 hỏng"),  # "đường" and a number are not a topic
    (FLOOD, "Đường vào xóm bị sạt lở sau mưa"),  # road and rain, but a landslide
    ("Xin hỗ trợ hộ nghèo sửa nhà", "Đề nghị xã hỗ trợ bà con sửa đường"),  # "xin", "hộ", "hỗ trợ"
    ("Xin hỗ trợ hộ nghèo sửa nhà", "Xin cấp lại sổ hộ nghèo cho gia đình"),
    ("Mất điện thường xuyên vào buổi tối", "Xin kéo đường điện vào khu mới"),
    ("Ý kiến số 1 của bà con trong xóm", "Ý kiến số 2 của bà con trong xóm"),
]


@pytest.mark.parametrize(("new", "old"), ALIKE)
def test_alike_descriptions_reach_the_threshold(new, old):
    assert likeness(new, old) >= SIMILAR_AT


@pytest.mark.parametrize(("new", "old"), UNLIKE)
def test_different_topics_sharing_common_words_do_not(new, old):
    assert likeness(new, old) < SIMILAR_AT


# --- setting up ------------------------------------------------------------------------------------------

async def existing(session, world: World, *, household: Household | None = None, category: C = C.INFRASTRUCTURE,
                   description: str = FLOOD, status: ConcernStatus = ConcernStatus.NEW, village_id: int | None = None,
                   created: dt.datetime = NOW - dt.timedelta(days=10), answer: str | None = None,
                   reference: str = "PA-2026-00901") -> Concern:
    """An open concern logged earlier by the leader, with its household's row."""
    household = household or world.households[1]  # Trần Thị Lan
    concern = Concern(reference=reference, commune_id=world.commune.id, village_id=village_id or world.village.id,
                      nhom_id=None, household_id=household.id, reporter_id=world.leader.id, category=category,
                      urgency=Urgency.NORMAL, status=status, description=description,
                      due_at=created + dt.timedelta(days=15), created_at=created, answer_text=answer,
                      close_reason=CloseReason.RESOLVED if status == ConcernStatus.CLOSED else None)
    session.add(concern)
    await session.flush()
    session.add(ConcernHousehold(concern_id=concern.id, household_id=household.id, reporter_id=world.leader.id,
                                 added_at=created))
    await session.commit()
    return concern


async def bind_groups(session, world: World) -> None:
    session.add_all([
        ChatGroup(channel=Channel.TELEGRAM, chat_id="-100", unit_id=world.village.id, purpose=GroupPurpose.CHI_BO),
        ChatGroup(channel=Channel.ZALO, chat_id="z-1", unit_id=world.commune.id, purpose=GroupPurpose.KHOI_DAN_VAN),
    ])
    await session.commit()


async def log(chat: Chat, category: str, text: str, household: str = "Nguyễn Văn Hùng") -> None:
    """The menu path up to the household: the offer, if any, comes right after it."""
    for line in ["/menu", "2", category, text, "1", household]:
        await chat.say(line)


async def count(sessions, table) -> int:
    async with sessions() as s:
        return await s.scalar(select(func.count()).select_from(table))


OFFER_HEAD = "🔁 Thôn đã có ý kiến giống vậy:"


# --- the offer ---------------------------------------------------------------------------------------------

async def test_attaching_adds_the_household_and_records_no_new_concern(session, sessions):
    world = await build_world(session)
    await bind_groups(session, world)
    old = await existing(session, world)
    chat = Chat(sessions, "member", now=NOW)
    await log(chat, "Hạ tầng", "duong xom 3 bi ngap khi troi mua")
    assert chat.screen == "\n".join([
        OFFER_HEAD,
        "PA-2026-00901 · Mới tiếp nhận · 1 hộ đã phản ánh",
        "“Đường xóm 3 ngập nước khi mưa”",
        "Gắn hộ Nguyễn Văn Hùng vào ý kiến này để cùng nhận trả lời, thay vì ghi ý kiến mới?",
        "",
        "1. ➕ Gắn hộ này vào ý kiến PA-2026-00901",
        "2. 📝 Vẫn ghi ý kiến mới",
    ])
    await chat.say(photo="photo-1")  # a photo is not an answer here
    assert chat.screen.startswith("Hãy chọn 1 (gắn vào ý kiến đã có) hoặc 2 (ghi ý kiến mới).\n\n" + OFFER_HEAD)
    await chat.say("1")
    assert chat.last[0].text == (
        "✅ Đã gắn hộ Nguyễn Văn Hùng vào ý kiến PA-2026-00901: nay 2 hộ cùng phản ánh. Không ghi ý kiến mới.\n"
        "Khi có trả lời, bạn sẽ được báo để chuyển lại cho hộ.")
    assert chat.last[-1].text == "Chọn việc cần làm:"

    hung = world.households[0]
    async with sessions() as s:
        assert [c.id for c in await s.scalars(select(Concern))] == [old.id]  # no new concern
        assert await similar.household_counts(s, [old.id, 12345]) == {old.id: 2, 12345: 0}
        rows = (await s.scalars(select(ConcernHousehold).order_by(ConcernHousehold.id))).all()
        assert [(r.concern_id, r.household_id, r.reporter_id, r.added_at, r.told_at) for r in rows] == [
            (old.id, world.households[1].id, world.leader.id, NOW - dt.timedelta(days=10), None),
            (old.id, hung.id, world.member.id, NOW, None)]  # the member passes the answer on to Hùng
        events = (await s.scalars(select(ConcernEvent))).all()
        assert [(e.concern_id, e.actor_id, e.action, e.note, e.at) for e in events] == [
            (old.id, world.member.id, "household_added", "duong xom 3 bi ngap khi troi mua", NOW)]
        audits = (await s.scalars(select(AuditLog).where(AuditLog.action == "concern.household_added"))).all()
        assert [(a.entity_id, a.actor_id, a.details["household_id"]) for a in audits] == [
            (old.id, world.member.id, hung.id)]
        assert (await s.get(Concern, old.id)).status == ConcernStatus.NEW  # attaching changes no status
    assert await count(sessions, OutboxMessage) == 0  # no post to the groups


async def test_new_anyway_records_a_new_concern(session, sessions):
    world = await build_world(session)
    await bind_groups(session, world)
    old = await existing(session, world)
    chat = Chat(sessions, "member", now=NOW)
    await log(chat, "Hạ tầng", "Mưa to là đường xóm 3 lại ngập, đi lại khó khăn")
    assert chat.last[-1].text.startswith(OFFER_HEAD)
    await chat.say(chat.option_number("Vẫn ghi"))
    await chat.say("Lưu")
    assert chat.last[0].text.startswith("✅ Đã ghi ý kiến PA-2026-00001 (Nguyễn Văn Hùng).\n"
                                        "Lĩnh vực: Hạ tầng (đường, điện, nước). Mức độ: Bình thường.")
    async with sessions() as s:
        assert [c.reference for c in await s.scalars(select(Concern).order_by(Concern.id))] == [
            "PA-2026-00901", "PA-2026-00001"]
        assert (await similar.household_counts(s, [old.id]))[old.id] == 1
    assert await count(sessions, OutboxMessage) == 2  # a new concern goes to both groups as usual


async def test_the_same_household_twice_is_harmless(session, sessions):
    world = await build_world(session)
    old = await existing(session, world)
    chat = Chat(sessions, "member", now=NOW)
    await log(chat, "Hạ tầng", FLOOD)
    await chat.say("1")
    # Again, for Hùng: the offer says he is already on it, and attaching again adds nothing.
    await log(chat, "Hạ tầng", "Đường xóm 3 ngập khi mưa to")
    assert "PA-2026-00901 · Mới tiếp nhận · 2 hộ đã phản ánh" in chat.screen
    assert "Hộ Nguyễn Văn Hùng đã có trong ý kiến này." in chat.screen
    await chat.say("1")
    assert chat.last[0].text == (
        "ℹ️ Hộ Nguyễn Văn Hùng đã có trong ý kiến PA-2026-00901 (2 hộ cùng phản ánh); không ghi thêm.")
    async with sessions() as s:
        assert (await similar.household_counts(s, [old.id]))[old.id] == 2
        assert await s.scalar(select(func.count()).select_from(ConcernEvent)) == 1
        # The operation itself is idempotent too: the existing row comes back.
        concern = await s.get(Concern, old.id)
        row = await similar.attach_household(s, concern, household_id=world.households[0].id,
                                                     reporter_id=world.leader.id, now=NOW)
        assert (row.reporter_id, row.added_at) == (world.member.id, NOW)
        await s.commit()
    assert await count(sessions, ConcernHousehold) == 2
    assert await count(sessions, Concern) == 1


async def test_from_a_visit_the_offer_comes_before_the_urgency(session, sessions):
    world = await build_world(session)
    old = await existing(session, world)
    chat = Chat(sessions, "member", now=NOW)
    for line in ["/menu", "1", "Nguyễn Văn Hùng", "1", "Có — ghi ý kiến"]:
        await chat.say(line)
    assert chat.last[-1].text.startswith("📣 Ghi ý kiến, kiến nghị của hộ Nguyễn Văn Hùng")
    await chat.say("Hạ tầng")
    await chat.say("Đường xóm 3 bị ngập nước mỗi khi mưa", photo="photo-1")
    assert chat.last[-1].text.startswith(OFFER_HEAD)
    await chat.say("1")  # attached: no urgency to choose
    assert chat.last[0].text.startswith("✅ Đã gắn hộ Nguyễn Văn Hùng vào ý kiến PA-2026-00901")
    async with sessions() as s:
        photos = (await s.scalars(select(ConcernPhoto))).all()
        assert [(p.concern_id, p.file_ref) for p in photos] == [(old.id, "photo-1")]  # the evidence joins it
    assert await count(sessions, Concern) == 1

    # "New anyway" from a visit goes on to the urgency, then records.
    await chat.say("/menu")
    # Lan is not on the first page of the picker: typing her name searches, "1" picks her.
    for line in ["1", "Trần Thị Lan", "1", "1", "Có — ghi ý kiến", "Hạ tầng", "Đường xóm 3 ngập sâu khi mưa"]:
        await chat.say(line)
    assert chat.last[-1].text.startswith(OFFER_HEAD)
    assert "Hộ Trần Thị Lan đã có trong ý kiến này." in chat.screen
    await chat.say("2")
    assert chat.last[-1].text == "Mức độ?"
    await chat.say("Khẩn")
    await chat.say("Lưu")
    assert chat.last[0].text.startswith("✅ Đã ghi ý kiến PA-2026-00001 (Trần Thị Lan).")


async def test_no_offer_for_another_village_category_a_closed_one_or_other_words(session, sessions):
    world = await build_world(session)
    other_village = await tree.add_unit(session, UnitKind.VILLAGE, "Thôn Bắc Sơn", world.commune)
    await existing(session, world, village_id=other_village.id, reference="PA-2026-00901")
    await existing(session, world, category=C.ENVIRONMENT, reference="PA-2026-00902")
    await existing(session, world, status=ConcernStatus.CLOSED, reference="PA-2026-00903")
    await existing(session, world, description="Xin làm đường bê tông vào nhà văn hóa", reference="PA-2026-00904")
    await existing(session, world, created=NOW - dt.timedelta(days=200), reference="PA-2026-00905")  # too old
    chat = Chat(sessions, "member", now=NOW)
    await log(chat, "Hạ tầng", FLOOD)
    await chat.say("Lưu")
    assert chat.last[0].text.startswith("✅ Đã ghi ý kiến PA-2026-00001 (Nguyễn Văn Hùng).")
    assert await count(sessions, Concern) == 6


async def test_an_answered_concern_is_offered_and_its_answer_shown(session, sessions):
    world = await build_world(session)
    await existing(session, world, status=ConcernStatus.ANSWERED,
                   answer="UBND xã sẽ nạo vét rãnh thoát nước trong tháng 12.")
    chat = Chat(sessions, "member", now=NOW)
    await log(chat, "Hạ tầng", FLOOD)
    assert "PA-2026-00901 · Đã trả lời · 1 hộ đã phản ánh" in chat.screen
    await chat.say("1")
    assert chat.last[0].text == (
        "✅ Đã gắn hộ Nguyễn Văn Hùng vào ý kiến PA-2026-00901: nay 2 hộ cùng phản ánh. Không ghi ý kiến mới.\n"
        "Ý kiến này đã có trả lời: UBND xã sẽ nạo vét rãnh thoát nước trong tháng 12.\n"
        "Hãy báo lại cho hộ.")


async def test_complaints_are_never_offered(session, sessions):
    world = await build_world(session)
    await existing(session, world, category=C.COMPLAINT, description="Tố cáo cán bộ thu tiền sai quy định")
    chat = Chat(sessions, "member", now=NOW)
    await log(chat, "Khiếu nại", "Tố cáo cán bộ thu tiền sai quy định")
    await chat.say("Lưu")
    assert chat.last[0].text.startswith("✅ Đã ghi ý kiến PA-2026-00001")
    async with sessions() as s:
        concern = await s.scalar(select(Concern).where(Concern.reference == "PA-2026-00901"))
        with pytest.raises(ValueError):
            await similar.attach_household(s, concern, household_id=None, reporter_id=world.member.id,
                                                   now=NOW)


async def test_an_anonymous_report_attaches_once_per_volunteer(session, sessions):
    world = await build_world(session)
    old = await existing(session, world)
    chat = Chat(sessions, "member", now=NOW)
    for attempt in range(2):
        for line in ["/menu", "2", "Hạ tầng", "Đường xóm 3 hay ngập nước khi mưa", "1", "Ẩn danh"]:
            await chat.say(line)
        assert "Gắn vào ý kiến này để cùng nhận trả lời, thay vì ghi ý kiến mới?" in chat.screen
        assert chat.last[-1].options[0].label == "➕ Gắn vào ý kiến PA-2026-00901"
        await chat.say("1")
    assert chat.last[0].text == (
        "ℹ️ Bạn đã gắn ý kiến ẩn danh vào PA-2026-00901 (2 hộ cùng phản ánh); không ghi thêm.")
    async with sessions() as s:
        rows = (await s.scalars(select(ConcernHousehold).order_by(ConcernHousehold.id))).all()
    assert [(r.household_id, r.reporter_id) for r in rows] == [(world.households[1].id, world.leader.id),
                                                               (None, world.member.id)]
    assert old.id == rows[-1].concern_id


async def test_a_concern_closed_while_the_offer_was_on_screen_is_recorded_new(session, sessions):
    world = await build_world(session)
    old = await existing(session, world)
    chat = Chat(sessions, "member", now=NOW)
    await log(chat, "Hạ tầng", FLOOD)
    async with sessions() as s:
        (await s.get(Concern, old.id)).status = ConcernStatus.CLOSED
        await s.commit()
    await chat.say("1")
    await chat.say("Lưu")
    assert chat.last[0].text.startswith("Ý kiến PA-2026-00901 vừa được đóng nên ý kiến này được ghi mới.\n"
                                        "✅ Đã ghi ý kiến PA-2026-00001 (Nguyễn Văn Hùng).")


async def test_the_best_match_wins_and_candidates_are_bounded(engine, session, sessions):
    world = await build_world(session)
    await existing(session, world, description="Đường xóm 3 ngập", reference="PA-2026-00901")
    more = await existing(session, world, description="Đường xóm 3 ngập nước khi trời mưa",
                          reference="PA-2026-00902", created=NOW - dt.timedelta(days=20))
    session.add(ConcernHousehold(concern_id=more.id, household_id=world.households[2].id,
                                 reporter_id=world.member.id, added_at=NOW - dt.timedelta(days=5)))
    await existing(session, world, description="Đèn đường xóm 3 hỏng", reference="PA-2026-00903")
    await session.commit()
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    try:
        async with sessions() as s:
            found = await similar.find_similar(s, village_id=world.village.id, category=C.INFRASTRUCTURE,
                                                       description=FLOOD, now=NOW)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", seen)
    # Both flood concerns contain every telling word of the new one (100); the one more households
    # raised wins though it is older; the street light is not alike.
    assert (found.concern.reference, found.households, found.score) == ("PA-2026-00902", 2, 100)
    assert len(statements) == 2  # the candidates (at most 50, recent, open), then the counts of the alike ones
    assert "LIMIT" in statements[0]
