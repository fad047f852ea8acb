"""The words that go with a report's draft, in the scheduled message and on demand alike."""

from __future__ import annotations

import datetime as dt

from core.i18n import _, __
from models.deadlines.texts import due_text
from reports.official import OfficialReport, ReportKind

KIND_LABELS = {
    ReportKind.HALF_YEAR: __("Báo cáo 6 tháng đầu năm"),
    ReportKind.ANNUAL: __("Báo cáo năm"),
    ReportKind.REVIEW_3Y: __("Báo cáo sơ kết 3 năm"),
    ReportKind.REVIEW_5Y: __("Báo cáo tổng kết 5 năm"),
}
BLANK_LINES = 15  # more blanks are counted, not listed: the document shows every one


def draft_text(report: OfficialReport, unit_name: str, version: int, due: dt.date | None = None) -> str:
    """What the draft is, for which unit and deadline, and the figures still to fill in."""
    lines = [_("📄 Dự thảo {kind} {year} — {unit}").format(kind=KIND_LABELS[report.kind], year=report.year,
                                                          unit=unit_name)]
    if due is not None:
        lines.append(_("Hạn nộp: {due}.").format(due=due_text(due)))
    if version:
        lines.append(_("Bản dự thảo số {version}, làm từ số liệu đến hôm nay.").format(version=version))
    lines.append(_("Đoạn tô vàng do Gần Dân soạn từ số liệu: cần đọc lại. Chỗ tô xanh: cần tự viết."))
    if report.blanks:
        lines.append(_("Còn {count} số liệu cần điền:").format(count=len(report.blanks)))
        lines += [f"• {label}" for label in report.blanks[:BLANK_LINES]]
        if len(report.blanks) > BLANK_LINES:
            lines.append(_("… và {count} số liệu khác.").format(count=len(report.blanks) - BLANK_LINES))
    else:
        lines.append(_("Không còn số liệu nào để trống."))
    return "\n".join(lines)
