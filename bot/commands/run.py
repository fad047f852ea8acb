"""`gandan run`: migrate, then start every channel that has a token.

Without any token the bot runs in the terminal: on an empty database it first builds the demo
commune, so README command 1 on a fresh machine lands the newcomer in a chat straight away.
"""

from __future__ import annotations

import argparse

from bot.app import open_app
from bot.commands.chat import chat_as
from bot.commands.demo import print_demo
from bot.i18n import _
from bot.settings import Settings
from models import units
from models.base import utcnow
from models.demo import build_demo, find_demo


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("run", help=_("chạy bot"),
                            description=_("Nâng cấp cơ sở dữ liệu rồi chạy bot trên các kênh đã cấu hình; "
                                          "chưa có mã bot Telegram/Zalo thì trò chuyện ngay trên cửa sổ lệnh."))
    parser.set_defaults(func=run_command)


async def run_command(args: argparse.Namespace, settings: Settings) -> int:
    async with open_app(settings) as app:
        async with app.sessions() as session:
            communes = await units.communes(session)
            if settings.telegram_bot_token or settings.zalo_bot_token:
                demo = None
            elif not communes:
                demo = await build_demo(session, now=utcnow())
                await session.commit()
                print_demo(demo)
                print(_("Để dùng xã của bạn: gandan setup commune <mã hoặc tên>, rồi gandan import roster/households."))
            else:
                demo = await find_demo(session)
        if settings.telegram_bot_token or settings.zalo_bot_token:
            print(_("Cơ sở dữ liệu đã sẵn sàng ({count} xã/phường).").format(count=len(communes)))
            # Telegram and Zalo arrive in the next milestones; until then the command stops here.
            print(_("Các kênh Telegram, Zalo chưa có trong phiên bản này; thử bot bằng gandan chat."))
            return 0
        print(_("Chưa cấu hình TELEGRAM_BOT_TOKEN hay ZALO_BOT_TOKEN: chạy bot trên cửa sổ lệnh."))
        if demo is None or demo.member_id is None:
            print(_("Chọn người để trò chuyện: gandan chat --as <số điện thoại hoặc tên>."))
            return 0
        return await chat_as(app, demo.member_id)
