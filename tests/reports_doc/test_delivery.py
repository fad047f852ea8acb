"""Delivered where people are: the draft ten days before the deadline, once, to who answers for it; on
demand from 📄 Báo cáo; the version submitted recorded when the deadline is marked."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.deadlines import calendar
from models.enums import Channel, Role
from models.outbox import attachments
from models.report_docs import drafts
from models.reports.build import build_report
from models.tables import ChatIdentity, Membership, OrgUnit, OutboxMessage, Person, ReportDraft
from reports.official import BLANK, ReportKind
from reports.word import DOCX, render
from scheduler.reports.drafts import report_draft_jobs
from tests.dialog import Chat
from tests.reports_doc.samples import open_docx, texts
from tests.world import World, build_world

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local(year: int, month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=TZ).astimezone(dt.UTC)


@pytest.fixture
async def world(sessions: async_sessionmaker[AsyncSession]) -> World:
    async with sessions() as session:
        world = await build_world(session)
        for name, role in (("Lê Văn Bí Thư", Role.COMMUNE_SECRETARY), ("Đỗ Thị Khối", Role.KHOI_DAN_VAN_HEAD)):
            person = Person(full_name=name, name_key=name.lower(), commune_id=world.commune.id)
            session.add(person)
            await session.flush()
            session.add(Membership(person_id=person.id, unit_id=world.commune.id, role=role))
        for person in (await session.scalars(select(Person))).all():
            session.add(ChatIdentity(person_id=person.id, channel=Channel.TELEGRAM, external_id=f"tg{person.id}",
                                     chat_id=f"tg{person.id}"))
        await session.execute(update(OrgUnit).values(created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)))
        await session.commit()
        return world


async def _drafts(sessions: async_sessionmaker[AsyncSession]) -> list[OutboxMessage]:
    async with sessions() as session:
        return list(await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "report_draft")
                                          .order_by(OutboxMessage.idempotency_key)))


async def test_the_draft_goes_ten_days_before_the_deadline_once_to_who_answers_for_it(sessions, world):
    assert await report_draft_jobs(sessions, now=local(2026, 6, 4), tz=TZ) == 0  # 11 days before 15 June
    assert await report_draft_jobs(sessions, now=local(2026, 6, 5), tz=TZ) == 3
    assert await report_draft_jobs(sessions, now=local(2026, 6, 5, 15), tz=TZ) == 0  # once
    messages = await _drafts(sessions)
    async with sessions() as session:
        people = {p.id: p.full_name for p in (await session.scalars(select(Person))).all()}
        by_key = {m.idempotency_key: m for m in messages}
        village, commune = world.village.id, world.commune.id
        expected = {f"report:half_year:2026:u{village}:p{world.leader.id}"}  # the chi bộ secretary
        leads = [p for p, n in people.items() if n in ("Lê Văn Bí Thư", "Đỗ Thị Khối")]
        expected |= {f"report:half_year:2026:u{commune}:p{p}" for p in leads}
        assert set(by_key) == expected
        village_message = by_key[f"report:half_year:2026:u{village}:p{world.leader.id}"]
        text = village_message.payload["text"]
        assert "📄 Dự thảo Báo cáo 6 tháng đầu năm 2026 — Thôn Đồng Tâm" in text
        assert "Hạn nộp: ngày 15 tháng 6 năm 2026" in text and "Tệp Word" in text
        file = await attachments.load(session, village_message.payload["document_attachment"])
        assert file.mime == DOCX and file.filename.endswith(".docx")
        lines = texts(open_docx(file.data))
        assert any(line.startswith("CHI BỘ THÔN") and "ĐỒNG TÂM" in line for line in lines)
        commune_message = by_key[f"report:half_year:2026:u{commune}:p{leads[0]}"]
        commune_file = await attachments.load(session, commune_message.payload["document_attachment"])
        assert any("ĐẢNG ỦY XÃ" in line for line in texts(open_docx(commune_file.data)))
    # The annual report's turn comes ten days before 20 November.
    assert await report_draft_jobs(sessions, now=local(2026, 11, 9), tz=TZ) == 0
    assert await report_draft_jobs(sessions, now=local(2026, 11, 10), tz=TZ) == 3


async def test_a_village_already_marked_submitted_gets_no_draft(sessions, world):
    async with sessions() as session:
        await calendar.ensure_defaults(session, world.commune)
        deadline = next(d for d in await calendar.deadlines(session, world.commune) if d.kind == calendar.HALF_YEAR)
        village = await session.get(OrgUnit, world.village.id)
        await calendar.mark_submitted(session, deadline, village, "2026", person_id=world.leader.id,
                                      now=local(2026, 6, 1))
        await session.commit()
    assert await report_draft_jobs(sessions, now=local(2026, 6, 6), tz=TZ) == 2  # the commune's two leads
    assert all(f":u{world.commune.id}:" in m.idempotency_key for m in await _drafts(sessions))


async def test_marking_the_deadline_submitted_records_the_version_sent(sessions, world):
    await report_draft_jobs(sessions, now=local(2026, 6, 5), tz=TZ)
    chat = Chat(sessions, "leader", now=local(2026, 6, 10))
    async with sessions() as session:
        await calendar.ensure_defaults(session, world.commune)
        deadline = next(d for d in await calendar.deadlines(session, world.commune) if d.kind == calendar.HALF_YEAR)
        await session.commit()
    await chat.say(choice=f"rp:{deadline.id}:{world.village.id}:2026")
    assert "Bản đã nộp: dự thảo số 1." in chat.screen
    async with sessions() as session:
        draft = await session.scalar(select(ReportDraft).where(ReportDraft.unit_id == world.village.id))
        assert draft.version == 1 and draft.submission_id is not None
    await chat.say(choice=f"ru:{deadline.id}:{world.village.id}:2026")
    async with sessions() as session:
        draft = await session.scalar(select(ReportDraft).where(ReportDraft.unit_id == world.village.id))
        assert draft.submission_id is None


async def test_the_same_draft_is_one_version_and_a_change_makes_the_next(session: AsyncSession):
    world = await build_world(session)
    now, today = local(2026, 6, 5), dt.date(2026, 6, 5)
    first = await drafts.make(session, world.village, ReportKind.HALF_YEAR, 2026, today=today, now=now)
    again = await drafts.make(session, world.village, ReportKind.HALF_YEAR, 2026, today=today, now=now)
    later = await drafts.make(session, world.village, ReportKind.HALF_YEAR, 2026, today=today + dt.timedelta(1),
                              now=now)
    assert (first.version, again.version, later.version) == (1, 1, 2)


@pytest.mark.parametrize("kind", list(ReportKind))
async def test_the_built_report_renders_its_header_sections_and_every_figure(session: AsyncSession, kind):
    """Holds for today's header and placeholder sections and for the figures the domain adds."""
    world = await build_world(session)
    for unit in (world.village, world.commune):
        report = await build_report(session, unit=unit, kind=kind, year=2026, today=dt.date(2026, 6, 5))
        document = open_docx(render(report))
        left, right = document.tables[0].rows[0].cells
        assert [p.text for p in left.paragraphs] == [report.higher_body, report.issuing_body, "*",
                                                     report.number_line]
        assert [p.text for p in right.paragraphs][1] == report.place_date_line
        lines = texts(document)
        headings = [lines.index(f"{s.number}. {s.title}") for s in report.sections]
        assert headings == sorted(headings)
        assert report.summary in lines and report.closing in lines
        if report.figures:
            rows = [[c.text for c in row.cells] for row in document.tables[1].rows][1:]
            assert [(r[1], r[3]) for r in rows] == [(f.label, f.value or BLANK) for f in report.figures]


