"""`gandan evaluation`: the yearly ranking of the teams, their rubric in and out of a spreadsheet,
and the criteria scored by hand from one.

    gandan evaluation --year 2026 [--commune C] [--out F.xlsx]
    gandan evaluation rubric --export F.xlsx [--commune C]
    gandan evaluation rubric --import F.xlsx --commune C
    gandan evaluation scores --import F.xlsx --commune C [--year 2026]

Without --commune in a database of several communes, every commune is ranked and then all the
province's teams together. An import is checked whole and stored only when every row is right.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError

from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import open_app
from bot.commands.common import CommandError, pick_commune
from bot.tabular import MAX_UNPACKED_BYTES
from core.i18n import _
from core.settings import Settings
from models.base import utcnow
from models.enums import UnitKind
from models.evaluation import compute, hand_sheets, rubric as rubrics, rubric_sheets
from models.evaluation.rubric import BadRubric, RowError
from models.evaluation.scoring import ranked
from models.evaluation.tables import province_table, ranking_table, rubric_tables, scorecards_table
from models.evaluation.texts import province_text, ranking_text
from models.tables import OrgUnit
from models.units import tree
from reports.spreadsheet import workbook
from reports.tables import Table


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("evaluation", help=_("đánh giá, xếp loại Tổ Dân vận cộng đồng trong năm"),
                            description=_("In bảng xếp loại các Tổ Dân vận cộng đồng của năm (điểm, mức xếp loại, "
                                          "đề nghị khen thưởng); --out ghi thêm tệp .xlsx."))
    parser.add_argument("--year", type=_year, metavar=_("năm"), help=_("năm đánh giá (mặc định: năm nay)"))
    parser.add_argument("--commune", metavar=_("xã"), help=_("mã hoặc tên xã (mặc định: mọi xã, và cả tỉnh)"))
    parser.add_argument("--out", metavar=_("tệp.xlsx"), help=_("ghi bảng xếp loại và điểm chi tiết ra tệp .xlsx"))
    parser.set_defaults(func=ranking_command)
    inner = parser.add_subparsers(dest="what", metavar=_("việc"))
    rubric = inner.add_parser("rubric", help=_("xuất hoặc nhập bộ tiêu chí (.xlsx)"),
                              description=_("Xuất bộ tiêu chí đang dùng ra .xlsx, hoặc nhập bộ tiêu chí của xã từ "
                                            "tệp đó (kiểm tra cả tệp; có dòng sai thì không ghi gì)."))
    group = rubric.add_mutually_exclusive_group(required=True)
    group.add_argument("--export", metavar=_("tệp.xlsx"), help=_("ghi bộ tiêu chí ra tệp"))
    group.add_argument("--import", dest="import_", metavar=_("tệp.xlsx"), help=_("nhập bộ tiêu chí từ tệp"))
    rubric.add_argument("--commune", metavar=_("xã"), help=_("mã hoặc tên xã"))
    rubric.set_defaults(func=rubric_command)
    scores = inner.add_parser("scores", help=_("nhập điểm các tiêu chí chấm tay (.xlsx)"),
                              description=_("Nhập điểm tiêu chí chấm tay từ trang “Chấm tay” của tệp "
                                            "gandan evaluation --out (kiểm tra cả tệp; có dòng sai thì không ghi gì)."))
    scores.add_argument("--import", dest="import_", required=True, metavar=_("tệp.xlsx"), help=_("tệp đã điền điểm"))
    scores.add_argument("--commune", metavar=_("xã"), help=_("mã hoặc tên xã"))
    scores.add_argument("--year", type=_year, metavar=_("năm"), help=_("năm đánh giá (mặc định: năm nay)"))
    scores.set_defaults(func=scores_command)


def _year(text: str) -> int:
    if not text.strip().isdigit() or not 2000 <= int(text) <= 2100:
        raise argparse.ArgumentTypeError(_("“{text}” không phải một năm (2000–2100)").format(text=text))
    return int(text)


async def _communes(session: AsyncSession, query: str | None) -> list[OrgUnit]:
    if query:
        return [await pick_commune(session, query)]
    found = list(await tree.communes(session))
    if not found:
        await pick_commune(session, None)  # says how to set one up
    return found


async def ranking_command(args: argparse.Namespace, settings: Settings) -> int:
    now = utcnow()
    year = args.year or now.astimezone(settings.tz).year
    async with open_app(settings) as app, app.sessions() as session:
        communes = await _communes(session, args.commune)
        evaluations = await compute.evaluate_many(session, communes, year, settings.tz, now)
        province = None
        if len(communes) > 1:
            root = await tree.ancestor(session, communes[0], UnitKind.PROVINCE)
            if root is not None and all(c.path.startswith(root.path) for c in communes):
                province = compute.Province(root.id, root.name, year, tuple(evaluations),
                                            ranked([c for e in evaluations for c in e.cards]))
        sheet = await hand_sheets.sheet(session, evaluations, year) if args.out else None
    for evaluation in evaluations:
        print(ranking_text(evaluation))
        print()
    if province is not None:
        print(province_text(province))
    if args.out:
        tables: list[Table] = [province_table(province)] if province is not None else []
        for evaluation in evaluations:
            tables += [ranking_table(evaluation), scorecards_table(evaluation)]
        if sheet is not None:
            tables.append(sheet)
        _write(Path(args.out), tables)
    return 0


def _write(path: Path, tables: list[Table]) -> None:
    if path.suffix.lower() != ".xlsx":
        raise CommandError(_("Tệp ghi ra phải có đuôi .xlsx: “{path}”.").format(path=path))
    try:
        path.write_bytes(workbook(tables))
    except OSError as error:
        raise CommandError(_("Không ghi được tệp “{path}”: {reason}").format(path=path, reason=error.strerror)) from None
    print(_("Đã ghi {path}.").format(path=path))


def read_sheets(path: Path) -> list[list[tuple[int, tuple]]]:
    """Every sheet of an .xlsx as numbered rows of cells; CommandError when the file cannot be read."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if path.suffix.lower() != ".xlsx":
        raise CommandError(_("Cần tệp .xlsx (như tệp đã xuất): “{path}”.").format(path=path))
    try:
        with zipfile.ZipFile(path) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise CommandError(_("Tệp “{path}” quá lớn.").format(path=path))
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, ParseError):
        raise CommandError(_("Không đọc được tệp “{path}” (không phải tệp .xlsx hợp lệ).").format(path=path)) from None
    try:
        return [[(number, tuple(row)) for number, row in enumerate(sheet.iter_rows(values_only=True), 1)]
                for sheet in book.worksheets]
    finally:
        book.close()


