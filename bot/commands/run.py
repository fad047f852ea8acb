"""`gandan run`: migrate, then start every channel that has a token."""

from __future__ import annotations

import argparse

from bot.app import open_app
from bot.i18n import _
from bot.settings import Settings
from models import units


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("run", help=_("chạy bot"),
                            description=_("Nâng cấp cơ sở dữ liệu rồi chạy bot trên các kênh đã cấu hình."))
    parser.set_defaults(func=run_command)


async def run_command(args: argparse.Namespace, settings: Settings) -> int:
    async with open_app(settings) as app, app.sessions() as session:
        communes = await units.communes(session)
    print(_("Cơ sở dữ liệu đã sẵn sàng ({count} xã/phường).").format(count=len(communes)))
    if not communes:
        print(_("Bước tiếp theo: gandan setup commune <mã hoặc tên>, rồi gandan import roster/households."))
    # The conversation engine and the channels arrive in the next milestones; until then the
    # command stops here with the database ready, as the README says.
    print(_("Các kênh trò chuyện (terminal, Telegram, Zalo) chưa có trong phiên bản này."))
    return 0
