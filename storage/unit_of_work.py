"""One unit of work per update: every write of one update commits together, or not at all.

It commits at the end of the update and also just before the bot sends anything to Telegram
(runtime.telegram_client calls `commit_before_reply`), so a user is never told "saved" about
something that is not, a Telegram outage while replying loses nothing already received, and
SQLite's single writer is not held while we wait on the network.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

_current: ContextVar[UnitOfWork | None] = ContextVar("haqbot_unit_of_work", default=None)


class UnitOfWork:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        # What is read several times per update (the dialog state), read once.
        self.kept: dict[object, object] = {}
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
