"""Alembic: every revision upgrades, downgrades and upgrades again; head matches the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from models.tables import Base
from storage import migrate
from storage.database import create_engine


async def test_stairway(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        revisions = migrate.revisions()
        assert revisions, "there is at least one migration"
        previous = "base"
        for revision in revisions:
            await migrate.upgrade(engine, revision)
            assert await migrate.current_revision(engine) == revision
            await migrate.downgrade(engine, previous)
            assert await migrate.current_revision(engine) == (
                None if previous == "base" else previous
            )
            await migrate.upgrade(engine, revision)
            previous = revision
        await migrate.downgrade(engine, "base")
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        assert set(tables) <= {"alembic_version"}, "downgrade to base leaves nothing behind"
    finally:
        await engine.dispose()


async def test_head_matches_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine)
        async with engine.connect() as connection:
            differences = await connection.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
            )
        assert differences == [], "a model changed without a migration"
    finally:
        await engine.dispose()


def test_cli_upgrades_a_fresh_database(tmp_path, monkeypatch, capsys) -> None:
    import bot

    monkeypatch.setenv("HAQBOT_DATABASE__URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}")
    assert bot.main(["db", "upgrade"]) == 0
    assert f"database at revision {migrate.revisions()[-1]}" in capsys.readouterr().out
    assert bot.main(["db", "downgrade", "base"]) == 0
    assert "base (empty)" in capsys.readouterr().out
