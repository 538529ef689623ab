"""The toy's dialog state kept in SQLite, for the durable baseline of bench/update_cost.py: the
least a bot must do to lose nothing on a restart (each change of state committed before the
reply), with aiosqlite and no ORM. haqbot's own storage (storage/fsm_storage.py) does this
through SQLAlchemy inside the update's unit of work."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import aiosqlite
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StateType, StorageKey


class ToySqliteStorage(BaseStorage):
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.connection = connection
        self.key_builder = DefaultKeyBuilder(with_bot_id=True, with_destiny=True)

    @classmethod
    async def open(cls, path: str) -> ToySqliteStorage:
        connection = await aiosqlite.connect(path)
        # The same settings as haqbot's SQLite (storage/database.py).
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=10000"):
            await connection.execute(f"PRAGMA {pragma}")
        await connection.execute(
            "CREATE TABLE IF NOT EXISTS fsm (key TEXT PRIMARY KEY, state TEXT, data TEXT)"
        )
        await connection.execute(
            "CREATE TABLE IF NOT EXISTS signatures (id INTEGER PRIMARY KEY, petition TEXT, "
            "name TEXT, region TEXT)"
        )
        await connection.commit()
        return cls(connection)

    async def _get(self, key: StorageKey) -> tuple[str | None, dict[str, Any]]:
        cursor = await self.connection.execute(
            "SELECT state, data FROM fsm WHERE key = ?", (self.key_builder.build(key),)
        )
        row = await cursor.fetchone()
        return (row[0], json.loads(row[1])) if row else (None, {})

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self.connection.execute(
            "INSERT INTO fsm (key, state, data) VALUES (?, ?, '{}') "
            "ON CONFLICT (key) DO UPDATE SET state = excluded.state",
            (self.key_builder.build(key), value),
        )
        await self.connection.commit()

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._get(key))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self.connection.execute(
            "INSERT INTO fsm (key, state, data) VALUES (?, NULL, ?) "
            "ON CONFLICT (key) DO UPDATE SET data = excluded.data",
            (self.key_builder.build(key), json.dumps(dict(data))),
        )
        await self.connection.commit()

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return (await self._get(key))[1]

    async def sign(self, petition: str, name: str, region: str) -> int:
        """Records a signature and returns the petition's count, in one commit."""
        await self.connection.execute(
            "INSERT INTO signatures (petition, name, region) VALUES (?, ?, ?)",
            (petition, name, region),
        )
        cursor = await self.connection.execute(
            "SELECT count(*) FROM signatures WHERE petition = ?", (petition,)
        )
        (count,) = await cursor.fetchone()  # type: ignore[misc]
        await self.connection.commit()
        return int(count)

    async def close(self) -> None:
        await self.connection.close()
