"""Report deadlines: the calendar, holiday notes, nudges once per due moment, overdue lists, mutes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.i18n import use_locale
from models.deadlines import calendar
from models.deadlines.texts import due_text
from models.enums import Channel, OutboxStatus, Role, UnitKind
from models.tables import AuditLog, ChatIdentity, Membership, OrgUnit, OutboxMessage, Person, ReportSubmission
from models.units import tree
from scheduler.deadlines import deadline_jobs, lead_for
from tests.dialog import Chat
from tests.world import World, build_world

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=TZ).astimezone(dt.UTC)


@dataclass
class Calendar:
    world: World
    deputy: Person
    secretary: Person
    khoi_head: Person


async def _person(session: AsyncSession, world: World, name: str, phone: str, unit: OrgUnit, role: Role) -> Person:
    person = Person(full_name=name, name_key=name.lower(), phone=phone, commune_id=world.commune.id)
    session.add(person)
    await session.flush()
    session.add(Membership(person_id=person.id, unit_id=unit.id, role=role))
    return person


@pytest.fixture
async def cal(sessions: async_sessionmaker[AsyncSession]) -> Calendar:
    async with sessions() as session:
        world = await build_world(session)
        deputy = await _person(session, world, "Trần Văn Phó", "0912100002", world.team, Role.TEAM_DEPUTY)
        secretary = await _person(session, world, "Lê Văn Bí Thư", "0912100003", world.commune, Role.COMMUNE_SECRETARY)
        khoi = await _person(session, world, "Đỗ Thị Khối", "0912100004", world.commune, Role.KHOI_DAN_VAN_HEAD)
        for person in (world.leader, world.member, deputy, secretary, khoi):
            session.add(ChatIdentity(person_id=person.id, channel=Channel.TELEGRAM, external_id=f"tg{person.id}",
                                     chat_id=f"tg{person.id}"))
        # The commune was set up long before the periods the tests look at.
        await session.execute(update(OrgUnit).values(created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)))
        await session.commit()
        return Calendar(world, deputy, secretary, khoi)


async def _queued(sessions: async_sessionmaker[AsyncSession], prefix: str = "") -> list[OutboxMessage]:
    async with sessions() as session:
        rows = await session.scalars(select(OutboxMessage).where(OutboxMessage.idempotency_key.startswith(prefix))
                                     .order_by(OutboxMessage.id))
        return list(rows)


async def _team_deadline(sessions: async_sessionmaker[AsyncSession], world: World) -> int:
    async with sessions() as session:
        await calendar.ensure_defaults(session, world.commune)
        await session.commit()
        rows = await calendar.deadlines(session, world.commune)
        return next(d.id for d in rows if d.kind == calendar.MONTHLY_TEAM)


async def test_defaults_follow_the_documents_and_are_created_once(session: AsyncSession) -> None:
    world = await build_world(session)
    await calendar.ensure_defaults(session, world.commune)
    await calendar.ensure_defaults(session, world.commune)
    rows = {d.kind: (d.level, d.month, d.day) for d in await calendar.deadlines(session, world.commune)}
    assert rows == {"monthly_team": (UnitKind.TEAM, None, 25), "half_year": (UnitKind.VILLAGE, 6, 15),
                    "annual": (UnitKind.VILLAGE, 11, 20)}


async def test_a_commune_edits_its_own_deadline_with_an_audit_entry(session: AsyncSession) -> None:
    world = await build_world(session)
    other = await tree.add_unit(session, UnitKind.COMMUNE, "Xã Khác")
    row = await calendar.set_deadline(session, world.commune, "annual", month=11, day=10, actor_label="cli")
    await calendar.ensure_defaults(session, other)
    assert (row.month, row.day) == (11, 10)
    theirs = {d.kind: d.day for d in await calendar.deadlines(session, other)}
    assert theirs["annual"] == 20
    entry = await session.scalar(select(AuditLog).where(AuditLog.action == "set_report_deadline"))
    assert entry.details["before"]["day"] == 20 and entry.details["after"]["day"] == 10
    with pytest.raises(calendar.BadDeadline):
        await calendar.set_deadline(session, world.commune, "annual", month=2, day=30)
    with pytest.raises(calendar.BadDeadline):
        await calendar.set_deadline(session, world.commune, "monthly_team", month=3, day=5)


async def test_periods_clamp_to_the_months_end(session: AsyncSession) -> None:
    world = await build_world(session)
    row = await calendar.set_deadline(session, world.commune, "monthly_team", day=31)
    got = list(calendar.periods_between(row, dt.date(2027, 1, 1), dt.date(2027, 3, 31)))
    assert got == [("2027-01", dt.date(2027, 1, 31)), ("2027-02", dt.date(2027, 2, 28)),
                   ("2027-03", dt.date(2027, 3, 31))]
    assert calendar.next_period(row, dt.date(2027, 2, 28)) == ("2027-02", dt.date(2027, 2, 28))


def test_due_dates_on_a_weekend_or_tet_carry_a_note() -> None:
    with use_locale("vi"):
        assert due_text(dt.date(2026, 10, 25)) == "ngày 25 tháng 10 năm 2026 (⚠ rơi vào Chủ nhật, ngày nghỉ cuối tuần)"
        # 8 February 2027 is the third day of the Year of the Goat (lunar calendar, from the library).
        assert due_text(dt.date(2027, 2, 8)) == ("ngày 8 tháng 2 năm 2027 "
                                                 "(⚠ trùng ngày nghỉ lễ: Mùng ba Tết Nguyên Đán)")
        assert due_text(dt.date(2026, 11, 25)) == "ngày 25 tháng 11 năm 2026"
    assert calendar.day_off(dt.date(2027, 2, 8), "en").holiday == "Third Day of Lunar New Year"
    assert calendar.day_off(dt.date(2026, 9, 2), "vi").holiday == "Quốc khánh"


def test_the_lead_is_the_latest_due_moment() -> None:
    assert [lead_for(days) for days in (9, 8, 7, 6, 4, 3, 2, 1, 0, -1)] == [None, None, 7, 7, 7, 3, 3, 1, 0, None]


async def test_nudges_go_once_at_seven_three_one_and_zero_days(sessions, cal: Calendar) -> None:
    deadline_id = await _team_deadline(sessions, cal.world)
    for day in (17, 18, 18, 19, 21, 22, 22, 23, 24, 25, 25, 26):
        await deadline_jobs(sessions, now=local(2026, 12, day), tz=TZ)
    nudges = await _queued(sessions, "deadline:")
    team = cal.world.team.id
    expected = {f"deadline:{deadline_id}:{team}:2026-12:{lead}:p{p.id}"
                for lead in (7, 3, 1, 0) for p in (cal.world.leader, cal.deputy)}
    assert {m.idempotency_key for m in nudges} == expected
    first = next(m for m in nudges if m.idempotency_key.endswith(f":7:p{cal.world.leader.id}"))
    assert "Báo cáo tháng 12/2026" in first.payload["text"]
    assert "Hạn nộp: ngày 25 tháng 12 năm 2026. Còn 7 ngày." in first.payload["text"]
    assert first.payload["options"] == [[f"rp:{deadline_id}:{team}:2026-12", "✅ Đã nộp báo cáo"]]
    assert first.channel == Channel.TELEGRAM and first.next_attempt_at == local(2026, 12, 18)
    assert not any(m.person_id == cal.world.member.id for m in nudges)


async def test_a_late_run_after_downtime_sends_only_the_latest_missed_nudge(sessions, cal: Calendar) -> None:
    deadline_id = await _team_deadline(sessions, cal.world)
    added = await deadline_jobs(sessions, now=local(2026, 12, 23, 10), tz=TZ)
    again = await deadline_jobs(sessions, now=local(2026, 12, 23, 10, 15), tz=TZ)
    keys = {m.idempotency_key for m in await _queued(sessions, "deadline:")}
    assert added == 2 + 2 and again == 0  # the nudges, and the overdue list (November's report) to two people
    team = cal.world.team.id
    assert keys == {f"deadline:{deadline_id}:{team}:2026-12:3:p{p.id}" for p in (cal.world.leader, cal.deputy)}


async def test_a_submitted_report_is_no_longer_nudged(sessions, cal: Calendar) -> None:
    deadline_id = await _team_deadline(sessions, cal.world)
    await deadline_jobs(sessions, now=local(2026, 12, 18), tz=TZ)
    async with sessions() as session:
        deadline = await session.get(calendar.ReportDeadline, deadline_id)
        team = await session.get(OrgUnit, cal.world.team.id)
        _row, added = await calendar.mark_submitted(session, deadline, team, "2026-12", person_id=cal.deputy.id,
                                                     now=local(2026, 12, 20))
        await session.commit()
    assert added
    for day in (22, 24, 25, 26):
        await deadline_jobs(sessions, now=local(2026, 12, day), tz=TZ)
    leads = {m.idempotency_key.split(":")[4] for m in await _queued(sessions, "deadline:")}
    assert leads == {"7"}


async def test_overdue_reports_are_listed_to_the_commune_once_a_day(sessions, cal: Calendar) -> None:
    await _team_deadline(sessions, cal.world)
    await deadline_jobs(sessions, now=local(2026, 12, 26, 6, 30), tz=TZ)  # before 07:00: not yet
    assert await _queued(sessions, "overdue:") == []
    await deadline_jobs(sessions, now=local(2026, 12, 26, 8), tz=TZ)
    await deadline_jobs(sessions, now=local(2026, 12, 26, 15), tz=TZ)
    lists = await _queued(sessions, "overdue:")
    assert {m.person_id for m in lists} == {cal.secretary.id, cal.khoi_head.id}
    assert {m.idempotency_key.rsplit(":", 1)[0] for m in lists} == {f"overdue:{cal.world.commune.id}:2026-12-26"}
    text = lists[0].payload["text"]
    assert "Tổ Dân vận cộng đồng thôn Đồng Tâm — Báo cáo tháng 12/2026 — hạn 25/12/2026, quá 1 ngày" \
        in text
    assert "Thôn Đồng Tâm — Báo cáo năm 2026 — hạn 20/11/2026, quá 36 ngày" in text
    await deadline_jobs(sessions, now=local(2026, 12, 27, 8), tz=TZ)
    assert len(await _queued(sessions, "overdue:")) == 4


async def test_a_unit_set_up_after_the_due_date_is_not_overdue(sessions, cal: Calendar) -> None:
    async with sessions() as session:
        await session.execute(update(OrgUnit).values(created_at=local(2026, 12, 26, 7)))
        await session.commit()
    await deadline_jobs(sessions, now=local(2026, 12, 26, 8), tz=TZ)
    assert await _queued(sessions, "overdue:") == []


async def test_a_run_at_night_holds_the_nudge_until_seven(sessions, cal: Calendar) -> None:
    deadline_id = await _team_deadline(sessions, cal.world)
    await deadline_jobs(sessions, now=local(2026, 12, 18, 22), tz=TZ)
    nudge = (await _queued(sessions, f"deadline:{deadline_id}:{cal.world.team.id}:2026-12:7:p{cal.world.leader.id}"))[0]
    assert nudge.next_attempt_at == local(2026, 12, 19, 7)
    assert "Còn 6 ngày." in nudge.payload["text"]  # counted from the morning it arrives


async def test_a_muted_persons_nudge_waits_for_the_mute_to_end(sessions, cal: Calendar) -> None:
    deadline_id = await _team_deadline(sessions, cal.world)
    async with sessions() as session:
        await session.execute(update(Person).where(Person.id == cal.deputy.id)
                              .values(muted_until=local(2026, 12, 23, 12)))
        await session.commit()
    await deadline_jobs(sessions, now=local(2026, 12, 18), tz=TZ)
    await deadline_jobs(sessions, now=local(2026, 12, 22), tz=TZ)
    mine = [m for m in await _queued(sessions, "deadline:") if m.person_id == cal.deputy.id]
    # One nudge when the mute ends, not the 7-day and the 3-day ones together.
    assert [(m.idempotency_key, m.next_attempt_at) for m in mine] == [
        (f"deadline:{deadline_id}:{cal.world.team.id}:2026-12:3:p{cal.deputy.id}", local(2026, 12, 23, 12))]
    assert "Còn 2 ngày." in mine[0].payload["text"]


async def test_a_nudge_held_by_a_mute_is_withdrawn_when_the_report_comes_in(sessions, cal: Calendar) -> None:
    deadline_id = await _team_deadline(sessions, cal.world)
    async with sessions() as session:
        await session.execute(update(Person).where(Person.id == cal.deputy.id)
                              .values(muted_until=local(2026, 12, 23, 12)))
        await session.commit()
    await deadline_jobs(sessions, now=local(2026, 12, 22), tz=TZ)
    held = [m for m in await _queued(sessions, "deadline:") if m.person_id == cal.deputy.id]
    assert [m.status for m in held] == [OutboxStatus.QUEUED]
    async with sessions() as session:
        deadline = await session.get(calendar.ReportDeadline, deadline_id)
        team = await session.get(OrgUnit, cal.world.team.id)
        await calendar.mark_submitted(session, deadline, team, "2026-12", person_id=cal.world.leader.id,
                                       now=local(2026, 12, 22, 9))
        await session.commit()
    after = {m.id: m for m in await _queued(sessions, "deadline:")}
    assert after[held[0].id].status == OutboxStatus.SKIPPED
    assert after[held[0].id].last_error == "report submitted"
    # Another team's nudges, and messages already sent, are untouched.
    assert all(m.status != OutboxStatus.SKIPPED for m in after.values()
               if not m.idempotency_key.startswith(f"deadline:{deadline_id}:{cal.world.team.id}:2026-12:"))


async def test_mute_flow_pauses_and_resumes_reminders(sessions, cal: Calendar) -> None:
    chat = Chat(sessions, "member")
    async with sessions() as session:
        session.add(OutboxMessage(idempotency_key="k1", channel=Channel.TELEGRAM, chat_id="x", kind="test",
                                  payload={}, person_id=cal.world.member.id, next_attempt_at=chat.now))
        await session.commit()
    await chat.say("/menu")
    await chat.menu_entry("Tạm dừng nhắc")  # one level down, under 🗂 Mục khác…
    assert "trong bao lâu?" in chat.screen
    await chat.say(chat.option_number("3 ngày"))
    assert "🔕 Đã tạm dừng nhắc đến 09:00 ngày 27 tháng 11 năm 2026." in chat.screen
    assert "🔔 Bật lại nhắc" in await chat.menu_labels()
    async with sessions() as session:
        member = await session.get(Person, cal.world.member.id)
        held = await session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == "k1"))
        assert member.muted_until == chat.now + dt.timedelta(days=3)
        assert held.next_attempt_at == chat.now + dt.timedelta(days=3)
        assert await session.scalar(select(AuditLog).where(AuditLog.action == "mute_reminders"))
    chat.now += dt.timedelta(hours=1)
    await chat.menu_entry("Bật lại nhắc")
    assert "🔔 Đã bật lại nhắc" in chat.screen and "🔕 Tạm dừng nhắc" in await chat.menu_labels()
    async with sessions() as session:
        member = await session.get(Person, cal.world.member.id)
        held = await session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == "k1"))
        assert member.muted_until is None and held.next_attempt_at == chat.now
        assert held.status == OutboxStatus.QUEUED


async def test_mute_until_turned_on_again(sessions, cal: Calendar) -> None:
    chat = Chat(sessions, "member")
    await chat.say("/menu")
    await chat.menu_entry("Tạm dừng nhắc")
    await chat.say(chat.option_number("Đến khi tôi bật lại"))
    assert "cho đến khi bạn bật lại" in chat.screen
    async with sessions() as session:
        assert (await session.get(Person, cal.world.member.id)).muted_until.year == 3000


async def test_the_responsible_leader_marks_a_report_from_the_nudge(sessions, cal: Calendar) -> None:
    deadline_id = await _team_deadline(sessions, cal.world)
    key = f"rp:{deadline_id}:{cal.world.team.id}:2026-12"
    member = Chat(sessions, "member")
    await member.say(choice=key)
    assert "Chỉ người phụ trách báo cáo của Tổ Dân vận cộng đồng thôn Đồng Tâm" in member.screen
    leader = Chat(sessions, "leader")
    await leader.say(choice=key)
    assert "✅ Đã ghi nhận: Báo cáo tháng 12/2026 của Tổ Dân vận cộng đồng thôn Đồng Tâm đã nộp." in leader.screen
    await leader.say(choice=key)
    assert "đã được ghi nhận là đã nộp (ngày 24 tháng 11 năm 2026)" in leader.screen
    async with sessions() as session:
        rows = (await session.scalars(select(ReportSubmission))).all()
        assert [(r.unit_id, r.period, r.submitted_by_id) for r in rows] == [
            (cal.world.team.id, "2026-12", cal.world.leader.id)]
        assert await session.scalar(select(AuditLog).where(AuditLog.action == "mark_report_submitted"))
    await leader.say(choice=f"rp:{deadline_id}:{cal.world.village.id}:2026-12")  # wrong level: stale
    assert "Nút này đã cũ." in leader.screen


async def test_the_deadlines_screen_lists_and_marks_the_leaders_reports(sessions, cal: Calendar) -> None:
    leader = Chat(sessions, "leader")
    await leader.say("/menu")
    await leader.menu_entry("Hạn báo cáo")
    screen = leader.screen
    assert "• Báo cáo tháng 11/2026 — hạn 25/11/2026 — ⏳ chưa nộp — Hạn là ngày mai." in screen
    assert "• Báo cáo 6 tháng đầu năm 2027 — hạn 15/6/2027 — ⏳ chưa nộp" in screen
    assert "• Báo cáo năm 2026 — hạn 20/11/2026 — ⏳ chưa nộp — Đã quá hạn 4 ngày." in screen
    # Late or due within a month can be marked; not a report due next year.
    assert [o.key.split(":")[3] for o in leader.last[-1].options] == ["2026", "2026-09", "2026-10", "2026-11"]
    await leader.say(leader.option_number("Báo cáo tháng 11/2026"))
    assert "✅ Đã ghi nhận: Báo cáo tháng 11/2026 của Tổ Dân vận cộng đồng thôn Đồng Tâm đã nộp." in leader.screen
    member = Chat(sessions, "member")
    await member.say("/menu")
    assert "Hạn báo cáo" not in member.screen
    await member.say(choice="m:deadlines")
    assert "Mục này dành cho tổ trưởng và lãnh đạo xã." in member.screen


async def test_the_commune_sees_who_has_submitted(sessions, cal: Calendar) -> None:
    secretary = Chat(sessions, "secretary")
    async with sessions() as session:
        session.add(ChatIdentity(person_id=cal.secretary.id, channel=Channel.TERMINAL, external_id="secretary",
                                 chat_id="secretary"))
        await session.commit()
    await secretary.say("/menu")
    await secretary.menu_entry("Hạn báo cáo")
    assert "• Báo cáo tháng 11/2026 — hạn 25/11/2026 — 0/1 đơn vị đã nộp" in secretary.screen
    assert "Chưa nộp: Tổ Dân vận cộng đồng thôn Đồng Tâm" in secretary.screen
    # Within the last 60 days: the September and October team reports and the 2026 annual one.
    assert "❗ 3 báo cáo đã quá hạn mà chưa nộp." in secretary.screen
