"""`gandan deadlines`: a commune's report calendar, and changing one date in it."""

from __future__ import annotations

import argparse
import calendar as pycalendar

from bot.app import open_app
from bot.commands.common import CommandError, pick_commune
from core.i18n import _, format_short_date
from core.settings import Settings
from core.text import fold
from models.base import utcnow
from models.deadlines import calendar
from models.deadlines.texts import KIND_LABELS, day_off_note, report_title
from models.labels import UNIT_KIND_LABELS


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("deadlines", help=_("xem, sửa hạn báo cáo của xã"),
                            description=_("In lịch hạn báo cáo của xã (báo cáo tháng, 6 tháng, năm) và hạn sắp tới; "
                                          "--set đổi ngày của một loại báo cáo."))
    parser.add_argument("--commune", metavar=_("xã"), help=_("mã hoặc tên xã (khi có nhiều xã)"))
    parser.add_argument("--set", dest="kind", metavar=_("loại"), type=_kind,
                        help=_("loại báo cáo cần đổi hạn: {kinds}").format(kinds=_kinds_text()))
    parser.add_argument("--day", type=_number, metavar=_("ngày"), help=_("ngày trong tháng (1–31)"))
    parser.add_argument("--month", type=_number, metavar=_("tháng"), help=_("tháng (báo cáo 6 tháng và năm)"))
    parser.set_defaults(func=deadlines_command)


def _kinds_text() -> str:
    return ", ".join(f"{kind} ({KIND_LABELS[kind]})" for kind in calendar.KINDS)


def _kind(text: str) -> str:
    """A kind of report by its code or its label, diacritics and case aside ("bao cao thang")."""
    key = fold(text).replace("_", " ")
    labels = {kind: fold(str(KIND_LABELS[kind])) for kind in calendar.KINDS}
    exact = [kind for kind, label in labels.items() if key in (kind.replace("_", " "), label)]
    starts = [kind for kind, label in labels.items() if key and label.startswith(key)]
    if exact or len(starts) == 1:
        return (exact or starts)[0]
    raise argparse.ArgumentTypeError(_("không có loại báo cáo “{text}”; chọn một trong: {kinds}").format(
        text=text, kinds=_kinds_text()))


def _number(text: str) -> int:
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(_("“{text}” không phải một số").format(text=text))
    return int(text)


def check_edit(kind: str | None, day: int | None, month: int | None) -> None:
    """What is wrong with a --set, --day, --month combination, in the words that say how to fix it."""
    if kind is None:
        if day is not None or month is not None:
            raise CommandError(_("--day và --month chỉ dùng cùng --set, ví dụ: --set monthly_team --day 28."))
        return
    label = KIND_LABELS[kind]
    monthly = calendar.DEFAULTS[kind][1] is None
    if monthly and month is not None:
        raise CommandError(_("{kind} đến hạn hằng tháng: bỏ --month, chỉ ghi --day.").format(kind=label))
    if not monthly and month is None:
        raise CommandError(_("{kind} đến hạn mỗi năm một lần: ghi cả --month và --day, ví dụ --month 6 --day 10.")
                           .format(kind=label))
    if day is None:
        raise CommandError(_("--set cần --day (và --month với báo cáo 6 tháng, năm)."))
    if month is not None and not 1 <= month <= 12:
        raise CommandError(_("--month phải từ 1 đến 12, nhận được {month}.").format(month=month))
    last = 31 if month is None else pycalendar.monthrange(2024, month)[1]
    if not 1 <= day <= last:
        if month is None:
            raise CommandError(_("--day phải từ 1 đến 31 (ngày quá cuối tháng là ngày cuối tháng), nhận được {day}.")
                               .format(day=day))
        raise CommandError(_("Tháng {month} có {last} ngày: --day phải từ 1 đến {last}, nhận được {day}.").format(
            month=month, last=last, day=day))


async def deadlines_command(args: argparse.Namespace, settings: Settings) -> int:
    check_edit(args.kind, args.day, args.month)
    today = utcnow().astimezone(settings.tz).date()
    async with open_app(settings) as app, app.sessions() as session:
        commune = await pick_commune(session, args.commune)
        await calendar.ensure_defaults(session, commune)
        if args.kind:
            await calendar.set_deadline(session, commune, args.kind, day=args.day, month=args.month,
                                         actor_label="cli")
        rows = await calendar.deadlines(session, commune, active_only=False)
        await session.commit()
    print(_("Hạn báo cáo của {commune}:").format(commune=commune.name))
    for row in rows:
        when = (_("ngày {day} hằng tháng").format(day=row.day) if row.month is None
                else _("ngày {day}/{month} hằng năm").format(day=row.day, month=row.month))
        period, due = calendar.next_period(row, today)
        note = day_off_note(due)
        print(_("  {kind}: {level}, {when}; kỳ tới: {report}, hạn {due}{note}").format(
            kind=KIND_LABELS[row.kind], level=UNIT_KIND_LABELS[row.level], when=when, report=report_title(row.kind, period),
            due=format_short_date(due), note=f" ({note})" if note else ""))
    return 0
