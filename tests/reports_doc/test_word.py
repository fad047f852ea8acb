"""The Word document in the Party's format (Hướng dẫn 36-HD/VPTW), read back with python-docx."""

from __future__ import annotations

import dataclasses

from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Pt

from reports.official import BLANK, OfficialReport
from reports.word import DRAFTED_SHADE, TO_WRITE_SHADE, render
from tests.reports_doc.samples import DRAFTED, TO_WRITE, full_report, open_docx, texts, without_annex


def _close(length, mm: float) -> bool:
    return abs(length.mm - mm) < 0.5


def test_page_is_a4_with_the_guidelines_margins():
    document = open_docx(render(without_annex()))
    section = document.sections[0]
    assert _close(section.page_width, 210) and _close(section.page_height, 297)
    mm = {side: round(getattr(section, f"{side}_margin").mm, 1) for side in ("top", "bottom", "left", "right")}
    assert 20 <= mm["top"] <= 25 and 20 <= mm["bottom"] <= 25, mm
    assert 30 <= mm["left"] <= 35 and 15 <= mm["right"] <= 20, mm
    assert len(document.sections) == 1


def test_every_run_is_times_new_roman_13_to_16_pt():
    document = open_docx(render(without_annex()))
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "Times New Roman"
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if run.text.strip():
                assert run.font.name in (None, "Times New Roman"), run.text
                size = run.font.size or normal.font.size
                assert Pt(11) <= size <= Pt(16), run.text


def test_the_letterhead_has_both_columns_in_order_and_without_borders():
    report = without_annex()
    document = open_docx(render(report))
    header = document.tables[0]
    left, right = header.rows[0].cells
    assert [p.text for p in left.paragraphs] == [report.higher_body, report.issuing_body, "*", report.number_line]
    assert [p.text for p in right.paragraphs] == ["ĐẢNG CỘNG SẢN VIỆT NAM", report.place_date_line]
    issuer = left.paragraphs[1].runs[0]
    assert issuer.bold and not left.paragraphs[0].runs[0].bold
    title = right.paragraphs[0].runs[0]
    assert title.bold and title.underline and title.font.size == Pt(15)
    assert right.paragraphs[1].runs[0].italic
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}


def test_title_summary_sections_in_order_then_closing():
    report = without_annex()
    lines = [line for line in texts(open_docx(render(report))) if line.strip()]
    assert "BÁO CÁO" in lines and report.summary in lines and report.period_line in lines
    headings = [f"{s.number}. {s.title}" for s in report.sections]
    at = [lines.index(h) for h in headings]
    assert at == sorted(at) and lines.index(report.summary) < at[0]
    assert lines.index("1. Thăm hộ, nắm tình hình") < lines.index("2. Tiếp nhận ý kiến") < at[2]
    assert lines.index(report.closing) > at[-1]
    document = open_docx(render(report))
    title = next(p for p in document.paragraphs if p.text == "BÁO CÁO")
    summary = next(p for p in document.paragraphs if p.text == report.summary)
    assert title.runs[0].bold and title.runs[0].font.size == Pt(16) and summary.runs[0].bold
    heading = next(p for p in document.paragraphs if p.text == headings[0])
    assert heading.runs[0].bold


def test_the_figures_table_holds_every_figure_with_blanks_shown_as_dots():
    report = without_annex()
    document = open_docx(render(report))
    table = document.tables[1]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["TT", "Nội dung", "Đơn vị tính", "Số liệu"]
    assert rows[1:] == [[str(i), f.label, f.unit, f.value or BLANK] for i, f in enumerate(report.figures, 1)]
    assert rows[4][3] == BLANK and "0" not in rows[4][3]
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"single"}
    # The table follows section II (the results) and comes before section III.
    lines = texts(document)
    assert lines.index("II. KẾT QUẢ THỰC HIỆN") < lines.index("Lượt thăm hộ") < lines.index("III. ĐÁNH GIÁ CHUNG")


