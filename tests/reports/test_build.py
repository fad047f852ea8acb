"""The report's content: header, period, every figure (counted by hand in tests/reports/world.py),
the blanks, the drafted sentences and the commune's annex; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import event, select

from core.i18n import use_locale
from models.deadlines import calendar
from models.enums import UnitKind
from models.reports import fields, figures
from models.reports.build import build_report
from models.reports.numbers import number, parse_number, percent
from models.reports.periods import Period, period_line
from models.tables import AuditLog, Household, OrgUnit
from models.units import tree
from reports.official import BLANK, Figure, OfficialReport, ParagraphKind, ReportKind
from tests.reports.world import TODAY, Half, build_half


@pytest.fixture
async def half(session) -> Half:
    return await build_half(session)


async def _report(session, unit: OrgUnit, kind: ReportKind = ReportKind.HALF_YEAR, year: int = 2026,
                  today: dt.date = TODAY) -> OfficialReport:
    return await build_report(session, unit=unit, kind=kind, year=year, today=today)


def _figures(report: OfficialReport) -> dict[str, str | None]:
    return {f.key: f.value for f in report.figures}


def _paragraphs(report: OfficialReport) -> list[tuple[ParagraphKind, str]]:
    found = []

    def walk(sections) -> None:
        for section in sections:
            found.extend((p.kind, p.text) for p in section.paragraphs)
            walk(section.subsections)
    walk(report.sections)
    return found


def _drafted(report: OfficialReport) -> list[str]:
    return [text for kind, text in _paragraphs(report) if kind == ParagraphKind.DRAFTED]


# --- point 1: kinds, issuers, periods -----------------------------------------------------------------------

async def test_the_village_report_is_the_chi_bo_s_under_the_commune_s_party_organisation(session, half):
    report = await _report(session, half.villages["dt"])
    assert (report.higher_body, report.issuing_body, report.number_line) == (
        "ĐẢNG BỘ XÃ PHÚC SƠN", "CHI BỘ THÔN ĐỒNG TÂM", "Số      -BC/CB")
    assert report.place_date_line == "Phúc Sơn, ngày 20 tháng 6 năm 2026"
    assert report.signer_lines == ("T/M CHI BỘ", "BÍ THƯ") and report.signer_name == "Lê Văn Bí Thư"
    assert report.summary == "kết quả hoạt động của Tổ Dân vận cộng đồng 6 tháng đầu năm 2026"
    assert report.period_line == "(từ ngày 1 tháng 1 đến ngày 15 tháng 6 năm 2026)"
    assert report.closing.endswith("Chi bộ thôn Đồng Tâm trân trọng báo cáo./.")
    assert report.annex is None
    # The team stands for its village: the same report.
    assert (await _report(session, half.teams["dt"])).issuing_body == "CHI BỘ THÔN ĐỒNG TÂM"


async def test_the_commune_report_is_the_dang_uy_s_under_the_province_s(session, half):
    report = await _report(session, half.commune, ReportKind.ANNUAL)
    assert (report.higher_body, report.issuing_body, report.number_line) == (
        "ĐẢNG BỘ TỈNH BẮC GIANG", "ĐẢNG ỦY XÃ PHÚC SƠN", "Số      -BC/ĐU")
    assert report.signer_lines == ("T/M ĐẢNG ỦY", "BÍ THƯ") and report.signer_name == "Trần Quốc Sơn"
    assert report.recipients[:3] == ("Nơi nhận:", "- Ban Thường vụ Tỉnh ủy (để b/c),",
                                     "- Ban Dân vận Tỉnh ủy (để b/c),")
    assert report.closing.endswith("Đảng ủy xã Phúc Sơn trân trọng báo cáo./.")
    # The documents' reporting year: the day after last year's annual deadline to this year's.
    assert report.period_line == "(từ ngày 21 tháng 11 năm 2025 đến ngày 20 tháng 11 năm 2026)"


async def test_a_secretary_not_on_the_roster_leaves_the_name_to_sign(session, half):
    report = await _report(session, half.villages["hb"])
    assert report.signer_name is None


async def test_periods_follow_the_commune_s_own_deadlines(session, half):
    await calendar.set_deadline(session, half.commune, calendar.HALF_YEAR, month=6, day=10)
    await calendar.set_deadline(session, half.commune, calendar.ANNUAL, month=12, day=5)
    assert (await _report(session, half.commune)).period_line == "(từ ngày 1 tháng 1 đến ngày 10 tháng 6 năm 2026)"
    assert (await _report(session, half.commune, ReportKind.ANNUAL)).period_line == (
        "(từ ngày 6 tháng 12 năm 2025 đến ngày 5 tháng 12 năm 2026)")


async def test_reviews_cover_three_and_five_years_but_never_before_the_founding(session, half):
    # Đồng Tâm's team was founded on 15 March 2024: its 3-year review starts then, not in 2023.
    review = await _report(session, half.villages["dt"], ReportKind.REVIEW_3Y)
    assert review.period_line == "(từ ngày 15 tháng 3 năm 2024 đến ngày 20 tháng 11 năm 2026)"
    assert review.summary == "sơ kết 3 năm hoạt động của Tổ Dân vận cộng đồng (2024–2026)"
    assert "Từ khi thành lập, tổ đã thăm" in " ".join(_drafted(review))
    # Founded long before: the whole five reporting years.
    half.teams["dt"].founded_on = dt.date(2015, 1, 1)
    await session.flush()
    review = await _report(session, half.villages["dt"], ReportKind.REVIEW_5Y)
    assert review.period_line == "(từ ngày 21 tháng 11 năm 2021 đến ngày 20 tháng 11 năm 2026)"
    assert review.summary == "tổng kết 5 năm hoạt động của Tổ Dân vận cộng đồng (2021–2026)"
    assert "Trong 5 năm, tổ đã thăm" in " ".join(_drafted(review))
    # The commune's review starts with its first team.
    half.teams["dt"].founded_on = dt.date(2024, 3, 15)
    await session.flush()
    review = await _report(session, half.commune, ReportKind.REVIEW_5Y)
    assert review.period_line == "(từ ngày 15 tháng 3 năm 2024 đến ngày 20 tháng 11 năm 2026)"


def test_the_period_line_in_english():
    period = Period(ReportKind.HALF_YEAR, dt.date(2026, 1, 1), dt.date(2026, 6, 15))
    with use_locale("en"):
        assert period_line(period) == "(from 1 January to 15 June 2026)"


# --- point 2: figures from the data --------------------------------------------------------------------------

VILLAGE = {
    "teams": "1", "nhom": "2", "members": "3", "households": "4", "visits": "4", "reached": "3",
    "reached_share": "75 %", "not_reached": "1", "concerns": "4", "concerns_land": "3", "concerns_environment": "1",
    "answered_on_time": "1", "answered_late": "1", "open": "3", "overdue": "2", "told": "1/2", "meetings": "4/6",
    "attendance": "66,7 %", "announcements": "1", "acknowledged": "100 %", "monthly_reports": "2/5",
}
COMMUNE = {
    "teams": "2", "nhom": "3", "members": "5", "households": "6", "visits": "5", "reached": "4",
    "reached_share": "66,7 %", "not_reached": "2", "concerns": "5", "concerns_land": "3",
    "concerns_environment": "1", "concerns_security": "1", "answered_on_time": "2", "answered_late": "1",
    "open": "3", "overdue": "2", "told": "2/3", "meetings": "5/9", "attendance": "66,7 %", "announcements": "2",
    "acknowledged": "83,3 %", "monthly_reports": "3/7",
}


async def test_every_figure_of_a_village(session, half):
    report = await _report(session, half.villages["dt"])
    computed = {f.key: f.value for f in report.figures if not f.known_by_people}
    assert computed == VILLAGE


async def test_every_figure_of_the_commune_and_its_annex(session, half):
    report = await _report(session, half.commune)
    assert {f.key: f.value for f in report.figures if not f.known_by_people} == COMMUNE
    assert report.annex is not None
    assert report.annex.columns[0] == "Thôn, tổ dân phố"
    assert report.annex.rows == (
        ("Thôn Đồng Tâm", "3", "4", "4", "3", "75 %", "4", "2", "2", "4/6", "2/5"),
        ("Thôn Hòa Bình", "2", "2", "1", "1", "50 %", "1", "1", "0", "1/3", "1/2"),
        ("Tổng cộng", "5", "6", "5", "4", "66,7 %", "5", "3", "2", "5/9", "3/7"),
    )


async def test_a_report_before_the_deadline_counts_up_to_today(session, half):
    # On 5 March: the land concern of 1 March is open but not yet due, the one of April not yet recorded;
    # two monthly reports have fallen due (January's on time, February's late), three meetings.
    report = await _report(session, half.villages["dt"], today=dt.date(2026, 3, 5))
    got = _figures(report)
    assert (got["open"], got["overdue"], got["monthly_reports"], got["meetings"]) == ("2", "1", "1/2", "3/3")
    assert report.period_line == "(từ ngày 1 tháng 1 đến ngày 15 tháng 6 năm 2026)"


async def test_a_new_kind_of_figure_plugs_in_without_touching_the_report(session, half, monkeypatch):
    async def campaigns(session_, commune, window) -> dict[int, list[Figure]]:
        return {half.villages["dt"].id: [Figure("campaign", "Hộ tham gia BHYT", "12", "hộ")]}

    monkeypatch.setattr(figures, "SOURCES", [campaigns])
    assert _figures(await _report(session, half.villages["dt"]))["campaign"] == "12"
    assert "campaign" not in _figures(await _report(session, half.villages["hb"]))


async def test_statements_per_report_do_not_grow_with_villages(engine, sessions, half):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    async def measure() -> int:
        statements.clear()
        async with sessions() as session:
            commune = await session.get(OrgUnit, half.commune.id)
            await _report(session, commune)
        return len(statements)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        small = await measure()
        async with sessions() as session:
            commune = await session.get(OrgUnit, half.commune.id)
            for index in range(5):
                village = await tree.add_unit(session, UnitKind.VILLAGE, f"Thôn Mới {index}", commune)
                team = await tree.add_unit(session, UnitKind.TEAM, f"Tổ Mới {index}", village)
                nhom = await tree.add_unit(session, UnitKind.NHOM, "Nhóm 1", team)
                session.add(Household(commune_id=commune.id, village_id=village.id, nhom_id=nhom.id, head_name="Hộ",
                                      name_key="ho"))
            await session.commit()
        large = await measure()
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert small == large


# --- point 3: the blanks --------------------------------------------------------------------------------------

async def test_fields_nobody_gave_stay_blank_never_zero(session, half):
    report = await _report(session, half.commune)
    people = [f for f in report.figures if f.known_by_people]
    assert [f.key for f in people] == [s.key for s in fields.specs_for(UnitKind.COMMUNE)]
    assert all(f.value is None for f in people)
    assert report.blanks == tuple(str(s.label) for s in fields.specs_for(UnitKind.COMMUNE))
    # Sentences built on blank fields keep the "……" and stay places to complete, not drafted text.
    assert "Tổng diện tích tự nhiên …… ha, dân số …… người. Đảng bộ có …… đảng viên, sinh hoạt ở …… chi bộ." in [
        text for kind, text in _paragraphs(report) if kind == ParagraphKind.TO_WRITE]
    assert not any(BLANK in text for text in _drafted(report))
    await fields.set_values(session, half.commune.id, UnitKind.COMMUNE, 2026,
                            {"area": Decimal("1240.5"), "population": Decimal(8650), "poor_rate": Decimal("3.2")},
                            actor_id=None, actor_label="test", now=dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
    report = await _report(session, half.commune)
    got = _figures(report)
    assert (got["area"], got["population"], got["poor_rate"], got["party_members"]) == (
        "1.240,5", "8.650", "3,2 %", None)
    assert "Diện tích tự nhiên" not in report.blanks and "Số đảng viên" in report.blanks
    texts = [text for _kind, text in _paragraphs(report)]
    assert ("Tổng diện tích tự nhiên 1.240,5 ha, dân số 8.650 người. Đảng bộ có …… đảng viên, sinh hoạt ở …… chi bộ."
            in texts)
    # Last year's values belong to last year's report.
    assert _figures(await _report(session, half.commune, year=2027))["area"] is None


async def test_a_village_report_asks_only_the_village_s_fields(session, half):
    report = await _report(session, half.villages["dt"])
    keys = [f.key for f in report.figures if f.known_by_people]
    assert "citizens_received" not in keys and "chi_bo" not in keys and "population" in keys


async def test_field_changes_are_audited_and_checked_all_at_once(session, half):
    now = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    with pytest.raises(fields.UnknownField):
        await fields.set_values(session, half.villages["dt"].id, UnitKind.VILLAGE, 2026,
                                {"population": Decimal(900), "chi_bo": Decimal(3)}, actor_id=None, actor_label="t",
                                now=now)
    assert await fields.values(session, half.villages["dt"].id, 2026) == {}
    await fields.set_values(session, half.villages["dt"].id, UnitKind.VILLAGE, 2026, {"population": Decimal(900)},
                            actor_id=half.people["cb"].id, actor_label="person", now=now)
    await fields.set_values(session, half.villages["dt"].id, UnitKind.VILLAGE, 2026, {"population": None},
                            actor_id=half.people["cb"].id, actor_label="person", now=now)
    entries = (await session.scalars(select(AuditLog).where(AuditLog.action == "set_report_field")
                                     .order_by(AuditLog.id))).all()
    assert [(e.details["key"], e.details["before"], e.details["after"]) for e in entries] == [
        ("population", None, "900"), ("population", "900", None)]


@pytest.mark.parametrize(("kind", "text", "value"), [
    ("population", "1.240", Decimal(1240)), ("population", "1240", Decimal(1240)),
    ("area", "86,5", Decimal("86.5")), ("area", "1.240,75", Decimal("1240.75")),
    ("poor_rate", "3,2 %", Decimal("3.2")), ("poor_rate", "100", Decimal(100)),
])
def test_numbers_typed_the_vietnamese_way(kind, text, value):
    assert fields.parse_value(fields.BY_KEY[kind], text) == value


@pytest.mark.parametrize(("kind", "text"), [
    ("population", "12,5"), ("population", "-3"), ("population", "nhiều"), ("area", "12.5"),
    ("poor_rate", "101"), ("population", ""),
])
def test_bad_numbers_are_refused_with_the_rule(kind, text):
    with pytest.raises(fields.BadValue) as refused:
        fields.parse_value(fields.BY_KEY[kind], text)
    assert "ví dụ" in str(refused.value)


def test_number_helpers():
    assert (number(1240), number(Decimal("86.5")), percent(865, 1000), percent(1, 0)) == (
        "1.240", "86,5", "86,5 %", None)
    assert parse_number("1.240") == Decimal(1240) and parse_number("abc") is None
    with use_locale("en"):
        assert (number(1240), percent(865, 1000)) == ("1,240", "86.5 %")


# --- point 4: the drafted words --------------------------------------------------------------------------------

async def test_sections_in_the_documents_order_with_sentences_drafted_from_the_data(session, half):
    report = await _report(session, half.commune)
    assert [(s.number, s.title) for s in report.sections] == [
        ("I", "ĐẶC ĐIỂM TÌNH HÌNH"), ("II", "KẾT QUẢ THỰC HIỆN"), ("III", "ĐÁNH GIÁ CHUNG"),
        ("IV", "PHƯƠNG HƯỚNG, NHIỆM VỤ"), ("V", "KIẾN NGHỊ, ĐỀ XUẤT")]
    assert [s.title for s in report.sections[2].subsections] == ["Ưu điểm", "Hạn chế", "Nguyên nhân"]
    drafted = _drafted(report)
    for sentence in (
        "Xã Phúc Sơn có 2 thôn, tổ dân phố với 2 Tổ Dân vận cộng đồng, 5 thành viên, chia thành 3 nhóm, phụ trách "
        "6 hộ gia đình.",
        "Trong 6 tháng, các tổ đã thăm 5 lượt hộ, đạt 66,7 % số hộ được phân công (4/6 hộ được thăm ít nhất một lần).",
        "Còn 2 hộ chưa được thăm trong kỳ.",
        "Trong 6 tháng, các tổ đã tiếp nhận 5 ý kiến, kiến nghị của Nhân dân, nhiều nhất về đất đai (3); môi trường, "
        "vệ sinh (1); an ninh, trật tự (1).",
        "Đã trả lời 3 ý kiến, trong đó 2 ý kiến đúng hạn (66,7 %), 1 ý kiến quá hạn; đã báo lại kết quả cho 2/3 hộ.",
        "Còn 3 ý kiến chưa được trả lời, trong đó 2 ý kiến đã quá hạn.",
        "Còn 2 ý kiến về đất đai quá hạn trả lời.",
        "Các tổ đã họp giao ban 5/9 cuộc theo quy định hằng tháng; tỷ lệ thành viên tham dự bình quân 66,7 %.",
        "Đã nộp đúng hạn 3/7 báo cáo tháng.",
        "Đã gửi 2 thông báo đến thành viên; 83,3 % lượt người nhận đã xác nhận đã nhận.",
        "- Còn 2 hộ (33,3 %) chưa được thăm trong kỳ.",
        "- Còn 2 ý kiến quá hạn trả lời.",
        "- Có 4 cuộc họp giao ban hằng tháng chưa được tổ chức.",
        "- Thăm 2 hộ chưa được thăm trong kỳ, trước hết là các hộ lâu chưa được thăm.",
        "- Đôn đốc trả lời 3 ý kiến còn tồn đọng và báo lại kết quả cho các hộ.",
    ):
        assert sentence in drafted, sentence
    # What the data cannot say is a marked place to write, in every section.
    to_write = [text for kind, text in _paragraphs(report) if kind == ParagraphKind.TO_WRITE]
    assert "* Thuận lợi: ……" in to_write and "* Khó khăn: ……" in to_write
    assert all(any(p.kind == ParagraphKind.TO_WRITE for p in _section_paragraphs(s)) for s in report.sections)


def _section_paragraphs(section):
    yield from section.paragraphs
    for sub in section.subsections:
        yield from _section_paragraphs(sub)


async def test_strengths_are_drafted_where_the_data_shows_them(session, half):
    report = await _report(session, half.villages["hb"])  # a quiet village: 1 of 2 visited, 1 concern on time
    strengths = [p.text for p in report.sections[2].subsections[0].paragraphs if p.kind == ParagraphKind.DRAFTED]
    assert strengths == ["- Phần lớn ý kiến của Nhân dân được trả lời đúng hạn (100 %)."]
    assert "Trong 6 tháng, tổ đã thăm 1 lượt hộ, đạt 50 % số hộ được phân công (1/2 hộ được thăm ít nhất một lần)." in (
        _drafted(report))


async def test_a_village_without_concerns_says_so(session, half):
    report = await _report(session, half.villages["hb"], kind=ReportKind.HALF_YEAR, year=2025,
                           today=dt.date(2025, 6, 20))
    assert "Trong 6 tháng, tổ chưa ghi nhận ý kiến, kiến nghị nào của Nhân dân." in _drafted(report)


async def test_the_report_in_english(session, half):
    with use_locale("en"):
        report = await _report(session, half.commune)
    assert report.period_line == "(from 1 January to 15 June 2026)"
    assert _figures(report)["reached_share"] == "66.7 %"
    assert "In the six months, the teams made 5 household visits, reaching 66.7 % of the households assigned " \
           "(4/6 visited at least once)." in _drafted(report)


@pytest.mark.parametrize(("kind", "name", "division_type", "upper", "bare"), [
    (UnitKind.COMMUNE, "Xã Phúc Sơn", "xã", "XÃ PHÚC SƠN", "Phúc Sơn"),
    (UnitKind.COMMUNE, "Phường Ba Đình", None, "PHƯỜNG BA ĐÌNH", "Ba Đình"),
    (UnitKind.COMMUNE, "Thị trấn Chờ", None, "THỊ TRẤN CHỜ", "Chờ"),
    (UnitKind.PROVINCE, "Thành phố Hà Nội", None, "THÀNH PHỐ HÀ NỘI", "Hà Nội"),
    (UnitKind.VILLAGE, "Tổ dân phố 5", "tổ dân phố", "TỔ DÂN PHỐ 5", "5"),
    (UnitKind.VILLAGE, "Đồng Tâm", None, "THÔN ĐỒNG TÂM", "Đồng Tâm"),  # no division written: a thôn
    (UnitKind.VILLAGE, "Xóm Thượng", None, "XÓM THƯỢNG", "Thượng"),
])
def test_names_in_the_header_never_double_their_division(kind, name, division_type, upper, bare):
    from models.reports import header

    unit = OrgUnit(kind=kind, name=name, name_key="", division_type=division_type)
    assert (header.upper(unit), header.bare_name(unit)) == (upper, bare)


async def test_a_phuong_s_residential_group_reports_to_the_dang_uy_phuong(session, half):
    half.commune.name, half.commune.division_type = "Phường Phúc Sơn", "phường"
    await session.flush()
    report = await _report(session, half.villages["dt"])
    assert report.higher_body == "ĐẢNG BỘ PHƯỜNG PHÚC SƠN"
    assert report.recipients[1:3] == ("- Đảng ủy phường (để b/c),", "- Khối dân vận phường,")
    assert (await _report(session, half.commune)).issuing_body == "ĐẢNG ỦY PHƯỜNG PHÚC SƠN"
