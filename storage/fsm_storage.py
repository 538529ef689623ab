"""aiogram FSM storage in the bot's own database, for the embedded default.

Within an update it writes through that update's unit of work, so a dialog step and the data it
records commit together. Keys include the destiny (aiogram-dialog's, should it be adopted).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import (
    BaseStorage,
    DefaultKeyBuilder,
    KeyBuilder,
    StateType,
    StorageKey,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm.attributes import flag_modified

from models.tables import FsmStateRow
from storage.unit_of_work import (
    current_unit_of_work,
    forget_read,
    remember_read,
    session_scope,
)


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
        forget_read(("fsm", self._key(key)))
        async with session_scope(self.sessionmaker) as session:
            row = await self._row(session, key)
            if row is None:
                if value is None:
                    return
                self._keep(session, FsmStateRow(key=self._key(key), state=value, data={}))
            else:
                row.state = value
            await session.flush()

    async def get_state(self, key: StorageKey) -> str | None:
        async with session_scope(self.sessionmaker) as session:
            row = await self._row(session, key, remember=True)
            return row.state if row else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        # Refuse what would not survive a restart now, not after it.
        stored = json.loads(json.dumps(dict(data)))
        forget_read(("fsm", self._key(key)))
        async with session_scope(self.sessionmaker) as session:
            row = await self._row(session, key)
            if row is None:
                if not stored:
                    return
                self._keep(session, FsmStateRow(key=self._key(key), state=None, data=stored))
            else:
                row.data = stored
                # Always written: an equal value after an in-place change would be skipped.
                flag_modified(row, "data")
            await session.flush()

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with session_scope(self.sessionmaker) as session:
            row = await self._row(session, key, remember=True)
            # A deep copy: a caller changing a nested list must not change the stored state
            # behind the storage's back (SQLAlchemy would then see nothing to write).
            return copy.deepcopy(row.data) if row and row.data else {}

    async def close(self) -> None:
        """The engine belongs to the application, which disposes of it."""

    def _keep(self, session: AsyncSession, row: FsmStateRow) -> None:
        session.add(row)
        unit = current_unit_of_work()
        if unit is not None and unit.session is session:
            unit.kept[("fsm", row.key)] = row

    def _key(self, key: StorageKey) -> str:
        return self.key_builder.build(key)

    async def _row(
        self, session: AsyncSession, key: StorageKey, remember: bool = False
    ) -> FsmStateRow | None:
        # aiogram reads the state several times per update: within an update the row is read
        # once and kept (per-user event isolation means no one else changes it meanwhile).
        unit = current_unit_of_work()
        cache_key = ("fsm", self._key(key))
        in_unit = unit is not None and unit.session is session
        if in_unit and cache_key in unit.kept:  # type: ignore[union-attr]
            return unit.kept[cache_key]  # type: ignore[union-attr, return-value]
        if in_unit and cache_key in unit.read_before:  # type: ignore[union-attr]
            earlier = unit.read_before.pop(cache_key)  # type: ignore[union-attr]
            if earlier is None:
                return None  # no dialog state when aiogram looked, and nobody wrote one since
            row = await session.merge(earlier, load=False)  # attached without a SELECT
        else:
            row = await session.get(FsmStateRow, self._key(key))
            if unit is None and remember:
                remember_read(cache_key, row)
        if in_unit and row is not None:
            unit.kept[cache_key] = row  # type: ignore[union-attr]
        return row
