"""Telegram misbehaving: the bot waits out 429s, retries 5xx and hangs, and never loses a step
the user already took, even when a reply finally cannot be sent."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from emulator.client import EmulatorClient
from emulator.server import EmulatorServer
from settings import Settings
from storage.users import UserRepository
from tests.conftest import RunningBot, make_settings, start_polling_bot


@pytest.fixture
def settings(sqlite_url: str) -> Settings:
    # Few, quick retries and a short request timeout keep these tests fast.
    return make_settings(
        sqlite_url, telegram={"request_retries": 3, "request_timeout_seconds": 1.5}
    )


async def test_survives_a_429_storm(telegram: EmulatorClient, emulator: EmulatorServer) -> None:
    await telegram.set_rate_limits(enabled=True, per_chat_per_second=1, per_chat_burst=1)
    user = await telegram.new_user("Aizhan", language_code="en")
    await user.send("/start")
    await user.tap("Русский")
    await user.tap("❓ Помощь")
    assert user.last_message.startswith("Помощь")
    # Each step arrived exactly once: the prompt edited into the confirmation, one welcome,
    # the menu edited into the help.
    assert (
        user.texts[0] == "Язык бота: русский. Сменить его можно в любой момент командой /language."
    )
    assert len(user.texts) == 3 and "HAQ" in user.texts[1]
    refused = [e for e in (await telegram.stats())["errors"] if e["status"] == 429]
    assert refused, "the emulator really answered 429 and the bot waited and retried"


async def test_survives_a_burst_of_500s(telegram: EmulatorClient) -> None:
    await telegram.set_faults("error", count=3, methods=["sendMessage"])
    user = await telegram.new_user("Marat", language_code="en")
    await user.send("/start")
    assert user.last_message == "Тілді таңдаңыз · Выберите язык"
    failures = [e for e in (await telegram.stats())["errors"] if e["status"] == 500]
    assert len(failures) == 3


async def test_a_hanging_request_times_out_and_is_retried(telegram: EmulatorClient) -> None:
    await telegram.set_faults("hang", count=1, hang_seconds=3, methods=["sendMessage"])
    user = await telegram.new_user("Timur", language_code="en")
    await user.send("/start")
    assert user.last_message == "Тілді таңдаңыз · Выберите язык"
    assert len([m for m in user.bot_messages if m["text"].startswith("Тілді")]) == 1


async def test_a_reply_that_never_gets_through_loses_nothing(
    telegram: EmulatorClient, bot: RunningBot
) -> None:
    user = await telegram.new_user("Gulnar", language_code="en")
    await user.send("/start")
    # Telegram is down for everything the bot says next: the language choice must still stick.
    await telegram.set_faults(
        "error", count=1000, methods=["editMessageText", "sendMessage", "answerCallbackQuery"]
    )
    await user.tap("Қазақша")
    await telegram.set_faults("off")
    async with bot.app.sessionmaker() as session:
        saved = await UserRepository(session).get(user.id)
    assert saved is not None and saved.language == "kk"
    await user.send("/start")
    assert user.last_message.startswith("Басты мәзір"), "back online, the bot remembers the choice"


async def test_restart_during_an_outage_keeps_the_queue(
    settings: Settings, emulator: EmulatorServer
) -> None:
    """Updates sent while the bot is down are answered once it is back, none twice."""
    client = EmulatorClient(emulator.url)
    user = await client.new_user("Erlan", language_code="en")
    try:
        await client.request(
            "POST", f"/api/users/{user.id}/messages?wait=0", json={"text": "/start"}
        )
        running = await start_polling_bot(settings, emulator)
        try:
            for _ in range(50):
                await user.refresh()
                if user.bot_messages:
                    break
                import asyncio

                await asyncio.sleep(0.1)
            assert user.texts == ["Тілді таңдаңыз · Выберите язык"]
        finally:
            await running.stop()
    finally:
        await client.close()


@pytest.fixture
async def webhook_bot(sqlite_url: str, emulator: EmulatorServer) -> AsyncIterator[RunningBot]:
    from tests.conftest import start_webhook_bot

    settings = make_settings(sqlite_url, telegram={"webhook_secret": "s3cret-Token"})
    running = await start_webhook_bot(settings, emulator)
    yield running
    await running.stop()


@pytest.mark.parametrize(
    ("language", "button", "menu"),
    [("kk", "Қазақша", "Басты мәзір"), ("ru", "Русский", "Главное меню")],
)
async def test_start_language_menu_over_webhook(
    webhook_bot: RunningBot, emulator: EmulatorServer, language: str, button: str, menu: str
) -> None:
    assert emulator.world.webhook is not None
    assert emulator.world.webhook["secret_token"] == "s3cret-Token"
    client = EmulatorClient(emulator.url)
    try:
        user = await client.new_user("Webhook", language_code=language)
        await user.send("/start")
        await user.tap(button)
        assert user.last_message.startswith(menu)
    finally:
        await client.close()


async def test_a_tap_over_webhook_is_answered_in_the_reply_to_the_webhook_request(
    webhook_bot: RunningBot, emulator: EmulatorServer
) -> None:
    """Issue 15: one request to Telegram less per tap. The tap is answered (the button stops
    spinning) by the method the bot puts in its reply to Telegram's webhook request, not by an
    answerCallbackQuery request of its own."""
    client = EmulatorClient(emulator.url)
    try:
        user = await client.new_user("Webhook", language_code="ru")
        await user.send("/start")
        await user.tap("Русский")
        assert user.last_message.startswith("Главное меню")
        assert user.last_answer is not None, "the tap was answered"
    finally:
        await client.close()
    answers = [r for r in emulator.world.requests if r["method"].lower() == "answercallbackquery"]
    assert [(r.get("via"), r.get("status")) for r in answers] == [("webhook reply", 200)]


async def test_webhook_refuses_a_post_without_the_secret(
    webhook_bot: RunningBot, emulator: EmulatorServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Refused and logged for the operator; an update Telegram posts is logged once, by aiogram,
    not a second time in the access log."""
    import aiohttp

    caplog.set_level(logging.INFO)
    client = EmulatorClient(emulator.url)
    try:
        user = await client.new_user("Webhook", language_code="ru")
        await user.send("/start")
    finally:
        await client.close()
    assert not [r for r in caplog.records if r.name == "aiohttp.access"]
    url = emulator.world.webhook["url"]  # type: ignore[index]
    update = {
        "update_id": 999,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 1, "type": "private"},
            "text": "/start",
        },
    }
    async with aiohttp.ClientSession() as http:
        async with http.post(url, json=update) as response:
            assert response.status == 401
        async with http.post(
            url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
        ) as response:
            assert response.status == 401
    refused = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
    assert len(refused) == 2 and all("POST" in line and "401" in line for line in refused)


