"""Engine and session factory from a URL: SQLite (embedded default) or PostgreSQL (scale)."""

from __future__ import annotations

import fcntl
from pathlib import Path
from typing import IO, Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from settings import PROJECT_ROOT
from storage.inline_sqlite import inline_connector


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
    _private_file(path)
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
            f"another haqbot process is already running on {database} (lock {path}); stop it "
            "first, "
            "or use PostgreSQL for several processes"
        ) from None
    return handle


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    if is_sqlite(url):
        # One connection: SQLite allows one writer, and a second pooled connection upgrading a
        # read transaction to a write one fails with "database is locked" instead of waiting.
        # WAL keeps readers (the web page, exports) from blocking that writer.
        # Its statements run on the event loop's thread, not aiosqlite's: handing them over
        # took over 40% of a button tap's CPU (storage/inline_sqlite.py, bench/README.md).
        resolved = resolve_sqlite_path(url)
        database = make_url(resolved).database
        driver = {}
        if database and database != ":memory:":
            driver["async_creator"] = inline_connector(database)
        engine = create_async_engine(
            resolved, echo=echo, pool_size=1, max_overflow=0, pool_timeout=120, **driver
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        if database and database != ":memory:":
            # The log files appear with the first connection, with the process's umask.
            event.listen(engine.sync_engine, "connect", lambda *_: _private_file(Path(database)))
        return engine
    return create_async_engine(url, echo=echo, pool_size=10, max_overflow=10, pool_pre_ping=True)


async def checkpoint_wal(session: AsyncSession) -> None:
    """SQLite: write the log back into the database file and empty it, so pages of erased rows
    (with secure_delete, zeroed in the file) do not linger in old log frames. Elsewhere nothing."""
    if session.bind.dialect.name == "sqlite":
        await session.commit()
        await session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        await session.commit()


def _private_file(path: Path) -> None:
    """The database (and its log) readable by the bot's user only; its folder likewise."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.parent != PROJECT_ROOT and path.parent.stat().st_mode & 0o077:
        path.parent.chmod(0o700)
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if not file.exists():
            if file == path:
                file.touch(mode=0o600)
            continue
        file.chmod(0o600)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # Deleted and overwritten content is zeroed, not left in free pages: /forget means gone.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # Objects stay readable after the commit that happens before each reply (see unit_of_work).
    return async_sessionmaker(engine, expire_on_commit=False)
