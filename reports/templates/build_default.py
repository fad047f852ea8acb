"""The default Word template of an official report, built with python-docx so it can be rebuilt and reviewed.

`python -m reports.templates.build_default report.docx` writes it; a commune opens it in Word,
changes the letterhead or the wording around the Jinja tags ({{ … }}, {%p … %}, {%tr … %}) and
stores its own with `gandan report template --use`. The layout follows Hướng dẫn 36-HD/VPTW
(Văn phòng Trung ương Đảng, 3 April 2018) on the format and presentation of the Party's documents,
as summarised in its Phụ lục 3 and in the Bình Thuận provincial Party committee's handbook ("Yêu
cầu kỹ thuật trình bày văn bản"): A4; margins 25 mm top and bottom, 35 mm left, 15 mm right;
Times New Roman; "ĐẢNG CỘNG SẢN VIỆT NAM" in bold capitals, 15 pt, top right, underlined; the
higher body in capitals 14 pt and the issuing body in bold capitals 14 pt, top left, with "*"
under them and the number 14 pt; place and date 14 pt italic; the kind of document ("BÁO CÁO")
bold capitals 16 pt and its summary bold 14 pt; the text 14 pt; the page number in Arabic
figures centred 10 mm below the top edge, from the second page on; "Nơi nhận:" 14 pt
underlined with the list at 12 pt (the state format, Nghị định 30/2020, writes it bold italic
12 pt instead); the signer's authority and title in bold capitals.

It is built in memory when first asked for (`default_template()`), not committed as a .docx: the
script is the one source, so the template cannot drift from the code that reads its tags.
"""

from __future__ import annotations

import io
import sys
from functools import cache

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
BODY_PT = 14
MARGINS_MM = {"top": 25, "bottom": 25, "left": 35, "right": 15}
PAGE_MM = (210, 297)
HEADER_DISTANCE_MM = 10  # the page number: 10 mm below the top edge
HEADER_WIDTHS_MM = (72, 88)  # the two columns of the letterhead, 160 mm of text width
SIGN_WIDTHS_MM = (80, 80)
FIGURE_WIDTHS_MM = (12, 92, 26, 30)  # TT, content, unit, figure


def _fonts(element: object, size: float | None = None) -> None:
    """Times New Roman for every script (Word picks the east-Asian slot for some Vietnamese letters)."""
    r_pr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


def _para(container: object, text: str = "", *, bold: bool = False, italic: bool = False, underline: bool = False,
          size: float = BODY_PT, align: WD_ALIGN_PARAGRAPH | None = WD_ALIGN_PARAGRAPH.CENTER,
          before: float = 0, after: float = 0, keep_next: bool = False,
          first_indent_mm: float | None = None) -> Paragraph:
    paragraph = container.add_paragraph()  # type: ignore[attr-defined]
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.keep_with_next = keep_next
    if first_indent_mm is not None:
        fmt.first_line_indent = Mm(first_indent_mm)
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        run.font.size = Pt(size)
        run.font.name = FONT
        _fonts(run._r)
    return paragraph


def _tag(container: object, tag: str) -> Paragraph:
    """A paragraph holding only a `{%p … %}` tag: docxtpl removes it and keeps what it controls."""
    return _para(container, tag, align=None)


def _body(container: object, text: str) -> Paragraph:
    """A paragraph of the text: justified, first line indented, 6 pt between paragraphs."""
    return _para(container, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6, first_indent_mm=10)


def _no_borders(table: Table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _widths(table: Table, widths_mm: tuple[float, ...]) -> None:
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)


def _cell(cell: _Cell) -> _Cell:
    """A cell emptied of the paragraph python-docx puts in it, so the first line is ours."""
    cell._tc.remove(cell.paragraphs[0]._p)
    return cell


def _page(document: Document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    for side, mm in MARGINS_MM.items():
        setattr(section, f"{side}_margin", Mm(mm))
    section.header_distance = Mm(HEADER_DISTANCE_MM)
    section.footer_distance = Mm(10)
    section.different_first_page_header_footer = True  # no number on the first page
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = header.add_run()
    run.font.size = Pt(BODY_PT)
    _fonts(run._r)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "2"), ("end", None)):
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == "PAGE":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = " PAGE "
            run._r.append(instruction)
        else:
            shown = OxmlElement("w:t")
            shown.text = text
            run._r.append(shown)


def _styles(document: Document) -> None:
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    _fonts(normal.element)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.1