async def test_a_malformed_webhook_body_gets_400_and_healthz_answers(
    webhook_bot: RunningBot, emulator: EmulatorServer
) -> None:
    import aiohttp

    url = emulator.world.webhook["url"]  # type: ignore[index]
    headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token"}
    async with aiohttp.ClientSession() as http:
        for body in (b"{not json", b'{"update_id": "x"}', b"[]", b"\xff\xfe"):
            async with http.post(
                url, data=body, headers={**headers, "Content-Type": "application/json"}
            ) as response:
                assert response.status == 400, body
        async with http.get(url.rsplit("/", 1)[0] + "/healthz") as response:
            assert response.status == 200 and (await response.json()) == {"ok": True}


def test_webhook_mode_without_a_secret_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from settings import ConfigError, load_settings

    monkeypatch.setenv("HAQBOT_TELEGRAM__MODE", "webhook")
    monkeypatch.setenv("HAQBOT_TELEGRAM__WEBHOOK_URL", "https://bot.example.org")
    with pytest.raises(ConfigError, match="webhook_secret"):
        load_settings()
    monkeypatch.setenv("HAQBOT_TELEGRAM__WEBHOOK_SECRET", "a-long-random-secret")
    assert load_settings().telegram.mode == "webhook"


async def test_start_webhook_refuses_without_a_secret(
    sqlite_url: str, emulator: EmulatorServer
) -> None:
    from settings import ConfigError
    from tests.conftest import start_webhook_bot

    with pytest.raises(ConfigError, match="webhook_secret"):
        await start_webhook_bot(make_settings(sqlite_url), emulator)


async def test_start_up_survives_an_answer_aiogram_cannot_decode(
    sqlite_url: str,
    emulator: EmulatorServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A self-hosted Bot API server one version apart answers getChatMember in a shape the
    installed aiogram cannot read (ClientDecodeError, not a TelegramAPIError): the bot logs it
    and starts (issue 13; it used to exit)."""
    import logging

    from emulator import bot_api
    from tests.conftest import start_polling_bot

    async def odd_member(api, params, files):
        return {"status": "a-status-from-the-future", "user": api.world.bot_user()}

    monkeypatch.setitem(bot_api.METHODS, "getchatmember", odd_member)
    monkeypatch.setitem(bot_api.METHODS, "getchat", odd_member)
    with caplog.at_level(logging.WARNING, logger="runtime.app"):
        running = await start_polling_bot(make_settings(sqlite_url), emulator)
    try:
        client = EmulatorClient(emulator.url)
        user = await client.new_user("Aizhan", language_code="en")
        await user.send("/start")
        assert user.last_message == "Тілді таңдаңыз · Выберите язык", "the bot runs"
        await client.close()
        messages = [record.getMessage() for record in caplog.records]
        assert any("cannot check the bot's rights" in m for m in messages), messages
    finally:
        await running.stop()


async def test_healthcheck_command(
    sqlite_url: str,
    emulator: EmulatorServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`bot.py healthcheck --http` (Docker's HEALTHCHECK): the database, then the emulator's
    /healthz."""
    from runtime.commands import healthcheck
    from storage import migrate
    from storage.database import create_engine

    settings = make_settings(sqlite_url, emulator={"port": int(emulator.url.rsplit(":", 1)[1])})
    assert (
        await healthcheck(settings, http=True) == 1
        and "unhealthy: database at revision None" in capsys.readouterr().out
    )
    engine = create_engine(sqlite_url)
    await migrate.upgrade(engine)
    await engine.dispose()
    assert (
        await healthcheck(settings, http=True) == 0 and capsys.readouterr().out.strip() == "healthy"
    )
    stopped = make_settings(sqlite_url, emulator={"port": 9})  # nothing listens there
    assert (
        await healthcheck(stopped, http=True) == 1
        and "unhealthy: http://127.0.0.1:9/healthz" in capsys.readouterr().out
    )
