"""`gandan deadlines`: a commune's report calendar, and changing one date in it."""

from __future__ import annotations

import argparse

from bot.app import open_app
from bot.commands.common import pick_commune
from core.i18n import _, format_short_date
from core.settings import Settings
from models.base import utcnow
from models.deadlines import calendar
from models.deadlines.texts import day_off_note, report_title
from models.labels import UNIT_KIND_LABELS


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("deadlines", help=_("xem, sửa hạn báo cáo của xã"),
                            description=_("In lịch hạn báo cáo của xã (báo cáo tháng, 6 tháng, năm) và hạn sắp tới; "
                                          "--set đổi ngày của một loại báo cáo."))
    parser.add_argument("--commune", metavar=_("xã"), help=_("mã hoặc tên xã (khi có nhiều xã)"))
    parser.add_argument("--set", dest="kind", choices=calendar.KINDS, help=_("loại báo cáo cần đổi hạn"))
    parser.add_argument("--day", type=int, metavar=_("ngày"), help=_("ngày trong tháng (1–31)"))
    parser.add_argument("--month", type=int, metavar=_("tháng"), help=_("tháng (báo cáo 6 tháng và năm)"))
    parser.set_defaults(func=deadlines_command)


async def deadlines_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.kind and args.day is None:
        print(_("--set cần --day (và --month với báo cáo 6 tháng, năm)."))
        return 2
    today = utcnow().astimezone(settings.tz).date()
    async with open_app(settings) as app, app.sessions() as session:
        commune = await pick_commune(session, args.commune)
        await calendar.ensure_defaults(session, commune)
        if args.kind:
            try:
                await calendar.set_deadline(session, commune, args.kind, day=args.day, month=args.month,
                                             actor_label="cli")
            except calendar.BadDeadline:
                print(_("Ngày hoặc tháng không hợp lệ cho loại báo cáo này (báo cáo tháng không có --month)."))
                return 2
        rows = await calendar.deadlines(session, commune, active_only=False)
        await session.commit()
    print(_("Hạn báo cáo của {commune}:").format(commune=commune.name))
    for row in rows:
        when = (_("ngày {day} hằng tháng").format(day=row.day) if row.month is None
                else _("ngày {day}/{month} hằng năm").format(day=row.day, month=row.month))
        period, due = calendar.next_period(row, today)
        note = day_off_note(due)
        print(_("  {kind}: {level}, {when}; kỳ tới: {report}, hạn {due}{note}").format(
            kind=row.kind, level=UNIT_KIND_LABELS[row.level], when=when, report=report_title(row.kind, period),
            due=format_short_date(due), note=f" ({note})" if note else ""))
    return 0
