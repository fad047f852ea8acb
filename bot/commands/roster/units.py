"""`gandan units`: the commune's tree with people and households per unit; a team's founding date."""

from __future__ import annotations

import argparse
import datetime as dt

from bot.app import open_app
from bot.commands.common import CommandError, pick_commune, pick_unit
from core.i18n import _, format_short_date
from core.settings import Settings
from models.reports.founding import NoTeam, set_founded
from models.units.counts import unit_counts
from models.units.tree import descendants

UNSET = object()  # --founded not given (None: given as "-", to clear the date)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("units", help=_("xem cây đơn vị của xã"),
                            description=_("In cây đơn vị của xã: thôn, tổ, nhóm, số người và số hộ."))
    parser.add_argument("--commune", metavar=_("xã"), help=_("mã hoặc tên xã (khi có nhiều xã)"))
    parser.add_argument("--unit", metavar=_("đơn vị"), help=_("thôn hoặc tổ cần ghi ngày thành lập (với --founded)"))
    parser.add_argument("--founded", type=_day, default=UNSET, metavar=_("ngày"),
                        help=_("ngày quyết định thành lập tổ, ví dụ 15/3/2024 (“-” để xóa); dùng cho báo cáo sơ kết, "
                               "tổng kết"))
    parser.set_defaults(func=units_command)


def _day(text: str) -> dt.date | None:
    """"15/3/2024" or "2024-03-15"; "-" clears the date."""
    if text.strip() == "-":
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(_("“{text}” không phải một ngày; gõ ví dụ 15/3/2024").format(text=text))


async def units_command(args: argparse.Namespace, settings: Settings) -> int:
    if (args.unit is None) != (args.founded is UNSET):
        raise CommandError(_("--unit và --founded đi cùng nhau: thôn và ngày thành lập tổ của thôn."))
    async with open_app(settings) as app, app.sessions() as session:
        commune = await pick_commune(session, args.commune)
        if args.unit is not None:
            try:
                team = await set_founded(session, await pick_unit(session, commune, args.unit, None), args.founded,
                                         actor_label="cli")
            except NoTeam as error:
                raise CommandError(_("Thôn {name} chưa có (hoặc có nhiều) Tổ Dân vận cộng đồng.").format(
                    name=error)) from None
            await session.commit()
        counts = await unit_counts(session, commune)
        units = [commune, *await descendants(session, commune)]
    if args.unit is not None:
        when = format_short_date(team.founded_on) if team.founded_on else _("chưa ghi")
        print(_("Đã ghi ngày thành lập của {name}: {day}.").format(name=team.name, day=when))
        return 0
    for unit in units:
        people, households = counts.get(unit.id, (0, 0))
        indent = "  " * (unit.depth - commune.depth)
        line = _("{indent}{name}  — {people} người").format(indent=indent, name=unit.name, people=people)
        if households:
            line += _(", {households} hộ").format(households=households)
        if unit.founded_on:
            line += _(", thành lập {day}").format(day=format_short_date(unit.founded_on))
        print(line)
    return 0
