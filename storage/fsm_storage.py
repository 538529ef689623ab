"""aiogram FSM storage in the bot's own database, for the embedded default.

Within an update it writes through that update's unit of work, so a dialog step and the data it
records commit together. Keys include the destiny, which aiogram-dialog needs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StateType, StorageKey
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.tables import FsmStateRow
from storage.unit_of_work import session_scope


class SqlStorage(BaseStorage):
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        key_builder: KeyBuilder | None = None,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.key_builder = key_builder or DefaultKeyBuilder(with_bot_id=True, with_destiny=True)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        async with session_scope(self.sessionmaker) as session:
            row = await self._row(session, key)
            if row is None:
                if value is None:
                    return
                session.add(FsmStateRow(key=self._key(key), state=value, data={}))
            else:
                row.state = value
            await session.flush()

    async def get_state(self, key: StorageKey) -> str | None:
        async with session_scope(self.sessionmaker) as session:
            row = await self._row(session, key)
            return row.state if row else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        # Refuse what would not survive a restart now, not after it.
        stored = json.loads(json.dumps(dict(data)))
        async with session_scope(self.sessionmaker) as session:
            row = await self._row(session, key)
            if row is None:
                if not stored:
                    return
                session.add(FsmStateRow(key=self._key(key), state=None, data=stored))
            else:
                row.data = stored
            await session.flush()

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with session_scope(self.sessionmaker) as session:
            row = await self._row(session, key)
            return dict(row.data) if row and row.data else {}

    async def close(self) -> None:
        """The engine belongs to the application, which disposes of it."""

    def _key(self, key: StorageKey) -> str:
        return self.key_builder.build(key)

    async def _row(self, session: AsyncSession, key: StorageKey) -> FsmStateRow | None:
        result = await session.execute(
            select(FsmStateRow).where(FsmStateRow.key == self._key(key)).execution_options(
                populate_existing=True
            )
        )
        return result.scalar_one_or_none()
