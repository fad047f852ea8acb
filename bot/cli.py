"""The `gandan` command: one subcommand per module in `bot/commands`."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

from bot.commands import (
    chat as chat_cmd,
    concerns as concerns_cmd,
    db as db_cmd,
    deadlines as deadlines_cmd,
    demo as demo_cmd,
    imports as imports_cmd,
    invite as invite_cmd,
    outbox as outbox_cmd,
    run as run_cmd,
    setup as setup_cmd,
    units as units_cmd,
)
from bot.commands.common import CommandError
from core.i18n import _, set_locale, use_locale
from core.logs import configure_logging
from core.settings import SettingsError, load_settings

COMMANDS = (run_cmd, chat_cmd, demo_cmd, setup_cmd, imports_cmd, invite_cmd, units_cmd, deadlines_cmd, concerns_cmd,
            outbox_cmd, db_cmd)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gandan",
        description=_("Gần Dân: trợ lý trò chuyện cho Tổ Dân vận cộng đồng (Telegram, Zalo)."),
    )
    parser.add_argument("--env-file", default=".env", help=_("tệp cấu hình (mặc định: .env)"))
    sub = parser.add_subparsers(dest="command", metavar=_("lệnh"))
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Speak the configured language even when another key is wrong.
    with use_locale(os.environ.get("DEFAULT_LOCALE", "vi").strip().lower()):
        return _main(argv)


def _main(argv: list[str]) -> int:
    env_file = ".env"
    if "--env-file" in argv[:-1]:
        env_file = argv[argv.index("--env-file") + 1]
    try:
        settings = load_settings(env_file=env_file)
    except SettingsError as error:
        print(_("gandan: cấu hình sai — {key}: {problem}").format(key=error.key, problem=error.problem),
              file=sys.stderr)
        return 2
    # The locale must be known before --help is rendered, so settings come first.
    set_locale(settings.default_locale)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    configure_logging(settings.log_level, settings.secrets)
    try:
        return asyncio.run(args.func(args, settings)) or 0
    except CommandError as error:  # what the admin typed names nothing usable: say so, change nothing
        print(error, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
