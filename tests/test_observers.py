"""Observer registration end to end through the emulator, in Kazakh and Russian."""

from __future__ import annotations

import pytest

from emulator.client import EmulatorClient
from runtime.launcher import load_demo_precincts
from services.observers import ObserverService
from storage.observers import ObserverRepository
from storage.unit_of_work import unit_of_work
from tests.conftest import COORDINATOR_ID, RunningBot


@pytest.fixture
async def directory(bot: RunningBot) -> RunningBot:
    await load_demo_precincts(bot.app)
    return bot


async def invite(bot: RunningBot, region: str | None = None, days: int = 14) -> str:
    async with unit_of_work(bot.app.sessionmaker) as unit:
        service = ObserverService(ObserverRepository(unit.session), bot.app.cipher)
        return (await service.create_invites(1, region, days))[0]


def buttons_of_the_last_message(user) -> list[str]:
    """A final screen is no dead end: the newest message itself carries the next steps."""
    keyboard = user.bot_messages[-1].get("reply_markup", {}).get("inline_keyboard", [])
    return [button["text"] for row in keyboard for button in row]


async def register_with_code(
    user, code: str, name: str, region: str, number: str, language: str = "Русский"
) -> None:
    """The whole registration through an invite link, one precinct."""
    await user.send(f"/start o-{code}")
    await user.tap(language)
    await user.send(name)
    await user.press(
        "📱 Поделиться моим номером" if language == "Русский" else "📱 Нөмірімді бөлісу"
    )
    await user.tap(region)
    await user.send(number)
    await user.tap("✅ Да" if language == "Русский" else "✅ Иә")
    await user.tap("✅ Готово" if language == "Русский" else "✅ Дайын")
    await user.tap("📨 Отправить" if language == "Русский" else "📨 Жіберу")


async def test_registration_with_an_invite_link(
    telegram: EmulatorClient, directory: RunningBot
) -> None:
    code = await invite(directory, region="almaty_city")
    user = await telegram.new_user("Бақылаушы", language_code="kk")
    await user.send(f"/start o-{code}")
    assert user.last_message.startswith("Код қабылданды.\nТегіңіз бен атыңыз толық")
    await user.send("Әлиева Гүлнар")
    assert user.reply_keyboard is not None
    await user.press("📱 Нөмірімді бөлісу")
    # The invite is for Almaty: no region question, its districts (in Kazakh) instead.
    assert user.last_message.startswith("Учаскеңіз қай ауданда? Өңір: «Алматы қаласы».")
    assert user.buttons == ["Алмалы ауданы", "Бостандық ауданы", "✖ Бас тарту"], (
        "no other region with a region-bound invite"
    )
    await user.tap("Алмалы ауданы")
    assert user.buttons[:2] == ["№ 101", "№ 102"]
    await user.tap("№ 101")
    assert user.last_message == (
        "№ 101 учаске, Алмалы ауданы: Абай даңғылы, 10, №25 мектеп-гимназия. "
        "Бұл сіздің учаскеңіз бе?"
    )
    await user.tap("✅ Иә")
    await user.tap("➕ Учаске қосу")
    await user.send("№ 215")  # typed at the district question: numbers are unique in a region
    await user.tap("✅ Иә")
    await user.tap("✅ Дайын")
    assert "Аты-жөні: Әлиева Гүлнар" in user.last_message and "№ 215" in user.last_message

    # Every field can be corrected from the review, which comes back with the rest intact.
    await user.tap("✏ Аты-жөні")
    await user.send("Әлиева Гүлнара")
    assert "Аты-жөні: Әлиева Гүлнара" in user.last_message and "№ 215" in user.last_message
    await user.tap("✏ Учаскелер")
    await user.tap("Бостандық ауданы")
    await user.tap("№ 215")
    await user.tap("✅ Иә")
    await user.tap("✅ Дайын")
    assert "№ 215" in user.last_message and "№ 101" not in user.last_message
    await user.tap("✏ Телефон")
    await user.press("📱 Нөмірімді бөлісу")
    assert "Аты-жөні: Әлиева Гүлнара" in user.last_message
    await user.tap("✏ Учаскелер")
    await user.send("101")
    await user.tap("✅ Иә")
    await user.tap("➕ Учаске қосу")
    await user.send("215")
    await user.tap("✅ Иә")
    await user.tap("✅ Дайын")
    await user.tap("📨 Жіберу")
    assert user.last_message.startswith("✅ Сіз бақылаушы ретінде тіркелдіңіз.")
    assert "№ 101" in user.last_message and "№ 215" in user.last_message

    await user.send("/observer")
    assert user.last_message.startswith("Сіз бақылаушысыз.")
    other = await telegram.new_user("Екінші", language_code="kk")
    await other.send("/start")
    await other.tap("Қазақша")
    await other.send(f"/start o-{code}")
    assert "Бұл код пайдаланылған" in other.texts[-2], "single use"


