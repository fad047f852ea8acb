"""The monthly digest: figures against a hand count, /tonghop and its rights, and the job on the 1st.

`tests/digest_world.py` builds October 2026 by hand; the comments there say why each row counts
or does not. Every number asserted here was counted from those rows, not from the code.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io

import pytest
from sqlalchemy import event, func, select

from core.i18n import use_locale
from models.digests import media as digests_media
from models.digests.compute import (
    CategoryLine,
    Figures,
    Measures,
    MeetingFigures,
    MemberLine,
    NhomLine,
    StaleHousehold,
    commune_digest,
    month_to_date,
    previous_period,
    village_digests,
)
from models.digests.texts import commune_text, village_text
from models.enums import Channel, ConcernCategory, GroupPurpose, Role, UnitKind, VisitPurpose
from models.tables import (
    Attachment,
    AuditLog,
    ChatGroup,
    ChatIdentity,
    Household,
    Membership,
    OutboxMessage,
    Person,
    Visit,
)
from models.units import tree
from reports.spreadsheet import workbook
from scheduler.app import jobs
from scheduler.digests import digest_jobs, due_month
from tests.dialog import Chat
from tests.digest_world import OCTOBER, TZ, Month, add_answers, build_month, utc

C = ConcernCategory
NOW = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)  # 09:00 on 24 November in Hà Nội


@pytest.fixture
async def month(session) -> Month:
    return await build_month(session)


def ids(month: Month, *keys: str) -> list[int]:
    return [month.people[k].id for k in keys]


# --- the figures ------------------------------------------------------------------------------------

async def test_every_figure_of_october_matches_the_hand_count(sessions, month):
    async with sessions() as session:
        digests = await village_digests(session, month.commune.id, *OCTOBER, TZ)
    v, n, p = month.villages, month.nhom, month.people
    assert list(digests) == [v["dt"].id, v["hb"].id, v["yl"].id]  # by name; the other commune's is not here

    dong_tam = digests[v["dt"].id]
    assert (dong_tam.name, dong_tam.start, dong_tam.end) == ("Thôn Đồng Tâm", *OCTOBER)
    # 6 visits: An 4 (h1 twice, h3, the inactive h7), Bình 1 (h3 on the 31st), Hằng 1 (h5); the undone
    # one, 30 September and 1 November are out. Households: h1…h6 (h7 is inactive); reached h1, h3, h5;
    # stale h4 (last visit 1 Sept, 60 days before 31 Oct) and h6 (never: its only visit was undone).
    assert (dong_tam.visits, dong_tam.households, dong_tam.reached, dong_tam.stale) == (6, 6, 3, 2)
    assert dong_tam.nhom == (NhomLine(n["n1"].id, "Nhóm 1", members=2, visits=4, concerns=3, households=4, reached=2,
                                      stale=1),
                             NhomLine(n["n2"].id, "Nhóm 2", members=2, visits=2, concerns=1, households=2, reached=1,
                                      stale=1))
    assert dong_tam.members == (
        MemberLine(p["a"].id, "Phạm Văn An", "Nhóm 1", visits=4, concerns=2, households=2, reached=1, idle=False),
        MemberLine(p["b"].id, "Lê Thị Bình", "Nhóm 1", visits=1, concerns=2, households=1, reached=1, idle=False),
        MemberLine(p["l1"].id, "Nguyễn Thị Hằng", None, visits=1, concerns=1, households=0, reached=0, idle=False),
        # idle, in the roster's name order: Chung's only October visit was undone; Én left on 10 October
        MemberLine(p["c"].id, "Đỗ Văn Chung", "Nhóm 2", visits=0, concerns=0, households=2, reached=1, idle=True),
        MemberLine(p["d1"].id, "Trần Văn Phó", None, visits=0, concerns=0, households=0, reached=0, idle=True),
        MemberLine(p["e"].id, "Vũ Thị Én", "Nhóm 2", visits=0, concerns=0, households=0, reached=0, idle=True),
    )
    # Opened: land ×2 (00:30 on 1 Oct and 23:30 on 31 Oct local), complaint, admin procedure, dispute;
    # the environment one (00:30 on 1 Nov) is November's. Answered: the land one (ANSWERED) and the
    # complaint closed as resolved; the withdrawn, duplicate and not-competent closures are not answers.
    # Overdue at the end of October: the September security concern and the admin procedure answered
    # only at 00:30 on 1 November.
    assert dong_tam.categories == (
        CategoryLine(C.LAND, opened=2, answered=1, overdue=0),
        CategoryLine(C.ADMIN_PROCEDURE, opened=1, answered=0, overdue=1),
        CategoryLine(C.COMPLAINT, opened=1, answered=1, overdue=0),
        CategoryLine(C.SECURITY, opened=0, answered=0, overdue=1),
        CategoryLine(C.DISPUTE, opened=1, answered=0, overdue=0),
    )
    assert dong_tam.oldest == (StaleHousehold(month.homes["h6"].id, "Vũ Thị Sáu", None),
                               StaleHousehold(month.homes["h4"].id, "Phạm Thị Bốn", dt.date(2026, 9, 1)))
    # The 25 October meeting (3 of 5 ticked present); September's, the cancelled one and the one at
    # 00:30 on 1 November are not October's.
    assert dong_tam.meeting == MeetingFigures(held=1, last_held=utc(2026, 10, 25, 12, 30), unrecorded=0, present=3,
                                              recorded=5)
    assert dong_tam.figures == Figures(visits=6, households=6, reached=3, stale=2, opened=5, answered=2, overdue=2,
                                       meetings=1, members=6, idle=3)

    hoa_binh = digests[v["hb"].id]
    assert hoa_binh.nhom == (NhomLine(n["n3"].id, "Nhóm 1", 1, visits=1, concerns=1, households=2, reached=1, stale=1),)
    assert [(m.name, m.visits, m.concerns, m.idle) for m in hoa_binh.members] == [
        ("Bùi Thị Phương", 1, 1, False), ("Hoàng Văn Hải", 0, 0, True)]
    assert hoa_binh.categories == (CategoryLine(C.LAND, 1, 0, 0), CategoryLine(C.INFRASTRUCTURE, 0, 0, 1))
    assert hoa_binh.oldest == (StaleHousehold(month.homes["h9"].id, "Bùi Thị Chín", None),)
    assert hoa_binh.meeting == MeetingFigures(held=0, last_held=None, unrecorded=1, present=0, recorded=0)
    assert hoa_binh.figures == Figures(visits=1, households=2, reached=1, stale=1, opened=1, answered=0, overdue=1,
                                       meetings=0, members=2, idle=1)

    yen_lac = digests[v["yl"].id]
    assert yen_lac.figures == Figures(visits=0, households=1, reached=0, stale=1, opened=0, answered=0, overdue=0,
                                      meetings=0, members=2, idle=2)
    assert [m.name for m in yen_lac.idle] == ["Ngô Văn Giang", "Trịnh Văn Ba"]
    assert yen_lac.categories == () and yen_lac.meeting == MeetingFigures()


async def test_month_on_month_change_against_september(sessions, month):
    async with sessions() as session:
        digest = await commune_digest(session, month.commune.id, *OCTOBER, TZ)
    v = month.villages
    assert (digest.name, digest.previous_start, digest.previous_end) == ("Xã Phúc Sơn", dt.date(2026, 9, 1),
                                                                        dt.date(2026, 10, 1))
    assert [d.name for d in digest.villages] == ["Thôn Đồng Tâm", "Thôn Hòa Bình", "Thôn Yên Lạc"]
    # September in Đồng Tâm: visits h2 (30 Sept), h4, h5; reached h2, h4, h5; stale h1, h3, h6 (no visit
    # before 1 October); opened the security and the withdrawn complaint; answered the "other" one
    # (1 Sept); overdue the security one (due 17 Sept); September's meeting; idle Hằng, Phó, Én.
    assert digest.previous[v["dt"].id].figures == Figures(visits=3, households=6, reached=3, stale=3, opened=2,
                                                          answered=1, overdue=1, meetings=1, members=6, idle=3)
    assert digest.change(v["dt"].id) == Figures(visits=3, households=0, reached=0, stale=-1, opened=3, answered=1,
                                                overdue=1, meetings=0, members=0, idle=0)
    # Hòa Bình in September: no visit, both households stale, the infrastructure concern opened
    # (20 Sept, due 5 Oct: not yet overdue), Phương active by it, Hải idle.
    assert digest.previous[v["hb"].id].figures == Figures(visits=0, households=2, reached=0, stale=2, opened=1,
                                                          answered=0, overdue=0, meetings=0, members=2, idle=1)
    assert digest.change(v["hb"].id) == Figures(visits=1, households=0, reached=1, stale=-1, opened=0, answered=0,
                                                overdue=1, meetings=0, members=0, idle=0)
    assert digest.change(v["yl"].id) == Figures()
    assert digest.total == Figures(7, 9, 4, 4, 6, 2, 3, 1, 10, 6)
    assert digest.total - digest.previous_total == Figures(4, 0, 1, -2, 3, 1, 2, 0, 0, 0)
    assert digest.categories()[0] == CategoryLine(C.LAND, opened=3, answered=1, overdue=0)


async def test_a_month_still_running_judges_overdue_now(sessions, month):
    start, end = month_to_date(NOW.astimezone(TZ).date())
    assert (start, end) == (dt.date(2026, 11, 1), dt.date(2026, 11, 25))
    assert previous_period(start, end) == (dt.date(2026, 10, 1), dt.date(2026, 10, 25))
    async with sessions() as session:
        november = (await village_digests(session, month.commune.id, start, end, TZ, now=NOW))[month.villages["dt"].id]
    # The environment concern of 00:30 on 1 November, due on the 11th, is open and overdue by the 24th;
    # the land one of 31 October is due on 30 November; the admin procedure was answered on 1 November.
    assert november.categories == (CategoryLine(C.ADMIN_PROCEDURE, 0, 1, 0), CategoryLine(C.ENVIRONMENT, 1, 0, 1),
                                   CategoryLine(C.SECURITY, 0, 0, 1))
    assert (november.visits, november.reached) == (1, 1)  # h2 on 1 November
    assert "Vũ Thị Én" not in [m.name for m in november.members]  # she left in October


def test_periods_and_when_the_job_is_due():
    assert previous_period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert previous_period(dt.date(2027, 1, 1), dt.date(2027, 2, 1)) == (dt.date(2026, 12, 1), dt.date(2027, 1, 1))
    assert due_month(utc(2026, 10, 31, 23, 59), TZ) is None  # 06:59 on 1 November in Hà Nội
    assert due_month(utc(2026, 11, 1, 0, 0), TZ) == OCTOBER  # 07:00
    assert due_month(utc(2026, 11, 7, 16, 59), TZ) == OCTOBER  # 23:59 on the 7th
    assert due_month(utc(2026, 11, 7, 17, 0), TZ) is None  # the 8th: old news
    assert due_month(utc(2027, 1, 3, 3, 0), TZ) == (dt.date(2026, 12, 1), dt.date(2027, 1, 1))


# --- a few statements, whatever the size of the commune ---------------------------------------------------

async def _grow(session, month: Month, count: int) -> None:
    """More villages with a nhóm, a member, a household, a visit and a concern each."""
    from tests.digest_world import concern

    for index in range(count):
        village = await tree.add_unit(session, UnitKind.VILLAGE, f"Thôn Mới {index}", month.commune)
        team = await tree.add_unit(session, UnitKind.TEAM, f"Tổ Mới {index}", village)
        nhom = await tree.add_unit(session, UnitKind.NHOM, "Nhóm 1", team)
        person = Person(full_name=f"Người {index}", name_key=f"nguoi {index}", commune_id=month.commune.id)
        session.add(person)
        await session.flush()
        session.add(Membership(person_id=person.id, unit_id=nhom.id, role=Role.MEMBER))
        home = Household(commune_id=month.commune.id, village_id=village.id, nhom_id=nhom.id, head_name="Hộ",
                         name_key="ho", assigned_member_id=person.id)
        session.add(home)
        await session.flush()
        session.add(Visit(household_id=home.id, person_id=person.id, nhom_id=nhom.id, village_id=village.id,
                          commune_id=month.commune.id, visited_on=dt.date(2026, 10, 9), purpose=VisitPurpose.OTHER))
        month.villages[f"new{index}"], month.nhom[f"new{index}"], month.people[f"new{index}"] = village, nhom, person
        await concern(session, month, f"new{index}", f"new{index}", f"new{index}", C.LAND, utc(2026, 10, 9, 3), 30)
    await session.commit()


async def test_statements_per_digest_do_not_grow_with_villages(engine, sessions, month):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    async def measure() -> tuple[int, int]:
        statements.clear()
        async with sessions() as session:
            digest = await commune_digest(session, month.commune.id, *OCTOBER, TZ)
        return len(statements), len(digest.villages)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        small, villages = await measure()
        async with sessions() as session:
            await _grow(session, month, 6)
        large, more_villages = await measure()
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert (villages, more_villages) == (3, 9)
    # The commune, its tree, the roster, the answered concerns and the most-raised ones, then 5 per
    # period (4 for the previous), then the running campaigns and the approved models, one grouped statement each.
    assert small == large == 16


# --- the texts --------------------------------------------------------------------------------------------

async def test_texts_name_households_only_for_leaders(sessions, month):
    async with sessions() as session:
        digest = await commune_digest(session, month.commune.id, *OCTOBER, TZ)
    dong_tam = digest.villages[0]
    leader = village_text(dong_tam, TZ, names=True)
    assert leader == "\n".join([
        "📊 Tổng hợp tháng 10 năm 2026 — Thôn Đồng Tâm", "",
        "🏠 Thăm hộ: 6 lượt; 3/6 hộ được thăm (50%)",
        "• Nhóm 1: 4 lượt, 2/4 hộ, 3 ý kiến",
        "• Nhóm 2: 2 lượt, 1/2 hộ, 1 ý kiến",
        "👤 Theo thành viên:",
        "• Phạm Văn An: 4 lượt thăm, 2 ý kiến",
        "• Lê Thị Bình: 1 lượt thăm, 2 ý kiến",
        "• Nguyễn Thị Hằng: 1 lượt thăm, 1 ý kiến",
        "⏳ 2 hộ chưa được thăm từ 60 ngày trở lên",
        "Lâu nhất: Vũ Thị Sáu (chưa thăm), Phạm Thị Bốn (1/9/2026)",
        "📣 Ý kiến, kiến nghị: 5 mới, 2 đã trả lời, 2 quá hạn",
        "• Đất đai: 2 mới, 1 đã trả lời, 0 quá hạn",
        "• Thủ tục hành chính: 1 mới, 0 đã trả lời, 1 quá hạn",
        "• Khiếu nại, tố cáo: 1 mới, 1 đã trả lời, 0 quá hạn",
        "• An ninh, trật tự: 0 mới, 0 đã trả lời, 1 quá hạn",
        "• Mâu thuẫn, tranh chấp trong nhân dân: 1 mới, 0 đã trả lời, 0 quá hạn",
        "⏱ Trả lời: đúng hạn 1/2 (50%), trung vị 18,7 ngày, đã báo lại 2/4 hộ (50%)",
        "👥 Nhiều hộ cùng phản ánh:",
        "• PA-2026-00004: 3 hộ — Thanh niên đua xe ban đêm trước nhà ***, gọi ***678",
        "• PA-2026-00007: 2 hộ — Chậm cấp giấy chứng nhận cho các hộ xóm Trại",
        "📅 Họp giao ban: đã họp ngày 25/10/2026, 3/5 người dự.",
        "😴 Chưa có hoạt động (3/6): Đỗ Văn Chung, Trần Văn Phó, Vũ Thị Én",
    ])
    group = village_text(dong_tam, TZ, names=False)
    assert group == leader.replace("\nLâu nhất: Vũ Thị Sáu (chưa thăm), Phạm Thị Bốn (1/9/2026)", "")
    assert commune_text(digest).split("\n") == [
        "📊 Tổng hợp tháng 10 năm 2026 — Xã Phúc Sơn",
        "(Trong ngoặc: thay đổi so với tháng 9 năm 2026.)", "",
        "Toàn xã: 7 lượt thăm (+4); 4/9 hộ được thăm; 4 hộ quá 60 ngày chưa thăm (-2)",
        "Ý kiến: 6 mới (+3), 2 đã trả lời (+1), 3 quá hạn (+2)",
        "Trả lời: đúng hạn 1/2 (50%), trung vị 18,7 ngày, đã báo lại 2/4 hộ (50%)",
        "Họp giao ban: 1/3 thôn đã họp; 6/10 thành viên chưa có hoạt động", "",
        "• Thôn Đồng Tâm: 6 lượt (+3), 3/6 hộ, 2 hộ quá 60 ngày (-1)",
        "  ý kiến 5 mới, 2 đã trả lời, 2 quá hạn (+1); họp: đã họp; 3 chưa có hoạt động",
        "  trả lời: đúng hạn 1/2 (50%), trung vị 18,7 ngày, đã báo lại 2/4 hộ (50%)",
        "• Thôn Hòa Bình: 1 lượt (+1), 1/2 hộ, 1 hộ quá 60 ngày (-1)",
        "  ý kiến 1 mới, 0 đã trả lời, 1 quá hạn (+1); họp: chưa ghi nhận; 1 chưa có hoạt động",
        "• Thôn Yên Lạc: 0 lượt (±0), 0/1 hộ, 1 hộ quá 60 ngày (±0)",
        "  ý kiến 0 mới, 0 đã trả lời, 0 quá hạn (±0); họp: chưa họp; 2 chưa có hoạt động", "",
        "Trả lời theo lĩnh vực:",
        "• Đất đai: đúng hạn 1/1 (100%), trung vị 19,4 ngày, đã báo lại 1/3 hộ (33%)",
        "• Khiếu nại, tố cáo: đúng hạn 0/1 (0%), trung vị 18 ngày, đã báo lại 1/1 hộ (100%)", "",
        "👥 Nhiều hộ cùng phản ánh:",
        "• PA-2026-00004 (Thôn Đồng Tâm): 3 hộ — Thanh niên đua xe ban đêm trước nhà ***, gọi ***678",
        "• PA-2026-00007 (Thôn Đồng Tâm): 2 hộ — Chậm cấp giấy chứng nhận cho các hộ xóm Trại",
        "• PA-2026-00011 (Thôn Hòa Bình): 2 hộ — Cầu tràn qua suối bị sạt, xe máy không qua được",
    ]
    assert "Vũ Thị Sáu" not in commune_text(digest)


# --- answering measures and concerns raised by several households ----------------------------------------

LAND_DAYS = 19 + 9.5 / 24  # 17:30 on 30 September to 03:00 on 20 October (UTC)


def raised(month: Month, digest_raised) -> list[tuple[str, str, int]]:
    villages = {v.id: key for key, v in month.villages.items()}
    return [(villages[c.village_id], c.reference, c.households) for c in digest_raised]


async def test_answering_measures_and_the_most_raised_concerns_of_october(sessions, month):
    async with sessions() as session:
        digest = await commune_digest(session, month.commune.id, *OCTOBER, TZ)
    dong_tam, hoa_binh, yen_lac = digest.villages
    # Answered in October: the land concern (on time; h1 told on 25 Oct, h2 never, h3 only on 2 Nov)
    # and the complaint closed as resolved (late, after 18 days; its household told on 21 Oct).
    assert dong_tam.category_measures == (
        (C.LAND, Measures(answered=1, on_time=1, median_days=pytest.approx(LAND_DAYS), households=3, told=1)),
        (C.COMPLAINT, Measures(answered=1, on_time=0, median_days=18.0, households=1, told=1)))
    assert dong_tam.measures == Measures(2, 1, pytest.approx((LAND_DAYS + 18) / 2), 4, 2)
    assert hoa_binh.measures == yen_lac.measures == Measures() and hoa_binh.category_measures == ()
    assert digest.measures == dong_tam.measures and digest.category_measures == dong_tam.category_measures
    # Open at October's end with two or more households by then: the security concern (3 rows), the
    # admin procedure answered only on 1 November (2); the land one of 31 October had its second
    # household on 2 November; the duplicate (2 rows) is closed. Hòa Bình: the infrastructure one.
    assert raised(month, dong_tam.raised) == [("dt", "PA-2026-00004", 3), ("dt", "PA-2026-00007", 2)]
    assert raised(month, hoa_binh.raised) == [("hb", "PA-2026-00011", 2)]
    assert raised(month, digest.raised) == [("dt", "PA-2026-00004", 3), ("dt", "PA-2026-00007", 2),
                                            ("hb", "PA-2026-00011", 2)]
    assert dong_tam.raised[0].household_name == "Nguyễn Văn Một"  # to hide it from the snippet
    # The previous period is only compared on the headline figures.
    assert digest.previous[month.villages["dt"].id].measures == Measures()


async def test_measures_with_more_answers_by_village_and_category(sessions, month):
    async with sessions() as session:
        await add_answers(session, month)
        digest = await commune_digest(session, month.commune.id, *OCTOBER, TZ)
    dong_tam, hoa_binh, _yen_lac = digest.villages
    # Đồng Tâm: land (19 days 9½ h, on time, 1/3 told), complaint (18 days, late, 1/1), infrastructure
    # (15 days, answered at its due moment: on time; h5 told at 23:59 on 31 Oct, h6 at 00:00 on 1 Nov,
    # the anonymous row attached on 1 Nov not counted): median 18 days, 2/3 on time, 3/6 told.
    assert dong_tam.measures == Measures(answered=3, on_time=2, median_days=18.0, households=6, told=3)
    assert [c for c, _m in dong_tam.category_measures] == [C.LAND, C.COMPLAINT, C.INFRASTRUCTURE]
    assert dong_tam.category_measures[2][1] == Measures(1, 1, 15.0, 2, 1)
    assert hoa_binh.measures == Measures(answered=1, on_time=1, median_days=5.0, households=2, told=1)
    assert hoa_binh.category_measures == ((C.PROGRAMME, Measures(1, 1, 5.0, 2, 1)),)
    # The commune: 19.4, 18, 15 and 5 days — median 16.5; 3/4 on time; 4/8 told.
    assert digest.measures == Measures(answered=4, on_time=3, median_days=16.5, households=8, told=4)
    assert [(c, m.answered, m.on_time, m.households, m.told) for c, m in digest.category_measures] == [
        (C.LAND, 1, 1, 3, 1), (C.COMPLAINT, 1, 0, 1, 1), (C.INFRASTRUCTURE, 1, 1, 2, 1), (C.PROGRAMME, 1, 1, 2, 1)]
    lines = commune_text(digest).split("\n")
    assert "Trả lời: đúng hạn 3/4 (75%), trung vị 16,5 ngày, đã báo lại 4/8 hộ (50%)" in lines
    assert "  trả lời: đúng hạn 1/1 (100%), trung vị 5 ngày, đã báo lại 1/2 hộ (50%)" in lines
    assert "• Hiệu quả chương trình, dự án: đúng hạn 1/1 (100%), trung vị 5 ngày, đã báo lại 1/2 hộ (50%)" in lines
    with use_locale("en"):
        assert "16.5" in commune_text(digest)  # the reader's decimal mark

    from openpyxl import load_workbook

    with use_locale("vi"):
        media = digests_media.commune_media(digest)
    book = load_workbook(io.BytesIO(await asyncio.to_thread(workbook, media.tables)))
    answering = [list(row) for row in book["Trả lời ý kiến"].iter_rows(min_row=3, values_only=True)]
    assert answering == [
        ["Thôn Đồng Tâm", "Đất đai", 1, 1, 100, 19.4, 3, 1, 33],
        ["Thôn Đồng Tâm", "Khiếu nại, tố cáo", 1, 0, 0, 18, 1, 1, 100],
        ["Thôn Đồng Tâm", "Hạ tầng (đường, điện, nước)", 1, 1, 100, 15, 2, 1, 50],
        ["Thôn Đồng Tâm", "Tất cả lĩnh vực", 3, 2, 67, 18, 6, 3, 50],
        ["Thôn Hòa Bình", "Hiệu quả chương trình, dự án", 1, 1, 100, 5, 2, 1, 50],
        ["Thôn Hòa Bình", "Tất cả lĩnh vực", 1, 1, 100, 5, 2, 1, 50],
        ["Toàn xã", "Đất đai", 1, 1, 100, 19.4, 3, 1, 33],
        ["Toàn xã", "Khiếu nại, tố cáo", 1, 0, 0, 18, 1, 1, 100],
        ["Toàn xã", "Hạ tầng (đường, điện, nước)", 1, 1, 100, 15, 2, 1, 50],
        ["Toàn xã", "Hiệu quả chương trình, dự án", 1, 1, 100, 5, 2, 1, 50],
        ["Toàn xã", "Tất cả lĩnh vực", 4, 3, 75, 16.5, 8, 4, 50],
    ]
    most = [list(row) for row in book["Nhiều hộ cùng phản ánh"].iter_rows(min_row=3, values_only=True)]
    assert most == [
        ["Thôn Đồng Tâm", "PA-2026-00004", "An ninh, trật tự", 3,
         "Thanh niên đua xe ban đêm trước nhà ***, gọi ***678"],
        ["Thôn Đồng Tâm", "PA-2026-00007", "Thủ tục hành chính", 2, "Chậm cấp giấy chứng nhận cho các hộ xóm Trại"],
        ["Thôn Hòa Bình", "PA-2026-00011", "Hạ tầng (đường, điện, nước)", 2,
         "Cầu tràn qua suối bị sạt, xe máy không qua được"],
    ]
    with use_locale("vi"):
        village = digests_media.village_media(hoa_binh)
    assert [t.title for t in village.tables][-2:] == ["Trả lời ý kiến", "Nhiều hộ cùng phản ánh"]
    assert village.tables[-2].rows == (("Hiệu quả chương trình, dự án", 1, 1, 100, 5.0, 2, 1, 50),
                                       ("Tất cả lĩnh vực", 1, 1, 100, 5.0, 2, 1, 50))


async def test_measures_of_a_month_still_running(sessions, month):
    start, end = month_to_date(NOW.astimezone(TZ).date())
    async with sessions() as session:
        november = (await village_digests(session, month.commune.id, start, end, TZ, now=NOW))[month.villages["dt"].id]
    # The admin procedure, answered at 00:30 on 1 November, 26 days 14½ hours after it was recorded
    # and 11 days late; neither of its households told yet.
    assert november.measures == Measures(1, 0, pytest.approx(26 + 14.5 / 24), 2, 0)
    # Now (24 November): the land concern of 31 October has its second household (2 November).
    assert raised(month, november.raised) == [("dt", "PA-2026-00004", 3), ("dt", "PA-2026-00002", 2)]


# --- /tonghop ---------------------------------------------------------------------------------------------

REFUSAL = "Tổng hợp tháng dành cho tổ trưởng, tổ phó, bí thư chi bộ, trưởng khối dân vận và bí thư Đảng ủy xã."


async def test_members_and_other_roles_are_refused(sessions, month):
    for who in ("a", "b", "x"):  # a member, a nhóm leader, the admin
        chat = Chat(sessions, who, now=NOW)
        await chat.say("/tonghop")
        assert chat.last[0].text == REFUSAL
        assert chat.last[-1].text == "Chọn việc cần làm:"
        assert "📊 Tổng hợp tháng" not in [o.label for o in chat.last[-1].options]
        await chat.say(choice="m:digest")  # an old or forged button
        assert chat.last[0].text == REFUSAL


async def test_a_leader_sees_only_their_own_village(sessions, month):
    chat = Chat(sessions, "l1", now=NOW)
    await chat.say("/tonghop Hòa Bình")
    assert chat.last[0].text == "Bạn chỉ xem được tổng hợp của đơn vị mình phụ trách."
    await chat.say("/tonghop Thôn Không Có")
    assert chat.last[0].text == "Không tìm thấy thôn, tổ dân phố nào tên “Thôn Không Có”."
    await chat.say("/digest")
    assert len(chat.last) == 2  # the digest, then the menu
    text = chat.last[0].text
    assert text.startswith("📊 Tổng hợp tháng 11 năm 2026 (từ 1/11/2026 đến 24/11/2026) — Thôn Đồng Tâm\n")
    assert "Lâu nhất: Vũ Thị Sáu (chưa thăm)" in text
    assert "📎" not in text  # the terminal takes no files
    await chat.say("/menu")
    await chat.menu_entry("Tổng hợp tháng")
    assert chat.last[0].text == text
    deputy = Chat(sessions, "d1", now=NOW)
    await deputy.say("/tonghop dong tam")
    assert deputy.last[0].text == text
    async with sessions() as session:
        views = (await session.scalars(select(AuditLog).where(AuditLog.action == "digest.view"))).all()
    assert [(a.actor_id, a.entity_id, a.details) for a in views] == [
        (month.people["l1"].id, month.villages["dt"].id, {"period": "2026-11"})] * 2 + [
        (month.people["d1"].id, month.villages["dt"].id, {"period": "2026-11"})]


async def test_the_commune_sees_villages_side_by_side_and_each_one(sessions, month):
    chat = Chat(sessions, "s", now=NOW)
    await chat.say("/tonghop")
    text = chat.last[0].text
    assert text.startswith("📊 Tổng hợp tháng 11 năm 2026 (từ 1/11/2026 đến 24/11/2026) — Xã Phúc Sơn\n"
                           "(Trong ngoặc: thay đổi so với tháng 10 năm 2026 (từ 1/10/2026 đến 24/10/2026).)")
    assert text.endswith("Xem một thôn: /tonghop <tên thôn>.")
    await chat.say("/tonghop hoa binh")
    assert chat.last[0].text.startswith("📊 Tổng hợp tháng 11 năm 2026 (từ 1/11/2026 đến 24/11/2026) — Thôn Hòa Bình")


async def test_on_telegram_the_chart_and_spreadsheet_follow(sessions, month):
    chat = Chat(sessions, "tg-k", channel=Channel.TELEGRAM, now=NOW)
    await chat.say("/tonghop")
    assert chat.last[0].text.endswith("📎 Biểu đồ và bảng tính gửi ngay sau tin này.")
    async with sessions() as session:
        rows = (await session.scalars(select(OutboxMessage))).all()
        assert [(r.channel, r.chat_id, r.kind, r.person_id) for r in rows] == [
            (Channel.TELEGRAM, "tg-k", "digest_files", month.people["k"].id)]
        body = rows[0].payload
        photo = await session.get(Attachment, body["photo_attachment"])
        sheet = await session.get(Attachment, body["document_attachment"])
    assert body["text"] == "📎 Biểu đồ và bảng số liệu: Xã Phúc Sơn"
    assert (photo.mime, photo.data[:8]) == ("image/png", b"\x89PNG\r\n\x1a\n")
    assert sheet.filename == "tong-hop-xa-phuc-son-2026-11.xlsx" and sheet.data[:2] == b"PK"


# --- the job on the 1st ---------------------------------------------------------------------------------

FIRST = utc(2026, 11, 1, 0, 0)  # 07:00 on 1 November in Hà Nội


async def _bind(session, month: Month) -> None:
    """Chi bộ group for Đồng Tâm and the khối dân vận group; Hòa Bình has none."""
    session.add_all([
        ChatGroup(channel=Channel.TELEGRAM, chat_id="-100", title="Chi bộ Đồng Tâm", unit_id=month.villages["dt"].id,
                  purpose=GroupPurpose.CHI_BO),
        ChatGroup(channel=Channel.ZALO, chat_id="z-200", title="Khối dân vận", unit_id=month.commune.id,
                  purpose=GroupPurpose.KHOI_DAN_VAN),
    ])
    await session.commit()


async def _outbox(sessions) -> list[OutboxMessage]:
    async with sessions() as session:
        return list((await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all())


async def test_without_a_khoi_dan_van_group_its_copy_goes_to_the_communes_team_leaders(sessions, month):
    """The commune's group is its two leads (who get their own digest, with names) and every team
    leader: with no group bound, the team leaders get the group's copy, without names; once each."""
    assert await digest_jobs(sessions, now=FIRST, tz=TZ) > 0
    c = month.commune.id
    p = {key: person.id for key, person in month.people.items()}
    rows = {r.idempotency_key: r for r in await _outbox(sessions) if r.idempotency_key.startswith(
        f"digest:2026-10:c{c}:u{c}:")}
    # Trịnh Văn Ba (Yên Lạc) has no app the bot can reach
    assert sorted(rows) == sorted(f"digest:2026-10:c{c}:u{c}:p{p[k]}" for k in ("k", "s", "l1", "l2"))
    stand_in = rows[f"digest:2026-10:c{c}:u{c}:p{p['l2']}"].payload["text"]
    lead = rows[f"digest:2026-10:c{c}:u{c}:p{p['k']}"].payload["text"]
    assert stand_in.startswith("📊 Tổng hợp tháng 10 năm 2026 — Xã Phúc Sơn\n")
    assert stand_in == lead and "Vũ Thị Sáu" not in stand_in  # the commune's digest names no household
    assert await digest_jobs(sessions, now=FIRST + dt.timedelta(minutes=15), tz=TZ) == 0


