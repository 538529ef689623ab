"""SQLite for SQLAlchemy's async engine, run on the event loop's own thread.

aiosqlite, which the `sqlite+aiosqlite` dialect drives, runs every call on a thread of its own,
and SQLAlchemy's adapter makes four such calls per statement (cursor, execute, fetch, close). On
our machines one hand-off costs about 80 µs of CPU (a future, a lock, a wake-up of the loop
through its self-pipe), seven times a primary-key SELECT itself (11 µs): a button tap's three
statements spent more in hand-offs than in SQLite (bench/README.md, tenth session).

Here the same calls run sqlite3 directly. The dialect and its SQL are unchanged; only the driver
connection that SQLAlchemy adapts is ours, handed over through `create_async_engine`'s public
`async_creator`. What it costs: a statement now holds the event loop while SQLite works. The bot
keeps one SQLite connection (storage.database), so statements already ran one at a time; a long
one (an export of every signature) now also delays the loop's other work, network included, for
its duration, and a write that waits on another process's lock (busy_timeout) waits on the loop.
PostgreSQL, for anything larger, is not affected.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite
from sqlalchemy.exc import DBAPIError


class InlineCursor:
    """aiosqlite's cursor API, as SQLAlchemy's adapter uses it."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    async def __aenter__(self) -> InlineCursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self._cursor.close()

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> InlineCursor:
        if parameters is None:
            self._cursor.execute(sql)
        else:
            self._cursor.execute(sql, parameters)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> InlineCursor:
        self._cursor.executemany(sql, parameters)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(self._cursor.arraysize if size is None else size)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value


class InlineConnection:
    """aiosqlite's connection API, as SQLAlchemy's adapter uses it."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        # The adapter reads this name (aiosqlite's) to tell an open connection from a closed one.
        self._connection: sqlite3.Connection | None = connection

    def _open(self) -> sqlite3.Connection:
        if self._connection is None:
            raise ValueError("no active connection")  # aiosqlite's words; the adapter knows them
        return self._connection

    def cursor(self) -> InlineCursor:
        return InlineCursor(self._open().cursor())

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> InlineCursor:
        return await self.cursor().execute(sql, parameters)

    async def commit(self) -> None:
        self._open().commit()

    async def rollback(self) -> None:
        self._open().rollback()

    async def create_function(
        self, name: str, arguments: int, function: Callable[..., Any], **options: Any
    ) -> None:
        self._open().create_function(name, arguments, function, **options)

    @property
    def isolation_level(self) -> str | None:
        return self._open().isolation_level

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        self._open().isolation_level = value

    async def close(self) -> None:
        self.stop()

    def stop(self) -> None:
        """Close at once (the adapter's forced termination)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def inline_connector(database: str) -> Callable[[], Any]:
    """`async_creator` for create_async_engine: a connection to the SQLite file at `database`,
    opened as the aiosqlite dialect opens its own."""

    async def connect() -> InlineConnection:
        # check_same_thread off as the dialect asks: the pool may close it from another thread.
        return InlineConnection(sqlite3.connect(database, check_same_thread=False))

    return connect


class PreparedStatement:
    """A Core statement for the few that every update runs (its user, its dialog state), also
    compiled once for SQLite, so that on SQLite it runs on the sqlite3 connection itself, with
    SQLAlchemy's own conversions of its columns' types (JSON, DateTime) and nothing else of
    SQLAlchemy's: through its connection each cost several times what SQLite takes to run it
    (bench/README.md, eleventh session). Elsewhere (PostgreSQL) it is the Core statement.
    `columns`: the columns an INSERT or UPDATE sets."""

    def __init__(self, statement: Any, columns: Sequence[str] = ()) -> None:
        self.statement = statement
        compiled = statement.compile(dialect=_SQLITE, column_keys=list(columns) or None)
        self.sql: str = compiled.string
        self._names = tuple(compiled.positiontup or ())
        self._to_sqlite = tuple(
            _type_processor(compiled.binds[name].type, bind=True) for name in self._names
        )
        selected = statement.selected_columns if statement.is_select else ()
        self._fields = tuple(column.key for column in selected)
        self._from_sqlite = tuple(_type_processor(column.type, bind=False) for column in selected)

    def first(
        self, connection: sqlite3.Connection, values: dict[str, Any]
    ) -> dict[str, Any] | None:
        """The first row, by column name (a SELECT)."""
        cursor = self._execute(connection, values)
        try:
            row = cursor.fetchone()
        finally:
            cursor.close()  # not left to the garbage collector to end the statement
        if row is None:
            return None
        return {
            field: value if convert is None or value is None else convert(value)
            for field, value, convert in zip(self._fields, row, self._from_sqlite, strict=True)
        }

    def run(self, connection: sqlite3.Connection, values: dict[str, Any]) -> None:
        self._execute(connection, values)

    def _execute(self, connection: sqlite3.Connection, values: dict[str, Any]) -> sqlite3.Cursor:
        parameters = self._parameters(values)
        try:
            return connection.execute(self.sql, parameters)
        except sqlite3.Error as error:
            # As SQLAlchemy raises it: "database is locked" is an OperationalError the errors
            # router answers with "try again in a minute", a broken rule an IntegrityError.
            raise DBAPIError.instance(self.sql, parameters, error, sqlite3.Error) from error

    def _parameters(self, values: dict[str, Any]) -> list[Any]:
        return [
            values[name] if convert is None else convert(values[name])
            for name, convert in zip(self._names, self._to_sqlite, strict=True)
        ]


_SQLITE = SQLiteDialect_aiosqlite()


def _type_processor(type_: Any, *, bind: bool) -> Callable[[Any], Any] | None:
    """SQLAlchemy's own conversion of a value of this type, to SQLite or from it."""
    implementation = type_.dialect_impl(_SQLITE)
    if bind:
        return implementation.bind_processor(_SQLITE)
    return implementation.result_processor(_SQLITE, None)


def sqlite_of(driver_connection: object) -> sqlite3.Connection | None:
    """The sqlite3 connection under a driver connection of ours; None for any other driver."""
    if isinstance(driver_connection, InlineConnection):
        return driver_connection._open()
    return None
