"""One official report of a unit (a village's team, issued by its chi bộ, or the commune) for a year.

The header, the sections in the documents' order and the closing are laid out here; the figures
and the drafted sentences come from the data of the period.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import _, __, format_date
from models.enums import UnitKind
from models.tables import OrgUnit
from models.units.tree import lineage
from reports.official import OfficialReport, Paragraph, ParagraphKind, ReportKind, Section

SUMMARIES = {
    ReportKind.HALF_YEAR: __("kết quả hoạt động của Tổ Dân vận cộng đồng 6 tháng đầu năm {year}"),
    ReportKind.ANNUAL: __("kết quả hoạt động của Tổ Dân vận cộng đồng năm {year}"),
    ReportKind.REVIEW_3Y: __("sơ kết 3 năm hoạt động của Tổ Dân vận cộng đồng ({start}–{year})"),
    ReportKind.REVIEW_5Y: __("tổng kết 5 năm hoạt động của Tổ Dân vận cộng đồng ({start}–{year})"),
}


def _to_write(text: str) -> Paragraph:
    return Paragraph(text, ParagraphKind.TO_WRITE)


async def build_report(session: AsyncSession, *, unit: OrgUnit, kind: ReportKind, year: int,
                       today: dt.date) -> OfficialReport:
    """The draft as it stands today: what the data says, and marked places for the rest."""
    chain = {u.kind: u for u in await lineage(session, unit)}
    commune = chain.get(UnitKind.COMMUNE)
    province = chain.get(UnitKind.PROVINCE)
    commune_name = commune.name if commune else unit.name
    if unit.kind == UnitKind.COMMUNE:
        higher = _("ĐẢNG BỘ {name}").format(name=(province.name if province else "……").upper())
        issuer = _("ĐẢNG ỦY XÃ {name}").format(name=unit.name.upper())
        number = _("Số      -BC/ĐU")
        signer = (_("T/M ĐẢNG ỦY"), _("BÍ THƯ"))
        recipients = (_("- Ban Thường vụ Tỉnh ủy (để b/c),"), _("- Lưu Văn phòng Đảng ủy."))
        reporter = _("Đảng ủy xã {name}").format(name=unit.name)
    else:
        higher = _("ĐẢNG ỦY XÃ {name}").format(name=commune_name.upper())
        issuer = _("CHI BỘ THÔN {name}").format(name=unit.name.upper())
        number = _("Số      -BC/CB")
        signer = (_("T/M CHI BỘ"), _("BÍ THƯ"))
        recipients = (_("- Đảng ủy xã (để b/c),"), _("- Khối dân vận xã,"), _("- Lưu chi bộ."))
        reporter = _("Chi bộ thôn {name}").format(name=unit.name)
    start = year - (3 if kind == ReportKind.REVIEW_3Y else 5) + 1
    summary = str(SUMMARIES[kind]).format(year=year, start=start)
    sections = (
        Section("I", _("ĐẶC ĐIỂM TÌNH HÌNH"), (
            _to_write(_("* Thuận lợi: ……")), _to_write(_("* Khó khăn: ……")))),
        Section("II", _("KẾT QUẢ THỰC HIỆN"), (_to_write("……"),)),
        Section("III", _("ĐÁNH GIÁ CHUNG"), (
            _to_write(_("1. Ưu điểm: ……")), _to_write(_("2. Hạn chế: ……")), _to_write(_("3. Nguyên nhân: ……")))),
        Section("IV", _("PHƯƠNG HƯỚNG, NHIỆM VỤ"), (_to_write("……"),)),
        Section("V", _("KIẾN NGHỊ, ĐỀ XUẤT"), (_to_write("……"),)),
    )
    return OfficialReport(
        kind=kind, year=year, unit_id=unit.id, higher_body=higher, issuing_body=issuer, number_line=number,
        place_date_line=_("{place}, {date}").format(place=commune_name, date=format_date(today)),
        title=_("BÁO CÁO"), summary=summary, period_line="", sections=sections, figures=(),
        figures_title=_("Số liệu chủ yếu"),
        closing=_("Trên đây là báo cáo {summary}. {reporter} trân trọng báo cáo./.").format(
            summary=summary, reporter=reporter),
        recipients=(_("Nơi nhận:"), *recipients), signer_lines=signer, signer_name=None)
