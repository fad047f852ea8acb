"""An official report as a Word document, rendered with docxtpl from the default template or a commune's own.

The template decides the look (`reports/templates/build_default.py` builds the default in the
Party's format); this module hands it the report's values. Drafted paragraphs are shaded yellow and
the places to write shaded blue, with a note at the top saying so: the person checks the first
and writes the second before the document is signed. A wide annex (the commune's villages side by
side) goes on its own landscape page.
"""

from __future__ import annotations

import copy
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate, RichText
from jinja2 import TemplateError

from core.i18n import _
from reports.official import (
    BLANK,
    AnnexTable,
    Figure,
    OfficialReport,
    Paragraph,
    ParagraphKind,
    ReportKind,
    Section,
)
from reports.templates.build_default import FONT, default_template

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DRAFTED_SHADE = "FFF2A8"  # yellow: written from the data, to check
TO_WRITE_SHADE = "D9E8F6"  # blue: a place for the person's own words
WIDE_ANNEX = 6  # columns beyond which the annex is laid out across a landscape page
# The tags without which a document would lose part of the report; `sections` stands for the pair.
REQUIRED_TAGS = ("higher_body", "issuing_body", "number_line", "place_date_line", "title", "summary",
                 "closing", "signer_lines", "figures")
SECTION_TAGS = ("sections_before", "sections_after")


class TemplateRefused(ValueError):
    """A commune's template that cannot be used, with the line that says why."""


@dataclass(frozen=True)
class _Row:
    number: int
    label: str
    unit: str
    value: str


@dataclass(frozen=True)
class _Heading:
    heading: str
    paragraphs: tuple[RichText, ...]
    subsections: tuple[_Heading, ...] = ()


