"""`gandan import roster|households FILE`: load a commune's roster or households from a spreadsheet."""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import open_app
from bot.commands.common import pick_commune, role_names
from bot.tabular import Table, TableError, read_table
from core.i18n import _
from core.settings import Settings
from models.base import utcnow
from models.households.importer import HOUSEHOLD_COLUMNS, import_households
from models.roster.importer import ROSTER_COLUMNS, import_roster
from models.roster.rows import (
    Column,
    ImportRejected,
    ImportReport,
    RowError,
    SourceRow,
    alias_table,
    default_headers,
)
from models.tables import OrgUnit

Importer = Callable[..., Awaitable[ImportReport]]


@dataclass(frozen=True)
class _Kind:
    columns: Sequence[Column]
    importer: Importer
    summary: Callable[[ImportReport, OrgUnit], list[str]]
    extra: bool = False  # keep columns no field names (household attributes)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("import", help=_("nhập danh sách tổ hoặc danh sách hộ từ tệp .xlsx/.csv"),
                            description=_("Nhập danh sách từ tệp Excel (.xlsx) hoặc CSV (UTF-8). Mọi dòng được "
                                          "kiểm tra trước; có dòng sai thì không ghi gì cả."))
    inner = parser.add_subparsers(dest="what", metavar=_("loại"), required=True)
    for name, help_text, handler in (
        ("roster", _("thôn, tổ, nhóm và thành viên với vai trò"), roster_command),
        ("households", _("hộ gia đình, nhóm và người phụ trách (nhập danh sách tổ trước)"), households_command),
    ):
        command = inner.add_parser(name, help=help_text, description=help_text)
        command.add_argument("file", metavar=_("tệp"), help=_("tệp .xlsx hoặc .csv (UTF-8)"))
        command.add_argument("--commune", metavar=_("mã_hoặc_tên"),
                             help=_("xã/phường cần nhập (mặc định: xã/phường duy nhất đã thiết lập)"))
        command.set_defaults(func=handler)


async def roster_command(args: argparse.Namespace, settings: Settings) -> int:
    importer = functools.partial(import_roster, tz=settings.tz, default_locale=settings.default_locale)
    return await _run(args, settings, _Kind(ROSTER_COLUMNS, importer, _roster_summary))


async def households_command(args: argparse.Namespace, settings: Settings) -> int:
    return await _run(args, settings, _Kind(HOUSEHOLD_COLUMNS, import_households, _household_summary, extra=True))


async def _run(args: argparse.Namespace, settings: Settings, kind: _Kind) -> int:
    """Reads the file first (cheap errors before the database), then applies it in one transaction."""
    try:
        table = read_table(Path(args.file), alias_table(kind.columns),
                           [c.key for c in kind.columns if c.required], extra=kind.extra)
    except TableError as error:
        print(_table_problem(error, default_headers(kind.columns)), file=sys.stderr)
        return 1
    async with open_app(settings) as app, app.sessions() as session:
        commune = await pick_commune(session, args.commune)
        report = await _apply(session, commune, table, kind)
        if report is None:
            return 1
        await session.commit()
    for line in kind.summary(report, commune):
        print(line)
    return 0


async def _apply(session: AsyncSession, commune: OrgUnit, table: Table, kind: _Kind) -> ImportReport | None:
    rows: list[SourceRow] = table.rows
    try:
        return await kind.importer(session, commune, rows, now=utcnow(), headers=table.headers,
                                   actor_label="cli")
    except ImportRejected as rejected:
        await session.rollback()
        for error in rejected.errors:
            print(error_line(error), file=sys.stderr)
        print(_("Tệp bị từ chối: không có gì được ghi."), file=sys.stderr)
        return None


def error_line(error: RowError) -> str:
    if error.column is None:
        return _("Dòng {row}: {problem}").format(row=error.row, problem=problem(error))
    return _("Dòng {row}, cột “{column}”: {problem}").format(row=error.row, column=error.column,
                                                            problem=problem(error))


