"""The `gandan` command: one subcommand per module in `bot/commands`."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from dotenv import dotenv_values

from bot.app import DatabaseUnreachable
from bot.cli_language import argparse_in_our_language
from bot.commands import (
    campaigns as campaign_cmd,
    chat as chat_cmd,
    concerns as concerns_cmd,
    db as db_cmd,
    outbox as outbox_cmd,
    run as run_cmd,
    surveys as surveys_cmd,
    web_link as web_link_cmd,
)
from bot.commands.common import CommandError
from bot.commands.reports import (
    deadlines as deadlines_cmd,
    draft as reports_cmd,
    evaluation as evaluation_cmd,
)
from bot.commands.roster import (
    demo as demo_cmd,
    imports as imports_cmd,
    invite as invite_cmd,
    people as people_cmd,
    setup as setup_cmd,
    units as units_cmd,
)
from core.i18n import _, set_locale, use_locale
from core.logs import configure_logging
from core.settings import SettingsError, load_settings

COMMANDS = (run_cmd, chat_cmd, demo_cmd, setup_cmd, imports_cmd, invite_cmd, units_cmd, people_cmd, deadlines_cmd,
            concerns_cmd, campaign_cmd, surveys_cmd, reports_cmd, outbox_cmd, db_cmd, evaluation_cmd,
            web_link_cmd)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gandan",
        description=_("Gần Dân: trợ lý trò chuyện cho Tổ Dân vận cộng đồng (Telegram, Zalo)."),
    )
    parser.add_argument("--env-file", default=".env", metavar=_("tệp"), help=_("tệp cấu hình (mặc định: .env)"))
    sub = parser.add_subparsers(dest="command", metavar=_("lệnh"))
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        # argparse's own words are ours only while the command line is read and answered.
        with argparse_in_our_language():
            return _main(argv)
    except BrokenPipeError:  # `gandan units | head`: the reader has gone, nothing to say
        _silence_stdout()
        return 141


def _main(argv: list[str]) -> int:
    env_file, explicit = _env_file(argv)
    # Speak the configured language even when another key is wrong.
    with use_locale(_configured_locale(env_file)):
        if explicit and (not Path(env_file).exists() or Path(env_file).is_dir()):  # /dev/null: no file, on purpose
            print(_("gandan: không có tệp cấu hình “{path}” (--env-file).").format(path=env_file), file=sys.stderr)
            return 2
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
        configure_logging(settings.log_level, settings.secrets, sql_parameters=settings.log_sql_parameters)
        try:
            return asyncio.run(args.func(args, settings)) or 0
        except CommandError as error:  # what the admin typed names nothing usable: say so, change nothing
            print(error, file=sys.stderr)
            return 2
        except DatabaseUnreachable as error:
            print(_("gandan: không mở được cơ sở dữ liệu {url} — {reason}").format(url=error.url, reason=error.reason),
                  file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            return 130


def _env_file(argv: list[str]) -> tuple[str, bool]:
    """The --env-file given (either spelling, before the command), and whether it was given at all."""
    for index, arg in enumerate(argv):
        if arg == "--env-file" and index + 1 < len(argv):
            return argv[index + 1], True
        if arg.startswith("--env-file="):
            return arg.partition("=")[2], True
        if not arg.startswith("-"):  # the command: what follows is its own
            break
    return ".env", False


def _configured_locale(env_file: str) -> str:
    """DEFAULT_LOCALE from the environment or the env file, read before the settings are checked."""
    value = os.environ.get("DEFAULT_LOCALE")
    if value is None and Path(env_file).is_file():
        value = dotenv_values(env_file).get("DEFAULT_LOCALE")
    return (value or "vi").strip().lower()


def _silence_stdout() -> None:
    """Points stdout at /dev/null, so the interpreter's last flush does not complain of the pipe too."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":
    raise SystemExit(main())
