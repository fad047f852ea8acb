"""An official report (báo cáo) as the Party's documents lay it out, already translated and formatted.

The domain (`models/reports/`) fills it from the database and from the figures only people know;
the Word renderer (`reports/word.py`) lays it out in the format of Hướng dẫn 36-HD/VPTW. Nothing
here reads the database or knows Word: the same report can be checked in a test, printed in the
terminal or rendered from a commune's own template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

BLANK = "……"  # what a figure nobody has given yet shows: a place to write, never a zero


class ReportKind(StrEnum):
    HALF_YEAR = "half_year"  # 6 tháng đầu năm, before 15 June
    ANNUAL = "annual"  # năm, before 20 November
    REVIEW_3Y = "review_3y"  # sơ kết 3 năm
    REVIEW_5Y = "review_5y"  # tổng kết 5 năm


class ParagraphKind(StrEnum):
    DRAFTED = "drafted"  # written from the data by a rule: the person checks it
    TO_WRITE = "to_write"  # a marked place for the person's own words
    FIXED = "fixed"  # standard wording (the closing line, a heading's lead-in)


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: ParagraphKind = ParagraphKind.FIXED


@dataclass(frozen=True)
class Section:
    """A Roman-numeral section ("II", "Kết quả thực hiện"), with optional numbered sub-headings."""

    number: str
    title: str
    paragraphs: tuple[Paragraph, ...] = ()
    subsections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class Figure:
    """One row of the figures table; `value` already formatted ("1.240", "86,5 %"), None when blank."""

    key: str
    label: str
    value: str | None
    unit: str = ""  # "hộ", "lượt", "%"
    known_by_people: bool = False  # entered by a person (area, population…), not computed


@dataclass(frozen=True)
class AnnexTable:
    """The commune report's villages side by side: a header row and one row per village, formatted."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class OfficialReport:
    kind: ReportKind
    year: int
    unit_id: int
    # The two-column header. Left: the higher body ("ĐẢNG ỦY XÃ PHÚC SƠN"), the issuing body in bold
    # ("CHI BỘ THÔN ĐỒNG TÂM"), "*", the number line ("Số     -BC/CB"). Right: "ĐẢNG CỘNG SẢN VIỆT NAM",
    # then the place and date line ("Phúc Sơn, ngày 10 tháng 6 năm 2026"), in italics.
    higher_body: str
    issuing_body: str
    number_line: str
    place_date_line: str
    title: str  # "BÁO CÁO"
    summary: str  # "kết quả hoạt động của Tổ Dân vận cộng đồng 6 tháng đầu năm 2026"
    period_line: str  # "(từ ngày 1 tháng 1 đến ngày 15 tháng 6 năm 2026)"
    sections: tuple[Section, ...]
    figures: tuple[Figure, ...]
    figures_title: str
    closing: str  # "Trên đây là báo cáo … Chi bộ thôn Đồng Tâm trân trọng báo cáo./."
    recipients: tuple[str, ...]  # "Nơi nhận:" lines, e.g. "- Đảng ủy xã (để b/c),", "- Lưu chi bộ."
    signer_lines: tuple[str, ...]  # ("T/M CHI BỘ", "BÍ THƯ")
    signer_name: str | None  # None: a blank to sign
    annex: AnnexTable | None = None
    blanks: tuple[str, ...] = field(default=())  # labels of the figures only people know still blank
