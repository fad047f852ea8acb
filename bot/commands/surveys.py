"""`gandan survey import F.xlsx --commune C` (an XLSForm) and `gandan survey results ID [--out F.xlsx]`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from bot.app import open_app
from bot.commands.common import CommandError, pick_commune
from bot.commands.roster.imports import _table_problem
from bot.tabular import TableError, read_sheets
from core.i18n import _, format_date
from core.settings import Settings
from models.base import utcnow
from models.meetings.calendar import local_moment
from models.surveys import forms, media
from models.surveys.results import results
from models.surveys.tables import Respondents
from models.surveys.texts import results_text
from models.surveys.xlsform import FormInvalid, parse

DEFAULT_DAYS = 14


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("survey", help=_("khảo sát: nhập mẫu XLSForm, xem kết quả"),
                            description=_("Khảo sát đời sống: nhập một khảo sát từ tệp Excel mẫu XLSForm, "
                                          "xem kết quả theo thôn."))
    inner = parser.add_subparsers(dest="action", metavar=_("thao_tác"), required=True)
    load = inner.add_parser("import", help=_("nhập khảo sát từ tệp .xlsx (trang survey và choices)"),
                            description=_("Kiểm tra toàn bộ tệp trước; có lỗi thì không nhập gì và in lỗi theo "
                                          "trang và dòng."))
    load.add_argument("file", metavar=_("TỆP.xlsx"))
    load.add_argument("--commune", metavar=_("xã"), help=_("mã hoặc tên xã (khi có nhiều xã)"))
    load.add_argument("--for", dest="respondents", choices=[r.value for r in Respondents],
                      default=Respondents.HOUSEHOLDS.value,
                      help=_("households: tổ viên hỏi các hộ; people: gửi tới tổ viên và lãnh đạo"))
    load.add_argument("--deadline", metavar=_("NGÀY"),
                      help=_("hạn trả lời, dạng 2026-12-31 (mặc định: sau {days} ngày)").format(days=DEFAULT_DAYS))
    load.set_defaults(func=import_command)
    show = inner.add_parser("results", help=_("kết quả một khảo sát"),
                            description=_("In số phiếu và tỷ lệ theo từng lựa chọn, theo thôn; --out ghi tệp .xlsx."))
    show.add_argument("survey_id", type=int, metavar="ID")
    show.add_argument("--out", metavar=_("TỆP.xlsx"))
    show.set_defaults(func=results_command)


def _deadline_day(text: str | None, today: dt.date) -> dt.date:
    if text is None:
        return today + dt.timedelta(days=DEFAULT_DAYS)
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("Hạn “{text}” không phải ngày dạng 2026-12-31.").format(text=text)) from None
    if day < today:
        raise CommandError(_("Hạn {date} đã qua.").format(date=format_date(day)))
    return day


async def import_command(args: argparse.Namespace, settings: Settings) -> int:
    """The whole file checked first; nothing stored unless every sheet and row is right."""
    path = Path(args.file)
    now = utcnow()
    day = _deadline_day(args.deadline, now.astimezone(settings.tz).date())
    try:
        sheets = read_sheets(path)
    except TableError as error:
        print(_table_problem(error, {}), file=sys.stderr)
        return 1
    try:
        draft = parse(sheets, path.stem, Respondents(args.respondents))
    except FormInvalid as invalid:
        print(_("Tệp có {count} lỗi; chưa nhập gì:").format(count=len(invalid.errors)), file=sys.stderr)
        for error in invalid.errors:
            print("  " + str(error), file=sys.stderr)
        return 1
    async with open_app(settings) as app, app.sessions() as session:
        commune = await pick_commune(session, args.commune)
        survey = await forms.create_survey(session, draft, commune_id=commune.id,
                                           deadline=local_moment(day, 23, 59, settings.tz), author_id=None, now=now)
        await session.commit()
    print(_("Đã nhập khảo sát “{title}” (số {id}) cho {commune}: {count} câu hỏi, hạn hết {date}.").format(
        title=survey.title, id=survey.id, commune=commune.name, count=len(draft.questions), date=format_date(day)))
    return 0


async def results_command(args: argparse.Namespace, settings: Settings) -> int:
    async with open_app(settings) as app, app.sessions() as session:
        found = await results(session, args.survey_id)
    if found is None:
        raise CommandError(_("Không có khảo sát số {id}.").format(id=args.survey_id))
    print(results_text(found))
    if args.out:
        out = Path(args.out)
        out.write_bytes(media.spreadsheet(found))
        print(_("Đã ghi {path}.").format(path=out))
    return 0
