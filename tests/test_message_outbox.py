"""The message outbox: coordinators' alerts survive a crash between the commit and the send, and
a broadcast reaches thousands of observers at Telegram's pace without a 429."""

from __future__ import annotations

import asyncio
import time

import pytest
from sqlalchemy import func, select

from emulator.client import EmulatorClient
from emulator.server import EmulatorServer
from models.tables import ObserverPrecinctRow, ObserverRow, OutgoingMessageRow, PrecinctRow, UserRow
from settings import Settings
from tests.conftest import COORDINATOR_ID, RunningBot, make_settings, start_polling_bot
from tests.test_protocols import observer


async def report_critical(user) -> None:
    await user.send("/incident")
    await user.tap("Права наблюдателя")
    await user.tap("Удаление наблюдателя с участка")
    await user.tap("🕒 Сейчас")
    await user.send("Председатель потребовал выйти.")
    await user.tap("Пропустить")
    await user.press("Пропустить")


async def wait_for(condition, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not await condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.2)


async def test_an_alert_survives_a_crash_between_commit_and_send(
    sqlite_url: str, emulator: EmulatorServer
) -> None:
    settings = make_settings(sqlite_url, telegram={"request_retries": 0})
    running = await start_polling_bot(settings, emulator)
    client = EmulatorClient(emulator.url)
    try:
        hq = await client.new_user("HQ", language_code="ru", user_id=COORDINATOR_ID)
        user = await observer(client, running)
        await report_critical(user)
        # Telegram refuses every new message from now on: the alert cannot go out (the
        # observer's review screen is edited, so they still see the answer).
        await client.set_faults("error", count=10_000, methods=["sendMessage"])
        await user.tap("📨 Отправить")
        assert user.last_message.startswith("✅ Отправлено. Это срочное нарушение"), (
            "the report itself is saved"
        )
        await hq.refresh()
        assert not any((m.get("text") or "").startswith("🚨") for m in hq.bot_messages)
        async with running.app.sessionmaker() as session:
            [row] = (await session.execute(select(OutgoingMessageRow))).scalars().all()
        assert (row.status, row.chat_id) == ("pending", COORDINATOR_ID), (
            "the alert waits in the outbox"
        )
        await running.stop()  # the process dies with the alert unsent
        await client.set_faults("off")
        running = await start_polling_bot(settings, emulator)

        async def delivered() -> bool:
            await hq.refresh()
            return any((m.get("text") or "").startswith("🚨") for m in hq.bot_messages)

        await wait_for(delivered)
        await asyncio.sleep(1.5)  # a second round of the loop must not send it again
        await hq.refresh()
        assert len([m for m in hq.bot_messages if (m.get("text") or "").startswith("🚨")]) == 1, (
            "delivered once"
        )
    finally:
        await client.close()
        await running.stop()


@pytest.fixture
def settings(sqlite_url: str) -> Settings:
    # The emulator's global limit below is 100 messages a second; the bot keeps to 90.
    return make_settings(sqlite_url, telegram={"messages_per_second": 90})


async def add_observers(bot: RunningBot, telegram: EmulatorClient, count: int) -> list[int]:
    """`count` approved observers, each a Telegram user of the emulator, half kk, half ru."""
    from runtime.launcher import load_demo_precincts

    await load_demo_precincts(bot.app)
    ids = []
    for index in range(count):
        language = "kk" if index % 2 else "ru"
        data = await telegram.request(
            "POST", "/api/users", json={"first_name": f"O{index}", "language_code": language}
        )
        ids.append(data["id"])
    cipher = bot.app.cipher
    async with bot.app.sessionmaker() as session, session.begin():
        precincts = list(
            (await session.execute(select(PrecinctRow.id).order_by(PrecinctRow.id))).scalars()
        )
        name, phone = cipher.encrypt("Наблюдатель"), cipher.encrypt("+77010000000")
        for index, telegram_id in enumerate(ids):
            session.add(
                UserRow(
                    telegram_id=telegram_id, language="kk" if index % 2 else "ru", role="observer"
                )
            )
            session.add(
                ObserverRow(
                    telegram_id=telegram_id,
                    status="approved",
                    name_encrypted=name,
                    phone_encrypted=phone,
                )
            )
        await session.flush()
        for index, telegram_id in enumerate(ids):
            session.add(
                ObserverPrecinctRow(
                    telegram_id=telegram_id, precinct_id=precincts[index % len(precincts)]
                )
            )
    return ids


async def test_a_broadcast_to_2000_observers_without_a_429(
    telegram: EmulatorClient, bot: RunningBot
) -> None:
    recipients = await add_observers(bot, telegram, 2000)
    for blocked in recipients[:3]:
        await telegram.request("PATCH", f"/api/users/{blocked}", json={"blocked_bot": True})
    hq = await telegram.new_user("HQ", language_code="ru", user_id=COORDINATOR_ID)
    await hq.send("/start")
    await hq.tap("Русский")
    await hq.send("/coordinator")
    await hq.tap("📣 Рассылка наблюдателям")
    await hq.tap("👁 Всем наблюдателям")
    await hq.send("Проверьте связь: ответьте /myreports <до 21:00>")
    assert hq.last_message.startswith("Так его увидят наблюдатели. Получателей: 2\u00a0000.")
    assert "Проверьте связь: ответьте /myreports <до 21:00>" in hq.last_message
    # Telegram's limits from here on (the coordinator's own fast taps above would trip them).
    await telegram.set_rate_limits(
        enabled=True, global_per_second=100, per_chat_per_second=1, per_chat_burst=5
    )
    started = time.monotonic()
    await hq.tap("📨 Отправить (2\u00a0000)")

    async def finished() -> bool:
        await hq.refresh()
        return hq.last_message.startswith("📣 Рассылка завершена")

    await wait_for(finished, seconds=120)
    elapsed = time.monotonic() - started
    assert hq.last_message.endswith("Доставлено: 1\u00a0997; остановили бота: 3; не удалось: 0.")
    stats = await telegram.stats()
    assert [e for e in stats["errors"] if e["status"] == 429] == [], "never over Telegram's limit"
    async with bot.app.sessionmaker() as session:
        sent = await session.scalar(
            select(func.count())
            .select_from(OutgoingMessageRow)
            .where(OutgoingMessageRow.status == "sent")
        )
    assert sent == 1997
    kk = await telegram.request("GET", f"/api/users/{recipients[5]}/transcript")
    ru = await telegram.request("GET", f"/api/users/{recipients[4]}/transcript")
    [kk_message] = [m for m in kk["messages"] if m["outgoing"]]
    [ru_message] = [m for m in ru["messages"] if m["outgoing"]]
    assert (
        kk_message["text"].startswith("📣 HAQ үйлестірушілерінің хабарламасы")
        and "<до 21:00>" in kk_message["text"]
    )
    assert ru_message["text"].startswith("📣 Сообщение координаторов HAQ")
    rate = 2000 / elapsed
    print(
        f"broadcast: 2000 messages in {elapsed:.1f} s = {rate:.1f}/s against a global limit of "
        "100/s"
    )
