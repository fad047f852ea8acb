"""The province benchmark at a tiny scale, so it cannot rot: the generator's data hold together
and the harness times every digest, counts its statements and reads its query plans."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from bench.province import main, parse_args
from bench.province_data import NOW, Size
from core.db import create_engine
from models.tables import Concern, Household, Visit

SCALE = "0.002"  # 4 villages, 36 members, 1,000 households, 100 concerns


@pytest.fixture
async def built(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:
    path = tmp_path / "province.db"
    assert await main(parse_args(["--scale", SCALE, "--sqlite", str(path), "--render", "1", "--no-write"])) == 0
    return path, capsys.readouterr().out


async def test_the_benchmark_runs_and_reports(built: tuple[Path, str]) -> None:
    _path, out = built
    size = Size.at(float(SCALE))
    assert f"{size.communes} / {size.villages} |" in out  # every commune's digests were timed
    assert "statements per commune" in out and "| sqlite | visits |" in out
    assert "Query plans (sqlite, the largest commune)" in out and "SEARCH visits USING INDEX" in out
    assert "village chart p50" in out
    assert "the year's evaluation of every team: teams" in out and f"| {size.villages:,} |" in out
    assert "Annual reports of every commune (models/reports/build.py" in out and f"sqlite: {size.communes} in" in out


async def test_the_generated_province_holds_together(built: tuple[Path, str]) -> None:
    path, _out = built
    size = Size.at(float(SCALE))
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        async with engine.connect() as conn:
            assert await conn.scalar(select(func.count()).select_from(Household)) == size.households
            assert await conn.scalar(select(func.count()).select_from(Concern)) == size.concerns
            assert await conn.scalar(text("SELECT count(DISTINCT person_id) FROM memberships m JOIN org_units u "
                                          "ON u.id = m.unit_id WHERE u.kind IN ('team', 'nhom')")) == size.members
            # Materialised paths: each unit's is its parent's plus its own id.
            assert await conn.scalar(text(
                "SELECT count(*) FROM org_units c JOIN org_units p ON p.id = c.parent_id "
                "WHERE c.path != p.path || c.id || '/' OR c.depth != p.depth + 1")) == 0
            # A visit's units are its household's; last_visited_on is the last visit not undone.
            assert await conn.scalar(text(
                "SELECT count(*) FROM visits v JOIN households h ON h.id = v.household_id "
                "WHERE v.nhom_id != h.nhom_id OR v.village_id != h.village_id OR v.commune_id != h.commune_id")) == 0
            assert await conn.scalar(text(
                "SELECT count(*) FROM households h WHERE h.last_visited_on IS NOT (SELECT max(visited_on) "
                "FROM visits v WHERE v.household_id = h.id AND v.undone_at IS NULL)")) == 0
            assert await conn.scalar(select(func.count()).select_from(Visit).where(Visit.undone_at.is_(None))) > 0
            # A concern's status is where its last event left it; nothing happened after NOW.
            assert await conn.scalar(text(
                "SELECT count(*) FROM concerns c WHERE c.status != (SELECT e.to_status FROM concern_events e "
                "WHERE e.concern_id = c.id AND e.to_status IS NOT NULL ORDER BY e.at DESC LIMIT 1)")) == 0
            assert await conn.scalar(text("SELECT count(*) FROM concerns WHERE (answered_at IS NULL) != "
                                          "(status NOT IN ('answered', 'closed') OR close_reason IN "
                                          "('not_competent', 'duplicate', 'withdrawn'))")) == 0
            latest = await conn.scalar(text("SELECT max(at) FROM concern_events"))
            assert latest <= NOW.replace(tzinfo=None).isoformat(sep=" ")
    finally:
        await engine.dispose()
