"""A rubric as data: criteria (an automatic measure on a scale, or scored by hand), bands, the period.

A commune scores by its own rubric, else by its province's (the province's communes share it), else
by `SAMPLE`, which the product labels a sample to replace with the province's own criteria. Every
rubric is checked by `validate` before it is stored: the maximum points add up to 100, each measure
is known, the bands run from the highest threshold down to 0; each problem is named with its row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import _, __
from models import audit
from models.evaluation.measures import MEASURES
from models.tables import EvaluationRubric, OrgUnit

HAND = "hand"
TOTAL = 100
CODE_LENGTH = 32
LABEL_LENGTH = 200


@dataclass(frozen=True)
class Criterion:
    """`measure` names an automatic measure (its value in %, scored on the scale `zero` → `full`,
    linear between: `full` below `zero` for a measure where less is better), or is HAND."""

    code: str
    label: str
    max_points: float
    measure: str
    full: float | None = None
    zero: float | None = None
    min_points: float = 0.0  # below 0 for a deduction scored by hand (hot spots)

    @property
    def by_hand(self) -> bool:
        return self.measure == HAND

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "label": self.label, "max": self.max_points, "measure": self.measure,
                "full": self.full, "zero": self.zero, "min": self.min_points}

    @classmethod
    def of(cls, data: dict[str, Any]) -> Criterion:
        return cls(data["code"], data["label"], data["max"], data["measure"], data.get("full"), data.get("zero"),
                   data.get("min") or 0.0)


@dataclass(frozen=True)
class Band:
    label: str
    minimum: float


@dataclass(frozen=True)
class Rubric:
    criteria: tuple[Criterion, ...]
    bands: tuple[Band, ...]  # highest threshold first; the last one's is 0
    period_end: tuple[int, int] | None = None  # (month, day); None: the annual report's deadline
    unit_id: int | None = None  # the commune or province it belongs to; None for the sample
    sample: bool = False

    @property
    def hand_criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.by_hand)

    def band(self, total: float) -> Band:
        return next((b for b in self.bands if total >= b.minimum), self.bands[-1])


# The sample: the measures the database records, weighted as an outreach board might; to be replaced.
# Campaign targets are left out until campaigns are recorded: a measure "campaign_targets" added to
# MEASURES (models/evaluation/measures.py) then becomes a criterion like any other.
SAMPLE = Rubric(
    criteria=(
        Criterion("HOP", "Họp giao ban hằng tháng", 15, "meetings_held", full=100, zero=50),
        Criterion("DUHOP", "Thành viên dự họp", 5, "attendance", full=90, zero=50),
        Criterion("BCT", "Báo cáo tháng đúng hạn", 10, "monthly_reports", full=100, zero=50),
        Criterion("BCN", "Báo cáo 6 tháng, năm đúng hạn", 5, "yearly_reports", full=100, zero=0),
        Criterion("THAM", "Hộ được thăm trong năm", 15, "households_visited", full=100, zero=50),
        Criterion("LAU", "Hộ quá 60 ngày chưa thăm", 5, "households_stale", full=0, zero=30),
        Criterion("YKDH", "Ý kiến trả lời đúng hạn", 10, "concerns_on_time", full=100, zero=50),
        Criterion("BAOLAI", "Hộ được báo kết quả trả lời", 5, "households_told", full=100, zero=50),
        Criterion("TB", "Thông báo được xác nhận đã nhận", 5, "announcements_acknowledged", full=90, zero=40),
        Criterion("TV", "Thành viên hoạt động đủ các quý", 5, "active_members", full=90, zero=40),
        Criterion("GS", "Tổ chức giám sát", 5, HAND),
        Criterion("DVK", "Mô hình “Dân vận khéo”", 10, HAND),
        Criterion("HG", "Hòa giải mâu thuẫn trong Nhân dân", 5, HAND),
        Criterion("TRU", "Điểm trừ (điểm nóng, vụ việc phức tạp)", 0, HAND, min_points=-10),
    ),
    bands=(Band("Tốt", 90), Band("Khá", 70), Band("Trung bình", 50), Band("Yếu", 0)),
    sample=True,
)
SAMPLE_NOTE = __("Đây là bộ tiêu chí mẫu; xã cần thay bằng tiêu chí của Ban Dân vận Tỉnh ủy "
                 "(gandan evaluation rubric --import).")


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int | None  # the row number in the file (None: the sheet as a whole)
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return f"{self.sheet}: {self.message}"
        return _("{sheet}, dòng {row}: {message}").format(sheet=self.sheet, row=self.row, message=self.message)


class BadRubric(ValueError):
    """The rubric cannot be used; every problem with its row."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = tuple(errors)