def _letterhead(document: Document) -> None:
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    _widths(table, HEADER_WIDTHS_MM)
    left, right = (_cell(c) for c in table.rows[0].cells)
    _para(left, "{{ higher_body }}")
    _para(left, "{{ issuing_body }}", bold=True)
    _para(left, "*")
    _para(left, "{{ number_line }}", before=2)
    _para(right, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, underline=True, size=15, after=6)
    _para(right, "{{ place_date_line }}", italic=True)


def _sections(document: Document, name: str) -> None:
    """The Roman-numeral sections of `name`, their paragraphs and numbered sub-headings."""
    _tag(document, "{%p for s in " + name + " %}")
    _para(document, "{{ s.heading }}", bold=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY, before=6, after=6,
          keep_next=True, first_indent_mm=10)
    _tag(document, "{%p for p in s.paragraphs %}")
    _body(document, "{{r p }}")
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p for sub in s.subsections %}")
    _para(document, "{{ sub.heading }}", bold=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6, keep_next=True,
          first_indent_mm=10)
    _tag(document, "{%p for p in sub.paragraphs %}")
    _body(document, "{{r p }}")
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p endfor %}")


def _bordered(table: Table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            element.set(qn(key), value)
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _figures(document: Document) -> None:
    _tag(document, "{%p if figures %}")
    _para(document, "{{ figures_title }}", bold=True, before=6, after=6, keep_next=True)
    table = document.add_table(rows=4, cols=4)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _bordered(table)
    _widths(table, FIGURE_WIDTHS_MM)
    heads = ("{{ words.number }}", "{{ words.content }}", "{{ words.unit }}", "{{ words.figure }}")
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        _para(_cell(cell), text, bold=True, size=13)
    for row, tag in ((1, "{%tr for f in figures %}"), (3, "{%tr endfor %}")):
        cells = table.rows[row].cells
        _para(_cell(cells[0]), tag, align=None)
        for cell in cells[1:]:
            _cell(cell)
            _para(cell, "", align=None)
    values = ("{{ f.number }}", "{{ f.label }}", "{{ f.unit }}", "{{ f.value }}")
    aligns = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT)
    for cell, text, align in zip(table.rows[2].cells, values, aligns, strict=True):
        _para(_cell(cell), text, size=13, align=align)
    _para(document, "", after=6)
    _tag(document, "{%p endif %}")


def _closing_and_signature(document: Document) -> None:
    _body(document, "{{ closing }}")
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, SIGN_WIDTHS_MM)
    left, right = (_cell(c) for c in table.rows[0].cells)
    _para(left, "{{ recipients_title }}", underline=True, align=WD_ALIGN_PARAGRAPH.LEFT, before=12)
    _tag(left, "{%p for line in recipients_list %}")
    _para(left, "{{ line }}", size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    _tag(left, "{%p endfor %}")
    _tag(right, "{%p for line in signer_lines %}")
    _para(right, "{{ line }}", bold=True, before=0)
    _tag(right, "{%p endfor %}")
    for _ in range(4):  # room for the signature and the seal
        _para(right, "")
    _para(right, "{{ signer_name }}", bold=True)


def _annex(document: Document) -> None:
    _tag(document, "{%p if annex %}")
    _para(document, "{{p annex_break }}", align=None)
    _para(document, "{{ words.annex }}", bold=True, after=6)
    _para(document, "{{ annex.title }}", bold=True, after=12)
    _para(document, "{{p annex_table }}", align=None)
    _tag(document, "{%p endif %}")


def build() -> bytes:
    """The template's bytes: letterhead, title, sections, figures, closing, recipients and signer, annex."""
    document = Document()
    _styles(document)
    _page(document)
    _tag(document, "{%p if draft_note %}")
    _para(document, "{{r draft_note }}", size=11, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6)
    _tag(document, "{%p endif %}")
    _letterhead(document)
    _para(document, "{{ title }}", bold=True, size=16, before=18)
    _para(document, "{{ summary }}", bold=True)
    _tag(document, "{%p if period_line %}")
    _para(document, "{{ period_line }}", italic=True)
    _tag(document, "{%p endif %}")
    _para(document, "-----", after=12)
    _sections(document, "sections_before")
    _figures(document)
    _sections(document, "sections_after")
    _closing_and_signature(document)
    _annex(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@cache
def default_template() -> bytes:
    return build()


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m reports.templates.build_default OUT.docx", file=sys.stderr)
        return 2
    with open(argv[0], "wb") as out:
        out.write(build())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
