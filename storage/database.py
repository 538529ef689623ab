"""Engine and session factory from a URL: SQLite (embedded default) or PostgreSQL (scale)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from settings import PROJECT_ROOT


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def resolve_sqlite_path(url: str) -> str:
    """Relative SQLite paths are relative to the project, not to whatever directory we run from."""
    parsed = make_url(url)
    database = parsed.database
    if not is_sqlite(url) or not database or database == ":memory:":
        return url
    path = Path(database)
    if not path.is_absolute():
        path = PROJECT_ROOT / path
    path.parent.mkdir(parents=True, exist_ok=True)
    return parsed.set(database=str(path)).render_as_string(hide_password=False)


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    if is_sqlite(url):
        # One connection: SQLite allows one writer, and a second pooled connection upgrading a
        # read transaction to a write one fails with "database is locked" instead of waiting.
        # WAL keeps readers (the web page, exports) from blocking that writer.
        engine = create_async_engine(
            resolve_sqlite_path(url), echo=echo, pool_size=1, max_overflow=0, pool_timeout=120
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, echo=echo, pool_size=10, max_overflow=10, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # Objects stay readable after the commit that happens before each reply (see unit_of_work).
    return async_sessionmaker(engine, expire_on_commit=False)
