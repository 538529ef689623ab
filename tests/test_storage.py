"""Repositories, the unit of work and the dialog-state storage, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from models.tables import FsmStateRow, UserRow, utc_now
from models.user import Role
from services.users import user_overview
from storage import fsm_storage
from storage.database import create_sessionmaker
from storage.fsm_storage import SqlStorage
from storage.unit_of_work import unit_of_work
from storage.users import UserRepository


class Survey(StatesGroup):
    name = State()
    confirm = State()


# For what only SQLite does (its own connection, its write lock): conftest's migrated `engine`,
# on its SQLite file only.
on_sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def key(user_id: int, destiny: str = "default") -> StorageKey:
    return StorageKey(bot_id=1, chat_id=user_id, user_id=user_id, destiny=destiny)


async def test_user_is_created_once_and_language_saved(engine: AsyncEngine) -> None:
    sessionmaker = create_sessionmaker(engine)
    async with unit_of_work(sessionmaker) as unit:
        users = UserRepository(unit.session)
        user, created = await users.get_or_create(5000000001)  # beyond 32 bits: Telegram ids are
        assert created and user.language is None and user.role is Role.MEMBER
        again, created_again = await users.get_or_create(5000000001)
        assert not created_again and again.telegram_id == user.telegram_id
        await users.set_language(5000000001, "kk")
    async with sessionmaker() as session:
        stored = await UserRepository(session).get(5000000001)
    assert stored is not None and stored.language == "kk"


async def test_unit_of_work_rolls_back_everything_on_error(engine: AsyncEngine) -> None:
    sessionmaker = create_sessionmaker(engine)
    storage = SqlStorage(sessionmaker)
    with pytest.raises(RuntimeError):
        async with unit_of_work(sessionmaker) as unit:
            await UserRepository(unit.session).get_or_create(11)
            await storage.set_state(key(11), Survey.name)
            raise RuntimeError("handler failed")
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(UserRow)) == 0
    assert await storage.get_state(key(11)) is None, "state and data commit together or not at all"


async def test_after_commit_runs_once_the_writes_are_committed_and_never_on_rollback(
    engine: AsyncEngine,
) -> None:
    sessionmaker = create_sessionmaker(engine)
    seen: list[int] = []

    async def users_now() -> int:
        async with sessionmaker() as session:
            return int(await session.scalar(select(func.count()).select_from(UserRow)) or 0)

    async with unit_of_work(sessionmaker) as unit:
        await UserRepository(unit.session).get_or_create(12)
        unit.after_commit(lambda: seen.append(12))
        assert seen == [], "not while the update is still writing"
    assert seen == [12] and await users_now() == 1
    with pytest.raises(RuntimeError):
        async with unit_of_work(sessionmaker) as unit:
            await UserRepository(unit.session).get_or_create(13)
            unit.after_commit(lambda: seen.append(13))
            raise RuntimeError("handler failed")
    assert seen == [12] and await users_now() == 1


async def test_overview_counts_by_language(engine: AsyncEngine) -> None:
    sessionmaker = create_sessionmaker(engine)
    async with unit_of_work(sessionmaker) as unit:
        users = UserRepository(unit.session)
        for telegram_id, language in [(1, "kk"), (2, "kk"), (3, "ru"), (4, None)]:
            await users.get_or_create(telegram_id)
            if language:
                await users.set_language(telegram_id, language)
        overview = await user_overview(users)
    assert (overview.total, overview.kazakh, overview.russian, overview.undecided) == (4, 2, 1, 1)


async def test_dialog_state_round_trip_and_destinies_are_separate(engine: AsyncEngine) -> None:
    storage = SqlStorage(create_sessionmaker(engine))
    assert await storage.get_state(key(7)) is None
    assert await storage.get_data(key(7)) == {}
    await storage.set_state(key(7), Survey.name)
    await storage.set_data(key(7), {"name": "Әсел", "pages": [1, 2], "nested": {"ok": True}})
    await storage.set_state(key(7, destiny="aiogram_dialog_stack"), "stack")
    assert await storage.get_state(key(7)) == "Survey:name"
    assert await storage.get_data(key(7)) == {
        "name": "Әсел",
        "pages": [1, 2],
        "nested": {"ok": True},
    }
    assert await storage.get_state(key(7, destiny="aiogram_dialog_stack")) == "stack"
    assert await storage.get_data(key(7, destiny="aiogram_dialog_stack")) == {}
    assert await storage.update_data(key(7), {"step": 2}) == {
        "name": "Әсел",
        "pages": [1, 2],
        "nested": {"ok": True},
        "step": 2,
    }
    await storage.set_state(key(7), None)
    assert await storage.get_state(key(7)) is None
    assert (await storage.get_data(key(7)))["step"] == 2, "clearing the state keeps the data"


async def test_state_that_would_not_survive_a_restart_is_refused(engine: AsyncEngine) -> None:
    storage = SqlStorage(create_sessionmaker(engine))
    with pytest.raises(TypeError):
        await storage.set_data(key(8), {"when": object()})


async def test_concurrent_updates_do_not_lose_writes(engine: AsyncEngine) -> None:
    """Many users at once: every write lands (SQLite: one writer connection, no 'locked')."""
    sessionmaker = create_sessionmaker(engine)
    storage = SqlStorage(sessionmaker)

    async def one_user(telegram_id: int) -> None:
        async with unit_of_work(sessionmaker) as unit:
            await UserRepository(unit.session).get_or_create(telegram_id)
            await storage.set_state(key(telegram_id), Survey.confirm)
            await asyncio.sleep(0)  # let other updates interleave mid-transaction
            await UserRepository(unit.session).set_language(telegram_id, "ru")

    await asyncio.gather(*(one_user(100 + n) for n in range(50)))
    async with sessionmaker() as session:
        assert (
            await session.scalar(
                select(func.count()).select_from(UserRow).where(UserRow.language == "ru")
            )
            == 50
        )
    assert await storage.get_state(key(149)) == "Survey:confirm"


async def test_changing_returned_data_in_place_does_not_lose_the_next_write(
    engine: AsyncEngine,
) -> None:
    """A handler appends to a list it got from get_data, then saves it, in one update; the next
    update (a new session) must see the appended item."""
    sessionmaker = create_sessionmaker(engine)
    storage = SqlStorage(sessionmaker)
    await storage.set_data(key(9), {"precincts": [1]})
    async with unit_of_work(sessionmaker):
        data = await storage.get_data(key(9))
        data["precincts"].append(2)
        assert (await storage.get_data(key(9)))["precincts"] == [1], (
            "the stored state is not aliased"
        )
        await storage.update_data(key(9), {"precincts": data["precincts"]})
    assert (await storage.get_data(key(9)))["precincts"] == [1, 2]


def test_a_second_bot_on_the_same_sqlite_file_is_refused(tmp_path, capsys, monkeypatch) -> None:
    """Issue 13: two `bot.py run` on one SQLite file both polled (409s) and wrote the same file."""
    import bot
    from storage.database import DatabaseInUse, hold_single_process_lock

    url = f"sqlite+aiosqlite:///{tmp_path / 'haqbot.sqlite3'}"
    first = hold_single_process_lock(url)
    assert first is not None
    try:
        with pytest.raises(DatabaseInUse, match="another haqbot process is already running"):
            hold_single_process_lock(url)
        monkeypatch.setenv("HAQBOT_DATABASE__URL", url)
        assert bot.main(["run"]) == 1
        assert "another haqbot process is already running" in capsys.readouterr().err
    finally:
        first.close()
    second = hold_single_process_lock(url)
    assert second is not None, "free again once the first process is gone"
    second.close()
    assert hold_single_process_lock("postgresql+asyncpg://postgres@127.0.0.1/x") is None


async def test_sqlite_statements_run_on_the_event_loops_thread_and_fail_as_before(
    tmp_path,
) -> None:
    """aiosqlite's thread hand-offs cost a button tap more CPU than SQLite itself (issue 15,
    bench/README.md): the embedded default runs its statements inline. A refused write still
    raises SQLAlchemy's IntegrityError, the transaction rolls back, and the connection goes on."""
    import threading

    from sqlalchemy import event, text
    from sqlalchemy.exc import IntegrityError

    from storage.database import create_engine

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'haqbot.sqlite3'}")
    event.listen(
        engine.sync_engine,
        "connect",
        lambda connection, _: connection.create_function("thread_id", 0, threading.get_ident),
    )
    try:
        async with engine.begin() as connection:
            assert await connection.scalar(text("SELECT thread_id()")) == threading.get_ident()
            await connection.execute(text("CREATE TABLE kept (id INTEGER PRIMARY KEY)"))
            await connection.execute(text("INSERT INTO kept VALUES (1)"))
        with pytest.raises(IntegrityError):
            async with engine.begin() as connection:
                await connection.execute(text("INSERT INTO kept VALUES (2)"))
                await connection.execute(text("INSERT INTO kept VALUES (1)"))
        async with engine.connect() as connection:
            ids = (await connection.execute(text("SELECT id FROM kept"))).scalars().all()
        assert ids == [1], "the failed transaction left nothing behind"
    finally:
        await engine.dispose()


