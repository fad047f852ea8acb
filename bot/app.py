"""The application context a command runs in: settings, engine and session factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core.db import create_engine, serving_options, session_factory, upgrade
from core.settings import Settings


@dataclass(frozen=True)
class App:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]


@asynccontextmanager
async def open_app(settings: Settings, *, migrate: bool = True) -> AsyncIterator[App]:
    """Owns the engine for the lifetime of one command; migrates first so a new DB just works."""
    engine = create_engine(settings.database_url, **serving_options(settings.database_url))
    try:
        if migrate:
            await upgrade(engine)
        yield App(settings=settings, engine=engine, sessions=session_factory(engine))
    finally:
        await engine.dispose()
