"""The report's figures only people know (seed 004's blanks): what each is, and its value per unit and year.

A field nobody has given stays blank: no row, `None` in the report's `Figure`, "……" in the
document, its label in `OfficialReport.blanks` — never a zero. Every change is in the audit trail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import LazyString, __
from models import audit
from models.enums import UnitKind
from models.reports.numbers import number, parse_number, percent_value
from models.tables import ReportField

MAX_VALUE = Decimal(10) ** 12


class FieldKind(StrEnum):
    INTEGER = "integer"
    DECIMAL = "decimal"
    PERCENT = "percent"  # 0 to 100


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: LazyString
    unit: LazyString
    kind: FieldKind = FieldKind.INTEGER
    stable: bool = False  # rarely changes from one year to the next: last year's value is offered
    levels: frozenset[UnitKind] = frozenset({UnitKind.VILLAGE, UnitKind.COMMUNE})


_COMMUNE = frozenset({UnitKind.COMMUNE})
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("area", __("Diện tích tự nhiên"), __("ha"), FieldKind.DECIMAL, stable=True),
    FieldSpec("population", __("Dân số"), __("người"), stable=True),
    FieldSpec("party_members", __("Số đảng viên"), __("đảng viên"), stable=True),
    FieldSpec("chi_bo", __("Số chi bộ trực thuộc"), __("chi bộ"), stable=True, levels=_COMMUNE),
    FieldSpec("citizens_received", __("Lượt tiếp công dân"), __("lượt"), levels=_COMMUNE),
    FieldSpec("complaints_received", __("Đơn khiếu nại đã tiếp nhận"), __("đơn"), levels=_COMMUNE),
    FieldSpec("complaints_handled", __("Đơn khiếu nại đã giải quyết"), __("đơn"), levels=_COMMUNE),
    FieldSpec("denunciations_received", __("Đơn tố cáo đã tiếp nhận"), __("đơn"), levels=_COMMUNE),
    FieldSpec("denunciations_handled", __("Đơn tố cáo đã giải quyết"), __("đơn"), levels=_COMMUNE),
    FieldSpec("supervisions", __("Cuộc giám sát đã tổ chức"), __("cuộc")),
    FieldSpec("opinions", __("Lượt ý kiến góp ý xây dựng Đảng, chính quyền"), __("lượt")),
    FieldSpec("income_per_capita", __("Thu nhập bình quân đầu người"), __("triệu đồng/năm"), FieldKind.DECIMAL),
    FieldSpec("poor_rate", __("Tỷ lệ hộ nghèo"), __("%"), FieldKind.PERCENT),
)
BY_KEY: dict[str, FieldSpec] = {spec.key: spec for spec in FIELDS}
RULES: dict[FieldKind, LazyString] = {
    FieldKind.INTEGER: __("một số nguyên không âm, ví dụ 1.240"),
    FieldKind.DECIMAL: __("một số không âm, dấu phẩy trước phần lẻ, ví dụ 1.240 hoặc 86,5"),
    FieldKind.PERCENT: __("một tỷ lệ từ 0 đến 100, ví dụ 3,2"),
}


class BadValue(ValueError):
    """A value that does not fit its field; the message gives the rule (`RULES`)."""


class UnknownField(KeyError):
    """A key that names no field of this unit's report."""


def specs_for(kind: UnitKind) -> tuple[FieldSpec, ...]:
    """The fields of a village's (a team stands for it) or a commune's report, in the documents' order."""
    level = UnitKind.VILLAGE if kind == UnitKind.TEAM else kind
    return tuple(spec for spec in FIELDS if level in spec.levels)


def spec_for(kind: UnitKind, key: str) -> FieldSpec:
    found = next((spec for spec in specs_for(kind) if spec.key == key.strip().lower()), None)
    if found is None:
        raise UnknownField(key)
    return found


def parse_value(spec: FieldSpec, text: str) -> Decimal:
    """The typed value ("1.240", "86,5") checked against the field's kind; BadValue otherwise."""
    return check_value(spec, parse_number(text))


def check_value(spec: FieldSpec, value: Decimal | None) -> Decimal:
    """The value if it fits the field's kind (whole, not negative, a percent up to 100); BadValue otherwise."""
    if value is None or not value.is_finite() or value < 0 or value >= MAX_VALUE or (
            spec.kind == FieldKind.INTEGER and value != value.to_integral_value()) or (
            spec.kind == FieldKind.PERCENT and value > 100):
        raise BadValue(str(RULES[spec.kind]))
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def format_value(spec: FieldSpec, value: Decimal) -> str:
    """"1.240", "86,5 %": as the report and the chat show it."""
    return percent_value(value) if spec.kind == FieldKind.PERCENT else number(value)


def _stored(value: Decimal) -> str:
    return format(value, "f")


async def values(session: AsyncSession, unit_id: int, year: int) -> dict[str, Decimal]:
    """key → value of the fields given for the unit and year (a blank has no key)."""
    rows = await session.scalars(select(ReportField).where(ReportField.unit_id == unit_id, ReportField.year == year))
    return {row.key: Decimal(row.value) for row in rows}


async def set_values(session: AsyncSession, unit_id: int, unit_kind: UnitKind, year: int,
                     changes: Mapping[str, Decimal | None], *, actor_id: int | None, actor_label: str,
                     now: dt.datetime) -> list[str]:
    """Stores the given values (None blanks a field again), each change audited; the keys changed.

    Every key is checked before anything is written, so a bad one leaves everything as it was.
    """
    specs = [spec_for(unit_kind, key) for key in changes]
    existing = {row.key: row for row in await session.scalars(
        select(ReportField).where(ReportField.unit_id == unit_id, ReportField.year == year))}
    changed = []
    for spec, value in zip(specs, changes.values(), strict=True):
        row = existing.get(spec.key)
        before = row.value if row is not None else None
        after = _stored(value) if value is not None else None
        if before == after:
            continue
        if value is None:
            await session.delete(row)
        elif row is None:
            session.add(ReportField(unit_id=unit_id, year=year, key=spec.key, value=after, updated_at=now,
                                    updated_by_id=actor_id))
        else:
            row.value, row.updated_at, row.updated_by_id = after, now, actor_id
        audit.record(session, "set_report_field", "org_unit", unit_id, actor_id=actor_id, actor_label=actor_label,
                     details={"year": year, "key": spec.key, "before": before, "after": after})
        changed.append(spec.key)
    await session.flush()
    return changed


@dataclass(frozen=True)
class FieldValue:
    spec: FieldSpec
    value: Decimal | None

    @property
    def shown(self) -> str | None:
        return format_value(self.spec, self.value) if self.value is not None else None


async def report_values(session: AsyncSession, unit_id: int, unit_kind: UnitKind, year: int) -> Sequence[FieldValue]:
    """Every field of the unit's report for the year, blanks included, in order."""
    given = await values(session, unit_id, year)
    return [FieldValue(spec, given.get(spec.key)) for spec in specs_for(unit_kind)]
