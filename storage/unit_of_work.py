"""One unit of work per update: every write of one update commits together, or not at all.

It commits at the end of the update and also just before the bot sends anything to Telegram
(runtime.telegram_client calls `commit_before_reply`), so a user is never told "saved" about
something that is not, a Telegram outage while replying loses nothing already received, and
SQLite's single writer is not held while we wait on the network.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

_current: ContextVar[UnitOfWork | None] = ContextVar("haqbot_unit_of_work", default=None)


class UnitOfWork:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        # Rows read several times per update (dialog state). The session's identity map holds
        # unchanged objects only weakly, so without this each read would query again.
        self.kept: dict[object, object] = {}

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
        token = _current.set(unit)
        try:
            yield unit
            await unit.commit()
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
