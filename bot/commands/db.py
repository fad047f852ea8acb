"""`gandan db`: schema migrations (upgrade, downgrade, current; revision for developers)."""

from __future__ import annotations

import argparse
import asyncio

from alembic import command

from bot.app import connect_engine
from core.db import alembic_config, current_revision, downgrade, upgrade
from core.i18n import _
from core.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("db", help=_("nâng cấp lược đồ cơ sở dữ liệu"),
                            description=_("Quản lý lược đồ cơ sở dữ liệu (Alembic)."))
    inner = parser.add_subparsers(dest="action", metavar=_("thao_tác"), required=True)
    up = inner.add_parser("upgrade", help=_("nâng cấp lên phiên bản mới nhất (hoặc REV)"))
    up.add_argument("revision", nargs="?", default="head")
    up.set_defaults(func=db_command)
    down = inner.add_parser("downgrade", help=_("hạ cấp về phiên bản REV"))
    down.add_argument("revision")
    down.set_defaults(func=db_command)
    cur = inner.add_parser("current", help=_("in phiên bản hiện tại"))
    cur.set_defaults(func=db_command)
    rev = inner.add_parser("revision", help=_("tạo bản di chuyển mới từ mô hình (cho lập trình viên)"))
    rev.add_argument("-m", "--message", required=True)
    rev.set_defaults(func=db_command)


async def db_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "revision":
        # Alembic's env.py runs its own event loop: autogenerate in a thread, outside ours.
        await asyncio.to_thread(command.revision, alembic_config(settings.database_url), message=args.message,
                                autogenerate=True)
        return 0
    engine = await connect_engine(settings.database_url)
    try:
        if args.action == "upgrade":
            await upgrade(engine, args.revision)
        elif args.action == "downgrade":
            await downgrade(engine, args.revision)
        print(_("Phiên bản lược đồ: {rev}").format(rev=await current_revision(engine) or "-"))
    finally:
        await engine.dispose()
    return 0
