"""`gandan demo`: a sample commune to try the bot with, built once."""

from __future__ import annotations

import argparse

from bot.app import open_app
from core.i18n import _
from core.settings import Settings
from models.base import utcnow
from models.demo import DemoResult, build_demo


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("demo", help=_("tạo xã mẫu để dùng thử"),
                            description=_("Tạo một lần xã mẫu (Xã Phúc Sơn, Hà Nội) với thôn, tổ, nhóm, thành "
                                          "viên đủ các vai trò và vài trăm hộ; tên và số điện thoại đều là giả."))
    parser.set_defaults(func=demo_command)


async def demo_command(args: argparse.Namespace, settings: Settings) -> int:
    async with open_app(settings) as app, app.sessions() as session:
        demo = await build_demo(session, now=utcnow())
        await session.commit()
    print_demo(demo)
    return 0


def print_demo(demo: DemoResult) -> None:
    """What the demo holds, and whom to chat as."""
    if demo.created:
        print(_("Đã tạo xã mẫu {commune}:").format(commune=demo.commune_name))
    else:
        print(_("{commune} đã có; không có gì thay đổi:").format(commune=demo.commune_name))
    print(_("  {villages} thôn/tổ dân phố, {teams} Tổ Dân vận, {nhom} nhóm, {people} người, {households} hộ.").format(
        villages=demo.villages, teams=demo.teams, nhom=demo.nhom, people=demo.people, households=demo.households))
    if demo.member_id is not None:
        print(_("Trò chuyện thử với tư cách thành viên {name}: gandan chat").format(name=demo.member_name))
    if demo.leader_phone:
        print(_("Với tư cách tổ trưởng {name}: gandan chat --as {phone}").format(
            name=demo.leader_name, phone=demo.leader_phone))