async def test_the_job_on_the_first_enqueues_once_per_recipient_and_group(sessions, month):
    async with sessions() as session:
        await _bind(session, month)
    assert await digest_jobs(sessions, now=FIRST - dt.timedelta(minutes=1), tz=TZ) == 0  # 06:59
    assert await digest_jobs(sessions, now=FIRST, tz=TZ) == 7
    rows = await _outbox(sessions)
    c, v = month.commune.id, month.villages
    p = {key: person.id for key, person in month.people.items()}
    # Trịnh Văn Ba (Yên Lạc) has no app the bot can reach; the admin role and members get nothing;
    # Hòa Bình has no chi bộ group bound: its leader still gets his.
    assert sorted(r.idempotency_key for r in rows) == sorted([
        f"digest:2026-10:c{c}:u{c}:p{p['k']}", f"digest:2026-10:c{c}:u{c}:p{p['s']}", f"digest:2026-10:c{c}:u{c}:g2",
        f"digest:2026-10:c{c}:u{v['dt'].id}:p{p['l1']}", f"digest:2026-10:c{c}:u{v['dt'].id}:p{p['d1']}",
        f"digest:2026-10:c{c}:u{v['dt'].id}:g1", f"digest:2026-10:c{c}:u{v['hb'].id}:p{p['l2']}",
    ])
    by_key = {r.idempotency_key: r for r in rows}
    leader = by_key[f"digest:2026-10:c{c}:u{v['dt'].id}:p{p['l1']}"]
    group = by_key[f"digest:2026-10:c{c}:u{v['dt'].id}:g1"]
    assert leader.kind == group.kind == "digest" and (group.channel, group.chat_id) == (Channel.TELEGRAM, "-100")
    assert leader.payload["text"].startswith("📊 Tổng hợp tháng 10 năm 2026 — Thôn Đồng Tâm\n")
    assert "Lâu nhất: Vũ Thị Sáu (chưa thăm)" in leader.payload["text"]
    assert "Vũ Thị Sáu" not in group.payload["text"] and "Phạm Thị Bốn" not in group.payload["text"]
    assert leader.payload["text"].endswith("📎 Bảng số liệu tháng 10 năm 2026 kèm theo.")
    assert leader.payload["photo_attachment"] and leader.payload["document_attachment"]
    assert leader.next_attempt_at == FIRST
    commune_row = by_key[f"digest:2026-10:c{c}:u{c}:p{p['k']}"]
    assert commune_row.payload["text"].startswith("📊 Tổng hợp tháng 10 năm 2026 — Xã Phúc Sơn\n")

    async with sessions() as session:
        files = await session.scalar(select(func.count()).select_from(Attachment))
    assert await digest_jobs(sessions, now=FIRST + dt.timedelta(minutes=15), tz=TZ) == 0
    assert await digest_jobs(sessions, now=FIRST + dt.timedelta(days=2), tz=TZ) == 0
    assert len(await _outbox(sessions)) == len(rows)
    async with sessions() as session:  # nothing was computed or drawn again
        assert await session.scalar(select(func.count()).select_from(Attachment)) == files


