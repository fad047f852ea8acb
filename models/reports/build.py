"""One official report of a unit (a village's team, issued by its chi bộ, or the commune) for a year.

The header names the issuing bodies as Hướng dẫn 36-HD/VPTW does: a team's report is issued by the
village's chi bộ under the commune's party organisation ("ĐẢNG BỘ XÃ PHÚC SƠN" / "CHI BỘ THÔN ĐỒNG
TÂM", Số …-BC/CB), the commune's by the Đảng ủy xã under the province's ("ĐẢNG BỘ TỈNH …" / "ĐẢNG ỦY
XÃ PHÚC SƠN", Số …-BC/ĐU). The figures come from the data of the period (`figures.py`) and from the
fields people give (`fields.py`); the words are drafted by `draft.py`.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import _, __, format_date
from models.access import SIGNS_REPORT
from models.digests.queries import local_midnight
from models.enums import UnitKind
from models.labels import CATEGORY_LABELS
from models.reports import header
from models.reports.draft import Draft
from models.reports.fields import FieldValue, report_values
from models.reports.figures import Activity, CommuneActivity, commune_activity
from models.reports.numbers import number, percent
from models.reports.periods import Period, period_line, report_period
from models.tables import Membership, OrgUnit, Person
from models.units.tree import lineage
from reports.official import AnnexTable, Figure, OfficialReport, ReportKind

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
NOT_APPLICABLE = "—"  # a share of nothing (no household assigned): not a blank to fill

SUMMARIES = {
    ReportKind.HALF_YEAR: __("kết quả hoạt động của Tổ Dân vận cộng đồng 6 tháng đầu năm {year}"),
    ReportKind.ANNUAL: __("kết quả hoạt động của Tổ Dân vận cộng đồng năm {year}"),
    ReportKind.REVIEW_3Y: __("sơ kết 3 năm hoạt động của Tổ Dân vận cộng đồng ({start}–{year})"),
    ReportKind.REVIEW_5Y: __("tổng kết 5 năm hoạt động của Tổ Dân vận cộng đồng ({start}–{year})"),
}


async def signer(session: AsyncSession, unit: OrgUnit) -> str | None:
    """The name of who signs for the issuing body today (its secretary), when the roster has one."""
    role = SIGNS_REPORT.get(unit.kind)
    if role is None:
        return None
    return await session.scalar(
        select(Person.full_name).join(Membership, Membership.person_id == Person.id)
        .where(Membership.unit_id == unit.id, Membership.role == role, Membership.ended_at.is_(None))
        .order_by(Membership.started_at, Membership.id).limit(1))


def _share(part: int, whole: int) -> str:
    return percent(part, whole) or NOT_APPLICABLE


def _of(part: int, whole: int) -> str:
    return f"{number(part)}/{number(whole)}"


def activity_figures(a: Activity) -> list[Figure]:
    """The figures table's rows computed from the data, in the order of point II of the report."""
    rows = [
        Figure("teams", _("Số Tổ Dân vận cộng đồng"), number(a.teams), _("tổ")),
        Figure("nhom", _("Số nhóm"), number(a.nhom), _("nhóm")),
        Figure("members", _("Số thành viên"), number(a.members), _("người")),
        Figure("households", _("Số hộ được phân công phụ trách"), number(a.households), _("hộ")),
        Figure("visits", _("Lượt thăm hộ"), number(a.visits), _("lượt")),
        Figure("reached", _("Số hộ được thăm ít nhất một lần"), number(a.reached), _("hộ")),
        Figure("reached_share", _("Tỷ lệ hộ được thăm"), _share(a.reached, a.households)),
        Figure("not_reached", _("Số hộ chưa được thăm trong kỳ"), number(a.not_reached), _("hộ")),
        Figure("concerns", _("Ý kiến, kiến nghị tiếp nhận"), number(a.opened), _("ý kiến")),
        *(Figure(f"concerns_{c.value}", _("– về {category}").format(category=str(CATEGORY_LABELS[c]).lower()),
                 number(a.by_category[c]), _("ý kiến")) for c in CATEGORY_LABELS if a.by_category[c]),
        Figure("answered_on_time", _("Ý kiến được trả lời đúng hạn"), number(a.on_time), _("ý kiến")),
        Figure("answered_late", _("Ý kiến được trả lời quá hạn"), number(a.late), _("ý kiến")),
        Figure("open", _("Ý kiến chưa được trả lời"), number(a.open), _("ý kiến")),
        Figure("overdue", _("– trong đó đã quá hạn"), number(a.overdue), _("ý kiến")),
        Figure("told", _("Hộ đã được báo lại kết quả"), _of(a.told, a.raised_by), _("hộ")),
        Figure("meetings", _("Cuộc họp giao ban đã tổ chức / theo quy định"), _of(a.meetings_held, a.meetings_due),
               _("cuộc")),
        Figure("attendance", _("Tỷ lệ tham dự họp bình quân"), _share(a.present, a.ticked)),
        Figure("announcements", _("Thông báo đã gửi"), number(a.announcements), _("thông báo")),
        Figure("acknowledged", _("Tỷ lệ người nhận xác nhận đã nhận"), _share(a.acknowledged, a.receipts)),
        Figure("monthly_reports", _("Báo cáo tháng nộp đúng hạn"), _of(a.monthly_on_time, a.monthly_due),
               _("báo cáo")),
    ]
    return rows