async def test_the_menu_entry_gives_the_current_draft_on_demand(sessions, world):
    chat = Chat(sessions, "tg%d" % world.leader.id, channel=Channel.TELEGRAM, now=local(2026, 6, 5))
    await chat.say("/menu")
    await chat.menu_entry("📄 Báo cáo")
    assert "Loại báo cáo nào?" in chat.screen
    await chat.say(chat.option_number("Báo cáo năm"))
    assert "Năm nào?" in chat.screen and "2026" in chat.screen and "2025" in chat.screen
    await chat.say("9")
    assert "Chọn năm nay hoặc năm trước" in chat.screen  # bad input: the question again
    await chat.say("1")
    assert "📄 Dự thảo Báo cáo năm 2026 — Thôn Đồng Tâm" in chat.screen
    assert "📎 Tệp Word gửi ngay sau tin này." in chat.screen
    # the figures only people know, from the same screen, through the real fields flow
    await chat.say(chat.option_number("Điền số liệu"))
    assert "✏️ Số liệu báo cáo năm 2026 — Thôn Đồng Tâm (1/" in chat.screen
    async with sessions() as session:
        sent = (await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "report_draft"))).all()
        assert len(sent) == 1 and sent[0].chat_id == chat.user_id
        file = await attachments.load(session, sent[0].payload["document_attachment"])
        assert file.filename == "bao-cao-nam-2026-thon-dong-tam.docx"