def validate(rubric: Rubric, rows: dict[str, list[int]] | None = None) -> None:
    """Raises BadRubric with every problem; `rows` gives the file's row of each criterion and band."""
    crit_rows = (rows or {}).get("criteria") or [None] * len(rubric.criteria)
    band_rows = (rows or {}).get("bands") or [None] * len(rubric.bands)
    criteria_sheet, bands_sheet = str(CRITERIA_SHEET), str(BANDS_SHEET)
    errors: list[RowError] = []
    seen: set[str] = set()
    for criterion, row in zip(rubric.criteria, crit_rows, strict=True):
        def bad(message: str, row: int | None = row) -> None:
            errors.append(RowError(criteria_sheet, row, message))
        if not criterion.code or len(criterion.code) > CODE_LENGTH:
            bad(_("mã tiêu chí phải có, tối đa {max} ký tự").format(max=CODE_LENGTH))
        elif criterion.code.casefold() in seen:
            bad(_("mã “{code}” trùng với một dòng trên").format(code=criterion.code))
        seen.add(criterion.code.casefold())
        if not criterion.label or len(criterion.label) > LABEL_LENGTH:
            bad(_("tên tiêu chí phải có, tối đa {max} ký tự").format(max=LABEL_LENGTH))
        if criterion.max_points < 0:
            bad(_("điểm tối đa không được âm"))
        if criterion.by_hand:
            if criterion.min_points > 0 or criterion.min_points > criterion.max_points:
                bad(_("điểm thấp nhất phải từ 0 trở xuống (điểm trừ) và không quá điểm tối đa"))
            continue
        if criterion.measure not in MEASURES:
            bad(_("cách tính “{measure}” không có; dùng một trong: {known}, hoặc {hand}").format(
                measure=criterion.measure, known=", ".join(MEASURES), hand=HAND))
            continue
        if criterion.full is None or criterion.zero is None:
            bad(_("tiêu chí tính tự động cần cả mức đủ điểm và mức không điểm (%)"))
        elif criterion.full == criterion.zero or not all(0 <= v <= 100 for v in (criterion.full, criterion.zero)):
            bad(_("mức đủ điểm và mức không điểm phải khác nhau, từ 0 đến 100 (%)"))
    total = sum(c.max_points for c in rubric.criteria)
    if abs(total - TOTAL) > 1e-6:
        errors.append(RowError(criteria_sheet, None, _("tổng điểm tối đa phải là {total}, hiện là {sum}").format(
            total=TOTAL, sum=_number(total))))
    if not rubric.bands:
        errors.append(RowError(bands_sheet, None, _("cần ít nhất một mức xếp loại")))
    previous: float | None = None
    for band, row in zip(rubric.bands, band_rows, strict=True):
        if not band.label:
            errors.append(RowError(bands_sheet, row, _("tên mức xếp loại phải có")))
        if previous is not None and band.minimum >= previous:
            errors.append(RowError(bands_sheet, row, _("các mức phải xếp từ điểm cao xuống điểm thấp")))
        if not 0 <= band.minimum <= TOTAL:
            errors.append(RowError(bands_sheet, row, _("điểm từ phải trong khoảng 0–{total}").format(total=TOTAL)))
        previous = band.minimum
    if rubric.bands and rubric.bands[-1].minimum != 0:
        errors.append(RowError(bands_sheet, band_rows[-1], _("mức cuối cùng phải từ 0 điểm")))
    if rubric.period_end is not None:
        month, day = rubric.period_end
        try:
            dt.date(2024, month, day)
        except ValueError:
            errors.append(RowError(str(PERIOD_SHEET), None, _("ngày kết thúc kỳ đánh giá không có thật")))
    if errors:
        raise BadRubric(errors)


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


