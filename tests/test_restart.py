"""A restart mid-dialog loses nothing: real Updates through the dispatcher, rebuilt on the same
database, replies going to the emulator over HTTP."""

from __future__ import annotations

from aiogram import F, html
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from emulator.client import EmulatorClient
from emulator.server import LOCAL_TOKEN, EmulatorServer
from runtime.app import Application, build_application
from settings import Settings
from storage import migrate
from tests.conftest import start_polling_bot
from tests.updates import callback_update, telegram_user, text_update


class Survey(StatesGroup):
    name = State()
    confirm = State()


def with_survey(app: Application) -> Application:
    """A two-step dialog on the dispatcher itself (its own handlers run before its routers)."""
    dispatcher = app.dispatcher

    @dispatcher.message(Command("survey"))
    async def begin(message: Message, state: FSMContext) -> None:
        await state.set_state(Survey.name)
        await message.answer("Name?")

    @dispatcher.message(Survey.name, F.text, ~F.text.startswith("/"))
    async def name(message: Message, state: FSMContext) -> None:
        await state.update_data(name=message.text)
        await state.set_state(Survey.confirm)
        await message.answer(f"Save {html.quote(message.text or '')}?")

    @dispatcher.message(Survey.confirm, F.text == "yes")
    async def confirm(message: Message, state: FSMContext) -> None:
        data = await state.get_data()
        await state.clear()
        await message.answer(f"Saved {html.quote(data['name'])}")

    return app


def bot_texts(emulator: EmulatorServer, user_id: int) -> list[str]:
    chat = emulator.world.chats[user_id]
    return [m.get("text", "") for m in chat.messages.values() if m.get("from", {}).get("is_bot")]


async def new_process(settings: Settings, emulator: EmulatorServer) -> Application:
    app = with_survey(build_application(settings, token=LOCAL_TOKEN, api_base=emulator.url))
    await migrate.upgrade(app.engine)
    return app


async def test_dialog_continues_after_restart(settings: Settings, emulator: EmulatorServer) -> None:
    user = telegram_user(emulator.world.add_user("Әсел", "kk").id, "kk")
    first = await new_process(settings, emulator)
    await first.dispatcher.feed_update(first.bot, text_update(user, "/survey"))
    await first.dispatcher.feed_update(first.bot, text_update(user, "Әсел <Ахметова>"))
    assert bot_texts(emulator, user.id)[-1] == "Save Әсел <Ахметова>?"
    await first.close()  # the process dies; only the database remains

    second = await new_process(settings, emulator)
    await second.dispatcher.feed_update(second.bot, text_update(user, "yes"))
    assert bot_texts(emulator, user.id)[-1] == "Saved Әсел <Ахметова>"
    await second.close()


async def test_cancel_after_restart_leaves_the_dialog(
    settings: Settings, emulator: EmulatorServer
) -> None:
    user = telegram_user(emulator.world.add_user("Dana", "ru").id, "ru")
    first = await new_process(settings, emulator)
    await first.dispatcher.feed_update(first.bot, text_update(user, "/survey"))
    await first.close()

    second = await new_process(settings, emulator)
    await second.dispatcher.feed_update(second.bot, text_update(user, "/cancel"))
    assert (
        bot_texts(emulator, user.id)[-2]
        == "Действие прервано. Всё, что вы уже отправили, сохранено."
    )
    await second.dispatcher.feed_update(second.bot, text_update(user, "yes"))
    assert bot_texts(emulator, user.id)[-1].startswith("Я не понял"), "the dialog is over"
    await second.close()


async def test_start_language_menu_through_the_dispatcher(
    settings: Settings, emulator: EmulatorServer
) -> None:
    for language, button_data, menu in (
        ("kk", "l1:kk", "Басты мәзір"),
        ("ru", "l1:ru", "Главное меню"),
    ):
        # A Telegram in English: asked for the language (Kazakh and Russian are guessed).
        user = telegram_user(emulator.world.add_user(f"u-{language}", "en").id, "en")
        app = await new_process(settings, emulator)
        await app.dispatcher.feed_update(app.bot, text_update(user, "/start"))
        prompt = emulator.world.chats[user.id].messages[max(emulator.world.chats[user.id].messages)]
        assert prompt["text"] == "Тілді таңдаңыз · Выберите язык"
        public = {key: value for key, value in prompt.items() if not key.startswith("x_")}
        prompt_message = Message.model_validate(public, context={"bot": app.bot})
        callback_id = emulator.world.new_callback_id()
        await app.dispatcher.feed_update(
            app.bot, callback_update(user, button_data, prompt_message, callback_id)
        )
        assert emulator.world.callback_answer(callback_id) is not None, "the spinner was stopped"
        assert bot_texts(emulator, user.id)[-1].startswith(menu)
        await app.close()


async def test_old_language_buttons_work_after_restart(
    settings: Settings, emulator: EmulatorServer
) -> None:
    """The same, as the user lives it over HTTP: the bot restarts between the two taps."""
    running = await start_polling_bot(settings, emulator)
    client = EmulatorClient(emulator.url)
    try:
        user = await client.new_user("Nurlan", language_code="en")
        await user.send("/start")
        await running.stop()
        running = await start_polling_bot(settings, emulator)
        await user.tap("Қазақша")
        assert user.last_message.startswith("Басты мәзір")
    finally:
        await client.close()
        await running.stop()


