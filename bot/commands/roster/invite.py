"""`gandan invite`: an invite code for a unit and a role, with its Telegram deep link."""

from __future__ import annotations

import argparse
import datetime as dt

from bot.app import open_app
from bot.commands.common import CommandError, pick_commune, pick_unit, role_names, role_or_error, unit_label
from core.i18n import _, format_date
from core.settings import Settings
from models.base import utcnow
from models.enums import ROLE_UNIT_KIND, UnitKind
from models.labels import ROLE_LABELS
from models.people.invites import create_invite


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "invite", help=_("tạo mã mời cho một đơn vị và vai trò"),
        description=_("Tạo mã mời (dùng một lần hoặc nhiều lần, có hạn) để một người tham gia bot "
                      "với vai trò ở một đơn vị. In đường dẫn Telegram và mã để gửi cho bot Zalo."),
    )
    parser.add_argument("--role", required=True, metavar=_("vai_trò"),
                        help=_("một trong: {roles}").format(roles=role_names()))
    parser.add_argument("--unit", metavar=_("đơn_vị"),
                        help=_("đơn vị, ví dụ \"Đồng Tâm / Nhóm 1\"; bỏ trống với vai trò cấp xã"))
    parser.add_argument("--commune", metavar=_("xã"), help=_("mã hoặc tên xã (khi có nhiều xã)"))
    parser.add_argument("--uses", type=int, default=1, metavar="N", help=_("số lần dùng tối đa (mặc định 1)"))
    parser.add_argument("--days", type=int, default=14, metavar="N", help=_("số ngày hiệu lực (mặc định 14)"))
    parser.set_defaults(func=invite_command)


async def invite_command(args: argparse.Namespace, settings: Settings) -> int:
    role = role_or_error(args.role)
    if not 1 <= args.uses <= 500 or not 1 <= args.days <= 365:
        print(_("--uses phải từ 1 đến 500 và --days từ 1 đến 365."))
        return 2
    kind = ROLE_UNIT_KIND[role]
    now = utcnow()
    async with open_app(settings) as app, app.sessions() as session:
        commune = await pick_commune(session, args.commune)
        if kind == UnitKind.COMMUNE:
            unit = commune
        elif not args.unit:
            raise CommandError(_("Vai trò này cần --unit."))
        else:
            unit = await pick_unit(session, commune, args.unit, kind)
        new = await create_invite(session, unit, role, now=now, valid_for=dt.timedelta(days=args.days),
                                  max_uses=args.uses)
        label = await unit_label(session, unit)
        await session.commit()
    expires = new.invite.expires_at.astimezone(settings.tz).date()
    print(_("Mã mời: {role} — {unit}").format(role=ROLE_LABELS[role], unit=label))
    print(_("Hết hạn {date}; dùng được {uses} lần.").format(date=format_date(expires), uses=args.uses))
    from bot.channels.telegram.info import bot_username  # aiogram takes ~2 s to import: only now

    username = await bot_username(settings)
    if username:
        print(_("Telegram: {link}").format(link=f"https://t.me/{username}?start={new.code}"))
    else:
        print(_("Telegram: đặt TELEGRAM_BOT_USERNAME (hoặc TELEGRAM_BOT_TOKEN) để in đường dẫn."))
    print(_("Zalo (hoặc gõ vào bot): {code}").format(code=new.code))
    return 0
