"""Results compared with hand counts: only completed forms, shares of those who answered, by village; text, chart, XLSX."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from core.text import fold
from models.surveys import answering, media
from models.surveys.results import held_in_period, results
from models.surveys.texts import results_text
from models.tables import Household
from models.units import tree
from models.enums import UnitKind
from tests.surveys.world import NOW, water_survey
from tests.world import build_world


async def _answer(session, survey, household, member_id, picks: list[str], people: int | None, complete: bool = True):
    form = await answering.load_form(session, survey.id)
    response = await answering.household_response(session, survey, household, asked_by=member_id, now=NOW)
    by_name = {q.question.name: q for q in form.questions}
    first, reasons = picks[0], picks[1:]
    await answering.save_answer(session, response, by_name["nuoc_sach"].question,
                                choice_ids=[c.id for c in by_name["nuoc_sach"].choices if c.value == first])
    if reasons:
        await answering.save_answer(session, response, by_name["ly_do"].question,
                                    choice_ids=[c.id for c in by_name["ly_do"].choices if c.value in reasons])
    if people is not None:
        await answering.save_answer(session, response, by_name["nhan_khau"].question, number=people)
    if complete:
        await answering.complete(session, response, NOW)


async def test_counts_and_shares_match_a_hand_count(session):
    world = await build_world(session)
    doai = await tree.add_unit(session, UnitKind.VILLAGE, "Thôn Đoài", world.commune)
    doai_team = await tree.add_unit(session, UnitKind.TEAM, "Tổ Dân vận thôn Đoài", doai)
    doai_nhom = await tree.add_unit(session, UnitKind.NHOM, "Nhóm 1", doai_team)
    far = Household(commune_id=world.commune.id, village_id=doai.id, nhom_id=doai_nhom.id, head_name="Lý Văn Xa",
                    name_key=fold("Lý Văn Xa"), address="", address_key="")
    session.add(far)
    await session.flush()
    survey = await water_survey(session, world)
    a, b, c, d = world.households[:4]
    # By hand: Đồng Tâm — Có, Không (xa, tien), Không (tien), and one left halfway (not counted); Đoài — Không (xa).
    await _answer(session, survey, a, world.member.id, ["co"], 4)
    await _answer(session, survey, b, world.member.id, ["khong", "xa", "tien"], 6)
    await _answer(session, survey, c, world.member.id, ["khong", "tien"], 3)
    await _answer(session, survey, d, world.member.id, ["co"], None, complete=False)
    await _answer(session, survey, far, world.member.id, ["khong", "xa"], 2)
    await session.commit()

    found = await results(session, survey.id)
    assert found.completed == {world.village.id: 3, doai.id: 1} and found.completed_total == 4
    assert list(found.villages.values()) == ["Thôn Đoài", "Thôn Đồng Tâm"]
    water, reasons, people, _other = found.questions
    assert [(o.label, o.total) for o in water.options] == [("Có", 1), ("Không", 3)]
    assert water.answered_total == 4
    assert [(o.label, o.by_village) for o in reasons.options] == [
        ("Xa nguồn nước", {world.village.id: 1, doai.id: 1}), ("Chi phí cao", {world.village.id: 2}),
        ("Lý do khác", {})]
    assert reasons.answered == {world.village.id: 2, doai.id: 1}  # shown only to those without clean water
    assert people.answered_total == 4 and not people.is_choice

    text = results_text(found)
    assert "📊 Kết quả khảo sát “Khảo sát nước sạch”: 4 phiếu hoàn thành." in text
    assert "  • Có: 1 (25 %)\n  • Không: 3 (75 %)" in text
    assert "  • Xa nguồn nước: 2 (66,7 %)\n  • Chi phí cao: 2 (66,7 %)\n  • Lý do khác: 0 (0 %)" in text
    assert "  Thôn Đồng Tâm:\n    • Có: 1 (33,3 %)\n    • Không: 2 (66,7 %)" in text
    assert "Câu 3. Số nhân khẩu\n  4 phiếu đã trả lời." in text

    sheet = load_workbook(io.BytesIO(media.spreadsheet(found))).worksheets[0]
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows(min_row=2)]
    assert rows[0] == ("Câu hỏi", "Lựa chọn", "Toàn xã", "Tỷ lệ toàn xã (%)", "Thôn Đoài", "Thôn Đồng Tâm")
    assert rows[1:3] == [("1. Hộ có dùng nước sạch không?", "Có", 1, 25.0, 0, 1),
                         ("1. Hộ có dùng nước sạch không?", "Không", 3, 75.0, 1, 2)]
    assert media.first_chart(found)[:8] == b"\x89PNG\r\n\x1a\n"

    # For the period's reports: per team, the surveys held and the forms completed in the period.
    held = await held_in_period(session, world.commune.id, NOW - dt.timedelta(days=30), NOW + dt.timedelta(days=1))
    assert [(h.team_id, h.title, h.completed) for h in held] == [
        (world.team.id, "Khảo sát nước sạch", 3), (doai_team.id, "Khảo sát nước sạch", 1)]
    assert await held_in_period(session, world.commune.id, NOW + dt.timedelta(days=1),
                                NOW + dt.timedelta(days=2)) == []