def problem(error: RowError) -> str:
    """The row error in words; only a rejected value is echoed back, never other people's data."""
    messages = {
        "required": _("ô bắt buộc đang để trống"),
        "too_long": _("nội dung quá dài"),
        "no_rows": _("tệp không có dòng dữ liệu nào"),
        "bad_phone": _("“{value}” không phải số điện thoại Việt Nam (10 chữ số, bắt đầu bằng 0)"),
        "unknown_role": _("không hiểu vai trò “{value}”; dùng: {roles}"),
        "village_required": _("vai trò này cần ghi thôn/tổ dân phố"),
        "nhom_required": _("thành viên và nhóm trưởng cần ghi nhóm"),
        "conflicting_team": _("tên tổ “{value}” khác tên tổ của cùng thôn ở dòng trên (mỗi thôn một tổ)"),
        "conflicting_name": _("số điện thoại này đã ghi cho một người tên khác ở dòng trên"),
        "conflicting_phone": _("cùng họ tên với một dòng trên nhưng khác số điện thoại “{value}”; nếu là hai "
                               "người trùng tên, thêm chữ phân biệt vào họ tên"),
        "ambiguous_person": _("có nhiều người tên “{value}” trong xã; ghi thêm số điện thoại để phân biệt"),
        "phone_in_other_commune": _("số điện thoại “{value}” đã thuộc về một người ở xã/phường khác"),
        "duplicate_row": _("trùng với dòng {value}"),
        "duplicate_code": _("mã hộ “{value}” đã có ở dòng trên"),
        "unknown_village": _("không có thôn/tổ dân phố “{value}” trong xã; nhập danh sách tổ trước "
                             "(gandan import roster)"),
        "unknown_nhom": _("không có nhóm “{value}” trong thôn này; nhập danh sách tổ trước (gandan import roster)"),
        "unknown_member": _("“{value}” không phải thành viên đang hoạt động của nhóm này"),
        "ambiguous_member": _("nhóm có nhiều thành viên tên “{value}”; ghi số điện thoại thay cho tên"),
    }
    return messages.get(error.code, error.code).format(value=error.value or "", roles=role_names())


def _table_problem(error: TableError, headers: Mapping[str, str]) -> str:
    if error.code == "missing_header":
        missing = ", ".join(f"“{headers.get(key, key)}”" for key in error.keys)
        return _("Tệp thiếu cột: {columns}. Xem tệp mẫu trong thư mục examples/.").format(columns=missing)
    messages = {
        "unsupported_format": _("Chỉ đọc được tệp .xlsx hoặc .csv (tệp đã cho: “{detail}”). Tệp .xls cũ: mở "
                                "bằng Excel và lưu lại dạng .xlsx."),
        "not_found": _("Không tìm thấy tệp “{detail}”."),
        "unreadable": _("Không đọc được tệp: tệp hỏng hoặc không đúng định dạng ({detail})."),
        "encoding": _("Tệp CSV không phải UTF-8; trong Excel chọn lưu dạng “CSV UTF-8”."),
        "empty": _("Tệp không có dữ liệu."),
        "duplicate_header": _("Cột “{detail}” xuất hiện hai lần."),
        "too_many_rows": _("Tệp có hơn {detail} dòng: chia thành nhiều tệp nhỏ hơn rồi nhập lần lượt."),
        "too_large": _("Tệp quá lớn (khi giải nén vượt {detail}): chia thành nhiều tệp nhỏ hơn rồi nhập lần lượt."),
    }
    return messages.get(error.code, error.code).format(detail=error.detail)


def _roster_summary(report: ImportReport, commune: OrgUnit) -> list[str]:
    c = report.counts
    return [
        _("Đã nhập danh sách tổ của {commune}: {rows} dòng.").format(commune=commune.name, rows=report.rows),
        _("Đơn vị mới: {villages} thôn/tổ dân phố, {teams} tổ, {nhom} nhóm.").format(
            villages=c["village_created"], teams=c["team_created"], nhom=c["nhom_created"]),
        _("Người: {created} mới, {updated} cập nhật.").format(created=c["people_created"],
                                                            updated=c["people_updated"]),
        _("Vai trò: {added} thêm, {ended} kết thúc, {unchanged} giữ nguyên.").format(
            added=c["memberships_added"], ended=c["memberships_ended"], unchanged=c["memberships_unchanged"]),
        *([_("{count} hộ không còn người phụ trách: tổ trưởng được nhắn để giao cho thành viên khác.").format(
            count=c["households_released"])] if c["households_released"] else []),
    ]


def _household_summary(report: ImportReport, commune: OrgUnit) -> list[str]:
    c = report.counts
    return [
        _("Đã nhập danh sách hộ của {commune}: {rows} dòng.").format(commune=commune.name, rows=report.rows),
        _("Hộ: {created} mới, {updated} cập nhật, {unchanged} giữ nguyên; {absent} hộ không có trong tệp "
          "được giữ nguyên.").format(created=c["households_created"], updated=c["households_updated"],
                                     unchanged=c["households_unchanged"], absent=c["not_in_file"]),
        *([_("Các cột khác của tệp: {count} ô đánh dấu được giữ, để chọn hộ cho cuộc vận động.").format(
            count=c["attributes"])] if "attributes" in c else []),
    ]