def test_no_figures_no_table():
    document = open_docx(render(dataclasses.replace(without_annex(), figures=())))
    assert len(document.tables) == 2  # the letterhead and the recipients/signature
    assert "Số liệu chủ yếu" not in texts(document)


def _shade(paragraph) -> set[str | None]:
    found = set()
    for run in (r for r in paragraph.runs if r.text):
        shd = run._r.rPr.find(qn("w:shd")) if run._r.rPr is not None else None
        found.add(shd.get(qn("w:fill")) if shd is not None else None)
    return found


def test_drafted_paragraphs_are_shaded_to_check_and_places_to_write_shaded_blue_with_a_note():
    document = open_docx(render(without_annex()))
    by_text = {p.text: p for p in document.paragraphs}
    assert _shade(by_text[DRAFTED]) == {DRAFTED_SHADE}
    assert _shade(by_text[TO_WRITE]) == {TO_WRITE_SHADE}
    assert _shade(by_text["Các ý kiến được chuyển đúng cấp."]) == {None}
    note = document.paragraphs[0].text
    assert note.startswith("BẢN DỰ THẢO") and "tô vàng" in note and "tô xanh" in note


def test_a_report_with_nothing_to_check_has_no_note():
    report = without_annex()
    fixed = tuple(dataclasses.replace(s, paragraphs=(), subsections=()) for s in report.sections)
    document = open_docx(render(dataclasses.replace(report, sections=fixed, blanks=())))
    assert not document.paragraphs[0].text.startswith("BẢN DỰ THẢO")


def test_recipients_bottom_left_and_signer_bottom_right():
    report = without_annex()
    document = open_docx(render(report))
    left, right = document.tables[-1].rows[0].cells
    lines = [p.text for p in left.paragraphs]
    assert lines == list(report.recipients)
    assert left.paragraphs[0].runs[0].underline and left.paragraphs[1].runs[0].font.size == Pt(12)
    signer = [p.text for p in right.paragraphs if p.text]
    assert signer == [*report.signer_lines, report.signer_name]
    assert all(p.runs[0].bold for p in right.paragraphs if p.text)
    unsigned = open_docx(render(dataclasses.replace(report, signer_name=None)))
    assert [p.text for p in unsigned.tables[-1].rows[0].cells[1].paragraphs if p.text][-1] == BLANK


def test_page_numbers_from_the_second_page():
    document = open_docx(render(without_annex()))
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml and "PAGE" not in section.first_page_header._element.xml
    assert _close(section.header_distance, 10)


def test_a_narrow_annex_on_its_own_page_in_portrait():
    report = full_report(annex_columns=4)
    document = open_docx(render(report))
    assert len(document.sections) == 1
    body = document.element.body.xml
    annex_at = body.index("PHỤ LỤC")
    assert 'w:type="page"' in body[body.rindex(report.closing):annex_at]
    rows = [[c.text for c in row.cells] for row in document.tables[-1].rows]
    assert rows[0] == list(report.annex.columns) and rows[1:] == [list(r) for r in report.annex.rows]


def test_a_wide_annex_goes_on_a_landscape_page_numbered_like_the_rest():
    report = full_report(annex_columns=12, villages=20)
    document = open_docx(render(report))
    first, annex = document.sections
    assert first.orientation != WD_ORIENT.LANDSCAPE and first.page_width < first.page_height
    assert annex.orientation == WD_ORIENT.LANDSCAPE and annex.page_width > annex.page_height
    assert first.different_first_page_header_footer and not annex.different_first_page_header_footer
    assert _close(annex.page_width, 297)
    assert [c.text for c in document.tables[-1].rows[0].cells] == list(report.annex.columns)


def test_text_with_markup_characters_is_kept_as_text():
    report: OfficialReport = dataclasses.replace(without_annex(), summary="kết quả <năm> & “dấu”")
    assert "kết quả <năm> & “dấu”" in texts(open_docx(render(report)))
