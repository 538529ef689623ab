"""Incident reports end to end through the emulator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from emulator.client import EmulatedUserClient, EmulatorClient
from models.tables import IncidentRow
from services.incidents import TimeRejected, load_incident_catalog, parse_incident_time
from settings import PROJECT_ROOT
from tests.conftest import COORDINATOR_ID, RunningBot
from tests.test_emulator_rules import PNG_1x1
from tests.test_observers import invite, register_with_code

ASK_LOCATION_KK = "Орынды жіберуге болады (төмендегі батырма) — немесе өткізіп жіберіңіз."


@pytest.fixture
def photos(tmp_path: Path) -> list[Path]:
    paths = []
    for index in range(3):
        path = tmp_path / f"evidence{index}.png"
        path.write_bytes(PNG_1x1)
        paths.append(path)
    return paths


async def observer(
    telegram: EmulatorClient, bot: RunningBot, language: str = "Русский"
) -> EmulatedUserClient:
    from runtime.launcher import load_demo_precincts

    await load_demo_precincts(bot.app)
    user = await telegram.new_user("Obs", language_code="kk" if language == "Қазақша" else "ru")
    region = "Астана қаласы" if language == "Қазақша" else "г. Астана"
    await register_with_code(
        user, await invite(bot), "Бақылаушы Бірінші", region, "12", language=language
    )
    return user


async def reports(bot: RunningBot) -> list[IncidentRow]:
    async with bot.app.sessionmaker() as session:
        return list((await session.execute(select(IncidentRow).order_by(IncidentRow.id))).scalars())


def earlier_today(bot: RunningBot, minutes: int) -> str:
    """HH:MM a few minutes ago in the election's zone, never before today's midnight: a fixed
    "09:15" was refused as not yet come whenever the test ran before 09:15 in Almaty."""
    now = datetime.now(ZoneInfo(bot.app.settings.election.timezone))
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return max(now - timedelta(minutes=minutes), midnight).strftime("%H:%M")


async def test_incident_with_an_album_of_three_photos(
    telegram: EmulatorClient, bot: RunningBot, photos: list[Path]
) -> None:
    first, second = earlier_today(bot, 10), earlier_today(bot, 5)
    user = await observer(telegram, bot, "Қазақша")
    await user.tap("⚠ Бұзушылық туралы хабарлау")
    assert user.last_message == "Бұл қай кезеңде болды?"
    await user.tap("Дауыс беру")
    await user.tap("Учаскедегі үгіт")
    await user.send(first)
    await user.send("Кіре берісте AMANAT үгіт парақтарын таратты.")
    await user.send_album(photos)
    assert user.last_message.startswith("Алынды: 3.")
    await user.tap("✅ Дайын")
    # One prompt that holds the location keyboard (issue 14: it was a bubble with only the
    # button's label), and no echo of "Skip" afterwards.
    prompt = user.bot_messages[-1]
    assert prompt["text"] == ASK_LOCATION_KK and user.reply_keyboard
    await user.press("Өткізіп жіберу")
    assert not [text for text in user.texts if text in ("Өткізіп жіберу", "📍 Орынды жіберу")]
    review = user.last_message
    assert (
        "Бұзушылық: Учаскедегі үгіт" in review
        and f"Уақыты: {first}" in review
        and "Дәлелдер: 3" in review
    )
    # A typo does not mean starting over: each field is changed from the review, which comes
    # back with everything else as it was.
    await user.tap("✏ Уақыт")
    await user.send(second)
    assert f"Уақыты: {second}" in user.last_message and "Дәлелдер: 3" in user.last_message
    await user.tap("✏ Сипаттама")
    await user.send("Кіре берісте AMANAT үгіт парақтарын таратты, екі адам.")
    assert "екі адам" in user.last_message and f"Уақыты: {second}" in user.last_message
    await user.tap("✏ Бұзушылық")
    await user.tap("Дауыс беру")
    await user.tap("Сайлаушыларға қысым, оларды тасымалдау")
    assert "Бұзушылық: Сайлаушыларға қысым, оларды тасымалдау" in user.last_message
    assert f"Уақыты: {second}" in user.last_message, "straight back to the review, time kept"
    await user.tap("✏ Дәлелдер")
    assert user.last_message.startswith("Тіркелген файлдар: 3.")
    await user.send_photo(photos[0])
    await user.tap("✅ Дайын")
    assert "Дәлелдер: 4" in user.last_message and "екі адам" in user.last_message
    await user.tap("📨 Жіберу")
    assert user.last_message == "✅ Бұзушылық туралы хабарлама жіберілді."
    assert user.buttons == [
        "📄 Хаттама жіберу",
        "⚠ Бұзушылық туралы хабарлау",
        "📋 Менің есептерім",
        "⬅ Мәзір",
    ], "no dead end"
    [row] = await reports(bot)
    assert (row.category, row.severity, len(row.evidence)) == ("VOTER_PRESSURE", "major", 4)
    assert b"AMANAT" not in row.description_encrypted, "the description is encrypted"
    assert bot.app.cipher.decrypt(row.description_encrypted).endswith("екі адам.")


async def test_critical_incident_reaches_coordinators_with_evidence(
    telegram: EmulatorClient, bot: RunningBot, photos: list[Path]
) -> None:
    coordinator = await telegram.new_user("HQ", language_code="ru", user_id=COORDINATOR_ID)
    await coordinator.send("/start")
    user = await observer(telegram, bot)
    await user.send("/incident")
    await user.tap("Права наблюдателя")
    await user.tap("Удаление наблюдателя с участка")
    await user.tap("🕒 Сейчас")
    await user.send("Председатель <УИК> потребовал выйти.")
    await user.send_photo(photos[0])
    await user.tap("✅ Готово")
    await user.press("📍 Отправить место")
    assert "Место: отправлено" in user.last_message
    await user.tap("✏ Доказательства")
    await user.tap("🗑 Убрать все файлы")
    assert "Доказательства: 0" in user.last_message and "Место: отправлено" in user.last_message
    await user.tap("✏ Доказательства")
    await user.send_photo(photos[0])
    await user.tap("✅ Готово")
    assert "Доказательства: 1" in user.last_message
    await user.tap("📨 Отправить")
    assert user.last_message.startswith("✅ Отправлено. Это срочное нарушение")
    await coordinator.refresh()
    alert = next(m for m in coordinator.bot_messages if (m.get("text") or "").startswith("🚨"))
    assert (
        "Удаление наблюдателя с участка" in alert["text"]
        and "Председатель <УИК> потребовал выйти." in alert["text"]
    )
    assert coordinator.bot_messages[-1].get("photo"), "the evidence follows the alert"
    [row] = await reports(bot)
    assert row.latitude is not None and row.severity == "critical"


async def test_a_repeat_within_ten_minutes_is_merged_after_asking(
    telegram: EmulatorClient, bot: RunningBot
) -> None:
    user = await observer(telegram, bot)
    for text in ("Фото запрещают.", "Снова запретили снимать."):
        await user.send("/incident")
        await user.tap("Права наблюдателя")
        await user.tap("Запрет фото- и видеосъёмки")
        await user.tap("🕒 Сейчас")
        await user.send(text)
        await user.tap("Пропустить")
        await user.press("Пропустить")
        await user.tap("📨 Отправить")
    assert user.last_message.startswith("Вы уже сообщали об этом на этом участке 1 мин. назад.")
    await user.tap("➕ Добавить к прошлому")
    assert user.last_message == "✅ Добавлено к прошлому сообщению."
    [row] = await reports(bot)
    async with bot.app.sessionmaker() as session:
        merged = bot.app.cipher.decrypt(
            (await session.get(IncidentRow, row.id)).description_encrypted
        )  # type: ignore[union-attr]
    assert merged == "Фото запрещают.\n---\nСнова запретили снимать."


async def test_wrong_inputs_and_cancel(
    telegram: EmulatorClient, bot: RunningBot, tmp_path: Path
) -> None:
    user = await observer(telegram, bot)
    await user.send("/incident")
    await user.tap("Подсчёт голосов")
    await user.tap("⬅ Назад")
    assert user.last_message == "Когда это произошло — на каком этапе?"
    await user.tap("Другое")
    await user.tap("Иное (опишите)")
    await user.send("25:00")
    assert user.last_message.startswith("Время нужно в виде ЧЧ:ММ")
    await user.send("23:59" if datetime.now(ZoneInfo("Asia/Almaty")).hour < 23 else "junk")
    assert user.last_message.startswith(("Это время ещё не наступило", "Время нужно"))
    await user.tap("🕒 Сейчас")
    await user.send("я" * 2001)
    assert user.last_message.startswith("Описание длиннее 2000 символов (2\u00a0001)")
    await user.send("Коротко.")
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\0" * 100)
    await user.send_video(video)
    assert user.last_message.startswith("Получено: 1.")
    await user.send("/cancel")
    assert user.last_message.startswith("Прервать и удалить то, что вы начали")
    await user.tap("Да, прервать")
    assert await reports(bot) == []

    # ✖ Cancel inside the dialog: nothing kept, and the next steps under the notice.
    await user.send("/incident")
    await user.tap("✖ Отмена")
    assert user.last_message == "Сообщение о нарушении отменено, ничего не сохранено."
    keyboard = user.bot_messages[-1]["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in keyboard][:2] == [
        "📄 Отправить протокол",
        "⚠ Сообщить о нарушении",
    ]

    stranger = await telegram.new_user("Прохожий", language_code="ru")
    await stranger.send("/incident")
    assert [
        b["text"]
        for row in stranger.bot_messages[-1]["reply_markup"]["inline_keyboard"]
        for b in row
    ] == ["👁 Наблюдателю", "⬅ Меню"], "not an observer: how to become one"


def test_category_labels_name_the_violation_in_one_form() -> None:
    """Not a mix of "Наблюдателя удалили" and "Запрет съёмки": every label is a name, in both
    languages (no past-tense verb: Russian plural -ли, Kazakh -ды/-ді/-ты/-ті)."""
    import re

    catalog = load_incident_catalog(PROJECT_ROOT / "incidents" / "categories.toml")
    for category in catalog.categories:
        verbs = [w for w in re.findall(r"\w+ли\b", category.name.ru) if w != "или"]
        assert not verbs, category.name.ru
        # Kazakh puts the verb last (-ды/-ді is also the accusative, mid-phrase).
        last_word = re.sub(r"\(.*?\)", "", category.name.kk).split()[-1]
        assert not re.search(r"(ды|ді|ты|ті)$", last_word), category.name.kk


def test_incident_categories_file() -> None:
    catalog = load_incident_catalog(PROJECT_ROOT / "incidents" / "categories.toml")
    assert len(catalog.categories) == 29 and len(catalog.stages) == 8
    critical = {c.code for c in catalog.categories if c.severity == "critical"}
    assert {"OBS_REMOVED", "STUFFING", "PROTOCOL_REFUSED", "BALLOTS_EXCEED_ISSUED"} <= critical
    assert catalog.category("OBS_REMOVED").name.kk == "Бақылаушыны учаскеден шығару"  # type: ignore[union-attr]


def test_incident_time() -> None:
    zone = ZoneInfo("Asia/Almaty")
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # 15:00 in Almaty
    assert parse_incident_time("14:35", now, zone).hour == 14
    assert parse_incident_time("9.05", now, zone).minute == 5
    for typed in ("15:30", "24:00", "abc", "1435"):
        with pytest.raises(TimeRejected):
            parse_incident_time(typed, now, zone)
    assert parse_incident_time("15:00", now + timedelta(seconds=30), zone)


async def test_my_reports_and_a_correction(
    telegram: EmulatorClient, bot: RunningBot, tmp_path: Path
) -> None:
    from tests.test_protocols import GOOD, blank_page, to_typing, type_all

    user = await observer(telegram, bot)
    page = blank_page(tmp_path / "p.png")
    await to_typing(user, page)
    await type_all(user, GOOD)
    await user.tap("✅ Всё верно, отправить")
    await user.send("/incident")
    await user.tap("Голосование")
    await user.tap("Посторонние на участке")
    await user.tap("🕒 Сейчас")
    await user.send("Двое посторонних у урны.")
    await user.tap("Пропустить")
    await user.press("Пропустить")
    await user.tap("📨 Отправить")

    await user.send("/myreports")
    listing = user.last_message
    assert "Протокол: участок № 12, Мажилис (партийные списки), версия 1 — получено" in listing
    assert "Посторонние на участке — получено" in listing
    [row] = await reports(bot)
    await user.tap(f"✏ Дополнить #{row.id}")
    await user.send("Ушли в 11:20.")
    assert user.last_message == f"✅ Дополнение к #{row.id} добавлено."
    async with bot.app.sessionmaker() as session:
        text = bot.app.cipher.decrypt(
            (await session.get(IncidentRow, row.id)).description_encrypted
        )  # type: ignore[union-attr]
    assert text == "Двое посторонних у урны.\n---\nУшли в 11:20."

    # Someone else's report cannot be corrected, even with forged data.
    other = await observer(telegram, bot)
    await other.send("/myreports")
    await other.tap_data(other.bot_messages[-1]["message_id"], f"m2:cr:{row.id}", forge=True)
    await other.send("подделка")
    async with bot.app.sessionmaker() as session:
        text = bot.app.cipher.decrypt(
            (await session.get(IncidentRow, row.id)).description_encrypted
        )  # type: ignore[union-attr]
    assert "подделка" not in text


@pytest.mark.parametrize(
    "description", ["🗳" * 2000, "<>&" * 500], ids=["2000-emoji", "1500-escaped"]
)
async def test_a_long_critical_report_reaches_coordinators(
    telegram: EmulatorClient, bot: RunningBot, description: str
) -> None:
    """Issue 13: 2,000 emoji (4,000 UTF-16 units) or 1,500 characters of `< > &` broke the review
    and the alert (Telegram's 4,096 and Fluent's placeable cap); every retry failed."""
    coordinator = await telegram.new_user("HQ", language_code="ru", user_id=COORDINATOR_ID)
    await coordinator.send("/start")
    user = await observer(telegram, bot)
    await user.send("/incident")
    await user.tap("Голосование")
    await user.tap("Вброс бюллетеней")
    await user.tap("🕒 Сейчас")
    await user.send(description)
    await user.tap("Пропустить")
    await user.press("Пропустить")
    assert user.last_message.startswith(
        "Проверьте сообщение"
    ) and user.last_message.rstrip().endswith(("нет", "отправлено"))
    assert "…" in user.last_message, "a long description is cut in the review, with an ellipsis"
    await user.tap("📨 Отправить")
    assert user.last_message.startswith("✅ Отправлено. Это срочное нарушение")
    await coordinator.refresh()
    alert = next(m for m in coordinator.bot_messages if (m.get("text") or "").startswith("🚨"))
    assert "Вброс бюллетеней" in alert["text"] and "…" in alert["text"]
    [row] = await reports(bot)
    async with bot.app.sessionmaker() as session:
        stored = bot.app.cipher.decrypt(
            (await session.get(IncidentRow, row.id)).description_encrypted
        )  # type: ignore[union-attr]
    assert stored == description, "stored in full"