async def test_dialog_continues_after_restart_with_redis(
    sqlite_url: str, emulator: EmulatorServer
) -> None:
    """Scaled mode: dialog state in Redis, shared by processes (here: one after the other)."""
    import socket

    import pytest
    from redis.asyncio import Redis

    from tests.conftest import make_settings

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=2).close()
    except OSError as error:
        pytest.skip(f"Redis not reachable on 127.0.0.1:6379 ({error})")
    url = "redis://127.0.0.1:6379/15"
    async with Redis.from_url(url) as redis:
        await redis.flushdb()
    settings = make_settings(sqlite_url, redis={"url": url})
    user = telegram_user(emulator.world.add_user("Redis", "ru").id, "ru")

    first = await new_process(settings, emulator)
    assert type(first.storage).__name__ == "RedisStorage"
    await first.dispatcher.feed_update(first.bot, text_update(user, "/survey"))
    await first.dispatcher.feed_update(first.bot, text_update(user, "Бауыржан"))
    await first.close()

    second = await new_process(settings, emulator)
    await second.dispatcher.feed_update(second.bot, text_update(user, "yes"))
    assert bot_texts(emulator, user.id)[-1] == "Saved Бауыржан"
    await second.close()
    async with Redis.from_url(url) as redis:
        await redis.flushdb()


async def test_a_dialog_step_reads_and_writes_its_state_once_in_the_updates_transaction(
    settings: Settings, emulator: EmulatorServer
) -> None:
    """Issue 15: the dialog state is read once per update (aiogram's read, to pick a handler,
    included) and written once however many times the handler changes it, in the update's one
    transaction, committed before the reply goes out."""
    from sqlalchemy import event

    from storage.inline_sqlite import sqlite_of

    user = telegram_user(emulator.world.add_user("Сәуле", "kk").id, "kk")
    app = await new_process(settings, emulator)
    await app.dispatcher.feed_update(app.bot, text_update(user, "/survey"))
    statements: list[str] = []
    transactions: list[str] = []

    def statement(sql: str) -> None:
        if "fsm_states" in sql:
            statements.append(sql.split()[0].upper())

    # What SQLite itself runs: the dialog state's statements bypass SQLAlchemy on SQLite.
    async with app.engine.connect() as connection:  # the bot's one SQLite connection
        sqlite = sqlite_of((await connection.get_raw_connection()).driver_connection)
    assert sqlite is not None
    sqlite.set_trace_callback(statement)
    event.listen(app.engine.sync_engine, "begin", lambda _conn: transactions.append("begin"))
    try:
        # The handler changes the data, then the state: two changes, one write.
        await app.dispatcher.feed_update(app.bot, text_update(user, "Сәуле"))
    finally:
        sqlite.set_trace_callback(None)
    assert bot_texts(emulator, user.id)[-1] == "Save Сәуле?"
    assert statements == ["SELECT", "UPDATE"]
    assert transactions == ["begin"]
    await app.close()

    again = await new_process(settings, emulator)
    await again.dispatcher.feed_update(again.bot, text_update(user, "yes"))
    assert bot_texts(emulator, user.id)[-1] == "Saved Сәуле", "both changes were written"
    await again.close()


async def test_a_tap_whose_handler_fails_is_answered_with_what_went_wrong_and_keeps_nothing(
    settings: Settings, emulator: EmulatorServer
) -> None:
    """A bug in a button's handler: the tap is answered with "something went wrong" where the
    user looks (an alert), and what the handler changed before failing is rolled back, not
    committed by the tap's answer."""
    app = await new_process(settings, emulator)

    @app.dispatcher.callback_query(F.data == "confirm-name")
    async def confirm_then_fail(callback: CallbackQuery, state: FSMContext) -> None:
        await state.set_state(Survey.confirm)
        raise RuntimeError("a bug after a write")

    user = telegram_user(emulator.world.add_user("Дана", "ru").id, "ru")
    await app.dispatcher.feed_update(app.bot, text_update(user, "/survey"))
    chat = emulator.world.chats[user.id]
    prompt = {key: value for key, value in chat.messages[max(chat.messages)].items()}
    message = Message.model_validate(
        {key: value for key, value in prompt.items() if not key.startswith("x_")},
        context={"bot": app.bot},
    )
    callback_id = emulator.world.new_callback_id()
    await app.dispatcher.feed_update(
        app.bot, callback_update(user, "confirm-name", message, callback_id)
    )
    answer = emulator.world.callback_answer(callback_id)
    assert answer is not None and answer.get("show_alert")
    assert answer["text"].startswith("Что-то пошло не так")
    await app.dispatcher.feed_update(app.bot, text_update(user, "Дана"))
    assert bot_texts(emulator, user.id)[-1] == "Save Дана?", "still at the step before the tap"
    await app.close()
