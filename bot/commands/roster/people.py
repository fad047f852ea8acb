"""`gandan people`: who is in the roster, with their roles and the apps they use."""

from __future__ import annotations

import argparse

from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import open_app
from bot.commands.common import pick_commune, pick_unit, role_names, role_or_error
from core.i18n import _
from core.settings import Settings
from models.enums import Channel, UnitKind
from models.labels import ROLE_LABELS
from models.people.listing import Listed, list_people
from models.tables import OrgUnit
from models.units import tree

APP_NAMES = {Channel.TELEGRAM: "Telegram", Channel.ZALO: "Zalo"}


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("people", help=_("xem danh sách người, vai trò và ứng dụng họ dùng"),
                            description=_("In những người của xã với vai trò, đơn vị và ứng dụng (Telegram, Zalo) "
                                          "họ dùng; tìm theo tên (không phân biệt dấu, hoa thường, dấu câu) hoặc "
                                          "số điện thoại."))
    parser.add_argument("search", nargs="*", metavar=_("tìm"), help=_("một phần họ tên hoặc số điện thoại"))
    parser.add_argument("--role", metavar=_("vai_trò"), help=_("chỉ người có vai trò này: {roles}").format(
        roles=role_names()))
    parser.add_argument("--unit", metavar=_("đơn_vị"), help=_("chỉ người có vai trò trong đơn vị này, ví dụ "
                                                              "\"Đồng Tâm\" hoặc \"Đồng Tâm / Nhóm 1\""))
    parser.add_argument("--commune", metavar=_("xã"), help=_("mã hoặc tên xã (khi có nhiều xã)"))
    parser.set_defaults(func=people_command)


async def people_command(args: argparse.Namespace, settings: Settings) -> int:
    role = role_or_error(args.role) if args.role else None
    search = " ".join(args.search).strip() or None
    async with open_app(settings) as app, app.sessions() as session:
        commune = await pick_commune(session, args.commune)
        within = await pick_unit(session, commune, args.unit, None) if args.unit else None
        found = await list_people(session, commune, search=search, role=role, within=within)
        labels: dict[int, str] = {}
        for entry in found:
            for _role, unit in entry.roles:
                if unit.id not in labels:
                    labels[unit.id] = await _short_label(session, unit, commune)
    for entry in found:
        print(_line(entry, labels))
    if found:
        print(_("{count} người.").format(count=len(found)))
    else:
        print(_("Không có ai khớp."))
    return 0


async def _short_label(session: AsyncSession, unit: OrgUnit, commune: OrgUnit) -> str:
    """"Thôn Đồng Tâm › Nhóm 1": below the commune, the team named only when it is the unit itself."""
    if unit.id == commune.id:
        return commune.name
    names = [u.name for u in await tree.lineage(session, unit)
             if u.depth > commune.depth and (u.kind != UnitKind.TEAM or u.id == unit.id)]
    return " › ".join(names)


def _line(entry: Listed, labels: dict[int, str]) -> str:
    roles = "; ".join(f"{ROLE_LABELS[role]} — {labels[unit.id]}" for role, unit in entry.roles) or _("không còn vai trò")
    apps = ", ".join(APP_NAMES[app.channel] + (_(" (đã chặn bot)") if app.unreachable else "") for app in entry.apps)
    return _("{name}  {phone}  {roles}  [{apps}]").format(
        name=entry.person.full_name, phone=entry.person.phone or "-", roles=roles, apps=apps or _("chưa dùng bot"))