@on_sqlite_only
async def test_a_write_waits_for_another_process_holding_sqlites_lock_and_lands(
    tmp_path, engine: AsyncEngine
) -> None:
    """With SQLite's statements on the event loop (storage/inline_sqlite.py), a write while a
    command-line import holds the database's write lock still waits for it (busy_timeout) and
    lands, instead of failing with "database is locked"."""
    import sqlite3
    import threading

    path = tmp_path / "haqbot.sqlite3"
    locked = threading.Event()

    def import_from_the_command_line() -> None:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # the write lock, held for a while
        locked.set()
        threading.Event().wait(0.5)
        other.execute("COMMIT")
        other.close()

    holder = threading.Thread(target=import_from_the_command_line)
    holder.start()
    try:
        assert await asyncio.to_thread(locked.wait, 5)
        async with unit_of_work(create_sessionmaker(engine)) as unit:
            await UserRepository(unit.session).get_or_create(31)
    finally:
        holder.join()
    async with create_sessionmaker(engine)() as session:
        assert await UserRepository(session).get(31) is not None


async def test_prepared_statements_belong_to_the_transaction_they_run_in(
    engine: AsyncEngine,
) -> None:
    """The dialog state's and the user's statements run on SQLite's own connection (below). A
    write through them commits and rolls back with the update; after a commit mid-update (the one
    before each reply) the next write is in the next transaction, so a rollback still undoes it
    and nothing is left pending on a connection the pool hands to another update."""
    sessionmaker = create_sessionmaker(engine)
    storage = SqlStorage(sessionmaker)
    await storage.set_data(key(41), {"step": 1})
    with pytest.raises(RuntimeError):
        async with unit_of_work(sessionmaker) as unit:
            await storage.set_data(key(41), {"step": 2})
            await unit.commit()  # before a reply
            await storage.set_data(key(41), {"step": 3})
            await unit.statements.run(
                fsm_storage._UPDATE,
                chat_key=storage.key_builder.build(key(41)),
                state=None,
                data={"step": 4},
                updated_at=utc_now(),
            )
            raise RuntimeError("handler failed after its reply")
    assert await storage.get_data(key(41)) == {"step": 2}
    async with unit_of_work(sessionmaker) as unit:
        await UserRepository(unit.session, unit.statements).get_or_create(41)
    async with sessionmaker() as session:
        row = await session.get(FsmStateRow, storage.key_builder.build(key(41)))
        user = await UserRepository(session).get(41)
    # What the prepared statements wrote reads back through the ORM as its own writes do.
    assert row is not None and row.data == {"step": 2} and row.updated_at.year >= 2026
    assert user is not None and user.role is Role.MEMBER


