"""`gandan web-link --as PERSON` on a real SQLite file: a link for a leader, none for a member."""

from __future__ import annotations

import re
import sqlite3

from bot.cli import main
from tests.house.test_cli import db_file  # noqa: F401 (the fixture)


def test_web_link_for_a_leader_and_not_for_a_member(capsys, db_file, monkeypatch):  # noqa: F811
    monkeypatch.setenv("PUBLIC_URL", "https://gandan.example.vn")
    assert main(["demo"]) == 0
    capsys.readouterr()
    assert main(["web-link", "--as", "commune_secretary"]) == 0, capsys.readouterr().out
    link = capsys.readouterr().out.strip()
    assert re.fullmatch(r"https://gandan\.example\.vn/web/login/[A-Za-z0-9_-]{40,}", link), link
    with sqlite3.connect(db_file) as conn:
        [(stored,)] = conn.execute("SELECT token_hash FROM web_logins").fetchall()
        [(phone,)] = conn.execute("SELECT p.phone FROM people p JOIN memberships m ON m.person_id = p.id "
                                  "WHERE m.role = 'member' AND p.phone IS NOT NULL "
                                  "AND p.id NOT IN (SELECT person_id FROM memberships WHERE role != 'member') "
                                  "LIMIT 1").fetchall()
    assert link.rsplit("/", 1)[1] not in stored
    assert main(["web-link", "--as", phone]) == 2
    assert "không có vai trò được dùng trang quản lý" in capsys.readouterr().out
    assert main(["web-link", "--as", "Không Có Ai Tên Này"]) == 2