async def test_the_commune_group_and_a_late_leader_are_caught_up(sessions, month):
    async with sessions() as session:
        await _bind(session, month)
    # The process was down on the 1st and comes back at 22:00 on the 3rd (15:00 UTC): sent for 07:00 on the 4th.
    late = utc(2026, 11, 3, 15, 0)
    assert await digest_jobs(sessions, now=late, tz=TZ) == 7
    rows = await _outbox(sessions)
    zalo = [r for r in rows if r.channel == Channel.ZALO]
    assert [(r.chat_id, r.next_attempt_at) for r in zalo] == [("z-200", utc(2026, 11, 4, 0, 0))]
    assert zalo[0].payload["text"].startswith("📊 Tổng hợp tháng 10 năm 2026 — Xã Phúc Sơn\n")
    # Yên Lạc's leader links Telegram on the 5th: the next run sends him October's, and only his.
    async with sessions() as session:
        session.add(ChatIdentity(person_id=month.people["l3"].id, channel=Channel.TELEGRAM, external_id="tg-l3",
                                 chat_id="tg-l3"))
        await session.commit()
    assert await digest_jobs(sessions, now=utc(2026, 11, 5, 2, 0), tz=TZ) == 1
    newest = (await _outbox(sessions))[-1]
    assert newest.chat_id == "tg-l3" and newest.payload["text"].startswith(
        "📊 Tổng hợp tháng 10 năm 2026 — Thôn Yên Lạc\n")
    # After the 7th the month is old news.
    async with sessions() as session:
        session.add(ChatIdentity(person_id=month.people["x"].id, channel=Channel.TELEGRAM, external_id="tg-x2",
                                 chat_id="tg-x2"))
        await session.commit()
    assert await digest_jobs(sessions, now=utc(2026, 11, 8, 2, 0), tz=TZ) == 0


async def test_the_job_is_registered(sessions):
    from core.settings import load_settings

    assert jobs(load_settings(environ={}, env_file=None))["digests"] is digest_jobs
