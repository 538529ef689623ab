"""One unit of work per update: every write of one update commits together, or not at all.

It commits at the end of the update and also just before the bot sends anything to Telegram
(runtime.telegram_client calls `commit_before_reply`), so a user is never told "saved" about
something that is not, a Telegram outage while replying loses nothing already received, and
SQLite's single writer is not held while we wait on the network.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

_current: ContextVar[UnitOfWork | None] = ContextVar("haqbot_unit_of_work", default=None)
# Rows read for this update before its unit of work began: aiogram reads the dialog state to pick
# a handler, under the per-user lock, outside any middleware of ours. Handed to the unit so the
# same row is not read twice (one SELECT less per update); no one else can change it meanwhile.
_read_before: ContextVar[dict[object, object] | None] = ContextVar(
    "haqbot_read_before_unit", default=None
)


def remember_read(key: object, row: object) -> None:
    """A row (or None: no row) read outside a unit of work, for the unit that follows."""
    read = _read_before.get()
    if read is None:
        read = {}
        _read_before.set(read)
    read[key] = row


def forget_read(key: object) -> None:
    """A row written outside a unit of work: what was remembered of it is out of date."""
    read = _read_before.get()
    if read is not None:
        read.pop(key, None)


class UnitOfWork:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        # Rows read several times per update (dialog state). The session's identity map holds
        # unchanged objects only weakly, so without this each read would query again.
        self.kept: dict[object, object] = {}
        # Rows this update read before the unit began (detached; see remember_read).
        self.read_before: dict[object, object] = {}
        self._after_commit: list[Callable[[], None]] = []

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Runs `callback` once the update's writes are committed (not if they are rolled
        back): wake another loop that should see them, say."""
        self._after_commit.append(callback)

    async def commit(self) -> None:
        if self.session.in_transaction():
            await self.session.commit()

    async def rollback(self) -> None:
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
        unit.read_before = _read_before.get() or {}
        _read_before.set(None)  # one update's reads, never the next one's
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


@asynccontextmanager
async def session_scope(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """The current update's session if there is one, else a short transaction of its own."""
    unit = _current.get()
    if unit is not None:
        yield unit.session
        return
    async with sessionmaker() as session, session.begin():
        yield session
