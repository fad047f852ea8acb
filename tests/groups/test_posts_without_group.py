"""Posts for a group no chat is bound to (or whose platform cannot post to groups) go to its people.

The world: Đồng Tâm's leader is its team leader and chi bộ secretary; a deputy reads English; the
commune's party secretary and the team leader of a second village make up the commune's group with
the leader. Each gets what the group would get, in their language, once per event; non-urgent new
concerns wait for the evening message, one per person and unit a day.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.channels.runtime import RetryPolicy
from bot.channels.zalo import ZaloChannel, ZaloClient
from core.text import fold
from handlers.engine.conversation import Env
from handlers.engine.gateway import Gateway
from models.concerns.group_notice import post_new_concern
from models.concerns.record import UNDO_WINDOW, record_concern
from models.enums import (
    Channel,
    ConcernCategory,
    GroupPurpose,
    MeetingStatus,
    Role,
    UnitKind,
    Urgency,
    VisitPurpose,
)
from models.groups import posts
from models.tables import ChatGroup, ChatIdentity, Concern, Household, Meeting, Membership, OutboxMessage, Person
from models.units import tree
from models.visits.record import record_visit
from scheduler.meetings import _result
from scheduler.rollups import daily_rollups
from tests.dialog import Chat
from tests.fakes.zalo_api import TOKEN, FakeZaloApi
from tests.world import World, build_world

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ).astimezone(dt.UTC)


@dataclass
class Place:
    world: World
    deputy: Person
    secretary: Person
    other_leader: Person
    other_household: Household


async def person(session, name: str, user: str, *roles: tuple[Role, int], locale: str | None = None,
                 channel: Channel = Channel.TERMINAL) -> Person:
    made = Person(full_name=name, name_key=fold(name), locale=locale)
    session.add(made)
    await session.flush()
    session.add_all([Membership(person_id=made.id, unit_id=unit_id, role=role) for role, unit_id in roles])
    session.add(ChatIdentity(person_id=made.id, channel=channel, external_id=user, chat_id=user))
    return made


async def build(session) -> Place:
    world = await build_world(session)
    other_village = await tree.add_unit(session, UnitKind.VILLAGE, "Thôn Bắc Sơn", world.commune)
    other_team = await tree.add_unit(session, UnitKind.TEAM, "Tổ Dân vận cộng đồng thôn Bắc Sơn", other_village)
    other_nhom = await tree.add_unit(session, UnitKind.NHOM, "Nhóm 1", other_team)
    deputy = await person(session, "Trần Văn Phó", "deputy", (Role.TEAM_DEPUTY, world.team.id), locale="en")
    secretary = await person(session, "Đỗ Văn Bí", "secretary", (Role.COMMUNE_SECRETARY, world.commune.id),
                             channel=Channel.ZALO)
    other_leader = await person(session, "Lý Thị Bắc", "bac", (Role.TEAM_LEADER, other_team.id))
    other_household = Household(commune_id=world.commune.id, village_id=other_village.id, nhom_id=other_nhom.id,
                                head_name="Lý Văn Sơn", name_key="ly van son")
    session.add(other_household)
    await session.commit()
    return Place(world, deputy, secretary, other_leader, other_household)


async def record(session, place: Place, household: Household, category: ConcernCategory, text: str, *,
                 urgency: Urgency = Urgency.NORMAL, now: dt.datetime) -> Concern:
    world = place.world
    concern = await record_concern(
        session, reporter_id=world.member.id, commune_id=world.commune.id, village_id=household.village_id,
        nhom_id=household.nhom_id, household=household, several_households=False, category=category,
        urgency=urgency, description=text, photos=[], channel=Channel.TERMINAL, now=now, year=now.year)
    await post_new_concern(session, concern, household, locale="vi", now=now, tz=TZ, held=UNDO_WINDOW)
    await session.commit()
    return concern


async def outbox(sessions) -> list[OutboxMessage]:
    async with sessions() as s:
        return list(await s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def by_person(rows: list[OutboxMessage]) -> dict[int | None, list[str]]:
    found: dict[int | None, list[str]] = {}
    for row in rows:
        found.setdefault(row.person_id, []).append(row.payload["text"])
    return found


async def test_an_urgent_concern_goes_at_once_to_the_people_each_once_in_their_language(session, sessions):
    place = await build(session)
    world, hung = place.world, place.world.households[0]
    now = local(2026, 6, 15, 9)
    await record(session, place, hung, ConcernCategory.LAND, "Sạt lở bờ ao sát nhà, nguy hiểm.",
                 urgency=Urgency.URGENT, now=now)
    rows = await outbox(sessions)
    texts = by_person(rows)
    # the leader stands in for both groups and gets the chi bộ's notice, once
    assert set(texts) == {world.leader.id, place.deputy.id, place.secretary.id, place.other_leader.id}
    assert all(len(t) == 1 for t in texts.values())
    assert {r.next_attempt_at for r in rows} == {now + UNDO_WINDOW}  # held while the reporter may undo
    assert {r.kind for r in rows} == {"concern_new"}
    chi_bo, english = texts[world.leader.id][0], texts[place.deputy.id][0]
    assert chi_bo.startswith("🚨 KHẨN · Ý kiến mới PA-2026-00001 — Thôn Đồng Tâm") and "Hộ: Nguyễn Văn Hùng" in chi_bo
    assert english != chi_bo and "Nguyễn Văn Hùng" in english and "KHẨN" not in english
    # the commune's group is never told the household
    for commune_side in (place.secretary.id, place.other_leader.id):
        assert "Nguyễn Văn Hùng" not in texts[commune_side][0] and "Thôn Đồng Tâm" in texts[commune_side][0]
    assert {r.channel for r in rows if r.person_id == place.secretary.id} == {Channel.ZALO}


async def test_other_concerns_wait_for_the_evening_one_message_per_person_and_unit(session, sessions):
    place = await build(session)
    world = place.world
    hung, lan = world.households[0], world.households[1]
    await record(session, place, hung, ConcernCategory.LAND, "Nhà bên lấn 2m đất vườn.", now=local(2026, 6, 15, 9))
    await record(session, place, lan, ConcernCategory.COMPLAINT, "Bà Trần Thị Lan tố cáo việc thu tiền sai.",
                 now=local(2026, 6, 15, 10))
    await record(session, place, place.other_household, ConcernCategory.ENVIRONMENT, "Rác đổ trộm ra bờ sông.",
                 now=local(2026, 6, 15, 11))
    await record_visit(session, person_id=world.member.id, household=hung, visited_on=dt.date(2026, 6, 15),
                       purpose=VisitPurpose.PROPAGANDA, note=None, channel=Channel.TERMINAL, now=local(2026, 6, 15, 8))
    await session.commit()
    assert await outbox(sessions) == []  # nothing while the day goes on

    assert await daily_rollups(sessions, now=local(2026, 6, 15, 19, 5), tz=TZ, default_locale="vi") > 0
    assert await daily_rollups(sessions, now=local(2026, 6, 15, 19, 20), tz=TZ, default_locale="vi") == 0
    rows = await outbox(sessions)
    per_unit = [(r.person_id, r.kind) for r in rows]
    assert len(per_unit) == len(set(per_unit))  # one a person per unit
    texts = {(r.person_id, r.kind): r.payload["text"] for r in rows}
    village = texts[(world.leader.id, "village_rollup")]
    assert village.startswith("📊 Tổng hợp Thôn Đồng Tâm — ngày 15 tháng 6 năm 2026")
    assert "Ý kiến mới trong ngày (2):" in village
    assert "Hộ: Nguyễn Văn Hùng" in village and "Trần Thị Lan" not in village  # a complainant stays hidden
    assert "Bắc Sơn" not in village
    assert (place.deputy.id, "village_rollup") in texts and "Nguyễn Văn Hùng" in texts[(place.deputy.id,
                                                                                        "village_rollup")]
    commune = texts[(place.secretary.id, "commune_rollup")]
    assert commune.startswith("📣 Ý kiến mới trong ngày — Xã Phúc Sơn, ngày 15 tháng 6 năm 2026: 3")
    assert "Nguyễn Văn Hùng" not in commune and "Lý Văn Sơn" not in commune and "Thôn Bắc Sơn" in commune
    assert {p for p, kind in per_unit if kind == "commune_rollup"} == {
        world.leader.id, place.secretary.id, place.other_leader.id}
    # Bắc Sơn had no visits, but its concern makes a day: its team leader hears of it for the village
    assert "Lý Văn Sơn" in texts[(place.other_leader.id, "village_rollup")]


async def test_a_bound_group_takes_the_posts_and_nobody_is_sent_them_one_by_one(session, sessions):
    place = await build(session)
    world = place.world
    session.add_all([
        ChatGroup(channel=Channel.TELEGRAM, chat_id="-100", unit_id=world.village.id, purpose=GroupPurpose.CHI_BO),
        ChatGroup(channel=Channel.TELEGRAM, chat_id="-200", unit_id=world.commune.id,
                  purpose=GroupPurpose.KHOI_DAN_VAN)])
    await session.commit()
    await record(session, place, world.households[0], ConcernCategory.LAND, "Sạt lở bờ ao.", urgency=Urgency.URGENT,
                 now=local(2026, 6, 15, 9))
    assert sorted((r.chat_id, r.person_id) for r in await outbox(sessions)) == [("-100", None), ("-200", None)]


async def test_a_zalo_group_counts_as_none_when_the_bot_cannot_join_groups(session, sessions):
    place = await build(session)
    world = place.world
    session.add_all([
        ChatGroup(channel=Channel.TELEGRAM, chat_id="-100", unit_id=world.village.id, purpose=GroupPurpose.CHI_BO),
        ChatGroup(channel=Channel.ZALO, chat_id="zg-kdv", unit_id=world.commune.id,
                  purpose=GroupPurpose.KHOI_DAN_VAN)])
    await posts.record_capability(session, Channel.ZALO, can_join_groups=False, now=local(2026, 6, 15, 7))
    await session.commit()
    await record(session, place, world.households[0], ConcernCategory.LAND, "Sạt lở bờ ao.", urgency=Urgency.URGENT,
                 now=local(2026, 6, 15, 9))
    rows = await outbox(sessions)
    assert "zg-kdv" not in {r.chat_id for r in rows}
    assert {r.person_id for r in rows if r.person_id} == {world.leader.id, place.secretary.id, place.other_leader.id}
    assert [r.chat_id for r in rows if r.person_id is None] == ["-100"]


async def test_a_meeting_result_goes_to_the_chi_bo_people_without_a_group(session, sessions):
    place = await build(session)
    world = place.world
    meeting = Meeting(team_id=world.team.id, starts_at=local(2026, 6, 25, 19, 30), place="Nhà văn hóa",
                      minutes="Thống nhất làm đường.", status=MeetingStatus.HELD)
    session.add(meeting)
    await session.commit()
    assert await _result(session, meeting, local(2026, 6, 25, 21), TZ, "vi") == 2
    await session.commit()
    assert {r.person_id for r in await outbox(sessions)} == {world.leader.id, place.deputy.id}


async def test_private_ganket_says_where_each_units_posts_go(session, sessions):
    place = await build(session)
    world = place.world
    session.add(ChatGroup(channel=Channel.TELEGRAM, chat_id="-100", title="Chi bộ Đồng Tâm", unit_id=world.village.id,
                          purpose=GroupPurpose.CHI_BO))
    await session.commit()
    leader = Chat(sessions, "leader")
    await leader.say("/ganket")
    assert leader.last[0].text == "\n".join([
        "🔗 Nhóm nhận báo cáo của đơn vị bạn phụ trách:",
        "• Nhóm chi bộ — Thôn Đồng Tâm: gửi vào nhóm Telegram “Chi bộ Đồng Tâm”.",
        "Khi chưa gắn nhóm, mỗi người nhận một tin mỗi ngày cho mỗi đơn vị (lúc tổng hợp buổi tối, kèm các ý kiến "
        "mới trong ngày); ý kiến khẩn gửi ngay; ai chưa có vai trò trong Gần Dân (Chủ tịch Mặt trận, trưởng các "
        "đoàn thể) chưa nhận được.",
        "Để gắn nhóm: thêm bot vào nhóm chat rồi gõ /ganket trong nhóm đó.",
    ])
    secretary_chat = Chat(sessions, "secretary", channel=Channel.ZALO)
    await secretary_chat.say("/ganket")
    text = secretary_chat.last[0].text
    assert "• Nhóm Khối dân vận xã — Xã Phúc Sơn: chưa gắn nhóm — gửi riêng cho 3 người (Trưởng khối dân vận, " \
           "Bí thư Đảng ủy, Tổ trưởng)." in text
    assert "⚠️" not in text
    # the same answer from the menu, one level down
    assert "🔗 Nhóm nhận báo cáo" in await leader.menu_labels()
    assert "🔗 Nhóm nhận báo cáo" not in [o.label for o in leader.last[-1].options]  # folded one level down
    await leader.transcript([("nhom nhan bao cao", "🔗 Nhóm nhận báo cáo của đơn vị bạn phụ trách:")])


async def test_a_zalo_bot_that_cannot_join_groups_says_so_at_start_and_on_ganket(session, sessions, caplog):
    place = await build(session)
    async with FakeZaloApi() as api, ZaloClient(TOKEN, api.base_url) as client:
        api.bot["can_join_groups"] = False
        channel = ZaloChannel(client, Gateway(sessions, Env(tz=TZ)), policy=RetryPolicy(attempts=2))
        with caplog.at_level(logging.WARNING, logger="bot.channels.zalo.channel"):
            me = await channel.connect()
    assert me.can_join_groups is False
    assert any("cannot join Zalo groups" in r.getMessage() for r in caplog.records)
    async with sessions() as s:
        assert await posts.platforms_without_groups(s) == {Channel.ZALO}
    chat = Chat(sessions, "secretary", channel=Channel.ZALO)
    await chat.say("/ganket")
    assert chat.last[0].text.endswith(
        "⚠️ Zalo chưa cho bot này vào nhóm, nên không gắn được nhóm Zalo: đơn vị chưa có nhóm Telegram thì tin được "
        "gửi riêng cho từng người như trên.")
    assert place.secretary.id  # the commune's secretary asked, on Zalo


