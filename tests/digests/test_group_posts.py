"""Reports aggregated into the bound group chats: each new concern once to the village's chi bộ group
and the commune's khối dân vận group, and the daily roll-up of each village's day to its chi bộ."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.outbox.sender import OutboxSender
from core.settings import SettingsError, load_settings
from models.concerns.group_notice import post_new_concern
from models.concerns.group_posts import SNIPPET, shows_household, snippet
from models.concerns.record import record_concern
from models.enums import Channel, ConcernCategory, GroupPurpose, OutboxStatus, UnitKind, Urgency, VisitPurpose
from models.tables import ChatGroup, Concern, Household, OutboxMessage, Person
from models.units import tree
from models.visits.record import record_visit, undo_visit
from scheduler.rollups import daily_rollups
from tests.dialog import Chat
from tests.world import World, build_world

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CHI_BO_CHAT, KDV_CHAT, TEAM_CHAT, OTHER_CHI_BO_CHAT = "-1001", "kdv-zalo", "-1003", "-1002"


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ).astimezone(dt.UTC)


@dataclasses.dataclass
class Groups:
    chi_bo: ChatGroup
    kdv: ChatGroup
    team: ChatGroup
    other_chi_bo: ChatGroup
    other_household: Household


async def bind_groups(session, world: World) -> Groups:
    """The village's chi bộ and team groups, the commune's khối dân vận group, and a second village's chi bộ."""
    other_village = await tree.add_unit(session, UnitKind.VILLAGE, "Thôn Bắc Sơn", world.commune)
    other_team = await tree.add_unit(session, UnitKind.TEAM, "Tổ Dân vận cộng đồng thôn Bắc Sơn", other_village)
    other_nhom = await tree.add_unit(session, UnitKind.NHOM, "Nhóm 1", other_team)
    other_household = Household(commune_id=world.commune.id, village_id=other_village.id, nhom_id=other_nhom.id,
                                head_name="Lý Văn Bắc", name_key="ly van bac")
    made = Groups(
        chi_bo=ChatGroup(channel=Channel.TELEGRAM, chat_id=CHI_BO_CHAT, unit_id=world.village.id,
                         purpose=GroupPurpose.CHI_BO),
        kdv=ChatGroup(channel=Channel.ZALO, chat_id=KDV_CHAT, unit_id=world.commune.id,
                      purpose=GroupPurpose.KHOI_DAN_VAN),
        team=ChatGroup(channel=Channel.TELEGRAM, chat_id=TEAM_CHAT, unit_id=world.team.id, purpose=GroupPurpose.TEAM),
        other_chi_bo=ChatGroup(channel=Channel.TELEGRAM, chat_id=OTHER_CHI_BO_CHAT, unit_id=other_village.id,
                               purpose=GroupPurpose.CHI_BO),
        other_household=other_household,
    )
    session.add_all([made.chi_bo, made.kdv, made.team, made.other_chi_bo, other_household])
    await session.commit()
    return made


