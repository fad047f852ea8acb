"""Shared fixtures: a real database per test, on SQLite always and on PostgreSQL when CI has one.

Set GANDAN_TEST_POSTGRES_URL (e.g. postgresql+asyncpg://gandan@127.0.0.1:54329/gandan_test) to
run every database test on PostgreSQL too; `.ci/run` starts a local server and sets it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

import models.tables  # noqa: F401
from core.db import create_engine, session_factory, upgrade
from models.base import Base

POSTGRES_URL = os.environ.get("GANDAN_TEST_POSTGRES_URL")
_pg_state = {"migrated": False}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres_only: runs only on PostgreSQL")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith(("undeclared step", "irreversible choice offered first")):
            self.records.append(record)


@pytest.fixture(autouse=True)
def undeclared_steps() -> Iterator[list[logging.LogRecord]]:
    """A flow moving to a step its `Step.next` does not name fails the test that walked it (in
    production the engine logs it and goes on); a test that means to provoke it empties the list."""
    collect = _Collect()
    engine_log = logging.getLogger("handlers.engine.conversation")
    engine_log.addHandler(collect)
    try:
        yield collect.records
    finally:
        engine_log.removeHandler(collect)
    if collect.records:
        pytest.fail("\n".join(r.getMessage() for r in collect.records))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'gandan.db'}"
    if not POSTGRES_URL:
        pytest.skip("GANDAN_TEST_POSTGRES_URL not set (CI sets it; see .ci/run)")
    return POSTGRES_URL


async def reset_postgres_schema(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    _pg_state["migrated"] = False


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    """A migrated, empty database: a new SQLite file, or PostgreSQL truncated between tests."""
    eng = create_engine(db_url)
    if db_url.startswith("postgresql"):
        if not _pg_state["migrated"]:
            await reset_postgres_schema(eng)
            await upgrade(eng)
            _pg_state["migrated"] = True
        else:
            names = ", ".join(t.name for t in Base.metadata.sorted_tables)
            async with eng.begin() as conn:
                await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        await upgrade(eng)
    yield eng
    await eng.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return session_factory(engine)


@pytest.fixture
async def session(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with sessions() as s:
        yield s
