"""A survey world: the test commune with a household survey (one show-if question) and an XLSForm of it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from models.surveys import forms
from models.surveys.forms import ChoiceDraft, QuestionDraft, SurveyDraft
from models.surveys.tables import QuestionKind, Respondents, Survey
from tests.world import World

NOW = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)  # 9:00 in Hà Nội
DEADLINE = dt.datetime(2026, 11, 30, 16, 59, tzinfo=dt.UTC)  # 23:59 on 30/11 in Hà Nội

# The form of the seed's "survey on daily life": water, then only for those with none, why; and so on.
SURVEY_ROWS = [
    ["type", "name", "label", "required", "relevant", "constraint"],
    ["start", "start", "", "", "", ""],
    ["select_one yn", "nuoc_sach", "Hộ có dùng nước sạch không?", "yes", "", ""],
    ["select_multiple reason", "ly_do", "Vì sao chưa dùng?", "yes", "${nuoc_sach} = 'khong'", ""],
    ["integer", "nhan_khau", "Số nhân khẩu", "yes", "", ". >= 1 and . <= 30"],
    ["text", "y_kien", "Ý kiến khác", "no", "", ""],
]
CHOICE_ROWS = [
    ["list_name", "name", "label"],
    ["yn", "co", "Có"], ["yn", "khong", "Không"],
    ["reason", "xa", "Xa nguồn nước"], ["reason", "tien", "Chi phí cao"], ["reason", "khac", "Lý do khác"],
]


def write_xlsform(path: Path, survey: list[list[str]] = SURVEY_ROWS, choices: list[list[str]] = CHOICE_ROWS,
                  title: str | None = "Khảo sát nước sạch") -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    other = book.create_sheet("choices")
    for row in choices:
        other.append(row)
    if title:
        settings = book.create_sheet("settings")
        settings.append(["form_title"])
        settings.append([title])
    book.save(path)
    return path


def water_draft(respondents: Respondents = Respondents.HOUSEHOLDS) -> SurveyDraft:
    return SurveyDraft("Khảo sát nước sạch", respondents, [
        QuestionDraft("nuoc_sach", "Hộ có dùng nước sạch không?", QuestionKind.SINGLE, True,
                      [ChoiceDraft("co", "Có"), ChoiceDraft("khong", "Không")]),
        QuestionDraft("ly_do", "Vì sao chưa dùng?", QuestionKind.MULTIPLE, True,
                      [ChoiceDraft("xa", "Xa nguồn nước"), ChoiceDraft("tien", "Chi phí cao"),
                       ChoiceDraft("khac", "Lý do khác")], show_if=("nuoc_sach", "khong")),
        QuestionDraft("nhan_khau", "Số nhân khẩu", QuestionKind.INTEGER, True, minimum=1, maximum=30),
        QuestionDraft("y_kien", "Ý kiến khác", QuestionKind.TEXT, False),
    ])


async def water_survey(session, world: World, respondents: Respondents = Respondents.HOUSEHOLDS,
                       deadline: dt.datetime = DEADLINE) -> Survey:
    survey = await forms.create_survey(session, water_draft(respondents), commune_id=world.commune.id,
                                       deadline=deadline, author_id=None, now=NOW - dt.timedelta(days=1))
    await session.commit()
    return survey
