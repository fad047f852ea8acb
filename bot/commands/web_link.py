"""`gandan web-link --as PERSON`: a one-time link into the web console, for an admin and for tests."""

from __future__ import annotations

import argparse

from bot.app import open_app
from bot.commands.chat import _people_as
from bot.commands.common import role_names
from bot.web.console import Console
from core.i18n import _
from core.settings import Settings
from models.base import utcnow
from models.console import login


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("web-link", help=_("in đường dẫn đăng nhập trang quản lý trên web"),
                            description=_("In một đường dẫn đăng nhập trang quản lý (dùng một lần, trong 10 phút) "
                                          "cho một người có quyền dùng trang."))
    parser.add_argument("--as", dest="as_person", required=True, metavar=_("người"),
                        help=_("số điện thoại, họ tên hoặc vai trò; vai trò: {roles}").format(roles=role_names()))
    parser.set_defaults(func=web_link_command)


async def web_link_command(args: argparse.Namespace, settings: Settings) -> int:
    async with open_app(settings) as app, app.sessions() as session:
        people = await _people_as(session, args.as_person)
        if len(people) != 1:
            if not people:
                print(_("Không tìm thấy ai theo “{query}” (số điện thoại, họ tên hoặc vai trò).").format(
                    query=args.as_person))
            else:
                print(_("“{query}” khớp nhiều người; chọn một bằng số điện thoại:").format(query=args.as_person))
                for person in people:
                    print(f"  {person.phone or '-'}  {person.full_name}")
            return 2
        try:
            token = await login.issue_link(session, people[0].id, now=utcnow())
        except login.NotAllowed:
            print(_("{name} không có vai trò được dùng trang quản lý (tổ trưởng, tổ phó, bí thư chi bộ, lãnh đạo "
                    "xã).").format(name=people[0].full_name))
            return 2
        await session.commit()
    host, port = settings.web_address
    print(f"{Console.base_url(settings.public_url, host, port)}/login/{token}")
    return 0
