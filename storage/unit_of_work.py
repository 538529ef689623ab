"""One unit of work per update: every write of one update commits together, or not at all.

It commits at the end of the update and also just before the bot sends anything to Telegram
(runtime.telegram_client calls `commit_before_reply`), so a user is never told "saved" about
something that is not, a Telegram outage while replying loses nothing already received, and
SQLite's single writer is not held while we wait on the network.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import SessionTransaction

from storage.inline_sqlite import PreparedStatement, sqlite_of

_current: ContextVar[UnitOfWork | None] = ContextVar("haqbot_unit_of_work", default=None)


class SessionStatements:
    """Runs prepared statements (storage.inline_sqlite.PreparedStatement) in a session's
    transaction: on SQLite on its sqlite3 connection, elsewhere through SQLAlchemy's."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        # The transaction's SQLite connection, and the transaction it belongs to: a commit ends
        # it, and the pool may hand the connection to another update until the next begins.
        self._sqlite: sqlite3.Connection | None = None
        self._sqlite_for: SessionTransaction | None = None

    async def first(self, statement: PreparedStatement, **values: Any) -> Mapping[str, Any] | None:
        """The first row of a prepared SELECT, in the update's transaction."""
        sqlite = await self._sqlite_connection()
        if sqlite is not None:
            return statement.first(sqlite, values)
        connection = await self.session.connection()
        row = (await connection.execute(statement.statement, values)).first()
        return None if row is None else row._mapping

    async def run(self, statement: PreparedStatement, **values: Any) -> None:
        """A prepared INSERT, UPDATE or DELETE, in the update's transaction."""
        sqlite = await self._sqlite_connection()
        if sqlite is not None:
            statement.run(sqlite, values)
            return
        connection = await self.session.connection()
        await connection.execute(statement.statement, values)

    async def _sqlite_connection(self) -> sqlite3.Connection | None:
        """On SQLite, the sqlite3 connection of the update's transaction (begun if need be);
        None elsewhere (without asking PostgreSQL's pool for a raw connection to find out)."""
        if self.session.bind.dialect.name != "sqlite":
            return None
        transaction = self.session.sync_session.get_transaction()
        if transaction is None or transaction is not self._sqlite_for:
            connection = await self.session.connection()
            raw = await connection.get_raw_connection()
            self._sqlite = sqlite_of(raw.driver_connection)
            self._sqlite_for = self.session.sync_session.get_transaction()
        return self._sqlite


class UnitOfWork:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        # What is read several times per update (the dialog state), read once.
        self.kept: dict[object, object] = {}
        self.statements = SessionStatements(session)
        self._before_commit: list[Callable[[], Awaitable[None]]] = []
        self._after_commit: list[Callable[[], None]] = []

    def before_commit(self, write: Callable[[], Awaitable[None]]) -> None:
        """Runs `write` at the next commit, before it, in the same transaction: a change made
        several times in an update (the dialog state) is written once."""
        self._before_commit.append(write)

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Runs `callback` once the update's writes are committed (not if they are rolled
        back): wake another loop that should see them, say."""
        self._after_commit.append(callback)

    async def commit(self) -> None:
        while self._before_commit:
            await self._before_commit.pop(0)()
        if self.session.in_transaction():
            await self.session.commit()

    async def rollback(self) -> None:
        self._before_commit.clear()
        self.kept.clear()
        if self.session.in_transaction():
            await self.session.rollback()


def current_unit_of_work() -> UnitOfWork | None:
    return _current.get()


async def commit_before_reply() -> None:
    unit = _current.get()
    if unit is not None:
        await unit.commit()


@asynccontextmanager
async def unit_of_work(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[UnitOfWork]:
    async with sessionmaker() as session:
        unit = UnitOfWork(session)
        token = _current.set(unit)
        try:
            yield unit
            await unit.commit()
            for callback in unit._after_commit:
                callback()
        except BaseException:
            await unit.rollback()
            raise
        finally:
            _current.reset(token)
