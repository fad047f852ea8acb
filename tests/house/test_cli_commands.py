"""What an operator meets at the command line: its language, its hints, its errors, `people`, `chat --as`."""

import io
import os
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.house.test_cli import EXAMPLES, db_file  # noqa: F401 — the fixture

ROLE_CODES = ("member", "group_leader", "team_leader", "team_deputy", "chi_bo_secretary", "khoi_dan_van_head",
              "commune_secretary", "admin")


@pytest.fixture
def roster(capsys, db_file) -> Path:  # noqa: F811
    assert main(["setup", "commune", "10459"]) == 0
    assert main(["import", "roster", str(EXAMPLES / "roster.xlsx")]) == 0
    assert main(["import", "households", str(EXAMPLES / "households.csv")]) == 0
    capsys.readouterr()
    return db_file


def help_of(capsys, argv: list[str]) -> str:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 0
    return capsys.readouterr().out


def test_argparse_speaks_the_configured_language(capsys, db_file, monkeypatch):  # noqa: F811
    out = help_of(capsys, ["deadlines", "--help"])
    assert "cách dùng: gandan deadlines" in out and "tùy chọn:" in out and "in hướng dẫn này rồi thoát" in out
    assert "usage:" not in out and "options:" not in out and "show this help" not in out
    with pytest.raises(SystemExit):
        main(["invite"])
    assert "gandan invite: lỗi: thiếu tham số bắt buộc: --role" in capsys.readouterr().err

    monkeypatch.setenv("DEFAULT_LOCALE", "en")
    out = help_of(capsys, ["deadlines", "--help"])
    assert "usage: gandan deadlines" in out and "options:" in out and "show this help message and exit" in out
    assert "Team monthly report" in out
    with pytest.raises(SystemExit):
        main(["invite"])
    assert "gandan invite: error: the following arguments are required: --role" in capsys.readouterr().err
    import argparse
    assert argparse._("usage: ") == "usage: "  # argparse is left as it was found (pytest uses it too)


def test_role_lists_are_complete(capsys, roster):
    for argv in (["invite", "--help"], ["people", "--help"], ["chat", "--help"]):
        out = " ".join(help_of(capsys, argv).split())
        assert all(code in out for code in ROLE_CODES), argv
    assert main(["invite", "--role", "chairman"]) == 2
    err = capsys.readouterr().err
    assert all(code in err for code in ROLE_CODES) and "Quản trị" in err


def test_a_closed_pipe_ends_quietly(capsys, db_file, monkeypatch):  # noqa: F811
    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def fileno(self) -> int:
            raise io.UnsupportedOperation("no descriptor")

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["setup", "commune", "hong son"]) == 141  # `gandan setup commune hong son | head -1`
    assert capsys.readouterr().err == ""