CRITERIA_SHEET = __("Tiêu chí")
BANDS_SHEET = __("Xếp loại")
PERIOD_SHEET = __("Kỳ đánh giá")


def _row(rubric: Rubric, unit_id: int) -> dict[str, Any]:
    return {"unit_id": unit_id, "criteria": [c.as_json() for c in rubric.criteria],
            "bands": [{"label": b.label, "min": b.minimum} for b in rubric.bands],
            "period_end": f"{rubric.period_end[0]:02d}-{rubric.period_end[1]:02d}" if rubric.period_end else None}


def _of_row(row: EvaluationRubric) -> Rubric:
    end = tuple(int(part) for part in row.period_end.split("-")) if row.period_end else None
    return Rubric(tuple(Criterion.of(c) for c in row.criteria), tuple(Band(b["label"], b["min"]) for b in row.bands),
                  end, unit_id=row.unit_id)  # type: ignore[arg-type]


async def rubric_for(session: AsyncSession, unit: OrgUnit) -> Rubric:
    """The commune's own rubric, else the nearest enclosing unit's (its province's), else the sample."""
    ancestors = [int(part) for part in unit.path.strip("/").split("/") if part]
    rows = {row.unit_id: row for row in await session.scalars(
        select(EvaluationRubric).where(EvaluationRubric.unit_id.in_(ancestors)))}
    for unit_id in reversed(ancestors):
        if unit_id in rows:
            return _of_row(rows[unit_id])
    return SAMPLE


async def rubrics_for(session: AsyncSession, units: Sequence[OrgUnit]) -> dict[int, Rubric]:
    """`rubric_for` of many communes (a province's) in one statement."""
    ancestors = {u.id: [int(p) for p in u.path.strip("/").split("/") if p] for u in units}
    wanted = {a for chain in ancestors.values() for a in chain}
    rows = {row.unit_id: row for row in await session.scalars(
        select(EvaluationRubric).where(EvaluationRubric.unit_id.in_(sorted(wanted))))} if wanted else {}
    found = {}
    for unit in units:
        owner = next((a for a in reversed(ancestors[unit.id]) if a in rows), None)
        found[unit.id] = _of_row(rows[owner]) if owner is not None else SAMPLE
    return found


async def save(session: AsyncSession, unit: OrgUnit, rubric: Rubric, *, actor_id: int | None = None,
               actor_label: str = "system") -> None:
    """Stores the unit's rubric in place of the one it had (validated first), with the audit trail."""
    validate(rubric)
    values = _row(rubric, unit.id)
    row = await session.scalar(select(EvaluationRubric).where(EvaluationRubric.unit_id == unit.id))
    before = None
    if row is None:
        row = EvaluationRubric(**values, updated_by_id=actor_id)
        session.add(row)
    else:
        before = {"criteria": row.criteria, "bands": row.bands, "period_end": row.period_end}
        row.criteria, row.bands, row.period_end = values["criteria"], values["bands"], values["period_end"]
        row.updated_by_id = actor_id
    await session.flush()
    audit.record(session, "set_evaluation_rubric", "evaluation_rubric", row.id, actor_id=actor_id,
                 actor_label=actor_label, details={"unit_id": unit.id, "before": before, "after": values})
