"""The start journey as a person lives it, through the emulator's HTTP Bot API."""

from __future__ import annotations

import pytest

from emulator.client import EmulatorClient
from tests.conftest import COORDINATOR_ID

LANGUAGE_PROMPT = "Тілді таңдаңыз · Выберите язык"


@pytest.mark.parametrize(
    ("telegram_language", "greeting", "menu", "help_button", "help_heading", "switch", "switched"),
    [
        ("kk", "Боттың тілі — қазақша", "Басты мәзір", "❓ Көмек", "Көмек", "🌐 Русский", "Язык"),
        (
            "ru",
            "Язык бота — русский",
            "Главное меню",
            "❓ Помощь",
            "Помощь",
            "🌐 Қазақша",
            "Боттың",
        ),
    ],
    ids=["kk", "ru"],
)
async def test_start_in_the_language_telegram_is_set_to(
    telegram: EmulatorClient,
    telegram_language: str,
    greeting: str,
    menu: str,
    help_button: str,
    help_heading: str,
    switch: str,
    switched: str,
) -> None:
    """A user whose Telegram speaks Kazakh or Russian is greeted in it, not asked, and can
    switch with one tap, under the greeting or from the menu."""
    user = await telegram.new_user("Aigerim", language_code=telegram_language)
    await user.send("/start")
    texts = user.texts
    assert LANGUAGE_PROMPT not in texts
    assert "HAQ" in texts[0]  # the welcome, once
    assert texts[1].startswith(greeting)
    assert user.bot_messages[1]["reply_markup"]["inline_keyboard"][0][0]["text"] == "Қазақша"
    assert texts[-1].startswith(menu)
    assert help_button in user.buttons
    assert not any("🛠" in b for b in user.buttons), "only coordinators see the coordinator entry"

    await user.tap(help_button)
    assert user.last_message.startswith(help_heading)
    assert "@haqtime" in user.last_message

    # A returning user goes straight to the menu, in the language chosen.
    await user.send("/start")
    assert user.last_message.startswith(menu)

    # One tap from the menu to the other language, and it sticks.
    await user.tap(switch)
    assert user.texts[-2].startswith(switched)
    await user.send("/start")
    assert not user.last_message.startswith(menu)


async def test_a_telegram_in_another_language_is_asked(telegram: EmulatorClient) -> None:
    user = await telegram.new_user("John", language_code="en")
    await user.send("/start")
    assert user.last_message == LANGUAGE_PROMPT
    assert user.buttons == ["Қазақша", "Русский"]
    await user.tap("Қазақша")
    texts = user.texts
    assert texts[-3].startswith("Боттың тілі: қазақша")
    assert "HAQ" in texts[-2]
    assert texts[-1].startswith("Басты мәзір")


async def test_language_can_be_changed_and_sticks(telegram: EmulatorClient) -> None:
    user = await telegram.new_user("Dana", language_code="ru")
    await user.send("/start")
    await user.tap("Русский")
    await user.send("/language")
    assert user.last_message == LANGUAGE_PROMPT
    await user.tap("Қазақша")
    assert user.texts[-2].startswith("Боттың тілі: қазақша")
    assert not any(
        t.startswith("<b>HAQ</b>") or "тәуелсіз бақылау боты" in t for t in user.texts[-2:]
    ), "the welcome is for first contact only"
    await user.send("что-то непонятное")
    assert user.last_message.startswith("Бұл хабарламаны түсінбедім")


async def test_telegram_language_guesses_the_first_reply(telegram: EmulatorClient) -> None:
    kazakh = await telegram.new_user("Arman", language_code="kk")
    await kazakh.send("hello")
    assert kazakh.last_message.startswith("Бұл хабарламаны түсінбедім")
    english = await telegram.new_user("John", language_code="en")
    await english.send("hello")
    assert english.last_message.startswith("Я не понял это сообщение")


async def test_cancel_and_help_work_without_a_dialog(telegram: EmulatorClient) -> None:
    user = await telegram.new_user("Serik", language_code="ru")
    await user.send("/cancel")
    assert user.texts[-2] == "Сейчас нечего отменять."
    assert user.last_message.startswith("Главное меню")
    await user.send("/help")
    assert "/language" in user.last_message


