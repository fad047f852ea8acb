"""The monthly digest's chart and spreadsheet: made from the same figures, stored to go with a message.

Neither names a household unless asked: they go to groups as well as to leaders; a village's
spreadsheet for a reader entitled to names adds the households not visited for 60 days. Drawing and packing are CPU
work, done in a thread so the bot keeps answering meanwhile.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import _
from core.text import fold
from models.digests.compute import (
    CategoryLine,
    CommuneDigest,
    Figures,
    Measures,
    RaisedConcern,
    VillageDigest,
    period_key,
)
from models.digests.texts import meeting_mark, period_text, raised_snippet
from models.enums import ConcernCategory
from models.labels import CATEGORY_LABELS
from models.outbox import attachments
from reports.charts import bar_chart
from reports.spreadsheet import workbook
from reports.tables import Table

PNG = "image/png"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Chart:
    title: str
    categories: list[str]
    series: dict[str, list[float]]
    more: str = "+{count}"


@dataclass(frozen=True)
class Media:
    """What a digest carries besides its text, ready to render (already in the reader's language)."""

    name: str  # for the file names
    chart: Chart | None
    tables: list[Table]


def _category_rows(lines: tuple[CategoryLine, ...], *lead: str) -> list[tuple]:
    return [(*lead, str(CATEGORY_LABELS[c.category]), c.opened, c.answered, c.overdue) for c in lines]


def _share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _measure_cells(m: Measures) -> tuple:
    median = round(m.median_days, 1) if m.median_days is not None else None
    return (m.answered, m.on_time, _share(m.on_time, m.answered), median, m.households, m.told,
            _share(m.told, m.households))


def _measure_columns(*lead: str) -> tuple[str, ...]:
    return (*lead, _("Đã trả lời"), _("Đúng hạn"), _("Đúng hạn (%)"), _("Trung vị số ngày trả lời"),
            _("Hộ phản ánh"), _("Hộ đã được báo lại"), _("Đã báo lại (%)"))


def _measure_rows(by_category: tuple[tuple[ConcernCategory, Measures], ...], total: Measures,
                  *lead: str) -> list[tuple]:
    rows = [(*lead, str(CATEGORY_LABELS[c]), *_measure_cells(m)) for c, m in by_category]
    if total.answered:
        rows.append((*lead, _("Tất cả lĩnh vực"), *_measure_cells(total)))
    return rows


def _raised_table(concerns: tuple[RaisedConcern, ...], villages: dict[int, str] | None = None) -> Table:
    lead = (_("Thôn"),) if villages is not None else ()
    return Table(_("Nhiều hộ cùng phản ánh"), (*lead, _("Số hiệu"), _("Lĩnh vực"), _("Số hộ"), _("Nội dung")),
                 tuple(((villages.get(c.village_id, ""),) if villages is not None else ())
                       + (c.reference, str(CATEGORY_LABELS[c.category]), c.households, raised_snippet(c))
                       for c in concerns))


def village_media(d: VillageDigest, stale_households: Table | None = None) -> Media:
    """`stale_households`: the per-household sheet, only where the reader may read names."""
    period = period_text(d.start, d.end)
    by_nhom = Table(_("Theo nhóm"), (_("Nhóm"), _("Thành viên"), _("Lượt thăm"), _("Ý kiến mới"), _("Hộ được giao"),
                                     _("Hộ được thăm"), _("Hộ quá 60 ngày chưa thăm")),
                    tuple((n.name, n.members, n.visits, n.concerns, n.households, n.reached, n.stale) for n in d.nhom))
    by_member = Table(_("Theo thành viên"), (_("Thành viên"), _("Nhóm"), _("Lượt thăm"), _("Ý kiến mới"),
                                             _("Hộ được giao"), _("Hộ được thăm"), _("Chưa có hoạt động")),
                      tuple((m.name, m.nhom or "", m.visits, m.concerns, m.households, m.reached,
                             _("Có") if m.idle else "") for m in d.members))
    f = d.figures
    by_category = Table(_("Ý kiến theo lĩnh vực"), (_("Lĩnh vực"), _("Mới"), _("Đã trả lời"), _("Quá hạn")),
                        tuple([*_category_rows(d.categories), (_("Tổng"), f.opened, f.answered, f.overdue)]))
    chart = None
    if d.nhom:
        chart = Chart(_("{village} — {period}: thăm hộ và ý kiến theo nhóm").format(village=d.name, period=period),
                      [n.name for n in d.nhom],
                      {_("Lượt thăm"): [n.visits for n in d.nhom], _("Ý kiến mới"): [n.concerns for n in d.nhom]})
    answering = Table(_("Trả lời ý kiến"), _measure_columns(_("Lĩnh vực")),
                      tuple(_measure_rows(d.category_measures, d.measures)))
    tables = [by_nhom, by_member, by_category, answering, _raised_table(d.raised)]
    return Media(f"{d.name} {period_key(d.start)}", chart, tables + ([stale_households] if stale_households else []))


def _figure_cells(f: Figures, c: Figures, meeting: str, attendance: str) -> tuple:
    return (f.visits, c.visits, f.households, f.reached, c.reached, f.stale, c.stale, f.opened, c.opened, f.answered,
            c.answered, f.overdue, c.overdue, meeting, attendance, f.members, f.idle, c.idle)


def commune_media(d: CommuneDigest) -> Media:
    period = period_text(d.start, d.end)
    columns = [_("Thôn"), _("Lượt thăm"), _("Hộ được giao"), _("Hộ được thăm"), _("Hộ quá 60 ngày chưa thăm"),
               _("Ý kiến mới"), _("Đã trả lời"), _("Quá hạn"), _("Họp giao ban"), _("Người dự họp"),
               _("Thành viên"), _("Chưa có hoạt động")]
    changed = {1, 3, 4, 5, 6, 7, 11}  # the columns followed by their change since the previous period
    header = []
    for index, column in enumerate(columns):
        header.append(column)
        if index in changed:
            header.append(_("{figure} (± kỳ trước)").format(figure=column))
    rows = []
    for village in d.villages:
        meeting = village.meeting
        attendance = f"{meeting.present}/{meeting.recorded}" if meeting.held and meeting.recorded else ""
        rows.append((village.name, *_figure_cells(village.figures, d.change(village.village_id),
                                                  meeting_mark(village), attendance)))
    held = sum(1 for v in d.villages if v.meeting.held)
    rows.append((_("Toàn xã"), *_figure_cells(d.total, d.total - d.previous_total, f"{held}/{len(d.villages)}", "")))
    by_village = Table(_("Theo thôn"), tuple(header), tuple(rows))
    category_rows = [row for v in d.villages for row in _category_rows(v.categories, v.name)]
    category_rows += _category_rows(d.categories(), _("Toàn xã"))
    by_category = Table(_("Ý kiến theo lĩnh vực"), (_("Thôn"), _("Lĩnh vực"), _("Mới"), _("Đã trả lời"), _("Quá hạn")),
                        tuple(category_rows))
    answering_rows = [row for v in d.villages for row in _measure_rows(v.category_measures, v.measures, v.name)]
    answering_rows += _measure_rows(d.category_measures, d.measures, _("Toàn xã"))
    answering = Table(_("Trả lời ý kiến"), _measure_columns(_("Thôn"), _("Lĩnh vực")), tuple(answering_rows))
    # Every village's few, not only the commune's: a spreadsheet has room.
    raised = _raised_table(tuple(c for v in d.villages for c in v.raised), {v.village_id: v.name for v in d.villages})
    chart = Chart(_("{commune} — {period}: thăm hộ và ý kiến theo thôn").format(commune=d.name, period=period),
                  [v.name for v in d.villages],
                  {_("Lượt thăm"): [v.visits for v in d.villages],
                   _("Ý kiến mới"): [v.figures.opened for v in d.villages]},
                  more=_("và {count} thôn khác"))
    return Media(f"{d.name} {period_key(d.start)}", chart, [by_village, by_category, answering, raised])


async def store(session: AsyncSession, media: Media, now: dt.datetime) -> tuple[int | None, int]:
    """The chart (if any) and the spreadsheet, drawn in a thread and stored; their attachment ids."""
    name = "tong-hop-" + fold(media.name).replace(" ", "-")
    photo_id = None
    if media.chart is not None:
        chart = media.chart
        png = await asyncio.to_thread(bar_chart, chart.title, chart.categories, chart.series, more=chart.more)
        photo_id = (await attachments.store(session, png, filename=f"{name}.png", mime=PNG, now=now)).id
    xlsx = await asyncio.to_thread(workbook, media.tables)
    document = await attachments.store(session, xlsx, filename=f"{name}.xlsx", mime=XLSX, now=now)
    return photo_id, document.id