def field_figures(values: list[FieldValue]) -> list[Figure]:
    return [Figure(v.spec.key, str(v.spec.label), v.shown, "" if str(v.spec.unit) == "%" else str(v.spec.unit),
                   known_by_people=True) for v in values]


def annex(data: CommuneActivity) -> AnnexTable:
    """The commune's villages side by side, with the commune's total last."""
    columns = (_("Thôn, tổ dân phố"), _("Thành viên"), _("Hộ phụ trách"), _("Lượt thăm"), _("Hộ được thăm"),
               _("Tỷ lệ hộ được thăm"), _("Ý kiến tiếp nhận"), _("Đã trả lời"), _("Quá hạn"), _("Họp giao ban"),
               _("Báo cáo tháng đúng hạn"))

    def row(name: str, a: Activity) -> tuple[str, ...]:
        return (name, number(a.members), number(a.households), number(a.visits), number(a.reached),
                _share(a.reached, a.households), number(a.opened), number(a.answered), number(a.overdue),
                _of(a.meetings_held, a.meetings_due), _of(a.monthly_on_time, a.monthly_due))

    rows = [row(name, a) for name, a in data.villages.values()]
    rows.append(row(_("Tổng cộng"), data.total))
    return AnnexTable(_("Phụ lục: Kết quả hoạt động của các Tổ Dân vận cộng đồng"), columns, tuple(rows))


def _summary(kind: ReportKind, period: Period, year: int) -> str:
    return str(SUMMARIES[kind]).format(year=year, start=period.start.year)


async def build_report(session: AsyncSession, *, unit: OrgUnit, kind: ReportKind, year: int,
                       today: dt.date, tz: ZoneInfo = VIETNAM) -> OfficialReport:
    """The draft as it stands today: what the data says up to today, and marked places for the rest."""
    if unit.kind == UnitKind.TEAM and unit.parent_id is not None:  # a team's report is its village's
        unit = await session.get(OrgUnit, unit.parent_id) or unit
    chain = list(await lineage(session, unit))
    kinds = {u.kind: u for u in chain}
    commune = kinds.get(UnitKind.COMMUNE)
    above = next((u for u in reversed(chain) if u.kind in (UnitKind.DISTRICT, UnitKind.PROVINCE)), None)
    place = header.bare_name(commune) if commune else header.bare_name(unit)
    if unit.kind == UnitKind.COMMUNE:
        higher = _("ĐẢNG BỘ {name}").format(name=header.upper(above) if above else "……")
        issuer = _("ĐẢNG ỦY {name}").format(name=header.upper(unit))
        number_line = _("Số      -BC/ĐU")
        signer_lines = (_("T/M ĐẢNG ỦY"), _("BÍ THƯ"))
        committee = header.committee(above) if above else _("Tỉnh ủy")
        recipients = (_("- Ban Thường vụ {committee} (để b/c),").format(committee=committee),
                      _("- Ban Dân vận {committee} (để b/c),").format(committee=committee),
                      _("- Lưu Văn phòng Đảng ủy."))
        reporter = _("Đảng ủy {name}").format(name=header.titled(unit))
    else:
        higher = _("ĐẢNG BỘ {name}").format(name=header.upper(commune) if commune else "……")
        issuer = _("CHI BỘ {name}").format(name=header.upper(unit))
        number_line = _("Số      -BC/CB")
        signer_lines = (_("T/M CHI BỘ"), _("BÍ THƯ"))
        # A phường's residential groups report to the Đảng ủy phường.
        division = header.split_division(commune)[0] if commune else "xã"
        recipients = (_("- Đảng ủy {division} (để b/c),").format(division=division),
                      _("- Khối dân vận {division},").format(division=division), _("- Lưu chi bộ."))
        reporter = _("Chi bộ {name}").format(name=header.titled(unit))

    period = await report_period(session, unit=unit, commune=commune, kind=kind, year=year)
    summary = _summary(kind, period, year)
    now = local_midnight(today + dt.timedelta(days=1), tz)  # the data up to the end of today
    data = await commune_activity(session, commune or unit, period, tz, now=now)
    if unit.kind == UnitKind.COMMUNE:
        activity, extra, villages = data.total, data.extra.get(unit.id, []), len(data.villages)
    else:
        activity = data.villages.get(unit.id, ("", Activity()))[1]
        extra, villages = data.extra.get(unit.id, []), 1
    values = list(await report_values(session, unit.id, unit.kind, year))
    draft = Draft(kind=unit.kind, place=header.titled(unit), period=period, activity=activity, villages=villages,
                  fields={v.spec.key: v for v in values})
    return OfficialReport(
        kind=kind, year=year, unit_id=unit.id, higher_body=higher, issuing_body=issuer, number_line=number_line,
        place_date_line=_("{place}, {date}").format(place=place, date=format_date(today)),
        title=_("BÁO CÁO"), summary=summary, period_line=period_line(period), sections=draft.sections(),
        figures=(*activity_figures(activity), *extra, *field_figures(values)),
        figures_title=_("Số liệu chủ yếu"),
        closing=_("Trên đây là báo cáo {summary}. {reporter} trân trọng báo cáo./.").format(
            summary=summary, reporter=reporter),
        recipients=(_("Nơi nhận:"), *recipients), signer_lines=signer_lines,
        signer_name=await signer(session, unit),
        annex=annex(data) if unit.kind == UnitKind.COMMUNE else None,
        blanks=tuple(str(v.spec.label) for v in values if v.value is None))
