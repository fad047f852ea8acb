"""Due dates and overdue concerns: time limits per category and commune, editing them in chat and
on the command line, the overdue nudge, escalation after the grace days (also after downtime),
and the weekly overdue list to the khối dân vận group."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli import build_parser
from bot.commands.common import CommandError
from core.settings import load_settings
from models.concerns import time_limits, workflow
from models.concerns.record import record_concern
from models.enums import (
    Channel,
    CloseReason,
    ConcernCategory,
    ConcernLevel,
    ConcernStatus,
    GroupPurpose,
    OutboxStatus,
    Role,
    UnitKind,
    Urgency,
)
from models.tables import (
    AuditLog,
    ChatGroup,
    ChatIdentity,
    Concern,
    ConcernEvent,
    ConcernRule,
    Household,
    Membership,
    OutboxMessage,
    Person,
)
from models.units import tree
from scheduler.concerns.overdue import concern_overdue_jobs
from tests.dialog import Chat
from tests.world import World, build_world

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LOGGED = dt.datetime(2026, 11, 2, 9, 0, tzinfo=TZ).astimezone(dt.UTC)  # a Monday, 09:00 in Hà Nội


def local(month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=TZ).astimezone(dt.UTC)


@dataclass
class Commune:
    world: World
    deputy: Person
    khoi: Person
    secretary: Person
    group_id: int


async def _person(session: AsyncSession, world: World, name: str, phone: str, unit_id: int, role: Role) -> Person:
    person = Person(full_name=name, name_key=name.lower(), phone=phone, commune_id=world.commune.id)
    session.add(person)
    await session.flush()
    session.add(Membership(person_id=person.id, unit_id=unit_id, role=role))
    return person


@pytest.fixture
async def commune(sessions: async_sessionmaker[AsyncSession]) -> Commune:
    async with sessions() as session:
        world = await build_world(session)
        deputy = await _person(session, world, "Trần Văn Phó", "0912100002", world.team.id, Role.TEAM_DEPUTY)
        khoi = await _person(session, world, "Đỗ Thị Khối", "0912100004", world.commune.id, Role.KHOI_DAN_VAN_HEAD)
        secretary = await _person(session, world, "Lê Văn Bí Thư", "0912100003", world.commune.id,
                                  Role.COMMUNE_SECRETARY)
        for person in (world.leader, world.member, deputy, khoi, secretary):
            session.add(ChatIdentity(person_id=person.id, channel=Channel.TELEGRAM, external_id=f"tg{person.id}",
                                     chat_id=f"tg{person.id}"))
        session.add(ChatIdentity(person_id=khoi.id, channel=Channel.TERMINAL, external_id="khoi", chat_id="khoi"))
        group = ChatGroup(channel=Channel.TELEGRAM, chat_id="-100khoi", title="Khối dân vận xã Phúc Sơn",
                          unit_id=world.commune.id, purpose=GroupPurpose.KHOI_DAN_VAN)
        session.add(group)
        await session.commit()
        return Commune(world, deputy, khoi, secretary, group.id)


async def _log(sessions: async_sessionmaker[AsyncSession], world: World, category: ConcernCategory,
               urgency: Urgency = Urgency.NORMAL, *, at: dt.datetime = LOGGED, household: int = 0,
               commune_id: int | None = None) -> Concern:
    async with sessions() as session:
        home = await session.get(Household, world.households[household].id)
        concern = await record_concern(
            session, reporter_id=world.member.id, commune_id=commune_id or world.commune.id,
            village_id=world.village.id, nhom_id=world.nhom.id, household=home, several_households=False,
            category=category, urgency=urgency, description="Đường liên thôn sạt lở, gọi 0912345678 để biết thêm",
            photos=[], channel=Channel.TELEGRAM, now=at)
        await session.commit()
        return concern


async def _run(sessions: async_sessionmaker[AsyncSession], *moments: dt.datetime) -> int:
    return sum([await concern_overdue_jobs(sessions, now=moment, tz=TZ) for moment in moments])


async def _outbox(sessions: async_sessionmaker[AsyncSession], prefix: str) -> list[OutboxMessage]:
    async with sessions() as session:
        return list(await session.scalars(select(OutboxMessage).where(OutboxMessage.idempotency_key.startswith(prefix))
                                          .order_by(OutboxMessage.id)))


async def _get(sessions: async_sessionmaker[AsyncSession], concern_id: int) -> Concern:
    async with sessions() as session:
        return await session.get(Concern, concern_id)


async def _escalations(sessions: async_sessionmaker[AsyncSession], concern_id: int) -> list[ConcernEvent]:
    async with sessions() as session:
        return list(await session.scalars(select(ConcernEvent).where(
            ConcernEvent.concern_id == concern_id, ConcernEvent.action == "escalated").order_by(ConcernEvent.id)))


# --- time limits ---------------------------------------------------------------------------------

async def test_a_new_concern_is_due_by_the_default_or_the_communes_own_limit(sessions, commune: Commune) -> None:
    world = commune.world
    urgent = await _log(sessions, world, ConcernCategory.LAND, Urgency.URGENT)
    complaint = await _log(sessions, world, ConcernCategory.COMPLAINT)
    land = await _log(sessions, world, ConcernCategory.LAND)
    assert urgent.due_at == LOGGED + dt.timedelta(days=3)
    assert complaint.due_at == LOGGED + dt.timedelta(days=30)  # Law on Complaints 2011, art. 28
    assert land.due_at == LOGGED + dt.timedelta(days=30)
    async with sessions() as session:
        other = await tree.add_unit(session, UnitKind.COMMUNE, "Xã Miền Núi")
        # A remote commune: 45 days for complaints (art. 28), urgent land matters within 2 days.
        await time_limits.set_rule(session, world.commune.id, ConcernCategory.COMPLAINT, Urgency.NORMAL,
                                     due_days=45, escalate_after_days=5, person_id=commune.khoi.id, now=LOGGED)
        await time_limits.set_rule(session, world.commune.id, ConcernCategory.LAND, Urgency.URGENT,
                                     due_days=2, escalate_after_days=1, person_id=commune.khoi.id, now=LOGGED)
        await session.commit()
        other_id = other.id
    assert (await _log(sessions, world, ConcernCategory.COMPLAINT)).due_at == LOGGED + dt.timedelta(days=45)
    assert (await _log(sessions, world, ConcernCategory.LAND, Urgency.URGENT)).due_at == LOGGED + dt.timedelta(days=2)
    assert (await _log(sessions, world, ConcernCategory.LAND)).due_at == LOGGED + dt.timedelta(days=30)
    # Another commune keeps the defaults.
    elsewhere = await _log(sessions, world, ConcernCategory.COMPLAINT, commune_id=other_id)
    assert elsewhere.due_at == LOGGED + dt.timedelta(days=30)
    assert (await _get(sessions, complaint.id)).due_at == LOGGED + dt.timedelta(days=30)  # logged before: unchanged


async def test_rules_merge_over_the_defaults_are_validated_and_audited(sessions, commune: Commune) -> None:
    commune_id = commune.world.commune.id
    async with sessions() as session:
        rules = await time_limits.rules_for(session, commune_id)
        assert len(rules) == len(ConcernCategory) * len(Urgency)
        assert rules[(ConcernCategory.SECURITY, Urgency.NORMAL)] == time_limits.Limits(7, 3)
        assert rules[(ConcernCategory.SECURITY, Urgency.URGENT)] == time_limits.Limits(3, 1)
        for days, escalate in ((0, 3), (91, 3), (10, 0), (10, 31)):
            with pytest.raises(time_limits.BadRule):
                await time_limits.set_rule(session, commune_id, ConcernCategory.LAND, Urgency.NORMAL, due_days=days,
                                             escalate_after_days=escalate, person_id=commune.khoi.id, now=LOGGED)
        await time_limits.set_rule(session, commune_id, ConcernCategory.LAND, Urgency.NORMAL, due_days=20,
                                     escalate_after_days=2, person_id=commune.khoi.id, now=LOGGED)
        await time_limits.set_rule(session, commune_id, ConcernCategory.LAND, Urgency.NORMAL, due_days=25,
                                     escalate_after_days=2, person_id=commune.khoi.id, now=LOGGED)
        rules = await time_limits.rules_for(session, commune_id)
        assert rules[(ConcernCategory.LAND, Urgency.NORMAL)] == time_limits.Limits(25, 2, custom=True)
        assert await session.scalar(select(func.count()).select_from(ConcernRule)) == 1
        assert await time_limits.reset_rule(session, commune_id, ConcernCategory.LAND, Urgency.NORMAL,
                                              person_id=commune.khoi.id, now=LOGGED)
        assert not await time_limits.reset_rule(session, commune_id, ConcernCategory.LAND, Urgency.NORMAL,
                                                  person_id=commune.khoi.id, now=LOGGED)
        assert (await time_limits.rules_for(session, commune_id))[(ConcernCategory.LAND, Urgency.NORMAL)] \
            == time_limits.Limits(30, 3)
        entries = (await session.scalars(select(AuditLog).where(AuditLog.entity_type == "concern_rule")
                                         .order_by(AuditLog.id))).all()
        assert [e.action for e in entries] == ["set_concern_rule", "set_concern_rule", "reset_concern_rule"]
        assert entries[1].details["before"] == {"due_days": 20, "escalate_after_days": 2}
        assert entries[1].details["after"] == {"due_days": 25, "escalate_after_days": 2}
        assert {e.actor_id for e in entries} == {commune.khoi.id}


async def test_the_khoi_head_edits_a_limit_in_chat(sessions, commune: Commune) -> None:
    chat = Chat(sessions, "khoi")
    await chat.say("/menu")
    await chat.menu_entry("Thời hạn xử lý ý kiến")
    assert "⏱ Thời hạn xử lý ý kiến — Xã Phúc Sơn" in chat.screen
    # one line a category (days to answer, + days overdue before going up, * the default): one Zalo message
    assert "• Khiếu nại, tố cáo: Bình thường 30 (+3)* · Khẩn 3 (+1)*" in chat.screen
    assert "• An ninh, trật tự: Bình thường 7 (+3)* · Khẩn 3 (+1)*" in chat.screen
    assert len(chat.screen) <= 2000
    await chat.say("mười ngày")  # not an item of the list
    assert "Chọn một mục trong danh sách bằng số thứ tự." in chat.screen
    await chat.say(chat.option_number("Khiếu nại, tố cáo · Bình thường"))
    assert "Khiếu nại, tố cáo · Bình thường: hiện là 30 ngày" in chat.screen
    await chat.say("bốn lăm")
    assert "Hãy gõ số ngày bằng chữ số, ví dụ: 20 hoặc 20 2." in chat.screen
    await chat.say("120")
    assert "Số ngày trả lời phải từ 1 đến 90" in chat.screen
    await chat.say("45 40")
    assert "số ngày quá hạn trước khi chuyển lên từ 1 đến 30" in chat.screen
    await chat.say("45 5")
    assert ("✅ Đã lưu — Khiếu nại, tố cáo · Bình thường: 45 ngày, quá hạn 5 ngày thì chuyển lên cấp trên."
            in chat.screen)
    assert "ý kiến đã ghi giữ hạn cũ" in chat.screen
    async with sessions() as session:
        rule = await session.scalar(select(ConcernRule))
        assert (rule.commune_id, rule.category, rule.urgency, rule.due_days, rule.escalate_after_days,
                rule.updated_by_id) == (commune.world.commune.id, ConcernCategory.COMPLAINT, Urgency.NORMAL, 45, 5,
                                        commune.khoi.id)
    # Now it is the commune's own: listed without "(mặc định)", and 0 puts the default back.
    await chat.say(choice="m:cr")
    assert "• Khiếu nại, tố cáo: Bình thường 45 (+5) · Khẩn 3 (+1)*\n" in chat.screen
    await chat.say(chat.option_number("Khiếu nại, tố cáo · Bình thường"))
    assert "Gõ 0 để về mặc định (30 ngày, quá hạn 3 ngày thì chuyển lên cấp trên)." in chat.screen
    await chat.say("20")  # the days before going up a level stay as they were
    assert "45" not in chat.last[0].text and "20 ngày, quá hạn 5 ngày" in chat.screen
    await chat.say(choice="m:cr")
    await chat.say(chat.option_number("Khiếu nại, tố cáo · Bình thường"))
    await chat.say("0")
    assert "✅ Đã lưu — Khiếu nại, tố cáo · Bình thường: 30 ngày, quá hạn 3 ngày thì chuyển lên cấp trên (mặc định)." \
        in chat.screen
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ConcernRule)) == 0


async def test_other_roles_are_refused_the_limits(sessions, commune: Commune) -> None:
    for user in ("leader", "member"):
        chat = Chat(sessions, user)
        await chat.say("/menu")
        assert "Thời hạn xử lý ý kiến" not in chat.screen
        await chat.say(choice="m:cr")
        assert "Mục này dành cho trưởng khối dân vận và bí thư Đảng ủy xã." in chat.screen
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ConcernRule)) == 0


async def _cli(db_url: str, *argv: str) -> int:
    args = build_parser().parse_args(["concerns", "rules", *argv])
    return await args.func(args, load_settings({"DATABASE_URL": db_url}, env_file=None))


async def test_the_cli_lists_sets_and_resets_a_communes_limits(sessions, commune: Commune, db_url: str,
                                                               capsys) -> None:
    assert await _cli(db_url, "--commune", "phuc son") == 0
    out = capsys.readouterr().out
    assert "Thời hạn xử lý ý kiến của Xã Phúc Sơn:" in out
    assert "  • Đất đai · Bình thường: 30 ngày, quá hạn 3 ngày thì chuyển lên cấp trên (mặc định)" in out
    assert await _cli(db_url, "--set", "complaint", "normal", "45", "5") == 0
    out = capsys.readouterr().out
    assert "• Khiếu nại, tố cáo · Bình thường: 45 ngày, quá hạn 5 ngày thì chuyển lên cấp trên\n" in out
    assert await _cli(db_url, "--set", "an ninh, trat tu", "khan", "2") == 0  # labels without diacritics work too
    assert "• An ninh, trật tự · Khẩn: 2 ngày, quá hạn 1 ngày thì chuyển lên cấp trên\n" in capsys.readouterr().out
    for bad, message in ((("--commune", "Xã Không Có"), "Không có xã/phường “Xã Không Có”"),
                         (("--set", "weather", "normal", "5"), "Không có lĩnh vực “weather”"),
                         (("--set", "land", "soon", "5"), "Không có mức độ “soon”"),
                         (("--set", "land", "normal", "0"), "Số ngày trả lời phải từ 1 đến 90"),
                         (("--set", "land", "normal", "ba"), "“ba” không phải số ngày"),
                         (("--set", "land", "normal"), "--set cần")):
        with pytest.raises(CommandError, match=message):
            await _cli(db_url, *bad)
    assert await _cli(db_url, "--reset", "complaint", "normal") == 0
    assert "Đã trả về mặc định: Khiếu nại, tố cáo · Bình thường." in capsys.readouterr().out
    async with sessions() as session:
        rows = (await session.scalars(select(ConcernRule))).all()
        assert [(r.category, r.urgency, r.due_days, r.escalate_after_days) for r in rows] == [
            (ConcernCategory.SECURITY, Urgency.URGENT, 2, 1)]
        labels = set(await session.scalars(select(AuditLog.actor_label).where(AuditLog.entity_type == "concern_rule")))
        assert labels == {"cli"}


# --- overdue: the nudge ----------------------------------------------------------------------------

async def test_an_overdue_concern_nudges_its_assignee_or_its_level_once(sessions, commune: Commune) -> None:
    world = commune.world
    unassigned = await _log(sessions, world, ConcernCategory.SECURITY)  # 7 days: due 9 November, 09:00
    assigned = await _log(sessions, world, ConcernCategory.SECURITY, household=1)
    async with sessions() as session:
        concern = await session.get(Concern, assigned.id)
        await workflow.take_on(session, concern, actor_id=world.leader.id, now=LOGGED,
                                       assignee_id=commune.deputy.id)
        await session.commit()
    assert await _run(sessions, local(11, 9, 8, 59)) == 0
    await _run(sessions, local(11, 9, 9, 15), local(11, 9, 9, 30), local(11, 10), local(11, 11, 20))
    nudges = await _outbox(sessions, f"concern:{unassigned.id}:overdue:")
    assert {m.person_id for m in nudges} == {world.leader.id, commune.deputy.id}  # the team's leader and deputy
    assert {m.idempotency_key for m in nudges} == {f"concern:{unassigned.id}:overdue:team:p{p}"
                                                   for p in (world.leader.id, commune.deputy.id)}
    text = nudges[0].payload["text"]
    assert text.startswith(f"⏰ Ý kiến quá hạn chưa có trả lời: {unassigned.reference}\n"
                           "An ninh, trật tự — Thôn Đồng Tâm\nHạn trả lời: ngày 9 tháng 11 năm 2026\n")
    assert "Nếu đến ngày 12 tháng 11 năm 2026 vẫn chưa trả lời, ý kiến sẽ tự động chuyển lên Chi bộ." in text
    assert "0912345678" not in text and "***678" in text
    assert nudges[0].payload["options"] == [[f"pa:{unassigned.id}", "📄 Xem ý kiến"]]
    assert nudges[0].next_attempt_at == local(11, 9, 9, 15) and nudges[0].kind == "concern_overdue"
    taken = await _outbox(sessions, f"concern:{assigned.id}:overdue:")
    assert [m.person_id for m in taken] == [commune.deputy.id]  # the assignee only
    assert all(m.person_id != world.member.id for m in await _outbox(sessions, "concern:"))
    # A nudge found late in the evening waits for the morning.
    late = await _log(sessions, world, ConcernCategory.SECURITY, at=local(11, 3, 21, 30), household=2)
    await _run(sessions, local(11, 10, 22, 0))
    assert {m.next_attempt_at for m in await _outbox(sessions, f"concern:{late.id}:overdue:")} == {local(11, 11, 7)}


async def test_answered_and_closed_concerns_are_never_nudged_nor_escalated(sessions, commune: Commune) -> None:
    world = commune.world
    answered = await _log(sessions, world, ConcernCategory.SECURITY)
    closed = await _log(sessions, world, ConcernCategory.SECURITY, household=1)
    async with sessions() as session:
        await workflow.answer(session, await session.get(Concern, answered.id), actor_id=world.leader.id,
                                      text="Đã báo điện lực xã", now=LOGGED + dt.timedelta(days=1))
        await workflow.close(session, await session.get(Concern, closed.id), actor_id=world.leader.id,
                                     reason=CloseReason.DUPLICATE, now=LOGGED + dt.timedelta(days=1))
        await session.commit()
    assert await _run(sessions, local(11, 10), local(11, 20), local(11, 23, 8), local(12, 30)) == 0
    assert await _outbox(sessions, "concern:") == []
    assert [(await _get(sessions, c.id)).level for c in (answered, closed)] == [ConcernLevel.TEAM] * 2


async def test_a_nudge_held_for_the_morning_is_withdrawn_when_the_concern_is_answered(sessions, commune: Commune) -> None:
    world = commune.world
    concern = await _log(sessions, world, ConcernCategory.SECURITY)  # due 9 November, 09:00
    await _run(sessions, local(11, 9, 22, 0))  # found at night: held until 07:00
    held = await _outbox(sessions, f"concern:{concern.id}:overdue:")
    assert held and {m.status for m in held} == {OutboxStatus.QUEUED}
    async with sessions() as session:
        await workflow.answer(session, await session.get(Concern, concern.id), actor_id=world.leader.id,
                                      text="Công an xã đã xử lý", now=local(11, 9, 22, 30))
        await session.commit()
    assert {m.status for m in await _outbox(sessions, f"concern:{concern.id}:overdue:")} == {OutboxStatus.SKIPPED}


# --- overdue: escalation --------------------------------------------------------------------------

async def test_escalation_after_the_grace_days_one_level_at_a_time(sessions, commune: Commune) -> None:
    world = commune.world
    concern = await _log(sessions, world, ConcernCategory.SECURITY)  # due 9 Nov 09:00; 3 days' grace
    await _run(sessions, local(11, 9, 10), local(11, 12, 8, 45))
    assert (await _get(sessions, concern.id)).level == ConcernLevel.TEAM
    await _run(sessions, local(11, 12, 9, 0), local(11, 12, 9, 15))
    held = await _get(sessions, concern.id)
    assert (held.level, held.status, held.escalated_at) == (ConcernLevel.CHI_BO, ConcernStatus.FORWARDED,
                                                           local(11, 12, 9, 0))
    [event] = await _escalations(sessions, concern.id)
    assert event.actor_id is None and event.note == "Đã quá hạn 3 ngày ở Tổ Dân vận mà chưa có trả lời."
    told = await _outbox(sessions, f"concern:{concern.id}:ev{event.id}:")
    assert {m.person_id for m in told} == {world.leader.id, world.member.id}  # chi bộ secretary, volunteer
    # The chi bộ gets its own three days from the escalation, and no second "overdue" nudge.
    await _run(sessions, local(11, 13), local(11, 15, 8, 45))
    assert (await _get(sessions, concern.id)).level == ConcernLevel.CHI_BO
    assert await _outbox(sessions, f"concern:{concern.id}:overdue:chi_bo") == []
    await _run(sessions, local(11, 15, 9, 0))
    assert (await _get(sessions, concern.id)).level == ConcernLevel.COMMUNE
    first, second = await _escalations(sessions, concern.id)
    told = await _outbox(sessions, f"concern:{concern.id}:ev{second.id}:")
    assert {m.person_id for m in told} == {commune.khoi.id, commune.secretary.id, world.member.id}
    # At the top it stays.
    await _run(sessions, local(11, 20), local(12, 20))
    assert len(await _escalations(sessions, concern.id)) == 2
    assert (await _get(sessions, concern.id)).level == ConcernLevel.COMMUNE


async def test_after_a_week_of_downtime_it_goes_up_once_and_tells_once(sessions, commune: Commune) -> None:
    world = commune.world
    concern = await _log(sessions, world, ConcernCategory.SECURITY)  # due 9 Nov; the job is down until the 16th
    await _run(sessions, local(11, 16), local(11, 16, 9, 15), local(11, 18, 20))
    held = await _get(sessions, concern.id)
    assert (held.level, held.escalated_at) == (ConcernLevel.CHI_BO, local(11, 16))
    [event] = await _escalations(sessions, concern.id)
    assert event.note == "Đã quá hạn 7 ngày ở Tổ Dân vận mà chưa có trả lời."
    assert len(await _outbox(sessions, f"concern:{concern.id}:ev{event.id}:")) == 2
    # Gone up on the first run back: the team's nudge would be stale news.
    assert await _outbox(sessions, f"concern:{concern.id}:overdue:") == []
    # A second outage: one more level when the chi bộ's grace (from the 16th) is over, then the top.
    await _run(sessions, local(12, 28), local(12, 28, 9, 15), local(12, 31))
    events = await _escalations(sessions, concern.id)
    assert len(events) == 2 and (await _get(sessions, concern.id)).level == ConcernLevel.COMMUNE
    assert len(await _outbox(sessions, f"concern:{concern.id}:ev{events[1].id}:")) == 3


async def test_the_communes_own_grace_days_apply(sessions, commune: Commune) -> None:
    world = commune.world
    concern = await _log(sessions, world, ConcernCategory.SECURITY)
    async with sessions() as session:
        await time_limits.set_rule(session, world.commune.id, ConcernCategory.SECURITY, Urgency.NORMAL,
                                     due_days=7, escalate_after_days=5, person_id=None, now=LOGGED)
        await session.commit()
    await _run(sessions, local(11, 9, 10))
    [nudge, *_] = await _outbox(sessions, f"concern:{concern.id}:overdue:")
    assert "Nếu đến ngày 14 tháng 11 năm 2026 vẫn chưa trả lời" in nudge.payload["text"]
    await _run(sessions, local(11, 13))
    assert (await _get(sessions, concern.id)).level == ConcernLevel.TEAM
    await _run(sessions, local(11, 14, 9))
    assert (await _get(sessions, concern.id)).level == ConcernLevel.CHI_BO
    urgent = await _log(sessions, world, ConcernCategory.LAND, Urgency.URGENT, at=local(11, 20))  # due the 23rd
    await _run(sessions, local(11, 23, 10), local(11, 24, 8, 59))
    assert (await _get(sessions, urgent.id)).level == ConcernLevel.TEAM
    await _run(sessions, local(11, 24, 9))  # one day's grace when urgent
    assert (await _get(sessions, urgent.id)).level == ConcernLevel.CHI_BO


# --- the weekly list --------------------------------------------------------------------------------

async def test_the_weekly_overdue_list_goes_to_the_khoi_group_once_a_week(sessions, commune: Commune) -> None:
    world = commune.world
    security = await _log(sessions, world, ConcernCategory.SECURITY)  # due 9 Nov
    complaint = await _log(sessions, world, ConcernCategory.COMPLAINT, at=local(10, 1), household=1)  # due 31 Oct
    await _log(sessions, world, ConcernCategory.LAND, household=2)  # due 2 Dec: not overdue
    async with sessions() as session:  # another commune, without a khối group: nothing to send there
        other = await tree.add_unit(session, UnitKind.COMMUNE, "Xã Khác")
        await session.commit()
    await _log(sessions, world, ConcernCategory.SECURITY, commune_id=other.id, household=3)
    await _run(sessions, local(11, 16, 7, 59))  # the job starts on Monday morning
    assert await _outbox(sessions, "concern:overdue-week:") == []
    await _run(sessions, local(11, 16, 8, 0), local(11, 16, 8, 15), local(11, 18), local(11, 22, 20))
    week = dt.date(2026, 11, 16).isocalendar()
    [message] = await _outbox(sessions, "concern:overdue-week:")
    assert message.idempotency_key == (f"concern:overdue-week:{week.year}-W{week.week:02d}:c{world.commune.id}"
                                       f":g{commune.group_id}")
    assert (message.channel, message.chat_id, message.kind) == (Channel.TELEGRAM, "-100khoi", "concern_overdue_week")
    assert message.payload["text"] == "\n".join([
        f"⏰ Ý kiến quá hạn chưa có trả lời — tuần {week.week}/2026: 2 ý kiến",
        f"• {complaint.reference} · Khiếu nại, tố cáo · Thôn Đồng Tâm · quá 16 ngày · Chi bộ",
        f"• {security.reference} · An ninh, trật tự · Thôn Đồng Tâm · quá 7 ngày · Chi bộ",
    ])
    for household in world.households:
        assert household.head_name not in message.payload["text"]
    # The next Monday: a new list, the same concerns a week later (still open, now at the commune).
    await _run(sessions, local(11, 23, 8, 30))
    messages = await _outbox(sessions, "concern:overdue-week:")
    assert len(messages) == 2
    assert f"• {complaint.reference} · Khiếu nại, tố cáo · Thôn Đồng Tâm · quá 23 ngày · Khối dân vận xã" \
        in messages[1].payload["text"]


async def test_no_weekly_list_when_nothing_was_overdue_on_monday(sessions, commune: Commune) -> None:
    world = commune.world
    concern = await _log(sessions, world, ConcernCategory.SECURITY, at=local(11, 10))  # due Tuesday the 17th
    await _run(sessions, local(11, 16, 8), local(11, 17, 10), local(11, 22, 20))
    assert await _outbox(sessions, "concern:overdue-week:") == []
    async with sessions() as session:  # answered before the next Monday: still nothing to list
        await workflow.answer(session, await session.get(Concern, concern.id), actor_id=world.leader.id,
                                      text="Công an xã đã xử lý", now=local(11, 22, 21))
        await session.commit()
    await _run(sessions, local(11, 23, 8))
    assert await _outbox(sessions, "concern:overdue-week:") == []
