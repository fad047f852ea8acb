"""Database wiring: the async engine, the session factory and the migration runner."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Foreign keys are off by default in SQLite; WAL lets the scheduler read while a flow writes.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine; SQL parameters (names, concern texts) stay out of its log lines and error
    texts unless `hide_parameters=False` is passed (LOG_SQL_PARAMETERS=1)."""
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        db_path = url.split("///", 1)[-1]
        if db_path and db_path != ":memory:":
            Path(db_path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(url, **kwargs)


def serving_options(url: str) -> dict[str, Any]:
    """Engine options for a process that serves chats. SQLite lets one transaction write at a
    time: with a pool of several connections, concurrent updates queue inside SQLite's busy
    handler and under load wait out busy_timeout ("database is locked", an update lost); with
    one connection they queue in the pool instead, in order, and none fails.

    PostgreSQL goes without pool_pre_ping: with asyncpg it costs BEGIN, a ping and ROLLBACK —
    three round trips — before every update. A connection found dead instead fails its update
    with `connection_invalidated`, and `handlers.engine.gateway.Gateway.reply` runs that update again."""
    if url.startswith("sqlite"):
        return {"pool_size": 1, "max_overflow": 0} if ":memory:" not in url else {}
    return {"pool_pre_ping": False}


def connection_lost(error: BaseException) -> bool:
    """A connection the server dropped (a restart): nothing was committed, one more try may pass."""
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def _run(connection: Connection, action: str, revision: str) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    getattr(command, action)(cfg, revision)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema to `revision`; safe to run at every start (a no-op when current)."""
    async with engine.begin() as conn:
        await conn.run_sync(_run, "upgrade", revision)


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(_run, "downgrade", revision)


async def current_revision(engine: AsyncEngine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    async with engine.connect() as conn:
        return await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_revision())