async def test_the_fields_option_starts_the_fields_flow_when_it_exists(sessions, world, monkeypatch):
    from handlers.engine.flow import Flow, Prompt, Step
    from handlers.registry import FLOWS

    async def ask(ctx):
        return Prompt("Diện tích? " + str(ctx.data))

    async def accept(ctx, answer):
        return None

    async def finish(ctx):
        return []

    monkeypatch.setitem(FLOWS, "report_fields", Flow("report_fields", "area", {"area": Step("area", ask, accept)},
                                                     finish))
    chat = Chat(sessions, "leader", now=local(2026, 6, 5))
    await chat.say("/menu")
    await chat.menu_entry("📄 Báo cáo")
    await chat.say(chat.option_number("6 tháng"))
    await chat.say("1")
    assert "Tệp Word: gandan report half_year" in chat.screen  # the terminal gets no file
    await chat.say(chat.option_number("Điền số liệu"))
    assert f"Diện tích? {{'unit_id': {world.village.id}, 'year': 2026}}" in chat.screen


async def test_a_member_has_no_report_entry(sessions, world):
    chat = Chat(sessions, "member")
    assert not any("📄" in label for label in await chat.menu_labels())


async def test_the_message_speaks_the_readers_language_and_the_document_stays_vietnamese(sessions, world):
    async with sessions() as session:
        await session.execute(update(Person).where(Person.id == world.leader.id).values(locale="en"))
        await session.commit()
    await report_draft_jobs(sessions, now=local(2026, 6, 5), tz=TZ)
    async with sessions() as session:
        message = await session.scalar(select(OutboxMessage).where(
            OutboxMessage.idempotency_key == f"report:half_year:2026:u{world.village.id}:p{world.leader.id}"))
        assert message.payload["text"].startswith("📄 Draft Half-year report 2026")
        file = await attachments.load(session, message.payload["document_attachment"])
        lines = texts(open_docx(file.data))
        assert "BÁO CÁO" in lines and "ĐẢNG CỘNG SẢN VIỆT NAM" in lines


async def test_a_person_with_several_units_chooses_one_and_a_forged_answer_is_asked_again(sessions, world):
    async with sessions() as session:
        session.add(Membership(person_id=world.leader.id, unit_id=world.commune.id, role=Role.KHOI_DAN_VAN_HEAD))
        await session.commit()
    chat = Chat(sessions, "leader", now=local(2026, 6, 5))
    await chat.say("/menu")
    await chat.menu_entry("📄 Báo cáo")
    assert "📄 Báo cáo của đơn vị nào?" in chat.screen
    assert chat.option_number("Xã Phúc Sơn") == "1" and chat.option_number("Thôn Đồng Tâm") == "2"
    await chat.say(choice=f"ou:{world.commune.id + 999}")
    assert "Nút này đã cũ" in chat.screen and "📄 Báo cáo của đơn vị nào?" in chat.screen
    await chat.transcript([("1", "Loại báo cáo nào?"), ("2", "Năm nào?"),
                           ("1", "📄 Dự thảo Báo cáo năm 2026 — Xã Phúc Sơn")])


async def test_no_draft_is_made_for_people_no_app_reaches(sessions, world):
    async with sessions() as session:
        await session.execute(update(ChatIdentity).values(unreachable_at=local(2026, 6, 1)))
        await session.commit()
    assert await report_draft_jobs(sessions, now=local(2026, 6, 5), tz=TZ) == 0
    async with sessions() as session:
        assert (await session.scalars(select(ReportDraft))).all() == []  # nothing rendered for nobody
