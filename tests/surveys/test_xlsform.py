"""The XLSForm importer: a form with a show-if question read whole; every problem named by sheet and row, nothing stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.tabular import read_sheets
from models.surveys.tables import QuestionKind, Respondents, Survey, SurveyChoice, SurveyQuestion
from models.surveys.xlsform import FormInvalid, parse
from tests.surveys.world import CHOICE_ROWS, SURVEY_ROWS, write_xlsform


def test_a_form_with_a_show_if_question_is_read_whole(tmp_path):
    draft = parse(read_sheets(write_xlsform(tmp_path / "nuoc.xlsx")), "nuoc", Respondents.HOUSEHOLDS)
    assert draft.title == "Khảo sát nước sạch"
    assert [(q.name, q.kind, q.required) for q in draft.questions] == [
        ("nuoc_sach", QuestionKind.SINGLE, True), ("ly_do", QuestionKind.MULTIPLE, True),
        ("nhan_khau", QuestionKind.INTEGER, True), ("y_kien", QuestionKind.TEXT, False)]
    assert draft.questions[1].show_if == ("nuoc_sach", "khong")
    assert [c.label for c in draft.questions[1].choices] == ["Xa nguồn nước", "Chi phí cao", "Lý do khác"]
    assert (draft.questions[2].minimum, draft.questions[2].maximum) == (1, 30)


def test_every_problem_is_named_by_sheet_and_row(tmp_path):
    survey = [*SURVEY_ROWS, ["select_one missing", "q5", "Danh sách không có", "", "", ""],
              ["geopoint", "q6", "Vị trí", "", "", ""],
              ["integer", "nhan_khau", "Trùng tên", "", "", ""],
              ["text", "q8", "Điều kiện sai", "maybe", "${q8} = 'x'", ""],
              ["decimal", "q9", "Khoảng sai", "", "", ". > abc"],
              ["select_one yn", "q10", "Điều kiện lạ", "", "${nuoc_sach} = 'moi'", ""]]
    choices = [*CHOICE_ROWS, ["yn", "co", "Có lần hai"], ["yn", "", "Thiếu tên"]]
    with pytest.raises(FormInvalid) as raised:
        parse(read_sheets(write_xlsform(tmp_path / "sai.xlsx", survey, choices)), "sai", Respondents.HOUSEHOLDS)
    where = [(e.sheet, e.row) for e in raised.value.errors]
    assert where == [("choices", 7), ("choices", 8), ("survey", 7), ("survey", 8), ("survey", 9), ("survey", 10),
                     ("survey", 11), ("survey", 12)]
    text = "\n".join(str(e) for e in raised.value.errors)
    assert "Trang “survey”, dòng 8: kiểu “geopoint” không dùng được" in text
    assert "Trang “survey”, dòng 9: tên câu hỏi “nhan_khau” bị trùng." in text
    assert "Trang “survey”, dòng 12: câu “nuoc_sach” không có lựa chọn “moi”." in text
    assert "Trang “choices”, dòng 7: lựa chọn “co” đã có trong danh sách “yn”." in text


def test_a_workbook_without_its_sheets_says_which(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Sheet1"
    book.save(tmp_path / "trong.xlsx")
    with pytest.raises(FormInvalid) as raised:
        parse(read_sheets(tmp_path / "trong.xlsx"), "trong", Respondents.HOUSEHOLDS)
    assert [str(e) for e in raised.value.errors] == ["Trang “survey”: thiếu trang này.",
                                                     "Trang “choices”: thiếu trang này."]


@pytest.fixture
def db_file(tmp_path, monkeypatch):
    path = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    return path


def _count(path, table) -> int:
    import sqlite3

    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_cli_imports_all_or_nothing(capsys, db_file, tmp_path):
    assert main(["setup", "commune", "10459"]) == 0
    bad = write_xlsform(tmp_path / "sai.xlsx", [*SURVEY_ROWS, ["geopoint", "q6", "Vị trí", "", "", ""]])
    assert main(["survey", "import", str(bad), "--commune", "10459"]) == 1
    err = capsys.readouterr().err
    assert "Tệp có 1 lỗi; chưa nhập gì:" in err and "Trang “survey”, dòng 7" in err
    assert _count(db_file, "surveys") == 0
    good = write_xlsform(tmp_path / "nuoc.xlsx")
    assert main(["survey", "import", str(good), "--commune", "10459", "--deadline", "2099-12-31"]) == 0
    out = capsys.readouterr().out
    assert "Đã nhập khảo sát “Khảo sát nước sạch” (số 1)" in out and "4 câu hỏi" in out
    assert (_count(db_file, "survey_questions"), _count(db_file, "survey_choices")) == (4, 5)
    assert main(["survey", "results", "1", "--out", str(tmp_path / "kq.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "0 phiếu hoàn thành" in out and (tmp_path / "kq.xlsx").stat().st_size > 0


async def test_stored_show_if_points_at_the_question(session, tmp_path):
    from models.surveys import forms
    from tests.surveys.world import NOW, DEADLINE
    from tests.world import build_world

    world = await build_world(session)
    draft = parse(read_sheets(write_xlsform(tmp_path / "nuoc.xlsx")), "nuoc", Respondents.HOUSEHOLDS)
    survey = await forms.create_survey(session, draft, commune_id=world.commune.id, deadline=DEADLINE,
                                       author_id=None, now=NOW)
    questions = {q.name: q for q in await session.scalars(select(SurveyQuestion))}
    assert (questions["ly_do"].show_if_id, questions["ly_do"].show_if_value) == (questions["nuoc_sach"].id, "khong")
    assert await session.scalar(select(func.count()).select_from(SurveyChoice)) == 5
    assert (await session.get(Survey, survey.id)).deadline == DEADLINE