async def test_deep_link_is_kept_and_a_broken_one_explained(telegram: EmulatorClient, bot) -> None:
    from storage.users import UserRepository

    user = await telegram.new_user("Aliya", language_code="en")
    await user.send("/start p-petition-2021-rAB12")
    assert user.last_message == LANGUAGE_PROMPT
    async with bot.app.sessionmaker() as session:
        stored = await UserRepository(session).get(user.id)
    assert stored is not None and stored.pending_deep_link == "p-petition-2021-rAB12"
    # The language chosen, the link's journey opens: the petition, with nothing else to tap.
    await user.tap("Русский")
    assert "Читать требования ▶" in user.buttons
    async with bot.app.sessionmaker() as session:
        stored = await UserRepository(session).get(user.id)
    assert stored is not None and stored.pending_deep_link is None, "opened once"

    other = await telegram.new_user("Bolat", language_code="ru")
    await other.send("/start <script>")
    assert other.texts[0].startswith("Ссылка, по которой вы пришли, не распознана")


async def test_commands_are_set_in_both_languages(telegram: EmulatorClient, emulator) -> None:
    commands = emulator.world.commands
    names = [
        "start",
        "petitions",
        "observer",
        "protocol",
        "incident",
        "myreports",
        "results",
        "language",
        "help",
        "cancel",
        "mydata",
        "forget",
    ]
    assert [c["command"] for c in commands["default:kk"]] == names
    assert commands["default:kk"][7]["description"] == "Тілді ауыстыру"
    assert commands["default:ru"][7]["description"] == "Сменить язык"
    assert "default:" in commands
    # Coordinators' own menu: their commands added, in their chat only.
    mine = [c["command"] for c in commands[f"chat:{COORDINATOR_ID}:"]]
    assert mine[: len(names)] == names and "coordinator" in mine and "post_now" in mine
    assert "coordinator" not in [c["command"] for c in commands["default:ru"]]


async def test_help_lists_coordinator_commands_to_coordinators_only(
    telegram: EmulatorClient,
) -> None:
    coordinator = await telegram.new_user("HQ", language_code="ru", user_id=COORDINATOR_ID)
    await coordinator.send("/help")
    assert "/coordinator — очереди" in coordinator.last_message
    other = await telegram.new_user("Someone", language_code="ru")
    await other.send("/help")
    assert "/cancel" in other.last_message and "/coordinator" not in other.last_message


async def test_coordinator_sees_overview_others_are_refused(telegram: EmulatorClient) -> None:
    coordinator = await telegram.new_user("HQ", language_code="ru", user_id=COORDINATOR_ID)
    await coordinator.send("/start")
    await coordinator.tap("Русский")
    assert "🛠 Координатору" in coordinator.buttons
    await coordinator.tap("🛠 Координатору")
    assert "Всего 1 пользователь" in coordinator.last_message

    for name, language in (("A", "ru"), ("B", "kk"), ("C", "en"), ("D", "en")):
        other = await telegram.new_user(name, language_code=language)
        await other.send("/start")
    await coordinator.send("/coordinator")
    assert "Всего 5 пользователей" in coordinator.last_message
    assert "по-казахски: 1\n— по-русски: 2\n— язык ещё не выбран: 2" in coordinator.last_message

    # A forged tap on the coordinator button by an ordinary user is refused server-side.
    intruder = await telegram.new_user("Intruder", language_code="ru")
    await intruder.send("/start")
    await intruder.tap("Русский")
    menu = intruder.bot_messages[-1]
    await intruder.tap_data(menu["message_id"], "m1:coord", forge=True)
    assert intruder.last_answer is not None
    assert intruder.last_answer["text"] == "Это действие доступно только координаторам."
    assert "Всего" not in intruder.last_message
    await intruder.send("/coordinator")
    assert intruder.last_message == "Это действие доступно только координаторам."


async def test_outdated_button_gets_the_menu(telegram: EmulatorClient) -> None:
    user = await telegram.new_user("Old", language_code="ru")
    await user.send("/start")
    await user.tap("Русский")
    menu = user.bot_messages[-1]
    await user.tap_data(menu["message_id"], "v0:removed-feature", forge=True)
    assert (
        user.last_answer is not None
        and user.last_answer["text"] == "Эта кнопка устарела. Вот актуальное меню."
    )
    assert user.last_message.startswith("Главное меню")
