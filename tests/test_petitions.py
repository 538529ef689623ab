"""The petition journey end to end through the emulator, in Kazakh and Russian."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from emulator.client import EmulatedUserClient, EmulatorClient
from emulator.server import EmulatorServer
from settings import PROJECT_ROOT, Settings
from storage.petitions import SignatureRepository
from tests.conftest import RunningBot, make_settings, start_polling_bot

KK = {
    "language": "Қазақша",
    "menu": "📜 Петициялар",
    "open": "Сайлау-2021 петициясы",
    "read": "Талаптарды оқу ▶",
    "agree": "✅ Келісемін",
    "back": "⬅ Артқа",
    "sign": "✍ Қол қою",
    "region": "Алматы қаласы",
    "withdraw": "Қолымды қайтарып алу",
    "withdraw_yes": "Иә, қайтарып алу",
    "demand_1": "Талап 1 / 8",
    "ask_name": "Қол қою үшін есептелетін атыңызды жіберіңіз",
    "signed": "Қолыңыз есептелді",
    "count": "Жиналған қол: 1 / 10\u00a0000",
}
RU = {
    "language": "Русский",
    "menu": "📜 Петиции",
    "open": "Петиция о выборах 2021",
    "read": "Читать требования ▶",
    "agree": "✅ Поддерживаю",
    "back": "⬅ Назад",
    "sign": "✍ Подписать",
    "region": "г. Алматы",
    "withdraw": "Отозвать мою подпись",
    "withdraw_yes": "Да, отозвать",
    "demand_1": "Требование 1 из 8",
    "ask_name": "Чтобы подписать, отправьте своё имя",
    "signed": "Ваша подпись учтена",
    "count": "Сейчас 1 подпись из 10\u00a0000",
}


async def new_supporter(
    telegram: EmulatorClient, name: str, words: dict[str, str], code: str
) -> EmulatedUserClient:
    user = await telegram.new_user(name, language_code=code)
    await user.send("/start")
    await user.tap(words["language"])
    return user


async def read_and_agree(user: EmulatedUserClient, words: dict[str, str], demands: int = 8) -> None:
    await user.tap(words["read"])
    for _ in range(demands):
        await user.tap(words["agree"])


@pytest.mark.parametrize(("code", "words"), [("kk", KK), ("ru", RU)], ids=["kk", "ru"])
async def test_full_signing(
    telegram: EmulatorClient, bot: RunningBot, code: str, words: dict[str, str]
) -> None:
    user = await new_supporter(telegram, "Айгерим", words, code)
    await user.tap(words["menu"])
    assert any(
        button.startswith(words["open"]) and button.endswith("✍ 0") for button in user.buttons
    )
    await user.tap(next(b for b in user.buttons if b.startswith(words["open"])))
    assert user.last_message.endswith("(0%)") and "10\u00a0000" in user.last_message
    await user.tap(words["read"])
    assert user.last_message.startswith(words["demand_1"])
    await user.tap(words["agree"])
    await user.tap(words["back"])  # back to demand 1, then on again
    assert user.last_message.startswith(words["demand_1"])
    for _ in range(8):
        await user.tap(words["agree"])
    assert words["ask_name"] in user.last_message

    await user.send("Айгерим Нұрланқызы")
    assert len(user.buttons) == 21 + 2, "every region, then Back and Cancel"
    await user.tap(words["region"])
    assert "Айгерим Нұрланқызы" in user.last_message and words["region"] in user.last_message
    await user.tap(words["sign"])
    assert words["signed"] in user.last_message
    assert words["count"] in user.last_message
    assert "https://t.me/haqbot_local_bot?start=p-petition-2021-r" in user.last_message

    # The name is encrypted at rest: not in the database in clear text.
    async with bot.app.sessionmaker() as session:
        row = await SignatureRepository(session).get("petition-2021", user.id)
    assert row is not None and row.name_encrypted and "Айгерим".encode() not in row.name_encrypted

    # Signing twice: "you already signed on <date>", not an error.
    await user.send("/petitions")
    await user.tap(next(b for b in user.buttons if b.startswith(words["open"])))
    assert "✅" in user.last_message and words["withdraw"] in user.buttons
    assert words["read"] not in user.buttons


async def signed_user(
    telegram: EmulatorClient, name: str, words: dict[str, str], code: str, region: str | None = None
) -> EmulatedUserClient:
    user = await new_supporter(telegram, name, words, code)
    await user.tap(words["menu"])
    await user.tap(next(b for b in user.buttons if b.startswith(words["open"])))
    await read_and_agree(user, words)
    await user.send(name)
    await user.tap(region or words["region"])
    await user.tap(words["sign"])
    assert words["signed"] in user.last_message, user.last_message
    return user


async def test_deep_link_with_referral_is_counted(
    telegram: EmulatorClient, bot: RunningBot
) -> None:
    sharer = await signed_user(telegram, "Марат", RU, "ru")
    link = next(
        line for line in sharer.last_message.splitlines() if line.startswith("https://t.me/")
    )
    payload = link.split("start=")[1]
    share_button = next(
        button
        for message in reversed(sharer.bot_messages)
        for row in message.get("reply_markup", {}).get("inline_keyboard", [])
        for button in row
        if "url" in button
    )
    assert share_button["url"].startswith("https://t.me/share/url?url=https%3A%2F%2Ft.me%2F")

    friend = await telegram.new_user("Дос", language_code="kk")
    await friend.send(f"/start {payload}")
    assert friend.last_message.startswith("Алдағы Республикамыздың"), (
        "a Telegram in Kazakh goes straight to the shared petition, in Kazakh"
    )
    await read_and_agree(friend, KK)
    await friend.send("Дос Досұлы")
    await friend.tap("Шетелде")
    await friend.tap(KK["sign"])
    assert "Жиналған қол: 2 / 10\u00a0000" in friend.last_message

    code = payload.rsplit("-r", 1)[1]
    async with bot.app.sessionmaker() as session:
        assert await SignatureRepository(session).count_by_referral("petition-2021") == {code: 1}

    # A returning user with a language goes straight to the petition too.
    await sharer.send("/start p-position-2021")
    assert sharer.last_message.startswith(
        "Позиция гражданского движения «HAQ» (перевод с казахского)"
    )


async def test_withdraw_and_sign_again(telegram: EmulatorClient, bot: RunningBot) -> None:
    user = await signed_user(telegram, "Гүлнар", KK, "kk")
    await user.tap(KK["withdraw"])
    assert user.last_message.startswith("«Сайлау-2021 петициясы» петициясына қойған қолыңызды")
    await user.tap(KK["withdraw_yes"])
    assert user.last_message.startswith("Қолыңызды қайтарып алдыңыз. Қазір 0 қол")
    async with bot.app.sessionmaker() as session:
        row = await SignatureRepository(session).get("petition-2021", user.id)
    assert row is not None and row.status == "withdrawn"
    assert row.name_encrypted is None and row.region is None, "personal fields erased"

    await user.tap(KK["read"])  # "read again" opens the intro, then the demands
    await read_and_agree(user, KK)
    await user.send("Гүлнар Сәбитқызы")
    await user.tap(KK["region"])
    await user.tap(KK["sign"])
    assert "Жиналған қол: 1 / 10\u00a0000" in user.last_message
    await user.send("/mydata")
    assert "Гүлнар Сәбитқызы" in user.last_message and "Алматы қаласы" in user.last_message


@pytest.mark.parametrize(
    ("name", "reply"),
    [
        ("Aigerim https://evil.example", "В имени не должно быть ссылок"),
        ("t.me/haqtime", "В имени не должно быть ссылок"),
        ('=HYPERLINK("http://x")', "В имени не должно быть ссылок"),
        ("=SUM(A1:A9)", "Имя не может начинаться с «=»"),
        ("+77011234567", "Имя не может начинаться с «=»"),
        ("-Айгерим", "Имя не может начинаться с «=»"),
        ("@handle", "В имени не должно быть ссылок"),
        ("Агент 007", "В имени могут быть только буквы"),
        ("Айгерим 🙂", "В имени могут быть только буквы"),
        ("А" * 101, "Имя длиннее 100 символов"),
    ],
)
async def test_invalid_names_are_refused_and_nothing_is_lost(
    telegram: EmulatorClient, name: str, reply: str
) -> None:
    user = await new_supporter(telegram, "Тест", RU, "ru")
    await user.tap(RU["menu"])
    await user.tap(next(b for b in user.buttons if b.startswith(RU["open"])))
    await read_and_agree(user, RU)
    await user.send(name)
    assert user.last_message.startswith(reply)
    # Still at the name step: a good name goes on to the regions.
    await user.send("Д'Артаньян Гасконский-Второй")
    assert user.last_message == "Из какого вы региона?"


async def test_cancel_and_back_in_the_middle(telegram: EmulatorClient) -> None:
    user = await new_supporter(telegram, "Отмена", RU, "ru")
    await user.tap(RU["menu"])
    await user.tap(next(b for b in user.buttons if b.startswith(RU["open"])))
    await read_and_agree(user, RU)
    await user.send("Ерлан")
    await user.tap(RU["back"])
    assert RU["ask_name"] in user.last_message, "Back from the regions asks the name again"
    await user.send("Ерлан Серікұлы")
    await user.tap(RU["region"])
    await user.tap("✏ Имя")
    await user.send("Ерлан Серикович")
    assert "Имя: Ерлан Серикович" in user.last_message and "Регион: г. Алматы" in user.last_message
    await user.tap("✖ Отмена")
    assert user.last_message.startswith("Подписание отменено")
    assert "📜 Петиции" in user.buttons


async def test_two_users_sign_at_once(telegram: EmulatorClient, bot: RunningBot) -> None:
    _first, _second = await asyncio.gather(
        signed_user(telegram, "Бірінші", KK, "kk"), signed_user(telegram, "Второй", RU, "ru")
    )
    async with bot.app.sessionmaker() as session:
        repository = SignatureRepository(session)
        assert (await repository.counts(["petition-2021"]))["petition-2021"] == 2
        assert (await repository.true_counts())["petition-2021"] == 2


async def test_restart_in_the_middle_keeps_the_step(
    settings: Settings, emulator: EmulatorServer
) -> None:
    running = await start_polling_bot(settings, emulator)
    client = EmulatorClient(emulator.url)
    try:
        user = await new_supporter(client, "Рестарт", RU, "ru")
        await user.tap(RU["menu"])
        await user.tap(next(b for b in user.buttons if b.startswith(RU["open"])))
        await read_and_agree(user, RU, demands=3)
        await running.stop()
        running = await start_polling_bot(settings, emulator)
        await user.tap(RU["agree"])
        assert user.last_message.startswith("Требование 5 из 8")
        for _ in range(4):
            await user.tap(RU["agree"])
        await user.send("Рестарт Рестартович")
        await running.stop()
        running = await start_polling_bot(settings, emulator)
        await user.tap(RU["region"])
        assert "Имя: Рестарт Рестартович" in user.last_message, (
            "the typed name survived the restart"
        )
        await user.tap(RU["sign"])
        assert RU["signed"] in user.last_message
    finally:
        await client.close()
        await running.stop()


# --- petitions with other settings -----------------------------------------------------------


def petition_directory(tmp_path: Path, **changes: str) -> Path:
    """The shipped petitions plus variants: a closed one, one that needs a phone."""
    directory = tmp_path / "petitions"
    directory.mkdir()
    source = (PROJECT_ROOT / "petitions" / "position-2021.toml").read_text(encoding="utf-8")
    shutil.copy(PROJECT_ROOT / "petitions" / "petition-2021.toml", directory)
    closed = source.replace('slug = "position-2021"', 'slug = "closed-2020"').replace(
        "opens = 2020-10-07", "opens = 2020-10-07\ncloses = 2021-01-09"
    )
    (directory / "closed-2020.toml").write_text(closed, encoding="utf-8")
    phone = (
        source.replace('slug = "position-2021"', 'slug = "phone-2021"')
        .replace("phone_verification = false", "phone_verification = true")
        .replace('short_title = "Позиция «HAQ»"', 'short_title = "С телефоном"')
    )
    (directory / "phone-2021.toml").write_text(phone, encoding="utf-8")
    return directory


@pytest.fixture
async def custom_telegram(
    tmp_path: Path, sqlite_url: str, emulator: EmulatorServer
) -> AsyncIterator[EmulatorClient]:
    settings = make_settings(sqlite_url, petitions={"directory": str(petition_directory(tmp_path))})
    running = await start_polling_bot(settings, emulator)
    client = EmulatorClient(emulator.url)
    yield client
    await client.close()
    await running.stop()


async def test_closed_petition_shows_final_count_and_cannot_be_signed(
    custom_telegram: EmulatorClient,
) -> None:
    user = await new_supporter(custom_telegram, "Поздно", RU, "ru")
    await user.send("/petitions")
    assert not any("Позиция" in b for b in user.buttons), "closed petitions are not in the list"
    await user.send("/start p-closed-2020")
    assert "Сбор подписей закрыт 09.01.2021. Итог: 0 подписей." in user.last_message
    assert RU["read"] not in user.buttons
    # A forged "sign" on it gets the intro again, not a signature.
    intro = user.bot_messages[-1]
    await user.tap_data(intro["message_id"], "p1:sg:closed-2020:0", forge=True)
    assert "Сбор подписей закрыт" in user.last_message


async def test_phone_petition_takes_only_the_users_own_number(
    custom_telegram: EmulatorClient,
) -> None:
    user = await new_supporter(custom_telegram, "Телефон", RU, "ru")
    await user.send("/start p-phone-2021")
    await read_and_agree(user, RU, demands=5)
    await user.send("Телефон Телефонов")
    await user.tap("г. Астана")
    assert user.last_message.startswith("Эта петиция принимает одну подпись на номер")
    assert user.reply_keyboard is not None
    await user.share_contact(own=False, phone_number="+77770000000", user_id=99)
    assert user.last_message.startswith("Нужен ваш собственный номер")
    await user.press("📱 Поделиться моим номером")
    assert "Телефон: подтверждён" in user.last_message
    assert user.reply_keyboard is None, "the contact keyboard is gone"
    await user.tap(RU["sign"])
    assert RU["signed"] in user.last_message

    # Someone else with the same phone number cannot sign again.
    other = await new_supporter(custom_telegram, "Двойник", RU, "ru")
    await other.send("/start p-phone-2021")
    await read_and_agree(other, RU, demands=5)
    await other.send("Двойник Двойников")
    await other.tap("г. Астана")
    await other.share_contact(own=False, phone_number=user_phone(user), user_id=other.id)
    await other.tap(RU["sign"])
    assert other.last_message.startswith("С этого номера телефона петицию уже подписали")


def user_phone(user: EmulatedUserClient) -> str:
    return f"+7701{user.id:07d}"


async def test_mydata_and_forget(telegram: EmulatorClient, bot: RunningBot) -> None:
    from storage.users import UserRepository

    user = await signed_user(telegram, "Сауле", RU, "ru")
    await user.send("/mydata")
    assert "Язык: Русский" in user.last_message
    assert (
        "«Петиция о выборах 2021»: подписана" in user.last_message
        and "имя: Сауле" in user.last_message
    )

    await user.send("/forget")
    assert user.last_message.startswith("Удалить все ваши данные?")
    await user.tap("Нет")
    assert user.last_message == "Ничего не удалено."
    await user.send("/forget")
    await user.tap("Да, удалить всё")
    assert user.last_message.startswith("Ваши данные удалены.")
    async with bot.app.sessionmaker() as session:
        assert await UserRepository(session).get(user.id) is None
        assert await SignatureRepository(session).get("petition-2021", user.id) is None
        assert (await SignatureRepository(session).counts(["petition-2021"]))["petition-2021"] == 0

    # Writing again starts from the beginning, with nothing remembered.
    await user.send("/mydata")
    assert "Подписей под петициями нет." in user.last_message


async def test_a_button_for_a_removed_petition_shows_the_list(telegram: EmulatorClient) -> None:
    user = await new_supporter(telegram, "Старый", RU, "ru")
    menu = user.bot_messages[-1]
    for data in (
        "p1:rd:removed-2019:0",
        "p1:sg:removed-2019:0",
        "p1:wd:removed-2019:0",
        "g1:removed-2019:astana",
    ):
        await user.tap_data(menu["message_id"], data, forge=True)
        assert user.last_message.startswith("Такой петиции нет. Вот открытые петиции:"), data


REGIONS_IN_ORDER = {
    "ru": [
        "г. Астана", "г. Алматы", "г. Шымкент", "Абайская область", "Акмолинская область",
        "Актюбинская область", "Алматинская область", "Атырауская область",
        "Восточно-Казахстанская область", "Жамбылская область", "Жетысуская область",
        "Западно-Казахстанская область", "Карагандинская область", "Костанайская область",
        "Кызылординская область", "Мангистауская область", "Павлодарская область",
        "Северо-Казахстанская область", "Туркестанская область", "Улытауская область",
        "За рубежом",
    ],
    "kk": [
        "Астана қаласы", "Алматы қаласы", "Шымкент қаласы", "Абай облысы", "Ақмола облысы",
        "Ақтөбе облысы", "Алматы облысы", "Атырау облысы", "Батыс Қазақстан облысы",
        "Жамбыл облысы", "Жетісу облысы", "Қарағанды облысы", "Қостанай облысы",
        "Қызылорда облысы", "Маңғыстау облысы", "Павлодар облысы",
        "Солтүстік Қазақстан облысы", "Түркістан облысы", "Ұлытау облысы",
        "Шығыс Қазақстан облысы", "Шетелде",
    ],
}  # fmt: skip


@pytest.mark.parametrize(("code", "words"), [("kk", KK), ("ru", RU)], ids=["kk", "ru"])
async def test_regions_are_listed_in_the_users_alphabet(
    telegram: EmulatorClient, code: str, words: dict[str, str]
) -> None:
    """Issue 14: the region list was in Kazakh order in Russian too. The three cities lead,
    the regions follow in the alphabet of the user's language (Kazakh letters in their places),
    abroad closes."""
    user = await new_supporter(telegram, "Әлия", words, code)
    await user.tap(words["menu"])
    await user.tap(next(b for b in user.buttons if b.startswith(words["open"])))
    await read_and_agree(user, words)
    await user.send("Әлия Серікқызы")
    assert user.buttons[:21] == REGIONS_IN_ORDER[code]
