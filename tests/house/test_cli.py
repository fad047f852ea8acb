"""The `gandan` command end to end on a real SQLite file: setup, invite, units, db."""

import io
import re
import sqlite3
from pathlib import Path

import pytest
from aiohttp import web

from bot.channels.telegram.info import bot_username
from bot.cli import main
from core.settings import load_settings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"


@pytest.fixture
def db_file(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("TELEGRAM_BOT_USERNAME", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env from the repository
    return path


def count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_help_on_every_command(capsys, db_file):
    for argv in (["--help"], ["run", "--help"], ["setup", "commune", "--help"], ["import", "roster", "--help"],
                 ["import", "households", "--help"], ["invite", "--help"], ["units", "--help"], ["db", "--help"],
                 ["chat", "--help"], ["demo", "--help"], ["people", "--help"], ["deadlines", "--help"]):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 0
        assert "cách dùng: gandan" in capsys.readouterr().out  # argparse speaks the configured language


def test_setup_commune_by_folded_name_then_again(capsys, db_file):
    assert main(["setup", "commune", "phuc", "son"]) == 0
    assert "Xã Phúc Sơn" in capsys.readouterr().out
    assert main(["setup", "commune", "10459"]) == 0
    assert "đã có" in capsys.readouterr().out
    assert count(db_file, "org_units") == 2


def test_ambiguous_or_unknown_commune_changes_nothing(capsys, db_file):
    assert main(["setup", "commune", "hong son"]) == 2
    out = capsys.readouterr().out
    assert "10465" in out and "02608" in out and "Không có gì thay đổi" in out
    assert main(["setup", "commune", "phuc sonn"]) == 2
    assert "10459" in capsys.readouterr().out
    assert not db_file.exists()  # the database was not even opened


def test_full_commune_from_the_examples_and_invites(capsys, db_file, monkeypatch):
    assert main(["setup", "commune", "10459"]) == 0
    assert main(["import", "roster", str(EXAMPLES / "roster.xlsx")]) == 0
    assert main(["import", "households", str(EXAMPLES / "households.csv")]) == 0
    capsys.readouterr()
    assert count(db_file, "households") == 60

    assert main(["units"]) == 0
    tree = capsys.readouterr().out
    assert "Thôn Đồng Tâm" in tree and "Nhóm 1" in tree and "hộ" in tree

    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "GanDanBot")
    assert main(["invite", "--role", "thanh vien", "--unit", "dong tam / nhom 1", "--uses", "3"]) == 0
    out = capsys.readouterr().out
    link = re.search(r"https://t\.me/GanDanBot\?start=([A-Za-z0-9_-]+)", out)
    assert link and len(link.group(1)) <= 64
    assert link.group(1) in out.split("Zalo")[1]
    assert "Thôn Đồng Tâm" in out and "3" in out

    # "Nhóm 1" exists in both villages: the admin is asked to be precise, nothing is created.
    assert main(["invite", "--role", "member", "--unit", "Nhóm 1"]) == 2
    assert "Thôn Phúc Lâm" in capsys.readouterr().err  # errors go to stderr
    assert main(["invite", "--role", "to truong", "--unit", "Phúc Lâm"]) == 0  # village → its team
    assert main(["invite", "--role", "chairman"]) == 2
    assert count(db_file, "invite_codes") == 2
    assert count(db_file, "audit_log") >= 4


def test_db_commands(capsys, db_file):
    assert main(["db", "upgrade"]) == 0
    from alembic.script import ScriptDirectory

    from core.db import alembic_config

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head in capsys.readouterr().out
    assert main(["db", "downgrade", "base"]) == 0
    assert count(db_file, "alembic_version") == 0
    assert main(["db", "current"]) == 0


def test_run_without_tokens_builds_the_demo_and_chats_in_the_terminal(capsys, db_file, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("1\n/thoat\n"))
    assert main(["run"]) == 0
    out = capsys.readouterr().out
    assert "Chọn việc cần làm" in out and "📝 Ghi thăm hộ — chọn hộ đã thăm" in out
    assert "gandan setup commune" in out
    assert count(db_file, "households") >= 250
    assert db_file.exists()


async def test_bot_username_comes_from_get_me_on_the_configured_server():
    calls: list[str] = []

    async def get_me(request: web.Request) -> web.Response:
        calls.append(request.path)
        return web.json_response({"ok": True, "result": {"id": 1, "is_bot": True, "first_name": "Gần Dân",
                                                         "username": "GanDanTestBot"}})

    app = web.Application()
    app.router.add_route("*", "/bot{token}/getMe", get_me)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    try:
        settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN,
                                  "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{port}"}, env_file=None)
        assert await bot_username(settings) == "GanDanTestBot"
        assert calls == [f"/bot{TOKEN}/getMe"]
    finally:
        await runner.cleanup()