async def outbox(sessions) -> list[OutboxMessage]:
    async with sessions() as s:
        return list(await s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def log_concern(chat: Chat, category: str, text: str, urgency: str, household: str) -> None:
    await chat.say("/menu")
    await chat.say("2")
    await chat.say(category)
    await chat.say(text)
    await chat.say(urgency)
    await chat.say(household)
    await chat.say("1")  # ✅ Lưu, on the review
    assert chat.last[0].text.startswith("✅ Đã ghi ý kiến"), chat.screen


class Recorder:
    """A platform that keeps what it was sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def deliver(self, chat_id: str, body: dict[str, Any]) -> str | None:
        self.sent.append((chat_id, body["text"]))
        await asyncio.sleep(0)
        return str(len(self.sent))


# --- each new concern to the groups ------------------------------------------------------------------

LAND_CHI_BO = ("📣 Ý kiến mới PA-2026-00001 — Thôn Đồng Tâm\n"
               "Hộ: Nguyễn Văn Hùng\n"
               "Lĩnh vực: Đất đai · Mức độ: Bình thường\n"
               "Nội dung: Nhà bên cạnh lấn sang 2m đất vườn, đã nhắc nhưng chưa sửa.\n"
               "Hạn trả lời: ngày 24 tháng 12 năm 2026")
LAND_KDV = LAND_CHI_BO.replace("Hộ: Nguyễn Văn Hùng\n", "")


async def test_a_new_concern_reaches_the_chi_bo_and_the_khoi_dan_van_group_once_each(session, sessions):
    world = await build_world(session)
    groups = await bind_groups(session, world)
    chat = Chat(sessions, "member")
    await log_concern(chat, "đất đai", "Nhà bên cạnh lấn sang 2m đất vườn, đã nhắc nhưng chưa sửa.", "1",
                      "Nguyễn Văn Hùng")
    async with sessions() as s:
        concern = await s.scalar(select(Concern))
    rows = await outbox(sessions)
    # not the team group, not the other village's chi bộ: one row for each of the two groups
    assert [(r.idempotency_key, r.channel, r.chat_id, r.kind, r.payload["text"]) for r in rows] == [
        (f"concern:{concern.id}:new:g{groups.chi_bo.id}", Channel.TELEGRAM, CHI_BO_CHAT, "concern_new", LAND_CHI_BO),
        (f"concern:{concern.id}:new:g{groups.kdv.id}", Channel.ZALO, KDV_CHAT, "concern_new", LAND_KDV),
    ]
    # 9:00: no quiet hours; held while the reporter may still undo the concern
    held = chat.now + dt.timedelta(minutes=10)
    assert all(r.person_id is None and r.next_attempt_at == held for r in rows)

    async with sessions() as s:  # the same operation again (a retried update) adds nothing
        again = await s.get(Concern, concern.id)
        household = await s.get(Household, again.household_id)
        assert await post_new_concern(s, again, household, locale="vi", now=chat.now, tz=TZ) == 0
        await s.commit()
    assert len(await outbox(sessions)) == 2

    recorder = Recorder()
    sender = OutboxSender(sessions, {Channel.TELEGRAM: recorder, Channel.ZALO: recorder}, worker_id="t",
                          clock=lambda: chat.now)
    assert await sender.drain_once(chat.now + dt.timedelta(minutes=9)) == 0
    assert await sender.drain_once(held) == 2
    assert await sender.drain_once(held + dt.timedelta(minutes=5)) == 0
    assert sorted(recorder.sent) == sorted([(CHI_BO_CHAT, LAND_CHI_BO), (KDV_CHAT, LAND_KDV)])
    assert {r.status for r in await outbox(sessions)} == {OutboxStatus.SENT}


async def test_group_texts_are_in_the_deployments_language_not_the_reporters(session, sessions):
    world = await build_world(session)
    await bind_groups(session, world)
    async with sessions() as s:
        (await s.get(Person, world.member.id)).locale = "en"
        await s.commit()
    chat = Chat(sessions, "member")
    await chat.say("/menu")
    await chat.say("2")
    await chat.say("1")
    await chat.say("Nhà bên cạnh lấn sang 2m đất vườn, đã nhắc nhưng chưa sửa.")
    await chat.say("1")
    await chat.say("Nguyễn Văn Hùng")
    assert chat.last[-1].text.startswith("📋 Check before saving:")
    await chat.say("1")
    assert chat.last[0].text.startswith("✅ Concern PA-2026-00001 logged")  # the reporter reads English
    assert [r.payload["text"] for r in await outbox(sessions)] == [LAND_CHI_BO, LAND_KDV]  # DEFAULT_LOCALE=vi


async def test_an_urgent_anonymous_concern_is_marked_and_says_so(session, sessions):
    world = await build_world(session)
    await bind_groups(session, world)
    chat = Chat(sessions, "member")
    await log_concern(chat, "an ninh", "Nhóm thanh niên lạ tụ tập đua xe ở đầu làng mỗi tối.", "Khẩn",
                      "Ẩn danh / nhiều hộ")
    chi_bo, kdv = [r.payload["text"] for r in await outbox(sessions)]
    assert chi_bo == ("🚨 KHẨN · Ý kiến mới PA-2026-00001 — Thôn Đồng Tâm\n"
                      "Hộ: ẩn danh / nhiều hộ\n"
                      "Lĩnh vực: An ninh, trật tự · Mức độ: Khẩn\n"
                      "Nội dung: Nhóm thanh niên lạ tụ tập đua xe ở đầu làng mỗi tối.\n"
                      "Hạn trả lời: ngày 27 tháng 11 năm 2026")
    assert kdv == chi_bo.replace("Hộ: ẩn danh / nhiều hộ\n", "")


async def record(session, world: World, household: Household | None, category: ConcernCategory, description: str,
                 *, urgency: Urgency = Urgency.NORMAL, now: dt.datetime) -> Concern:
    return await record_concern(
        session, reporter_id=world.member.id, commune_id=world.commune.id,
        village_id=household.village_id if household else world.village.id,
        nhom_id=household.nhom_id if household else None, household=household,
        several_households=household is None, category=category, urgency=urgency, description=description,
        photos=[], channel=Channel.TERMINAL, now=now, year=now.astimezone(TZ).year)


@pytest.mark.parametrize(("category", "chi_bo_sees", "kdv_sees"), [
    (ConcernCategory.LAND, True, False),
    (ConcernCategory.SOCIAL_POLICY, True, False),
    (ConcernCategory.COMPLAINT, False, False),  # the denouncer's identity is protected by law
])
async def test_the_household_name_reaches_only_the_groups_entitled_to_it(session, sessions, category, chi_bo_sees,
                                                                       kdv_sees):
    world = await build_world(session)
    await bind_groups(session, world)
    hung = world.households[0]
    concern = await record(session, world, hung, category,
                           "Ông Nguyễn Văn Hùng (ĐT 0912 345 678) đề nghị xem lại việc cấp đổi sổ đỏ.",
                           now=local(2026, 6, 15, 9))
    await post_new_concern(session, concern, hung, locale="vi", now=local(2026, 6, 15, 9), tz=TZ)
    await session.commit()
    texts = {r.chat_id: r.payload["text"] for r in await outbox(sessions)}
    assert set(texts) == {CHI_BO_CHAT, KDV_CHAT}
    for chat_id, sees in ((CHI_BO_CHAT, chi_bo_sees), (KDV_CHAT, kdv_sees)):
        text = texts[chat_id]
        assert ("Hộ: Nguyễn Văn Hùng" in text) is sees
        assert ("Nguyễn Văn Hùng" in text) is sees  # nor written out in the description
        assert "0912 345 678" not in text and "***678" in text  # phones never go to a group
        assert hung.address not in text


def test_the_rule_in_one_table():
    for category in ConcernCategory:
        assert shows_household(GroupPurpose.KHOI_DAN_VAN, category) is False
        assert shows_household(GroupPurpose.CHI_BO, category) is (category != ConcernCategory.COMPLAINT)


def test_a_long_description_is_cut_at_a_word():
    text = "Đường liên thôn " + "bị sụt lún nặng sau mưa lớn, " * 12 + "cần sửa gấp."
    short = snippet(text)
    assert len(short) <= SNIPPET and short.endswith("…") and not short.endswith(" …")
    assert text.startswith(short[:-1])
    assert text[len(short) - 1] in " ,"  # the cut falls between words
    assert snippet("  Hai   dòng\nmột ý.  ") == "Hai dòng một ý."


async def test_no_group_bound_queues_nothing_and_the_concern_is_recorded(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    await log_concern(chat, "đất đai", "Nhà bên cạnh lấn sang 2m đất vườn.", "1", "Nguyễn Văn Hùng")
    assert await outbox(sessions) == []
    async with sessions() as s:
        assert [c.reference for c in await s.scalars(select(Concern))] == ["PA-2026-00001"]


async def test_a_concern_recorded_at_night_waits_for_the_morning(session, sessions):
    world = await build_world(session)
    await bind_groups(session, world)
    chat = Chat(sessions, "member", now=local(2026, 11, 24, 22, 30))
    await log_concern(chat, "môi trường", "Rác đổ trộm ra bờ sông cạnh cầu.", "1", "Nguyễn Văn Hùng")
    assert {r.next_attempt_at for r in await outbox(sessions)} == {local(2026, 11, 25, 7)}


# --- the daily roll-up --------------------------------------------------------------------------------

DAY = dt.date(2026, 6, 15)


async def visit(session, world: World, household: Household, purpose: VisitPurpose, at: dt.datetime) -> int:
    made = await record_visit(session, person_id=world.member.id, household=household,
                              visited_on=at.astimezone(TZ).date(), purpose=purpose, note=None,
                              channel=Channel.TERMINAL, now=at)
    return made.id


async def a_day(session, world: World, groups: Groups) -> None:
    """Hand count for the roll-up of 15 June (from 19:00 on the 14th to 19:00 on the 15th). Đồng Tâm: visits
    Nhóm 1: 3, Nhóm 2: 1; propaganda 3, encouragement 1; concerns 3 — land 2 (1 urgent), environment 1.
    Bắc Sơn: one mediation visit."""
    hung, lan, stranger = world.households[0], world.households[1], world.stranger_household
    await visit(session, world, hung, VisitPurpose.PROPAGANDA, local(2026, 6, 14, 18, 59))  # the day before's
    await visit(session, world, hung, VisitPurpose.PROPAGANDA, local(2026, 6, 14, 19, 0))  # counts
    await visit(session, world, lan, VisitPurpose.ENCOURAGE, local(2026, 6, 15, 8))  # counts
    await visit(session, world, stranger, VisitPurpose.PROPAGANDA, local(2026, 6, 15, 10))  # counts (Nhóm 2)
    await visit(session, world, lan, VisitPurpose.PROPAGANDA, local(2026, 6, 15, 12))  # counts
    undone = await visit(session, world, hung, VisitPurpose.MEDIATE, local(2026, 6, 15, 14))
    assert await undo_visit(session, person_id=world.member.id, visit_id=undone, now=local(2026, 6, 15, 14, 5))
    await visit(session, world, hung, VisitPurpose.OTHER, local(2026, 6, 15, 19, 0))  # the next day's
    await visit(session, world, groups.other_household, VisitPurpose.MEDIATE, local(2026, 6, 15, 9))  # other village
    await record(session, world, hung, ConcernCategory.LAND, "Lấn chiếm đất vườn.", now=local(2026, 6, 15, 9))
    await record(session, world, lan, ConcernCategory.LAND, "Tranh chấp ranh giới đất.", urgency=Urgency.URGENT,
                 now=local(2026, 6, 15, 11))
    await record(session, world, None, ConcernCategory.ENVIRONMENT, "Rác thải ở kênh.", now=local(2026, 6, 15, 15))
    await record(session, world, hung, ConcernCategory.SECURITY, "Trộm gà.", now=local(2026, 6, 14, 10))  # before
    await session.commit()


OTHER_ROLLUP = ("📊 Tổng hợp Thôn Bắc Sơn — ngày 15 tháng 6 năm 2026\n"
                "(từ 19:00 hôm qua đến 19:00 hôm nay)\n"
                "🏠 Thăm hộ: 1 lượt\n"
                "• Nhóm 1: 1\n"
                "Theo nội dung:\n"
                "• Hòa giải mâu thuẫn: 1\n"
                "📣 Ý kiến mới: 0")
ROLLUP = ("📊 Tổng hợp Thôn Đồng Tâm — ngày 15 tháng 6 năm 2026\n"
          "(từ 19:00 hôm qua đến 19:00 hôm nay)\n"
          "🏠 Thăm hộ: 4 lượt\n"
          "• Nhóm 1: 3\n"
          "• Nhóm 2: 1\n"
          "Theo nội dung:\n"
          "• Tuyên truyền chủ trương, chính sách: 3\n"
          "• Thăm hỏi, động viên: 1\n"
          "📣 Ý kiến mới: 3, trong đó 🚨 1 khẩn\n"
          "• Đất đai: 2 (🚨 1 khẩn)\n"
          "• Môi trường, vệ sinh: 1")


async def test_the_rollup_figures_match_a_hand_count_and_go_out_once(session, sessions):
    world = await build_world(session)
    groups = await bind_groups(session, world)
    await a_day(session, world, groups)

    assert await daily_rollups(sessions, now=local(2026, 6, 15, 18, 59), tz=TZ) == 0  # not yet
    assert await daily_rollups(sessions, now=local(2026, 6, 15, 19, 0), tz=TZ) == 2
    rows = [r for r in await outbox(sessions) if r.kind == "village_rollup"]
    # each village's chi bộ group its own figures; nothing to the team or khối dân vận groups
    assert [(r.idempotency_key, r.chat_id, r.payload["text"]) for r in rows] == [
        (f"rollup:{world.village.id}:2026-06-15:g{groups.chi_bo.id}", CHI_BO_CHAT, ROLLUP),
        (f"rollup:{groups.other_chi_bo.unit_id}:2026-06-15:g{groups.other_chi_bo.id}", OTHER_CHI_BO_CHAT,
         OTHER_ROLLUP),
    ]
    assert await daily_rollups(sessions, now=local(2026, 6, 15, 19, 15), tz=TZ) == 0  # a second run
    assert await daily_rollups(sessions, now=local(2026, 6, 15, 20, 45), tz=TZ) == 0


async def test_a_quiet_day_sends_nothing(session, sessions):
    world = await build_world(session)
    await bind_groups(session, world)
    await visit(session, world, world.households[0], VisitPurpose.PROPAGANDA, local(2026, 6, 14, 18))  # the 14th's
    await session.commit()
    assert await daily_rollups(sessions, now=local(2026, 6, 15, 19), tz=TZ) == 0
    assert await daily_rollups(sessions, now=local(2026, 6, 15, 20), tz=TZ) == 0
    assert await outbox(sessions) == []


async def test_after_downtime_the_rollup_goes_out_the_same_evening_but_not_next_morning(session, sessions):
    world = await build_world(session)
    groups = await bind_groups(session, world)
    await a_day(session, world, groups)
    # down from before 19:00 until 20:40: the same day's roll-up, the same figures, then never again
    assert await daily_rollups(sessions, now=local(2026, 6, 15, 20, 40), tz=TZ) == 2
    rollups = [r for r in await outbox(sessions) if r.kind == "village_rollup"]
    assert [r.payload["text"] for r in rollups] == [ROLLUP, OTHER_ROLLUP]
    assert rollups[0].next_attempt_at == local(2026, 6, 15, 20, 40)
    assert await daily_rollups(sessions, now=local(2026, 6, 15, 20, 55), tz=TZ) == 0

    # down the whole evening of the 16th (the 19:00 visit of the 15th was that day's only activity)
    assert await daily_rollups(sessions, now=local(2026, 6, 16, 21, 0), tz=TZ) == 0  # quiet hours
    assert await daily_rollups(sessions, now=local(2026, 6, 17, 7, 30), tz=TZ) == 0  # not the next morning
    assert len([r for r in await outbox(sessions) if r.kind == "village_rollup"]) == 2
    # …while that evening it would have gone out
    assert await daily_rollups(sessions, now=local(2026, 6, 16, 19, 30), tz=TZ) == 1
    assert "🏠 Thăm hộ: 1 lượt" in (await outbox(sessions))[-1].payload["text"]


async def test_the_rollup_hour_is_a_setting(session, sessions):
    assert load_settings({}, env_file=None).daily_rollup_time == dt.time(19, 0)
    assert load_settings({"DAILY_ROLLUP_TIME": "18:30"}, env_file=None).daily_rollup_time == dt.time(18, 30)
    assert load_settings({"DAILY_ROLLUP_TIME": "20h"}, env_file=None).daily_rollup_time == dt.time(20, 0)
    for bad in ("21:00", "6:00", "7 giờ", "25:00"):
        with pytest.raises(SettingsError) as error:
            load_settings({"DAILY_ROLLUP_TIME": bad}, env_file=None)
        assert error.value.key == "DAILY_ROLLUP_TIME"

    world = await build_world(session)
    await bind_groups(session, world)
    await visit(session, world, world.households[0], VisitPurpose.PROPAGANDA, local(2026, 6, 15, 12))
    await session.commit()
    early = dt.time(17, 0)
    assert await daily_rollups(sessions, now=local(2026, 6, 15, 16, 59), tz=TZ, at=early) == 0
    assert await daily_rollups(sessions, now=local(2026, 6, 15, 17, 0), tz=TZ, at=early) == 1
    [row] = await outbox(sessions)
    assert "(từ 17:00 hôm qua đến 17:00 hôm nay)" in row.payload["text"]