def test_an_unreachable_database_or_a_missing_env_file_is_one_line(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://gandan:s3cret@127.0.0.1:54709/gandan")
    assert main(["units"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "127.0.0.1:54709" in err and "s3cret" not in err and "Traceback" not in err
    (tmp_path / "plain-file").write_text("")
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/plain-file/gandan.db")
    assert main(["db", "current"]) == 1
    assert capsys.readouterr().err.count("\n") == 1

    assert main(["--env-file", "missing.env", "units"]) == 2
    err = capsys.readouterr().err
    assert err == "gandan: không có tệp cấu hình “missing.env” (--env-file).\n"
    assert main(["--env-file=missing.env", "units"]) == 2
    assert main(["--env-file", str(tmp_path), "units"]) == 2  # a folder is no file either
    capsys.readouterr()
    # /dev/null says "no file" on purpose (the benchmark's bot runs so): the settings come from the environment
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/gandan.db")
    assert main(["--env-file", os.devnull, "db", "current"]) == 0


def test_an_exact_official_name_is_found(capsys, db_file):  # noqa: F811
    assert main(["setup", "commune", "Phường Ba Đình"]) == 0
    assert "Phường Ba Đình (mã 00004)" in capsys.readouterr().out
    assert main(["setup", "commune", "ba dinh"]) == 2  # without diacritics or division: three communes
    out = capsys.readouterr().out
    assert "00004" in out and "16171" in out and "21499" in out


def test_deadlines_hint_each_wrong_input_and_show_labels(capsys, roster):
    wrong = {
        ("--day", "3"): "--day và --month chỉ dùng cùng --set",
        ("--set", "monthly_team", "--month", "3", "--day", "5"): "đến hạn hằng tháng: bỏ --month",
        ("--set", "annual", "--day", "10"): "ghi cả --month và --day",
        ("--set", "monthly_team", "--day", "40"): "--day phải từ 1 đến 31",
        ("--set", "half_year", "--month", "13", "--day", "1"): "--month phải từ 1 đến 12",
        ("--set", "half_year", "--month", "2", "--day", "30"): "Tháng 2 có 29 ngày",
        ("--set", "monthly_team"): "--set cần --day",
    }
    for argv, hint in wrong.items():
        assert main(["deadlines", *argv]) == 2, argv
        assert hint in capsys.readouterr().err, argv
    with pytest.raises(SystemExit):
        main(["deadlines", "--set", "weekly", "--day", "1"])
    assert "không có loại báo cáo “weekly”" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["deadlines", "--set", "annual", "--month", "x", "--day", "1"])
    assert "“x” không phải một số" in capsys.readouterr().err

    assert main(["deadlines", "--set", "bao cao nam", "--month", "11", "--day", "15"]) == 0
    out = capsys.readouterr().out
    assert "Báo cáo năm của chi bộ: Thôn/Tổ dân phố, ngày 15/11 hằng năm" in out
    assert "Báo cáo tháng của Tổ Dân vận:" in out and "monthly_team" not in out and "annual:" not in out


def test_people_lists_roles_and_apps_and_finds_by_folded_words(capsys, roster):
    assert main(["people"]) == 0
    out = capsys.readouterr().out
    assert "Nguyễn Văn Thắng  0912100011  Bí thư chi bộ — Thôn Đồng Tâm; Tổ trưởng — Thôn Đồng Tâm › Tổ Dân vận " \
           "cộng đồng thôn Đồng Tâm  [chưa dùng bot]" in out
    assert "22 người." in out

    assert main(["people", "pham", "van-LONG."]) == 0
    out = capsys.readouterr().out
    assert "Phạm Văn Long  0912100021  Nhóm trưởng — Thôn Đồng Tâm › Nhóm 1" in out and "1 người." in out
    assert main(["people", "--role", "Deputy team leader"]) == 0  # a role's English label works too
    out = capsys.readouterr().out
    assert "4 người." in out and "Kiều Văn Sơn" in out
    assert main(["people", "--unit", "Phúc Lâm / Nhóm 2", "--role", "member"]) == 0
    out = capsys.readouterr().out
    assert "Chu Thị Yến" in out and "Hoàng Thị Mai" not in out and "3 người." in out
    assert main(["people", "0912 100 022"]) == 0
    assert "Hoàng Thị Mai" in capsys.readouterr().out
    assert main(["people", "--role", "boss"]) == 2
    assert "commune_secretary" in capsys.readouterr().err


def test_chat_as_a_role_resumes_an_unfinished_flow(capsys, roster, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("1\n/thoat\n"))
    assert main(["chat", "--as", "Bí thư Đảng ủy"]) == 0
    out = capsys.readouterr().out
    assert "Nguyễn Văn Thành" in out and "📝 Ghi thăm hộ — chọn hộ đã thăm" in out

    monkeypatch.setattr("sys.stdin", io.StringIO("/thoat\n"))
    assert main(["chat", "--as", "commune_secretary"]) == 0  # the same person, by the role's code
    out = capsys.readouterr().out
    assert "Tiếp tục việc đang làm dở:" in out and "📝 Ghi thăm hộ — chọn hộ đã thăm" in out
    assert "Chọn việc cần làm" not in out

    assert main(["chat", "--as", "Tổ phó"]) == 2  # four deputies: pick one by phone
    out = capsys.readouterr().out
    assert "0912100012" in out and "0912200013" in out


def test_readme_commands_work_as_typed_after_command_1():
    import re

    from bot.cli import build_parser

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    two_commands = readme.split("## Using the bot")[0]
    # After command 1 the shell must find `gandan`: README says how, right there.
    assert "source .venv/bin/activate" in two_commands and 'export PATH="$PWD/.venv/bin:$PATH"' in two_commands
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    typed = set(re.findall(r"(?:^|`|\$ )gandan ([a-z][a-z_-]*)", readme, re.M))
    assert typed and typed <= set(commands), typed - set(commands)
