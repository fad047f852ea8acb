"""The evaluation as neutral tables: the ranking, every scorecard's lines, a province's ranking, and
the rubric itself (the sheets `gandan evaluation rubric --export` writes and `--import` reads)."""

from __future__ import annotations

from core.i18n import _
from models.evaluation.compute import Province
from models.evaluation.rubric import BANDS_SHEET, CRITERIA_SHEET, HAND, PERIOD_SHEET, Rubric
from models.evaluation.scoring import Evaluation
from reports.tables import Table


def ranking_table(evaluation: Evaluation) -> Table:
    """The annex of the annual report: each team's rank, total, band and the proposal."""
    rows = tuple((c.rank, c.team, c.village, c.total, c.band,
                  _("Đề nghị khen thưởng") if c.team_id in evaluation.proposed else "")
                 for c in evaluation.cards)
    return Table(_("Xếp loại năm {year} — {commune}").format(year=evaluation.year, commune=evaluation.name),
                 (_("Hạng"), _("Tổ Dân vận"), _("Thôn, tổ dân phố"), _("Điểm"), _("Xếp loại"), _("Khen thưởng")), rows)


def scorecards_table(evaluation: Evaluation) -> Table:
    """Every team's criteria: value, points, maximum, evidence."""
    rows = tuple((c.team, line.code, line.label, None if line.value is None else round(line.value, 1),
                  line.points, line.max_points, line.evidence)
                 for c in evaluation.cards for line in c.lines)
    return Table(_("Chấm điểm chi tiết {year}").format(year=evaluation.year),
                 (_("Tổ Dân vận"), _("Mã"), _("Tiêu chí"), _("Giá trị (%)"), _("Điểm"), _("Tối đa"), _("Căn cứ")), rows)


def province_table(province: Province) -> Table:
    rows = tuple((c.rank, c.team, c.village, c.commune, c.total, c.band) for c in province.cards)
    return Table(_("Xếp loại toàn tỉnh {year}").format(year=province.year),
                 (_("Hạng"), _("Tổ Dân vận"), _("Thôn, tổ dân phố"), _("Xã, phường"), _("Điểm"), _("Xếp loại")), rows)


def criteria_columns() -> tuple[str, ...]:
    return (_("Mã"), _("Tiêu chí"), _("Điểm tối đa"), _("Cách tính"), _("Đủ điểm khi (%)"), _("Không điểm khi (%)"),
            _("Điểm thấp nhất"))


def band_columns() -> tuple[str, ...]:
    return (_("Xếp loại"), _("Từ điểm"))


def period_columns() -> tuple[str, ...]:
    return (_("Kết thúc kỳ (ngày/tháng)"), _("Ghi chú"))


def rubric_tables(rubric: Rubric) -> list[Table]:
    """The rubric in three sheets: criteria, bands, the period's last day (blank: the annual deadline)."""
    criteria = tuple((c.code, c.label, c.max_points, c.measure, c.full, c.zero, c.min_points if c.measure == HAND
                      else None) for c in rubric.criteria)
    bands = tuple((b.label, b.minimum) for b in rubric.bands)
    end = f"{rubric.period_end[1]}/{rubric.period_end[0]}" if rubric.period_end else ""
    note = _("Để trống: đến hạn báo cáo năm của xã") if not end else ""
    return [Table(str(CRITERIA_SHEET), criteria_columns(), criteria), Table(str(BANDS_SHEET), band_columns(), bands),
            Table(str(PERIOD_SHEET), period_columns(), ((end, note),))]

