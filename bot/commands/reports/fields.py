"""`gandan report fields`: the report's figures only people know, set by hand or through a spreadsheet.

`--set key=value …` changes a few (an empty value blanks one again); `--export F.xlsx` writes every
field of the unit and year, with last year's beside it, for the office to fill in; `--import
F.xlsx` reads such a sheet back. Every value is checked before anything is written: one bad
row and nothing changes, and every bad row is named.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import open_app
from bot.commands.common import CommandError, pick_commune, pick_unit
from bot.tabular import header_key
from core.i18n import _
from core.settings import Settings
from core.text import fold
from models.base import utcnow
from models.enums import UnitKind
from models.reports import fields
from models.reports.fields import BadValue, FieldSpec, UnknownField
from models.tables import OrgUnit
from reports.spreadsheet import workbook
from reports.tables import Table

MAX_FILE_BYTES = 5 * 1024 * 1024  # a sheet of a dozen rows; anything this large is not one
KEY_HEADERS = ("ma", "key")
VALUE_HEADERS = ("gia tri", "value")


def register(sub: argparse._SubParsersAction, name: str = "fields") -> None:
    """`gandan report fields`: added by `bot.commands.reports.draft` under `report`."""
    parser = sub.add_parser(name, help=_("điền số liệu báo cáo mà chỉ người biết (diện tích, dân số…)"),
                            description=_("Xem và điền các số liệu của báo cáo 6 tháng, năm mà dữ liệu không có "
                                          "(diện tích, dân số, đảng viên, tiếp dân, đơn thư…), theo thôn hoặc xã và "
                                          "năm; bằng --set hoặc qua tệp Excel."))
    parser.add_argument("--commune", metavar=_("xã"), help=_("mã hoặc tên xã (khi có nhiều xã)"))
    parser.add_argument("--unit", required=True, metavar=_("đơn vị"),
                        help=_("tên thôn (ví dụ “Đồng Tâm”) hoặc “commune” cho báo cáo của xã"))
    parser.add_argument("--year", required=True, type=int, metavar=_("năm"), help=_("năm báo cáo"))
    parser.add_argument("--set", dest="assignments", action="append", default=[], metavar=_("mã=giá trị"),
                        help=_("đặt một số liệu, ví dụ population=8.650 (để trống sau dấu = để xóa)"))
    files = parser.add_mutually_exclusive_group()
    files.add_argument("--export", type=Path, metavar=_("tệp.xlsx"), help=_("ghi các số liệu ra tệp Excel để điền"))
    files.add_argument("--import", dest="import_file", type=Path, metavar=_("tệp.xlsx"),
                       help=_("đọc số liệu từ tệp Excel (như tệp --export)"))
    parser.set_defaults(func=report_fields_command)


class FieldErrors(CommandError):
    """Every value that cannot be used, one line each; nothing has been written."""

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__(_("Không lưu gì vì có lỗi:") + "\n" + "\n".join(f"  {line}" for line in lines))
        self.lines = list(lines)


def _value(spec: FieldSpec, text: str) -> Decimal | None:
    return None if not text.strip() else fields.parse_value(spec, text)


def parse_assignments(assignments: Iterable[str], kind: UnitKind) -> dict[str, Decimal | None]:
    """"key=value" pairs checked all at once: FieldErrors names every bad one."""
    changes: dict[str, Decimal | None] = {}
    errors = []
    for item in assignments:
        key, sep, text = item.partition("=")
        try:
            if not sep:
                raise UnknownField(item)
            spec = fields.spec_for(kind, key)
            changes[spec.key] = _value(spec, text)
        except UnknownField:
            errors.append(_("“{item}”: không có số liệu “{key}”; chọn một trong: {keys}").format(
                item=item, key=key.strip(), keys=", ".join(s.key for s in fields.specs_for(kind))))
        except BadValue as bad:
            errors.append(_("“{item}”: cần {rule}").format(item=item, rule=bad))
    if errors:
        raise FieldErrors(errors)
    return changes


def _cell_value(spec: FieldSpec, value: object) -> Decimal | None:
    """A cell typed as a number is taken as such; text is read the Vietnamese way ("1.240", "86,5")."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise BadValue(str(fields.RULES[spec.kind]))
    if isinstance(value, int | float):
        return fields.check_value(spec, Decimal(str(value)))
    return fields.parse_value(spec, str(value))


