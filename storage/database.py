"""Engine and session factory from a URL: SQLite (embedded default) or PostgreSQL (scale)."""

from __future__ import annotations

import fcntl
from pathlib import Path
from typing import IO, Any

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


class DatabaseInUse(RuntimeError):
    """Another bot process already runs on this SQLite file."""


def hold_single_process_lock(url: str) -> IO[bytes] | None:
    """For a SQLite database: an exclusive lock on `<file>.lock`, held as long as the returned file
    stays open (the process's life). A second bot on the same file would poll the same token
    (409s) and write the same file: it is refused instead. PostgreSQL: None (several processes
    are the point of it)."""
    if not is_sqlite(url):
        return None
    database = make_url(resolve_sqlite_path(url)).database
    if not database or database == ":memory:":
        return None
    path = Path(database + ".lock")
    handle = path.open("a+b")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise DatabaseInUse(
            f"another haqbot process is already running on {database} (lock {path}); stop it first, "
            "or use PostgreSQL for several processes"
        ) from None
    return handle


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
