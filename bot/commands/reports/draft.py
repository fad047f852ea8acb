"""`gandan report`: an official report's Word draft for a village or the commune, and the commune's template."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.app import open_app
from bot.commands.common import CommandError, pick_commune, pick_unit
from bot.commands.reports import fields as report_fields
from core.i18n import _
from core.settings import Settings
from models.base import utcnow
from models.enums import UnitKind
from models.report_docs import drafts, templates
from models.report_docs.texts import KIND_LABELS, draft_text
from reports.official import ReportKind
from reports.templates.build_default import default_template
from reports.word import TemplateRefused

COMMUNE_WORDS = ("commune", "xa", "xã")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("report", help=_("làm dự thảo báo cáo (Word) của thôn hoặc xã; mẫu báo cáo"),
                            description=_("Làm dự thảo báo cáo 6 tháng, năm, sơ kết 3 năm, tổng kết 5 năm thành "
                                          "tệp Word theo thể thức văn bản của Đảng; xuất hoặc thay mẫu của xã."))
    inner = parser.add_subparsers(dest="what", metavar=_("loại"), required=True)
    for kind, label in KIND_LABELS.items():
        command = inner.add_parser(kind.value, help=str(label), description=str(label))
        command.add_argument("--unit", required=True, metavar=_("đơn_vị"),
                             help=_("tên thôn (ví dụ “Đồng Tâm”) hoặc “commune” cho báo cáo của xã"))
        command.add_argument("--year", type=_year, metavar=_("năm"), help=_("năm báo cáo (mặc định: năm nay)"))
        command.add_argument("--out", metavar=_("tệp"), help=_("tệp .docx ghi ra (mặc định: tên theo báo cáo)"))
        command.add_argument("--commune", metavar=_("xã"), help=_("mã hoặc tên xã (khi có nhiều xã)"))
        command.set_defaults(func=report_command, kind=kind)
    template = inner.add_parser("template", help=_("xuất mẫu báo cáo, hoặc dùng mẫu riêng của xã"),
                                description=_("--export ghi mẫu Word đang dùng (của xã, nếu có; không thì mẫu "
                                              "mặc định) để sửa trong Word; --use lưu mẫu đã sửa cho xã sau "
                                              "khi kiểm tra."))
    action = template.add_mutually_exclusive_group(required=True)
    action.add_argument("--export", metavar=_("tệp"), help=_("ghi mẫu ra tệp .docx"))
    action.add_argument("--use", metavar=_("tệp"), help=_("tệp .docx làm mẫu của xã"))
    template.add_argument("--commune", metavar=_("xã"), help=_("mã hoặc tên xã (khi có nhiều xã)"))
    template.set_defaults(func=template_command)
    report_fields.register(inner)


def _year(text: str) -> int:
    if not (text.strip().isdigit() and 2000 <= int(text) <= 2100):
        raise argparse.ArgumentTypeError(_("“{text}” không phải một năm (ví dụ 2026)").format(text=text))
    return int(text)


async def report_command(args: argparse.Namespace, settings: Settings) -> int:
    now = utcnow()
    today = now.astimezone(settings.tz).date()
    kind: ReportKind = args.kind
    async with open_app(settings) as app, app.sessions() as session:
        commune = await pick_commune(session, args.commune)
        query = args.unit.strip()
        if query.casefold() in COMMUNE_WORDS:
            unit = commune
        else:
            unit = await pick_unit(session, commune, query, UnitKind.VILLAGE)
            if unit.kind != UnitKind.VILLAGE:
                raise CommandError(_("“{query}” không phải một thôn; ghi tên thôn hoặc “commune”.").format(
                    query=query))
        draft = await drafts.make(session, unit, kind, args.year or today.year, today=today, now=now)
        await session.commit()
    out = Path(args.out or draft.filename)
    try:
        out.write_bytes(draft.data)
    except OSError as error:
        raise CommandError(_("Không ghi được tệp “{path}”: {error}").format(path=out, error=error.strerror)) \
            from error
    print(draft_text(draft.report, unit.name, draft.version))
    print(_("Đã ghi: {path}").format(path=out))
    return 0


async def template_command(args: argparse.Namespace, settings: Settings) -> int:
    async with open_app(settings) as app, app.sessions() as session:
        commune = await pick_commune(session, args.commune)
        if args.export:
            row = await templates.stored(session, commune.id)
            data = row.data if row is not None else default_template()
            try:
                Path(args.export).write_bytes(data)
            except OSError as error:
                raise CommandError(_("Không ghi được tệp “{path}”: {error}").format(
                    path=args.export, error=error.strerror)) from error
            which = _("mẫu riêng của {commune}").format(commune=commune.name) if row else _("mẫu mặc định")
            print(_("Đã ghi {which}: {path}").format(which=which, path=args.export))
            return 0
        path = Path(args.use)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(_("Không đọc được tệp “{path}”: {error}").format(path=path, error=error.strerror)) \
                from error
        if len(data) > templates.MAX_BYTES:
            raise CommandError(_("Tệp mẫu quá lớn ({size} MB, tối đa 5 MB).").format(size=len(data) // 2**20))
        try:
            await templates.use(session, commune, data, filename=path.name, now=utcnow())
        except TemplateRefused as error:
            raise CommandError(_("Không dùng được mẫu “{path}”: {reason}").format(path=path, reason=error)) \
                from error
        await session.commit()
    print(_("Đã lưu mẫu báo cáo của {commune}: {path}").format(commune=commune.name, path=path.name))
    return 0