def read_fields_file(path: Path, kind: UnitKind) -> dict[str, Decimal | None]:
    """The sheet's values by key, all checked: FieldErrors names every bad row."""
    from openpyxl import load_workbook  # heavy: only for the command that needs it

    if not path.is_file():
        raise CommandError(_("Không có tệp {path}.").format(path=path))
    if path.stat().st_size > MAX_FILE_BYTES:
        raise CommandError(_("Tệp {path} quá lớn cho một bảng số liệu.").format(path=path))
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # a corrupt or foreign file: openpyxl raises many kinds
        raise CommandError(_("Không đọc được tệp {path} ({error}).").format(path=path, error=type(error).__name__))
    try:
        rows = list(book.worksheets[0].iter_rows(values_only=True, max_row=200))
    finally:
        book.close()
    header = next((i for i, row in enumerate(rows)
                   if any(header_key(str(c or "")) in KEY_HEADERS for c in row)), None)
    if header is None:
        raise CommandError(_("Tệp {path} không có cột “Mã” (tệp do --export ghi ra có sẵn).").format(path=path))
    names = [header_key(str(c or "")) for c in rows[header]]
    key_at = next(i for i, n in enumerate(names) if n in KEY_HEADERS)
    value_at = next((i for i, n in enumerate(names) if n in VALUE_HEADERS), None)
    if value_at is None:
        raise CommandError(_("Tệp {path} không có cột “Giá trị”.").format(path=path))
    changes: dict[str, Decimal | None] = {}
    errors = []
    for number, row in enumerate(rows[header + 1:], start=header + 2):
        key = str(row[key_at] or "").strip() if key_at < len(row) else ""
        value = row[value_at] if value_at < len(row) else None
        if not key:
            continue
        try:
            spec = fields.spec_for(kind, key)
            changes[spec.key] = _cell_value(spec, value)
        except UnknownField:
            errors.append(_("Dòng {row}: không có số liệu “{key}”.").format(row=number, key=key))
        except BadValue as bad:
            errors.append(_("Dòng {row} ({key}): “{value}” chưa dùng được, cần {rule}.").format(
                row=number, key=key, value=value, rule=bad))
    if errors:
        raise FieldErrors(errors)
    return changes


async def export_table(session: AsyncSession, unit: OrgUnit, year: int) -> Table:
    """Every field of the unit's report, this year's value and last year's, as the sheet to fill."""
    now = await fields.values(session, unit.id, year)
    before = await fields.values(session, unit.id, year - 1)

    def cell(value: Decimal | None) -> int | float | None:
        if value is None:
            return None
        return int(value) if value == value.to_integral_value() else float(value)

    rows = tuple((spec.key, str(spec.label), str(spec.unit), cell(now.get(spec.key)), cell(before.get(spec.key)))
                 for spec in fields.specs_for(unit.kind))
    return Table(_("Số liệu báo cáo năm {year} — {unit}").format(year=year, unit=unit.name),
                 (_("Mã"), _("Số liệu"), _("Đơn vị"), _("Giá trị"), _("Năm {year}").format(year=year - 1)), rows)


async def pick_report_unit(session: AsyncSession, commune_query: str | None, query: str) -> OrgUnit:
    """`commune` (or "xã") for the commune's report, else a village by name or path."""
    commune = await pick_commune(session, commune_query)
    if fold(query) in ("commune", "xa"):
        return commune
    return await pick_unit(session, commune, query, UnitKind.VILLAGE)


def listing(unit: OrgUnit, year: int, values: Sequence[fields.FieldValue]) -> str:
    lines = [_("Số liệu báo cáo năm {year} — {unit}:").format(year=year, unit=unit.name)]
    for value in values:
        shown = value.shown or "……"
        lines.append(f"  {value.spec.key:<24} {value.spec.label}: {shown}"
                     + (f" {value.spec.unit}" if value.shown and value.spec.kind != fields.FieldKind.PERCENT else ""))
    return "\n".join(lines)


async def report_fields_command(args: argparse.Namespace, settings: Settings) -> int:
    async with open_app(settings) as app, app.sessions() as session:
        unit = await pick_report_unit(session, args.commune, args.unit)
        if args.export is not None:
            args.export.write_bytes(workbook([await export_table(session, unit, args.year)]))
            print(_("Đã ghi {path}: điền cột “Giá trị” rồi chạy lại với --import.").format(path=args.export))
            return 0
        changes = parse_assignments(args.assignments, unit.kind)
        if args.import_file is not None:
            changes = {**read_fields_file(args.import_file, unit.kind), **changes}
        if changes:
            changed = await fields.set_values(session, unit.id, unit.kind, args.year, changes, actor_id=None,
                                              actor_label="cli", now=utcnow())
            await session.commit()
            print(_("Đã lưu {count} số liệu.").format(count=len(changed)))
        print(listing(unit, args.year, await fields.report_values(session, unit.id, unit.kind, args.year)))
    return 0
