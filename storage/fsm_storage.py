"""aiogram FSM storage in the bot's own database, for the embedded default.

Within an update it works through that update's unit of work: a chat's dialog state is read once
(aiogram's own read, to pick a handler, included: runtime.middlewares.DialogUnitMiddleware) and
written once, when the unit commits, so a dialog step and the data it records commit together.
Prepared statements, not ORM objects (on SQLite run on its own connection): this runs on every
update (bench/README.md). Keys include the destiny (aiogram-dialog's, should it be adopted).
"""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import (
    BaseStorage,
    DefaultKeyBuilder,
    KeyBuilder,
    StateType,
    StorageKey,
)
from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.tables import FsmStateRow, utc_now
from storage.inline_sqlite import PreparedStatement
from storage.unit_of_work import UnitOfWork, current_unit_of_work, unit_of_work

_TABLE = FsmStateRow.__table__
_WRITTEN = ("state", "data", "updated_at")
# Built once: building a statement costs more CPU than SQLite takes to run it.
_READ = PreparedStatement(
    select(_TABLE.c.state, _TABLE.c.data).where(_TABLE.c.key == bindparam("chat_key"))
)
_UPDATE = PreparedStatement(update(_TABLE).where(_TABLE.c.key == bindparam("chat_key")), _WRITTEN)
_INSERT = PreparedStatement(insert(_TABLE), ("key", *_WRITTEN))
_DELETE = PreparedStatement(delete(_TABLE).where(_TABLE.c.key == bindparam("chat_key")))


@dataclass
class _Dialog:
    """One chat's dialog state as the current update sees it."""

    key: str  # the table's key: chat, user and destiny
    state: str | None
    data: dict[str, Any]
    stored: bool  # the table has its row
    changed: bool = False  # a write is due when the unit commits


class SqlStorage(BaseStorage):
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        key_builder: KeyBuilder | None = None,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.key_builder = key_builder or DefaultKeyBuilder(with_bot_id=True, with_destiny=True)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        async with self._unit() as unit:
            dialog = await self._dialog(unit, key)
            dialog.state = state.state if isinstance(state, State) else state
            self._changed(unit, dialog)

    async def get_state(self, key: StorageKey) -> str | None:
        async with self._unit() as unit:
            return (await self._dialog(unit, key)).state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        # Refuse what would not survive a restart now, not after it; and keep a copy of our own.
        stored = json.loads(json.dumps(dict(data)))
        async with self._unit() as unit:
            dialog = await self._dialog(unit, key)
            dialog.data = stored
            self._changed(unit, dialog)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with self._unit() as unit:
            # A copy: a caller changing a nested list must not change the state behind our back.
            return copy.deepcopy((await self._dialog(unit, key)).data)

    async def close(self) -> None:
        """The engine belongs to the application, which disposes of it."""

    @asynccontextmanager
    async def _unit(self) -> AsyncIterator[UnitOfWork]:
        """The update's unit of work; outside an update (a test, a command), a short one."""
        unit = current_unit_of_work()
        if unit is not None:
            yield unit
            return
        async with unit_of_work(self.sessionmaker) as own:
            yield own

    async def _dialog(self, unit: UnitOfWork, key: StorageKey) -> _Dialog:
        chat_key = self.key_builder.build(key)
        dialog = unit.kept.get(("fsm", chat_key))
        if isinstance(dialog, _Dialog):
            return dialog
        row = await unit.statements.first(_READ, chat_key=chat_key)
        dialog = (
            _Dialog(chat_key, row["state"], row["data"] or {}, True)
            if row
            else _Dialog(chat_key, None, {}, False)
        )
        unit.kept[("fsm", chat_key)] = dialog
        return dialog

    def _changed(self, unit: UnitOfWork, dialog: _Dialog) -> None:
        if not dialog.changed:
            dialog.changed = True
            unit.before_commit(partial(self._write, unit, dialog))

    async def _write(self, unit: UnitOfWork, dialog: _Dialog) -> None:
        key = dialog.key
        dialog.changed = False
        if dialog.state is None and not dialog.data:
            # Nothing left to keep: no row (a finished dialog leaves no trace behind).
            if dialog.stored:
                await unit.statements.run(_DELETE, chat_key=key)
                dialog.stored = False
            return
        values = {"state": dialog.state, "data": dialog.data, "updated_at": utc_now()}
        if dialog.stored:
            await unit.statements.run(_UPDATE, chat_key=key, **values)
        else:
            await unit.statements.run(_INSERT, key=key, **values)
            dialog.stored = True