def render(report: OfficialReport, template: bytes | None = None) -> bytes:
    """The .docx bytes of the report, from `template` (a commune's) or the default."""
    document = DocxTemplate(io.BytesIO(template or default_template()))
    document.render(_context(document, report), autoescape=True)
    if report.annex is not None and len(report.annex.columns) > WIDE_ANNEX:
        _landscape_last_section(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _shaded(paragraph: Paragraph) -> RichText:
    shade = {ParagraphKind.DRAFTED: DRAFTED_SHADE, ParagraphKind.TO_WRITE: TO_WRITE_SHADE}.get(paragraph.kind)
    return RichText(paragraph.text, highlight=shade)


def _heading(section: Section, *, top: bool) -> _Heading:
    number = section.number
    text = f"{number}. {section.title}" if number else section.title
    return _Heading(text, tuple(_shaded(p) for p in section.paragraphs),
                    tuple(_heading(s, top=False) for s in section.subsections) if top else ())


def split_sections(sections: tuple[Section, ...]) -> tuple[tuple[Section, ...], tuple[Section, ...]]:
    """The sections up to "II. Kết quả thực hiện" (the figures table follows it), and the rest."""
    for index, section in enumerate(sections):
        if section.number == "II":
            return sections[:index + 1], sections[index + 1:]
    return sections, ()


def _draft_note(report: OfficialReport) -> RichText | None:
    kinds = {p.kind for s in report.sections for p in (*s.paragraphs, *(q for t in s.subsections
                                                                         for q in t.paragraphs))}
    if not kinds & {ParagraphKind.DRAFTED, ParagraphKind.TO_WRITE} and not report.blanks:
        return None
    note = RichText(_("BẢN DỰ THẢO — "), bold=True, italic=True)
    note.add(_("đoạn tô vàng do Gần Dân soạn từ số liệu, cần đọc lại và sửa cho đúng; "), italic=True,
             highlight=DRAFTED_SHADE)
    note.add(_("chỗ tô xanh là chỗ cần tự viết; “……” là số liệu còn thiếu. "), italic=True,
             highlight=TO_WRITE_SHADE)
    note.add(_("Xóa ghi chú này và bỏ tô màu trước khi trình ký."), italic=True)
    return note


def _context(document: DocxTemplate, report: OfficialReport) -> dict[str, Any]:
    before, after = split_sections(report.sections)
    title, *listing = report.recipients or ("",)
    if not title.rstrip().endswith(":"):
        title, listing = _("Nơi nhận:"), list(report.recipients)
    return {
        "draft_note": _draft_note(report),
        "higher_body": report.higher_body, "issuing_body": report.issuing_body, "number_line": report.number_line,
        "place_date_line": report.place_date_line, "title": report.title, "summary": report.summary,
        "period_line": report.period_line,
        "sections": [_heading(s, top=True) for s in report.sections],
        "sections_before": [_heading(s, top=True) for s in before],
        "sections_after": [_heading(s, top=True) for s in after],
        "figures_title": report.figures_title,
        "figures": [_Row(i, f.label, f.unit, f.value if f.value is not None else BLANK)
                    for i, f in enumerate(report.figures, start=1)],
        "closing": report.closing, "recipients_title": title, "recipients_list": listing,
        "recipients": list(report.recipients), "signer_lines": list(report.signer_lines),
        "signer_name": report.signer_name or BLANK,
        "blanks": list(report.blanks),
        "annex": report.annex,
        "annex_break": _annex_break(document, report.annex) if report.annex is not None else "",
        "annex_table": _annex_table(document, report.annex) if report.annex is not None else "",
        "words": {"number": _("TT"), "content": _("Nội dung"), "unit": _("Đơn vị tính"), "figure": _("Số liệu"),
                  "annex": _("PHỤ LỤC")},
    }


def _annex_break(document: DocxTemplate, annex: AnnexTable) -> Any:
    """What starts the annex's page: a page break, or for a wide annex the end of the portrait section."""
    sub = document.new_subdoc()
    paragraph = sub.add_paragraph()
    if len(annex.columns) > WIDE_ANNEX:
        portrait = copy.deepcopy(document.docx.sections[-1]._sectPr)
        paragraph._p.get_or_add_pPr().append(portrait)
    else:
        paragraph.add_run().add_break(WD_BREAK.PAGE)
    return sub


def _landscape_last_section(document: DocxTemplate) -> None:
    """The annex's section across the page, numbered like the rest (it is never the first page)."""
    section = document.docx.sections[-1]
    section.orientation = WD_ORIENT.LANDSCAPE
    width, height = section.page_width, section.page_height
    if width < height:
        section.page_width, section.page_height = height, width
    section.different_first_page_header_footer = False
    section.left_margin, section.right_margin = Mm(20), Mm(15)


def _annex_table(document: DocxTemplate, annex: AnnexTable) -> Any:
    sub = document.new_subdoc()
    table = sub.add_table(rows=1 + len(annex.rows), cols=len(annex.columns))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            element.set(qn(key), value)
        borders.append(element)
    table._tbl.tblPr.append(borders)
    wide = len(annex.columns) > WIDE_ANNEX
    size = Pt(12 if not wide else 10)
    width = Mm((262 if wide else 160) / max(len(annex.columns), 1))  # the text's width, shared out
    table.autofit = False
    for column in table.columns:
        column.width = width
    for row_index, values in enumerate((annex.columns, *annex.rows)):
        for cell, value in zip(table.rows[row_index].cells, values, strict=False):
            cell.width = width
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if row_index == 0 else None
            run = paragraph.add_run(str(value) if value not in (None, "") else BLANK if row_index else "")
            run.bold = row_index == 0
            run.font.size, run.font.name = size, FONT
    return sub


# --- a commune's own template ----------------------------------------------------------------------------

def sample_report() -> OfficialReport:
    """A report with every part filled (figures, a blank, an annex): what a template is tried on."""
    drafted = Paragraph("Trong 6 tháng, các tổ đã thăm 1.240 lượt hộ, đạt 86,5 % số hộ.", ParagraphKind.DRAFTED)
    return OfficialReport(
        kind=ReportKind.ANNUAL, year=2026, unit_id=0, higher_body="ĐẢNG BỘ TỈNH THỬ",
        issuing_body="ĐẢNG ỦY XÃ THỬ", number_line="Số      -BC/ĐU", place_date_line="Thử, ngày 10 tháng 11 năm 2026",
        title="BÁO CÁO", summary="kết quả hoạt động của Tổ Dân vận cộng đồng năm 2026", period_line="",
        sections=(Section("I", "ĐẶC ĐIỂM TÌNH HÌNH", (Paragraph("* Thuận lợi: ……", ParagraphKind.TO_WRITE),)),
                  Section("II", "KẾT QUẢ THỰC HIỆN", (drafted,), (Section("1", "Thăm hộ", (drafted,)),)),
                  Section("III", "ĐÁNH GIÁ CHUNG", (Paragraph("……", ParagraphKind.TO_WRITE),))),
        figures=(Figure("visits", "Lượt thăm hộ", "1.240", "lượt"), Figure("area", "Diện tích", None, "km²", True)),
        figures_title="Số liệu chủ yếu", closing="Trên đây là báo cáo … trân trọng báo cáo./.",
        recipients=("Nơi nhận:", "- Lưu."), signer_lines=("T/M ĐẢNG ỦY", "BÍ THƯ"), signer_name=None,
        annex=AnnexTable("Kết quả theo thôn", ("Thôn", "Lượt thăm"), (("Thôn 1", "1.240"),)),
        blanks=("Diện tích",))


def check_template(data: bytes) -> None:
    """Refuses a template that is no Word document, lacks a tag the report needs, or fails to render."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise TemplateRefused(_("Tệp mẫu không phải văn bản Word (.docx)."))
    try:
        tags = DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables()
    except TemplateError as error:
        raise TemplateRefused(_("Mẫu có thẻ Jinja viết sai: {error}").format(error=_one_line(error))) from error
    except (KeyError, ValueError, zipfile.BadZipFile) as error:
        raise TemplateRefused(_("Tệp mẫu không phải văn bản Word (.docx).")) from error
    for tag in REQUIRED_TAGS:
        if tag not in tags:
            raise TemplateRefused(_("Mẫu thiếu thẻ bắt buộc {{{{ {tag} }}}}.").format(tag=tag))
    if "sections" not in tags and not all(tag in tags for tag in SECTION_TAGS):
        missing = next(tag for tag in SECTION_TAGS if tag not in tags)
        raise TemplateRefused(_("Mẫu thiếu thẻ bắt buộc {{{{ {tag} }}}} (hoặc một vòng lặp {{{{ sections }}}}).")
                              .format(tag=missing))
    try:
        render(sample_report(), data)
    except Exception as error:  # noqa: BLE001 — whatever a hand-edited template does, it is refused, not raised
        raise TemplateRefused(_("Không dựng được báo cáo từ mẫu này: {error}").format(error=_one_line(error))) \
            from error


def _one_line(error: Exception) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:200]
