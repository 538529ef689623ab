"""Shared fixtures: settings, databases (SQLite and PostgreSQL), and the bot on the emulator."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from emulator.client import EmulatorClient
from emulator.server import LOCAL_TOKEN, EmulatorServer
from runtime.app import Application, build_application, run_polling, start_webhook
from settings import PROJECT_ROOT, Settings
from storage import migrate
from storage.database import create_engine

COORDINATOR_ID = 424242
TEST_ENCRYPTION_KEY = "k" * 43 + "="  # a valid Fernet key made for the tests only
POSTGRES_URL = os.environ.get(
    "HAQBOT_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
OUTPUT_DIR = PROJECT_ROOT / "test-output"


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own HAQBOT_* variables must not change what the tests see."""
    for name in list(os.environ):
        if name.startswith("HAQBOT_") and name != "HAQBOT_TEST_POSTGRES_URL":
            monkeypatch.delenv(name)


def _merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in overrides.items():
        merged[key] = _merge(merged.get(key, {}), value) if isinstance(value, dict) else value
    return merged


def make_settings(database_url: str, **overrides: Any) -> Settings:
    base: dict[str, Any] = {
        "database": {"url": database_url},
        "coordinators": {"ids": [COORDINATOR_ID]},
        "telegram": {"request_timeout_seconds": 10, "retry_after_max_seconds": 10},
        "security": {"encryption_key": TEST_ENCRYPTION_KEY},
        # Channel tests drive the publishing themselves, on a clock of their own.
        "schedule": {"channel_posts": False},
    }
    return Settings(**_merge(base, overrides))


# --- databases -------------------------------------------------------------------------------


def _postgres_reachable() -> str | None:
    url = make_url(POSTGRES_URL)
    try:
        with socket.create_connection((url.host or "127.0.0.1", url.port or 5432), timeout=2):
            return None
    except OSError as error:
        return f"PostgreSQL not reachable at {url.host}:{url.port} ({error})"


async def _admin(statement: str) -> None:
    import asyncpg

    url = make_url(POSTGRES_URL)
    connection = await asyncpg.connect(
        host=url.host,
        port=url.port,
        user=url.username,
        password=url.password,
        database=url.database,
    )
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def _run_in_own_loop(coroutine: Any) -> Any:
    """Session fixtures may be first requested inside a test's running loop."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A database of this test run's own on the PostgreSQL server, dropped afterwards."""
    reason = _postgres_reachable()
    if reason:
        pytest.skip(reason)
    name = f"haqbot_test_{uuid.uuid4().hex[:10]}"
    _run_in_own_loop(_admin(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        _run_in_own_loop(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _reset_postgres(url: str) -> None:
    import asyncpg

    parsed = make_url(url)
    connection = await asyncpg.connect(
        host=parsed.host,
        port=parsed.port,
        user=parsed.username,
        password=parsed.password,
        database=parsed.database,
    )
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file, then the same test on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'haqbot.sqlite3'}"
    url = request.getfixturevalue("postgres_database")
    await _reset_postgres(url)
    return url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """A migrated database."""
    engine = create_engine(database_url)
    await migrate.upgrade(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'haqbot.sqlite3'}"


@pytest.fixture
def settings(sqlite_url: str) -> Settings:
    return make_settings(sqlite_url)


# --- the bot on the emulator -----------------------------------------------------------------


@dataclass
class RunningBot:
    app: Application
    task: asyncio.Task[None] | None = None
    runner: Any = None

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
        if self.task is not None:
            # stop_polling(), not cancelling the task: aiogram's start_polling does not cancel its
            # getUpdates loop when it is itself cancelled, so that loop lived on and took updates
            # meant for the next bot of a restart test (handling them after its shutdown).
            if not self.task.done():
                with contextlib.suppress(RuntimeError, TimeoutError):
                    await asyncio.wait_for(self.app.dispatcher.stop_polling(), 10)
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        await self.app.close()


def _bot_application(settings: Settings, server: EmulatorServer) -> Application:
    async def settled(update_id: int) -> None:
        server.world.settle(update_id)

    server.world.settle_hook_attached = True
    return build_application(settings, token=LOCAL_TOKEN, api_base=server.url, on_settled=settled)


async def start_polling_bot(settings: Settings, server: EmulatorServer) -> RunningBot:
    """The bot polling the emulator, returned once its start-up (migrations, commands) is done."""
    app = _bot_application(settings, server)
    started = asyncio.Event()

    async def on_startup() -> None:
        started.set()

    app.dispatcher.startup.register(on_startup)
    task = asyncio.create_task(run_polling(app, handle_signals=False))
    waiter = asyncio.create_task(started.wait())
    await asyncio.wait({task, waiter}, timeout=30, return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        waiter.cancel()
        task.result()  # start-up failed: raise its error here
    if not started.is_set():
        task.cancel()
        raise TimeoutError("the bot did not start within 30 s")
    return RunningBot(app, task=task)


async def start_webhook_bot(settings: Settings, server: EmulatorServer) -> RunningBot:
    app = _bot_application(settings, server)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    try:
        runner = await start_webhook(app, "127.0.0.1", port, f"http://127.0.0.1:{port}")
    except BaseException:
        await app.close()
        raise
    return RunningBot(app, runner=runner)


@pytest.fixture
async def emulator() -> AsyncIterator[EmulatorServer]:
    # Rate limits off by default so a fast test is not slowed by 429s; tests of them turn them on.
    server = await EmulatorServer(port=0, rate_limits=False).start()
    yield server
    await server.stop()


@pytest.fixture
async def bot(settings: Settings, emulator: EmulatorServer) -> AsyncIterator[RunningBot]:
    running = await start_polling_bot(settings, emulator)
    yield running
    await running.stop()


@pytest.fixture
async def telegram(emulator: EmulatorServer, bot: RunningBot) -> AsyncIterator[EmulatorClient]:
    """The people's side of the emulator, with the bot running."""
    client = EmulatorClient(emulator.url)
    yield client
    await client.close()


@pytest.fixture
def output_dir(request: pytest.FixtureRequest) -> Path:
    """Where a test leaves files for a person to look at (screenshots), under test-output/."""
    path = OUTPUT_DIR / request.node.name.replace("/", "_")
    path.mkdir(parents=True, exist_ok=True)
    return path


def earlier_texts(emulator: EmulatorServer, chat_id: int) -> list[str]:
    """What the bot's messages in a chat said before they were edited (progress notes that
    became their result), oldest first."""
    return [
        text
        for message in emulator.world.chats[chat_id].messages.values()
        for text in message.get("x_earlier", [])
    ]
