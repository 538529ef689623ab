"""PostgreSQL and Redis going away under a running bot and coming back (issue 13). A TCP proxy
on loopback stands between the bot and the shared server; the test cuts and restores it. The
user gets a clear "try again" in their language, nothing is half-written, and the bot recovers
without a restart."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.engine import make_url

from emulator.client import EmulatedUserClient, EmulatorClient
from emulator.server import EmulatorServer
from storage.database import create_engine, create_sessionmaker
from storage.petitions import SignatureRepository
from tests.conftest import RunningBot, _reset_postgres, make_settings, start_polling_bot
from tests.tcp_proxy import TcpProxy
from tests.test_petitions import KK, RU, new_supporter

UNAVAILABLE = {
    "ru": "Сервис временно недоступен",
    "kk": "Қызмет уақытша қолжетімсіз",
}


def demand(code: str, number: int) -> str:
    return f"Талап {number} / 8" if code == "kk" else f"Требование {number} из 8"


async def open_petition(user: EmulatedUserClient, words: dict[str, str]) -> None:
    await user.tap(words["menu"])
    await user.tap(next(b for b in user.buttons if b.startswith(words["open"])))
    await user.tap(words["read"])


async def signatures(url: str) -> int:
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            return (await SignatureRepository(session).counts(["petition-2021"])).get(
                "petition-2021", 0
            )
    finally:
        await engine.dispose()


@pytest.fixture
async def client(emulator: EmulatorServer) -> AsyncIterator[EmulatorClient]:
    telegram = EmulatorClient(emulator.url)
    yield telegram
    await telegram.close()


@pytest.mark.postgres
@pytest.mark.parametrize(("code", "words"), [("kk", KK), ("ru", RU)], ids=["kk", "ru"])
async def test_postgresql_goes_away_mid_dialog_and_comes_back(
    postgres_database: str,
    emulator: EmulatorServer,
    client: EmulatorClient,
    code: str,
    words: dict[str, str],
) -> None:
    await _reset_postgres(postgres_database)
    direct = make_url(postgres_database)
    proxy = await TcpProxy(direct.host or "127.0.0.1", direct.port or 5432).start()
    proxied = direct.set(port=proxy.port).render_as_string(hide_password=False)
    running: RunningBot = await start_polling_bot(make_settings(proxied), emulator)
    try:
        user = await new_supporter(client, "Айгерим", words, code)
        await open_petition(user, words)
        await user.tap(words["agree"])
        await user.tap(words["agree"])
        before = user.last_message
        assert before.startswith(demand(code, 3)), before

        await proxy.cut()
        await user.tap(words["agree"])  # the dialog state itself lives in the database
        assert user.last_answer is not None and UNAVAILABLE[code] in user.last_answer["text"]
        assert user.last_answer.get("show_alert"), "a tap is answered where the user looks"
        assert user.last_message == before, "the screen is left as it was"

        await proxy.start()
        await user.tap(words["agree"])  # the same button, once the database is back
        assert user.last_message.startswith(demand(code, 4)), user.last_message
        for _ in range(5):
            await user.tap(words["agree"])
        assert words["ask_name"] in user.last_message

        await proxy.cut()
        await user.send("Айгерим Нұрланқызы")  # typed text: the answer is a message
        assert UNAVAILABLE[code] in user.last_message
        assert await signatures(postgres_database) == 0, "nothing half-written"

        await proxy.start()
        await user.send("Айгерим Нұрланқызы")
        await user.tap(words["region"])
        await user.tap(words["sign"])
        assert words["signed"] in user.last_message
        assert await signatures(postgres_database) == 1
    finally:
        await running.stop()
        await proxy.close()


def _redis_reachable() -> None:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=2).close()
    except OSError as error:
        pytest.skip(f"Redis not reachable on 127.0.0.1:6379 ({error})")


async def test_redis_goes_away_mid_dialog_and_comes_back(
    sqlite_url: str, emulator: EmulatorServer, client: EmulatorClient
) -> None:
    """Scaled mode keeps dialog state in Redis: while it is away a tap gets "try again"; the
    dialog goes on from the same step once it is back."""
    from redis.asyncio import Redis

    _redis_reachable()
    proxy = await TcpProxy("127.0.0.1", 6379).start()
    url = f"redis://127.0.0.1:{proxy.port}/14"
    async with Redis.from_url("redis://127.0.0.1:6379/14") as redis:
        await redis.flushdb()
    running = await start_polling_bot(make_settings(sqlite_url, redis={"url": url}), emulator)
    try:
        assert type(running.app.storage).__name__ == "RedisStorage"
        user = await new_supporter(client, "Данияр", RU, "ru")
        await open_petition(user, RU)
        await user.tap(RU["agree"])
        before = user.last_message
        assert before.startswith("Требование 2 из 8"), before

        await proxy.cut()
        await user.tap(RU["agree"])
        assert user.last_answer is not None and UNAVAILABLE["ru"] in user.last_answer["text"]
        assert user.last_message == before

        await proxy.start()
        await user.tap(RU["agree"])
        assert user.last_message.startswith("Требование 3 из 8"), user.last_message
    finally:
        await running.stop()
        await proxy.close()
        async with Redis.from_url("redis://127.0.0.1:6379/14") as redis:
            await redis.flushdb()


def test_only_an_unreachable_service_counts_as_an_outage() -> None:
    """A bug stays a bug (logged with its traceback, "something went wrong"); only a service
    that cannot be reached gets "try again in a minute"."""
    import redis.exceptions
    from sqlalchemy import exc

    from storage.outages import unavailable_service

    refused = ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")
    wrapped = exc.OperationalError("SELECT 1", {}, refused)
    try:
        raise RuntimeError("while reading the dialog state") from wrapped
    except RuntimeError as chained:
        assert unavailable_service(chained) == "database"
    assert unavailable_service(refused) == "database"
    assert unavailable_service(redis.exceptions.ConnectionError("Connection reset")) == "redis"
    for bug in (ValueError("bad"), KeyError("doubt_position"), FileNotFoundError(2, "gone")):
        assert unavailable_service(bug) is None, bug
    assert unavailable_service(exc.IntegrityError("INSERT", {}, Exception("dup"))) is None