@on_sqlite_only
async def test_on_sqlite_the_prepared_statements_bypass_sqlalchemy(
    engine: AsyncEngine,
) -> None:
    """Through SQLAlchemy's connection each of these statements cost several times what SQLite
    takes to run it (issue 15, bench/README.md, eleventh session): on SQLite they run on its
    own connection. Only the new user's INSERT goes through SQLAlchemy."""
    from sqlalchemy import event

    through_sqlalchemy: list[str] = []
    event.listen(
        engine.sync_engine,
        "before_cursor_execute",
        lambda _c, _cu, statement, *_: through_sqlalchemy.append(statement.split()[0]),
    )
    sessionmaker = create_sessionmaker(engine)
    storage = SqlStorage(sessionmaker)
    for step in range(3):
        async with unit_of_work(sessionmaker) as unit:
            await UserRepository(unit.session, unit.statements).get_or_create(42)
            await storage.set_state(key(42), Survey.name)
            await storage.set_data(key(42), {"step": step})
    assert await storage.get_data(key(42)) == {"step": 2}
    assert through_sqlalchemy == ["INSERT"]


@on_sqlite_only
async def test_a_prepared_statement_fails_as_sqlalchemy_would(
    tmp_path, engine: AsyncEngine
) -> None:
    """On SQLite's own connection a failure is still SQLAlchemy's error: a write lock held past
    busy_timeout is an OperationalError, which the errors router tells the user is the database
    being away for a moment (not a bug), and the update rolls back."""
    import sqlite3

    from sqlalchemy import event
    from sqlalchemy.exc import OperationalError

    from storage.outages import unavailable_service

    path = tmp_path / "haqbot.sqlite3"
    event.listen(
        engine.sync_engine,
        "connect",
        lambda connection, _: connection.cursor().execute("PRAGMA busy_timeout=50"),
    )
    sessionmaker = create_sessionmaker(engine)
    storage = SqlStorage(sessionmaker)
    await storage.set_data(key(43), {"step": 1})
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process's write, held
    try:
        with pytest.raises(OperationalError) as raised:
            async with unit_of_work(sessionmaker):
                await storage.set_data(key(43), {"step": 2})
        assert "database is locked" in str(raised.value)
        assert unavailable_service(raised.value) == "database"
    finally:
        other.execute("COMMIT")
        other.close()
    assert await storage.get_data(key(43)) == {"step": 1}
