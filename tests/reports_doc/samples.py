"""OfficialReport fixtures with every part the renderer lays out: figures (one blank), drafted and
to-write paragraphs, sub-headings, blanks, and an annex narrow or wide."""

from __future__ import annotations

import dataclasses
import io

from docx import Document

from reports.official import AnnexTable, Figure, OfficialReport, Paragraph, ParagraphKind, ReportKind, Section

DRAFTED = "Trong 6 tháng, các tổ đã thăm 1.240 lượt hộ, đạt 86,5 % số hộ được giao."
TO_WRITE = "* Thuận lợi: ……"


def full_report(*, annex_columns: int = 4, villages: int = 3) -> OfficialReport:
    columns = ("Thôn", *(f"Chỉ tiêu {i}" for i in range(1, annex_columns)))
    rows = tuple((f"Thôn {v}", *(f"{v * i:,}".replace(",", ".") for i in range(1, annex_columns)))
                 for v in range(1, villages + 1))
    return OfficialReport(
        kind=ReportKind.HALF_YEAR, year=2026, unit_id=1, higher_body="ĐẢNG BỘ THÀNH PHỐ HÀ NỘI",
        issuing_body="ĐẢNG ỦY XÃ PHÚC SƠN", number_line="Số      -BC/ĐU",
        place_date_line="Phúc Sơn, ngày 10 tháng 6 năm 2026", title="BÁO CÁO",
        summary="kết quả hoạt động của Tổ Dân vận cộng đồng 6 tháng đầu năm 2026",
        period_line="(từ ngày 1 tháng 1 đến ngày 15 tháng 6 năm 2026)",
        sections=(
            Section("I", "ĐẶC ĐIỂM TÌNH HÌNH", (Paragraph(TO_WRITE, ParagraphKind.TO_WRITE),
                                                 Paragraph("* Khó khăn: ……", ParagraphKind.TO_WRITE))),
            Section("II", "KẾT QUẢ THỰC HIỆN", (Paragraph(DRAFTED, ParagraphKind.DRAFTED),),
                    (Section("1", "Thăm hộ, nắm tình hình", (Paragraph("Còn 7 ý kiến về đất đai quá hạn trả lời.",
                                                                          ParagraphKind.DRAFTED),)),
                     Section("2", "Tiếp nhận ý kiến", (Paragraph("Các ý kiến được chuyển đúng cấp."),)))),
            Section("III", "ĐÁNH GIÁ CHUNG", (Paragraph("1. Ưu điểm: ……", ParagraphKind.TO_WRITE),)),
            Section("IV", "PHƯƠNG HƯỚNG, NHIỆM VỤ", (Paragraph("……", ParagraphKind.TO_WRITE),)),
            Section("V", "KIẾN NGHỊ, ĐỀ XUẤT", (Paragraph("……", ParagraphKind.TO_WRITE),)),
        ),
        figures=(Figure("teams", "Số Tổ Dân vận cộng đồng", "12", "tổ"),
                 Figure("visits", "Lượt thăm hộ", "1.240", "lượt"),
                 Figure("reached", "Tỉ lệ hộ được thăm", "86,5 %", "%"),
                 Figure("area", "Diện tích tự nhiên", None, "km²", known_by_people=True),
                 Figure("population", "Dân số", None, "người", known_by_people=True)),
        figures_title="Số liệu chủ yếu",
        closing="Trên đây là báo cáo kết quả 6 tháng đầu năm 2026. Đảng ủy xã Phúc Sơn trân trọng báo cáo./.",
        recipients=("Nơi nhận:", "- Ban Thường vụ Tỉnh ủy (để b/c),", "- Lưu Văn phòng Đảng ủy."),
        signer_lines=("T/M ĐẢNG ỦY", "BÍ THƯ"), signer_name="Nguyễn Văn An",
        annex=AnnexTable("Kết quả theo thôn", columns, rows) if annex_columns else None,
        blanks=("Diện tích tự nhiên", "Dân số"))


def without_annex() -> OfficialReport:
    return dataclasses.replace(full_report(), annex=None)


def open_docx(data: bytes) -> Document:
    return Document(io.BytesIO(data))


def texts(document: Document) -> list[str]:
    """Every body paragraph's text, tables' cells included, in reading order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    found = []
    for block in document.element.body.iterchildren():
        if block.tag.endswith("}p"):
            found.append(DocxParagraph(block, document).text)
        elif block.tag.endswith("}tbl"):
            for row in Table(block, document).rows:
                for cell in row.cells:
                    found += [p.text for p in cell.paragraphs]
    return found
