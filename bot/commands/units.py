"""`gandan units`: the commune's tree with people and households per unit."""

from __future__ import annotations

import argparse

from bot.app import open_app
from bot.commands.common import pick_commune
from core.i18n import _
from core.settings import Settings
from models.units.counts import unit_counts
from models.units.tree import descendants


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("units", help=_("xem cây đơn vị của xã"),
                            description=_("In cây đơn vị của xã: thôn, tổ, nhóm, số người và số hộ."))
    parser.add_argument("--commune", metavar=_("xã"), help=_("mã hoặc tên xã (khi có nhiều xã)"))
    parser.set_defaults(func=units_command)


async def units_command(args: argparse.Namespace, settings: Settings) -> int:
    async with open_app(settings) as app, app.sessions() as session:
        commune = await pick_commune(session, args.commune)
        counts = await unit_counts(session, commune)
        units = [commune, *await descendants(session, commune)]
    for unit in units:
        people, households = counts.get(unit.id, (0, 0))
        indent = "  " * (unit.depth - commune.depth)
        line = _("{indent}{name}  — {people} người").format(indent=indent, name=unit.name, people=people)
        if households:
            line += _(", {households} hộ").format(households=households)
        print(line)
    return 0
