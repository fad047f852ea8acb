"""Each measure, score, band and rank of a commune with known activity (tests/evaluation/world.py),
an edited rubric changing them, a frozen year not changing, and the province's ranking."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from models.enums import VisitPurpose
from models.evaluation import frozen, hand
from models.evaluation.compute import evaluate_commune, evaluate_province
from models.evaluation.rubric import SAMPLE, Band, BadRubric, Criterion, Rubric, rubric_for, save
from models.tables import AuditLog, Visit
from tests.evaluation.world import NOW, TZ, build_year


@pytest.fixture
async def year(session):
    return await build_year(session)


def lines(card) -> dict[str, tuple[float, str]]:
    return {line.code: (line.points, line.evidence) for line in card.lines}


async def test_each_measure_and_score_of_a_busy_team(session, year):
    evaluation = await evaluate_commune(session, year.commune, 2026, TZ, NOW)
    assert evaluation.closed and evaluation.sample and evaluation.end == dt.date(2026, 11, 20)
    an = evaluation.card(year.units["TA"].id)
    assert lines(an) == {
        "HOP": (12.27, "10/11 cuộc họp"),  # January–October of the 11 months due (November's, the period ended)
        "DUHOP": (3.75, "4/5 lượt có mặt (80 %)"),
        "BCT": (6.0, "8/10 báo cáo tháng đúng hạn"),  # September late, October none; November's falls after
        "BCN": (5.0, "2/2 báo cáo đúng hạn"),
        "THAM": (7.5, "3/4 hộ được thăm (75 %)"),  # hA3's only visit was undone
        "LAU": (0.0, "2/4 hộ quá 60 ngày chưa thăm (50 %)"),
        "YKDH": (0.0, "1/3 ý kiến trả lời đúng hạn"),  # the withdrawn one left out, the open overdue one in
        "BAOLAI": (1.67, "2/3 hộ được báo kết quả (66,7 %)"),
        "TB": (2.67, "2/3 lượt bấm “Đã nhận” (66,7 %)"),
        "TV": (0.0, "1/3 thành viên có lượt thăm hộ mỗi quý"),
        "GS": (0.0, "chưa chấm"), "DVK": (0.0, "chưa chấm"), "HG": (0.0, "chưa chấm"),
        "TRU": (0.0, "không có điểm trừ"),
    }
    assert (an.total, an.band, an.rank) == (38.9, "Yếu", 1)


async def test_a_quiet_team_and_the_ranking(session, year):
    evaluation = await evaluate_commune(session, year.commune, 2026, TZ, NOW)
    binh = evaluation.card(year.units["TB"].id)
    got = lines(binh)
    assert got["HOP"] == (0.0, "0/11 cuộc họp") and got["DUHOP"] == (0.0, "chưa ghi điểm danh cuộc họp nào")
    assert got["BCN"] == (0.0, "0/2 báo cáo đúng hạn")  # half a minute past midnight is late
    assert got["THAM"] == (0.0, "0/2 hộ được thăm (0 %)")  # last year's visit and one after the period
    assert got["YKDH"] == (10, "chưa có ý kiến nào đến hạn") and got["BAOLAI"] == (5, "chưa có ý kiến nào được trả lời")
    assert got["TB"] == (1.0, "1/2 lượt bấm “Đã nhận” (50 %)")
    assert (binh.total, binh.band, binh.rank) == (16.0, "Yếu", 2)
    assert [c.village for c in evaluation.cards] == ["Thôn An", "Thôn Bình"]
    assert evaluation.proposed == ()  # nobody in the first band


async def test_hand_scores_count_and_are_audited(session, year):
    rubric = await rubric_for(session, year.commune)
    by_code = {c.code: c for c in rubric.criteria}
    team = year.units["TA"].id
    for code, points in (("GS", 5), ("DVK", 10), ("HG", 5), ("TRU", -5)):
        await hand.set_score(session, team, 2026, by_code[code], points, "Mô hình tốt" if code == "DVK" else None,
                             actor_id=year.people["khoi"].id, actor_label="test", now=NOW)
    with pytest.raises(hand.BadScore, match="từ 0 đến 10"):
        await hand.set_score(session, team, 2026, by_code["DVK"], 11, None, actor_id=None, actor_label="t", now=NOW)
    await session.commit()
    card = (await evaluate_commune(session, year.commune, 2026, TZ, NOW)).card(team)
    assert lines(card)["DVK"] == (10, "Mô hình tốt") and lines(card)["TRU"] == (-5, "chấm tay")
    assert (card.total, card.band) == (53.9, "Trung bình")
    audits = (await session.scalars(select(AuditLog).where(AuditLog.action == "set_evaluation_score"))).all()
    assert len(audits) == 4 and audits[0].details["after"] == {"points": 5, "note": None}


async def test_an_edited_rubric_changes_the_results(session, year):
    rubric = Rubric(
        criteria=(Criterion("HOP", "Họp", 50, "meetings_held", full=90, zero=0),
                  Criterion("THAM", "Thăm hộ", 50, "households_visited", full=75, zero=0)),
        bands=(Band("Hoàn thành xuất sắc nhiệm vụ", 95), Band("Hoàn thành tốt nhiệm vụ", 80),
               Band("Hoàn thành nhiệm vụ", 50), Band("Không hoàn thành nhiệm vụ", 0)),
        period_end=(10, 31))
    await save(session, year.province, rubric, actor_label="test")  # shared by the province's communes
    await session.commit()
    evaluation = await evaluate_commune(session, year.commune, 2026, TZ, NOW)
    an = evaluation.card(year.units["TA"].id)
    # To 31 October: 10 meetings of 10 months, hA4's November visit left out (2/4 = 50 %).
    assert lines(an) == {"HOP": (50, "10/10 cuộc họp"), "THAM": (33.33, "2/4 hộ được thăm (50 %)")}
    assert (an.total, an.band) == (83.3, "Hoàn thành tốt nhiệm vụ")
    assert not evaluation.sample and evaluation.end == dt.date(2026, 10, 31)
    assert evaluation.proposed == ()
    other = await evaluate_commune(session, year.other, 2026, TZ, NOW)
    assert [line.code for line in other.cards[0].lines] == ["HOP", "THAM"]


async def test_a_frozen_year_does_not_change(session, year):
    evaluation = await evaluate_commune(session, year.commune, 2026, TZ, NOW)
    confirmed = await frozen.confirm(session, evaluation, person_id=year.people["khoi"].id, actor_label="t", now=NOW)
    await session.commit()
    home = year.homes["hA3"]
    session.add(Visit(household_id=home.id, person_id=year.people["ma1"].id, nhom_id=home.nhom_id,
                      village_id=home.village_id, commune_id=home.commune_id, visited_on=dt.date(2026, 7, 7),
                      purpose=VisitPurpose.ENCOURAGE))
    home.last_visited_on = dt.date(2026, 7, 7)
    await save(session, year.commune, Rubric(SAMPLE.criteria, (Band("Tốt", 30), Band("Yếu", 0))), actor_label="t")
    await session.commit()
    again = await evaluate_commune(session, year.commune, 2026, TZ, NOW)
    assert again.confirmed_at == NOW and again.cards == confirmed.cards
    assert again.card(year.units["TA"].id).total == 38.9 and again.card(year.units["TA"].id).band == "Yếu"
    with pytest.raises(frozen.AlreadyConfirmed):
        await frozen.confirm(session, again, person_id=None, actor_label="t", now=NOW)


async def test_a_year_still_running_cannot_be_confirmed(session, year):
    evaluation = await evaluate_commune(session, year.commune, 2026, TZ, dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    assert not evaluation.closed
    with pytest.raises(frozen.NotClosed):
        await frozen.confirm(session, evaluation, person_id=None, actor_label="t", now=NOW)


async def test_the_province_ranks_every_team(session, year):
    province = await evaluate_province(session, year.province, 2026, TZ, NOW)
    assert [(c.village, c.commune, c.total, c.rank) for c in province.cards] == [
        ("Thôn An", "Xã Phúc Sơn", 38.9, 1), ("Thôn Khác", "Xã Khác", 20.0, 2), ("Thôn Bình", "Xã Phúc Sơn", 16.0, 3)]


async def test_a_rubric_that_does_not_add_up_is_refused(session, year):
    with pytest.raises(BadRubric) as refused:
        await save(session, year.commune, Rubric((Criterion("X", "X", 60, "meetings_held", 100, 50),
                                                  Criterion("Y", "Y", 30, "nonsense", 100, 50)),
                                                 (Band("Khá", 50), Band("Tốt", 70))), actor_label="t")
    text = str(refused.value)
    assert "cách tính “nonsense” không có" in text and "tổng điểm tối đa phải là 100, hiện là 90" in text
    assert "các mức phải xếp từ điểm cao xuống điểm thấp" in text and "mức cuối cùng phải từ 0 điểm" in text


async def test_the_annual_report_gets_plain_data(session, year):
    from models.evaluation.tables import ranking_table
    from models.evaluation.texts import section_paragraphs

    evaluation = await evaluate_commune(session, year.commune, 2026, TZ, NOW)
    paragraphs = section_paragraphs(evaluation)
    assert paragraphs[0] == ("Năm 2026, 2/2 Tổ Dân vận cộng đồng được đánh giá, xếp loại: Tốt: 0 tổ (0 %); "
                             "Khá: 0 tổ (0 %); Trung bình: 0 tổ (0 %); Yếu: 2 tổ (100 %).")
    table = ranking_table(evaluation)
    assert table.rows[0] == (1, "Tổ Dân vận Thôn An", "Thôn An", 38.9, "Yếu", "")


async def test_communes_of_a_province_with_their_own_rubrics(session, year):
    # Xã Phúc Sơn by its own rubric, Xã Khác by the sample: measured apart, ranked together.
    await save(session, year.commune, Rubric((Criterion("THAM", "Thăm hộ", 100, "households_visited", 100, 0),),
                                             (Band("Đạt", 50), Band("Chưa đạt", 0))), actor_label="t")
    await session.commit()
    province = await evaluate_province(session, year.province, 2026, TZ, NOW)
    assert [(c.village, c.total, c.band) for c in province.cards] == [
        ("Thôn An", 75.0, "Đạt"), ("Thôn Khác", 20.0, "Yếu"), ("Thôn Bình", 0.0, "Chưa đạt")]
