"""Migrations: every revision upgrades and downgrades, and head matches the models exactly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

import models.tables  # noqa: F401
from core.db import alembic_config, create_engine, current_revision, downgrade, upgrade
from models.base import Base
from tests.conftest import reset_postgres_schema


def revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


async def table_names(engine) -> set[str]:
    async with engine.connect() as conn:
        return set(await conn.run_sync(lambda c: inspect(c).get_table_names())) - {"alembic_version"}


async def test_stairway_up_and_down_every_revision(db_url):
    engine = create_engine(db_url)
    try:
        if db_url.startswith("postgresql"):
            await reset_postgres_schema(engine)
        chain = revisions()
        assert chain, "no migrations found"
        previous = "base"
        for revision in chain:
            await upgrade(engine, revision)
            assert await current_revision(engine) == revision
            await downgrade(engine, previous)
            await upgrade(engine, revision)
            previous = revision
        assert await table_names(engine) == set(Base.metadata.tables)
        await downgrade(engine, "base")
        assert await table_names(engine) == set()
    finally:
        if db_url.startswith("postgresql"):
            await reset_postgres_schema(engine)
        await engine.dispose()


async def test_head_matches_the_models(engine):
    """A model change without a migration fails here (autogenerate would find a difference)."""
    async with engine.connect() as conn:
        diff = await conn.run_sync(
            lambda c: compare_metadata(MigrationContext.configure(c, opts={"compare_type": True}), Base.metadata)
        )
    assert diff == []
