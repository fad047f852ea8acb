"""The application context a command runs in: settings, engine and session factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core.db import create_engine, serving_options, session_factory, upgrade
from core.settings import Settings


@dataclass(frozen=True)
class App:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]


class DatabaseUnreachable(Exception):
    """The database could not be opened at all (no server, a wrong address or password, no such folder)."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


async def connect_engine(url: str, **options: Any) -> AsyncEngine:
    """An engine that has answered once: a command fails here in one sentence, not deep in a query."""
    try:
        engine = create_engine(url, **options)
    except OSError as error:
        raise DatabaseUnreachable(_safe(url), _reason(error)) from error
    try:
        async with engine.connect():
            pass
    except Exception as error:
        await engine.dispose()
        raise DatabaseUnreachable(_safe(url), _reason(error)) from error
    return engine


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _reason(error: BaseException) -> str:
    cause = getattr(error, "orig", None) or error
    text = str(cause).strip().splitlines()
    return text[0] if text else type(cause).__name__


@asynccontextmanager
async def open_app(settings: Settings, *, migrate: bool = True) -> AsyncIterator[App]:
    """Owns the engine for the lifetime of one command; migrates first so a new DB just works."""
    engine = await connect_engine(settings.database_url, hide_parameters=not settings.log_sql_parameters,
                                  **serving_options(settings.database_url))
    try:
        if migrate:
            await upgrade(engine)
        yield App(settings=settings, engine=engine, sessions=session_factory(engine))
    finally:
        await engine.dispose()