def _refuse(errors: tuple[RowError, ...]) -> int:
    for error in errors:
        print(str(error), file=sys.stderr)
    print(_("Tệp bị từ chối: không có gì được ghi."), file=sys.stderr)
    return 2


async def rubric_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.import_ and not args.commune:
        raise CommandError(_("--import cần --commune: bộ tiêu chí được ghi cho xã nào."))
    sheets = read_sheets(Path(args.import_)) if args.import_ else None
    async with open_app(settings) as app, app.sessions() as session:
        commune = await pick_commune(session, args.commune)
        if sheets is None:
            current = await rubrics.rubric_for(session, commune)
            _write(Path(args.export), rubric_tables(current))
            if current.sample:
                print(str(rubrics.SAMPLE_NOTE))
            return 0
        try:
            parsed = rubric_sheets.parse(sheets)
        except BadRubric as bad:
            return _refuse(bad.errors)
        await rubrics.save(session, commune, parsed, actor_label="cli")
        await session.commit()
    print(_("Đã lưu bộ tiêu chí của {commune}: {criteria} tiêu chí, {bands} mức xếp loại.").format(
        commune=commune.name, criteria=len(parsed.criteria), bands=len(parsed.bands)))
    return 0


async def scores_command(args: argparse.Namespace, settings: Settings) -> int:
    sheets = read_sheets(Path(args.import_))
    now = utcnow()
    year = args.year or now.astimezone(settings.tz).year
    async with open_app(settings) as app, app.sessions() as session:
        commune = await pick_commune(session, args.commune)
        try:
            count = await hand_sheets.apply(session, commune, year, sheets, now=now)
        except BadRubric as bad:
            return _refuse(bad.errors)
        await session.commit()
    print(_("Đã ghi {count} điểm chấm tay cho {commune}, năm {year}.").format(count=count, commune=commune.name,
                                                                              year=year))
    return 0