async def test_registration_approved_by_a_coordinator(
    telegram: EmulatorClient, directory: RunningBot
) -> None:
    coordinator = await telegram.new_user("HQ", language_code="ru", user_id=COORDINATOR_ID)
    await coordinator.send("/start")
    await coordinator.tap("Русский")
    user = await telegram.new_user("Наблюдатель", language_code="ru")
    await user.send("/start")
    await user.tap("Русский")
    await user.tap("👁 Наблюдателю")
    assert user.last_message.startswith("Чтобы стать наблюдателем")
    await user.tap("Запросить одобрение без кода")
    await user.send("Иванова Анна")
    await user.press("📱 Поделиться моим номером")
    await user.tap("г. Астана")
    await user.send("12")
    await user.tap("✅ Да")
    await user.tap("✅ Готово")
    await user.tap("📨 Отправить")
    assert user.last_message.startswith("Заявка отправлена координаторам")
    assert "📜 Петиции" in buttons_of_the_last_message(user)
    await user.send("/observer")
    assert user.last_message == "Ваша заявка наблюдателя ждёт решения координатора."
    assert "📜 Петиции" in buttons_of_the_last_message(user)

    await coordinator.refresh()
    request = coordinator.last_message
    assert (
        request.startswith("Заявка наблюдателя") and "Иванова Анна" in request and "№ 12" in request
    )

    # Someone who is not a coordinator cannot approve, even with forged callback data.
    intruder = await telegram.new_user("Чужой", language_code="ru")
    await intruder.send("/start")
    await intruder.tap_data(intruder.bot_messages[-1]["message_id"], f"d1:{user.id}:1", forge=True)
    assert (
        intruder.last_answer is not None
        and intruder.last_answer["text"] == "Это действие доступно только координаторам."
    )
    await user.send("/observer")
    assert user.last_message.startswith("Ваша заявка наблюдателя ждёт")

    await coordinator.tap("✅ Одобрить")
    assert coordinator.last_message.endswith("✅ Одобрено")
    await user.refresh()
    assert user.last_message == "✅ Координатор одобрил вашу заявку: вы наблюдатель."
    assert buttons_of_the_last_message(user)[:2] == [
        "📄 Отправить протокол",
        "⚠ Сообщить о нарушении",
    ], "the approved observer is one tap from their first protocol"
    await coordinator.tap_data(
        coordinator.bot_messages[-1]["message_id"], f"d1:{user.id}:0", forge=True
    )
    assert (
        coordinator.last_answer is not None
        and coordinator.last_answer["text"] == "Эта заявка уже рассмотрена."
    )


async def test_wrong_inputs_get_clear_answers_and_lose_nothing(
    telegram: EmulatorClient, directory: RunningBot
) -> None:
    expired = await invite(directory, days=-1)
    user = await telegram.new_user("Ошибки", language_code="ru")
    await user.send("/start")
    await user.tap("Русский")
    await user.send("/observer")
    await user.send("NOSUCHCODE")
    assert user.last_message == "Такого кода нет. Проверьте его и отправьте ещё раз."
    assert buttons_of_the_last_message(user) == ["Запросить одобрение без кода", "✖ Отмена"]
    await user.send(expired.lower())
    assert user.last_message.startswith("Срок действия этого кода истёк")
    good = await invite(directory)
    await user.send(good[:4] + "-" + good[4:])
    assert user.last_message.startswith("Код принят.")
    await user.send("Ошибкин Пётр")
    await user.share_contact(own=False, phone_number="+77000000000", user_id=1)
    assert user.last_message.startswith("Нужен ваш собственный номер")
    await user.press("📱 Поделиться моим номером")
    await user.tap("г. Шымкент")
    await user.send("12a")
    assert user.last_message == "Номер участка — это только цифры, например 215."
    await user.send("999")
    assert user.last_message.startswith("Участка № 999 в регионе «г. Шымкент» нет в справочнике")
    await user.tap("🗺 Другой регион")
    await user.tap("Карагандинская область")
    await user.send("101")
    assert "Республики, 20" in user.last_message, (
        "the same number in another region is another precinct"
    )
    await user.tap("✏ Другой номер")
    await user.send("301")
    await user.tap("✅ Да")
    await user.tap("✅ Готово")
    assert "Ошибкин Пётр" in user.last_message and "№ 301" in user.last_message
    await user.tap("📨 Отправить")
    assert user.last_message.startswith("✅ Вы зарегистрированы как наблюдатель.")
    assert "📄 Отправить протокол" in buttons_of_the_last_message(user)


async def test_a_cancelled_registration_leads_to_the_menu(
    telegram: EmulatorClient, directory: RunningBot
) -> None:
    user = await telegram.new_user("Передумал", language_code="ru")
    await user.send("/observer")
    await user.tap("Запросить одобрение без кода")
    await user.send("Передумавший Пётр")
    await user.press("📱 Поделиться моим номером")
    await user.tap("✖ Отмена")
    assert user.last_message == "Регистрация отменена, ничего не сохранено."
    assert "📜 Петиции" in buttons_of_the_last_message(user)


async def test_mydata_shows_and_forget_erases_observer_data(
    telegram: EmulatorClient, directory: RunningBot
) -> None:
    code = await invite(directory)
    user = await telegram.new_user("Данные", language_code="ru")
    await register_with_code(user, code, "Данных Дана", "г. Астана", "13")
    assert user.last_message.startswith("✅ Вы зарегистрированы как наблюдатель.")
    await user.send("/mydata")
    assert (
        "Наблюдатель: Данных Дана, +7701" in user.last_message
        and "статус: одобрен" in user.last_message
    )
    await user.send("/forget")
    await user.tap("Да, удалить всё")
    async with directory.app.sessionmaker() as session:
        assert await ObserverRepository(session).get(user.id) is None


async def test_a_precinct_number_in_superscript_or_circled_digits_is_refused(
    telegram: EmulatorClient, directory: RunningBot
) -> None:
    """`²`, `①`, `¹²` are digits to Python's isdigit() but not to int(): they crashed the step
    (issue 13)."""
    user = await telegram.new_user("Бақылаушы", language_code="ru")
    await user.send(f"/start o-{await invite(directory)}")
    await user.tap("Русский")
    await user.send("Иванова Анна")
    await user.press("📱 Поделиться моим номером")
    await user.tap("г. Астана")
    for typed in ("²", "①", "¹²", "١٢"):
        await user.send(typed)
        assert user.last_message == "Номер участка — это только цифры, например 215.", typed
    await user.send("12")
    assert "№ 12" in user.last_message, "nothing lost: the number is taken"
