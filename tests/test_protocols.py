"""Protocol submission end to end through the emulator."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from emulator.client import EmulatedUserClient, EmulatorClient
from emulator.server import EmulatorServer
from models.tables import ProtocolRow
from services.protocols import (
    ColumnRejected,
    CountProblem,
    CountRejected,
    parse_column,
    parse_count,
)
from settings import Settings
from tests.conftest import COORDINATOR_ID, RunningBot, earlier_texts, start_polling_bot
from tests.test_emulator_rules import PNG_1x1
from tests.test_observers import invite, register_with_code

# 2023 Mazhilis form: 6 general lines, 7 parties, against all.
GOOD = ["1500", "1 500", "547", "953", "545", "15", "300", "60", "50", "40", "30", "20", "10", "20"]


def blank_page(path: Path, size: tuple[int, int] = (400, 400)) -> Path:
    """A white page: big enough to be taken, with no table for OCR to find (so every line is
    typed)."""
    from PIL import Image

    Image.new("RGB", size, "white").save(path)
    return path


@pytest.fixture
def page(tmp_path: Path) -> Path:
    return blank_page(tmp_path / "protocol.png")


async def observer(
    telegram: EmulatorClient, bot: RunningBot, name: str = "Наблюдатель Протокольный"
) -> EmulatedUserClient:
    from runtime.launcher import load_demo_precincts

    await load_demo_precincts(bot.app)
    user = await telegram.new_user("Obs", language_code="ru")
    await register_with_code(user, await invite(bot), name, "г. Астана", "12")
    assert user.last_message.startswith("✅ Вы зарегистрированы")
    return user


async def to_typing(user: EmulatedUserClient, page: Path) -> None:
    await user.tap("📄 Отправить протокол")
    assert user.last_message == "Какой уровень выборов?", "one precinct: no question which"
    await user.tap("Мажилис (партийные списки)")
    await user.send_document(page)
    assert user.last_message.startswith("Страница 1 получена")
    await user.tap("✅ Готово")
    assert user.last_message.startswith("1. Число избирателей, включённых в списки избирателей")


async def type_all(user: EmulatedUserClient, figures: list[str]) -> None:
    for figure in figures:
        await user.send(figure)


async def stored(bot: RunningBot) -> list[ProtocolRow]:
    async with bot.app.sessionmaker() as session:
        return list(
            (await session.execute(select(ProtocolRow).order_by(ProtocolRow.version))).scalars()
        )


async def test_typed_protocol_that_adds_up(
    telegram: EmulatorClient, bot: RunningBot, page: Path, emulator
) -> None:
    user = await observer(telegram, bot)
    await to_typing(user, page)
    await type_all(user, GOOD)
    review = user.last_message
    assert review.startswith("Проверьте протокол: участок № 12, Мажилис (партийные списки)")
    assert "7. AMANAT: 300" in review and "14. Против всех: 20" in review
    assert "✅ Контрольные соотношения сходятся." in review and "⚠" not in review
    await user.tap("✅ Всё верно, отправить")
    assert user.last_message == "✅ Протокол сохранён (версия 1)."
    # The progress note was shown while the pages were read, then became the result.
    [result] = [
        m
        for m in emulator.world.chats[user.id].messages.values()
        if "🔍 Читаю протокол (1 стр.)…" in m.get("x_earlier", [])
    ]
    assert result["text"].startswith("Страница 1: не нашёл таблицу протокола."), "page and why"
    assert "Цифры не удалось прочитать автоматически" in result["text"]
    assert "🔍 Читаю протокол (1 стр.)…" not in user.texts, "no progress note left behind"
    [row] = await stored(bot)
    assert row.recognition is not None and [p["code"] for p in row.recognition["problems"]] == [
        "no-table"
    ], "the raw recognition is kept"
    assert row.figures["votes.amanat"] == 300 and row.figures["ballots_received"] == 1500
    assert row.status == "received" and row.hard_failures == [] and len(row.photos) == 1
    assert row.photos[0]["as"] == "file"


async def test_hard_failure_needs_a_reason_and_is_flagged(
    telegram: EmulatorClient, bot: RunningBot, page: Path
) -> None:
    coordinator = await telegram.new_user("HQ", language_code="ru", user_id=COORDINATOR_ID)
    user = await observer(telegram, bot)
    await to_typing(user, page)
    await type_all(user, GOOD[:5] + ["16"] + GOOD[6:])  # one invalid ballot too many
    assert "⚠ 6. Число бюллетеней, признанных недействительными: 16" in user.last_message
    assert "⚠ 7. AMANAT" in user.last_message and "⚠ 1." not in user.last_message
    assert "Голоса за партии, «против всех» и недействительные" in user.last_message
    await user.tap("✅ Всё верно, отправить")
    assert user.last_message.startswith("Цифры не сходятся.")
    await user.send("так записано в протоколе")
    assert (
        user.last_message == "✅ Протокол сохранён (версия 1) и передан координаторам на проверку."
    )
    [row] = await stored(bot)
    assert row.status == "flagged" and row.hard_failures == ["boxes-balance"]
    assert row.reason_encrypted and b"protocol" not in row.reason_encrypted
    await coordinator.refresh()
    assert coordinator.last_message.startswith("Протокол на проверку\nУчасток № 12 (г. Астана)")


async def test_correcting_a_line_and_a_second_version(
    telegram: EmulatorClient, bot: RunningBot, page: Path
) -> None:
    user = await observer(telegram, bot)
    await to_typing(user, page)
    await type_all(user, GOOD[:5] + ["16"] + GOOD[6:])
    await user.tap("✏ 6")
    assert user.last_message.startswith("6. Число бюллетеней, признанных недействительными")
    await user.send("15")
    assert "✅ Контрольные соотношения сходятся." in user.last_message, "back to the review, fixed"
    await user.tap("✅ Всё верно, отправить")

    # Later the observer sends the protocol again with other figures: a new version.
    await user.send("/protocol")
    await user.tap("Мажилис (партийные списки)")
    await user.send_photo(page)
    await user.tap("✅ Готово")
    await type_all(user, GOOD[:6] + ["290", "70"] + GOOD[8:])
    await user.tap("✅ Всё верно, отправить")
    assert user.last_message.startswith("✅ Протокол сохранён (версия 2) и передан координаторам")
    assert "• AMANAT: 300 → 290" in user.last_message and "• Ауыл: 60 → 70" in user.last_message
    first, second = await stored(bot)
    assert (first.version, second.version) == (1, 2) and first.figures["votes.amanat"] == 300
    assert second.photos[0]["as"] == "photo"


async def test_more_pages_than_a_protocol_has_are_refused_as_they_arrive(
    telegram: EmulatorClient, bot: RunningBot, page: Path, emulator: EmulatorServer
) -> None:
    """Issue 12's per-protocol budget: a final protocol has a few pages; the eleventh is not
    added (nothing already sent is lost), and the ten are read."""
    user = await observer(telegram, bot)
    await user.tap("📄 Отправить протокол")
    await user.tap("Мажилис (партийные списки)")
    for _ in range(10):
        await user.send_photo(page)
    assert user.last_message.startswith("Страница 10 получена")
    await user.send_photo(page)
    assert user.last_message == (
        "В протоколе не бывает больше 10 страниц: эта страница не добавлена. Нажмите «✅ Готово», "
        "чтобы я прочитал присланные, или «✖ Отмена», чтобы начать заново."
    )
    await user.tap("✅ Готово")  # the button under the refusal
    assert "🔍 Читаю протокол (10 стр.)…" in earlier_texts(emulator, user.id)
    assert user.last_message.startswith("1. Число избирателей, включённых в списки избирателей")


async def test_wrong_inputs(
    telegram: EmulatorClient, bot: RunningBot, page: Path, tmp_path: Path
) -> None:
    user = await observer(telegram, bot)
    await user.tap("📄 Отправить протокол")
    await user.tap("Мажилис (партийные списки)")
    await user.send("вот протокол")
    assert user.last_message.startswith("Отправьте снимок страницы протокола")
    pdf = tmp_path / "protocol.pdf"
    pdf.write_bytes(b"%PDF-1.4 not an image")
    await user.send_document(pdf)
    assert user.last_message.startswith("Это не изображение.")
    big = tmp_path / "huge.png"
    big.write_bytes(PNG_1x1 + b"\0" * (30 * 1024 * 1024))
    # A page too small to read is refused when it arrives, with the reason, not after "Done".
    await user.send_document(blank_page(tmp_path / "tiny.png", (40, 30)))
    assert (
        user.last_message
        == "Эта страница не добавлена: изображение слишком маленькое, цифры не разобрать."
    )
    await user.send_photo(blank_page(tmp_path / "tiny.jpg", (40, 30)))
    assert user.last_message.startswith("Эта страница не добавлена: изображение слишком маленькое")
    await user.send_document(big)
    assert user.last_message.startswith("Файл больше 20 МБ")
    await user.tap("✅ Готово")
    assert user.last_message == "Сначала отправьте хотя бы одну страницу протокола.", (
        "refused pages were not added"
    )
    await user.send_photo(page)
    await user.tap("✅ Готово")
    await user.send("1500")  # 1. voters on the list
    await user.send("1550")  # 2. ballots received: a reserve above the voters is normal
    assert user.last_message.startswith("3. Число бюллетеней, выданных избирателям")
    for typed, answer in (
        ("12a", "Нужно число из цифр"),
        ("²", "Нужно число из цифр"),
        ("①", "Нужно число из цифр"),
        ("-5", "Число не может быть отрицательным"),
    ):
        await user.send(typed)
        assert user.last_message.startswith(answer), typed
    await user.send("547")
    assert user.last_message.startswith("4. Число неиспользованных"), "nothing lost: on to line 4"


async def test_more_ballots_issued_than_voters_is_recorded_and_flagged(
    telegram: EmulatorClient, bot: RunningBot, page: Path
) -> None:
    """Ballot stuffing is what observers must be able to report: a figure above the voters on the
    list is taken, the review shows the failing check, the protocol is flagged (issue 12)."""
    user = await observer(telegram, bot)
    await to_typing(user, page)
    stuffed = [
        "1500",
        "2 100",
        "1 700",
        "400",
        "1 700",
        "15",
        "1125",
        "160",
        "150",
        "90",
        "80",
        "40",
        "20",
        "20",
    ]
    await type_all(user, stuffed)
    review = user.last_message
    assert "⚠ 3. Число бюллетеней, выданных избирателям: 1\u00a0700" in review
    assert "Выдано больше бюллетеней, чем избирателей в списках." in review
    await user.tap("✅ Всё верно, отправить")
    await user.send("так записано в протоколе")
    [row] = await stored(bot)
    assert row.figures["ballots_issued"] == 1700 and row.status == "flagged"
    assert row.hard_failures == ["issued-not-over-voters"]


async def test_restart_during_the_review_keeps_everything(
    settings: Settings, emulator: EmulatorServer, page: Path
) -> None:
    running = await start_polling_bot(settings, emulator)
    client = EmulatorClient(emulator.url)
    try:
        user = await observer(client, running)
        await to_typing(user, page)
        await type_all(user, GOOD)
        await running.stop()
        running = await start_polling_bot(settings, emulator)
        await user.tap("✏ 7")
        await user.send("300")
        assert "7. AMANAT: 300" in user.last_message and "14. Против всех: 20" in user.last_message
        await user.tap("✅ Всё верно, отправить")
        assert user.last_message == "✅ Протокол сохранён (версия 1)."
    finally:
        await client.close()
        await running.stop()


async def test_only_approved_observers_submit(telegram: EmulatorClient, bot: RunningBot) -> None:
    user = await telegram.new_user("Никто", language_code="kk")
    await user.send("/start")
    await user.tap("Қазақша")
    await user.send("/protocol")
    assert user.last_message.startswith("Хаттаманы мақұлданған бақылаушылар жібереді.")
    await user.tap_data(user.bot_messages[-1]["message_id"], "r1:ok:", forge=True)
    assert await stored(bot) == []


@pytest.mark.parametrize(
    ("typed", "value"),
    [("1234", 1234), ("1 234", 1234), ("1\u2009234", 1234), ("1\u00a0234", 1234), (" 7 ", 7)],
)
def test_counts_as_people_type_them(typed: str, value: int) -> None:
    assert parse_count(typed) == value


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("12a", CountProblem.NOT_A_NUMBER),
        ("1,234", CountProblem.NOT_A_NUMBER),
        ("", CountProblem.NOT_A_NUMBER),
        ("²", CountProblem.NOT_A_NUMBER),
        ("①", CountProblem.NOT_A_NUMBER),
        ("¹²", CountProblem.NOT_A_NUMBER),
        ("١٢", CountProblem.NOT_A_NUMBER),
        ("-²", CountProblem.NOT_A_NUMBER),
        ("-5", CountProblem.NEGATIVE),
        ("99999999", CountProblem.TOO_LARGE),
    ],
)
def test_counts_refused(typed: str, problem: CountProblem) -> None:
    with pytest.raises(CountRejected) as rejected:
        parse_count(typed)
    assert rejected.value.problem is problem


@pytest.mark.parametrize(
    "typed",
    [
        "1500\n1 200\n300\n20",  # one per line, thousands grouped
        "1. 1500\n2) 1200\n3: 300\n4. 20",  # with the lines' numbers
        "1500 1200 300 20",
        "1500, 1200; 300,20",
        "\n1500\n\n1200\n300\n20\n",  # blank lines ignored
    ],
)
def test_all_figures_typed_at_once(typed: str) -> None:
    assert parse_column(typed, 4) == [1500, 1200, 300, 20]


@pytest.mark.parametrize(
    ("typed", "found", "line"),
    [
        ("1500 1200 300", 3, None),  # one missing would shift the rest: refused
        ("1 500 1 200 300 20", 6, None),  # grouped thousands on one line are ambiguous
        ("1500\n12a\n300\n20", 4, 2),
        ("1500\n1200\n-3\n20", 4, 3),
    ],
)
def test_all_figures_at_once_refused(typed: str, found: int, line: int | None) -> None:
    with pytest.raises(ColumnRejected) as rejected:
        parse_column(typed, 4)
    assert (rejected.value.found, rejected.value.line) == (found, line)


async def test_all_figures_in_one_message(
    telegram: EmulatorClient, bot: RunningBot, page: Path
) -> None:
    """Someone reading from the paper types the column once, sees it on the review, sends:
    three messages instead of fourteen answers."""
    user = await observer(telegram, bot)
    await to_typing(user, page)
    await user.send("1500")  # line 1 typed the slow way first
    await user.tap("⌨ Все цифры одним сообщением")
    assert user.last_message.startswith("Отправьте все 14 чисел одним сообщением")
    assert "7. AMANAT" in user.last_message, "the lines listed, so the order is clear"
    await user.send("\n".join(GOOD[:13]))
    assert user.last_message.startswith("Нашёл чисел: 13, а строк в протоколе: 14.")
    await user.send("\n".join([*GOOD[:4], "95З", *GOOD[5:]]))  # a Cyrillic З for a 3
    assert user.last_message == (
        "Строка 5: Нужно число из цифр, например 1234 или 1 234. Отправьте все числа заново."
    )
    await user.tap("⬅ По одной строке")
    assert user.last_message.startswith("2. Число бюллетеней, полученных"), "back where it was"
    await user.tap("⌨ Все цифры одним сообщением")
    await user.send("\n".join(f"{n}. {figure}" for n, figure in enumerate(GOOD, start=1)))
    review = user.last_message
    assert review.startswith("Проверьте протокол: участок № 12")
    assert "7. AMANAT: 300" in review and "14. Против всех: 20" in review
    assert "✅ Контрольные соотношения сходятся." in review
    await user.tap("✏ 7")
    await user.send("301")
    assert "7. AMANAT: 301" in user.last_message, "one line corrected from the review"
    await user.tap("✏ 7")
    await user.send("300")
    await user.tap("✅ Всё верно, отправить")
    assert user.last_message == "✅ Протокол сохранён (версия 1)."
    [row] = await stored(bot)
    assert sorted(row.figures.values()) == sorted(int(g.replace(" ", "")) for g in GOOD)


async def test_cancel_asks_before_discarding_a_started_protocol(
    telegram: EmulatorClient, bot: RunningBot, page: Path
) -> None:
    user = await observer(telegram, bot)
    await to_typing(user, page)
    await type_all(user, GOOD[:3])
    await user.send("/cancel")
    assert user.last_message.startswith("Прервать и удалить то, что вы начали")
    await user.tap("Нет, продолжить")
    await user.send("953")
    assert user.last_message.startswith("5. Число бюллетеней, находившихся в ящиках"), (
        "nothing lost"
    )
    await user.send("/cancel")
    await user.tap("Да, прервать")
    assert user.last_message.startswith("Действие прервано.")
    await user.send("545")
    assert user.last_message.startswith("Я не понял"), "the dialog is over"


async def test_an_album_is_acknowledged_page_by_page_in_one_message(
    telegram: EmulatorClient, bot: RunningBot, tmp_path: Path, emulator
) -> None:
    user = await observer(telegram, bot)
    await user.tap("📄 Отправить протокол")
    await user.tap("Мажилис (партийные списки)")
    pages = [blank_page(tmp_path / f"page{n}.png") for n in (1, 2, 3)]
    await user.send_album(pages[:2])
    assert user.last_message.startswith("Страницы 1–2 получены."), user.texts
    assert not any(t.startswith("Страница 1 получена") for t in user.texts), (
        "one acknowledgement for the album"
    )
    await user.send_document(pages[2])
    assert user.last_message.startswith("Страница 3 получена.")
    await user.tap("✅ Готово")
    assert "🔍 Читаю протокол (3 стр.)…" in earlier_texts(emulator, user.id)


@pytest.mark.parametrize(
    ("locale", "read", "unsure", "unread", "expected"),
    [
        (
            "ru",
            7,
            0,
            7,
            "Прочитано строк: 7 из 14. Не прочитано: 7. Покажу каждую такую строку, как она "
            "выглядит на фото.",
        ),
        (
            "ru",
            14,
            2,
            0,
            "Прочитано строк: 14 из 14. В 2 из них я не уверен. Покажу каждую такую строку, как "
            "она выглядит на фото.",
        ),
        ("ru", 14, 0, 0, "Прочитано строк: 14 из 14. Проверьте их и подтвердите."),
        (
            "kk",
            7,
            1,
            7,
            "Оқылған жолдар: 7 / 14. Олардың 1 жолына сенімді емеспін. Оқылмағаны: 7. Әр осындай "
            "жолды фотода қалай көрінетінін көрсетемін.",
        ),
    ],
)
def test_the_reading_summary_adds_up(
    locale: str, read: int, unsure: int, unread: int, expected: str
) -> None:
    """Issue 16: "7 of 14 lines read. I am not sure about 14 lines" said two things at once."""
    from runtime.i18n import build_core

    text = build_core().get(
        "protocol-read-summary",
        locale,
        read=read,
        total=14,
        unsure=unsure,
        unread=unread,
        asked=unsure + unread,
    )
    assert text == expected


async def test_no_dead_end_after_a_protocol_is_saved(
    telegram: EmulatorClient, bot: RunningBot, page: Path
) -> None:
    """Issue 14: after "saved" the observer had no button for the next step."""
    user = await observer(telegram, bot)
    await to_typing(user, page)
    await type_all(user, GOOD)
    await user.tap("✅ Всё верно, отправить")
    assert user.last_message == "✅ Протокол сохранён (версия 1)."
    assert user.buttons == [
        "📄 Отправить протокол",
        "⚠ Сообщить о нарушении",
        "📋 Мои отчёты",
        "⬅ Меню",
    ]
    await user.tap("📄 Отправить протокол")
    assert user.last_message == "Какой уровень выборов?", "straight on to the next protocol"


def test_only_sure_readings_of_their_own_row_are_pre_filled() -> None:
    """Issue 15: which lines are asked was decided in the dialog's handler; it is a rule of
    services.protocols now, with the crops and pages the questions show."""
    from ocr.result import RecognizedLine, RecognizedProtocol
    from services.protocols import to_confirm

    recognized = RecognizedProtocol(
        lines=(
            RecognizedLine(key="voters_on_list", line=1, value=1500, confidence=0.99, crop=b"a"),
            RecognizedLine(key="ballots_received", line=2, value=1500, confidence=0.7, crop=b"b"),
            RecognizedLine(key="ballots_issued", line=3, value=None, page=2),
            RecognizedLine(
                key="ballots_in_boxes", line=4, value=545, confidence=0.99, row_sure=False
            ),
            RecognizedLine(key="ballots_unused", line=5, value=None),
        ),
        engine="test",
    )
    asked = to_confirm(recognized)
    assert asked.figures == {
        "voters_on_list": 1500,
        "ballots_received": 1500,
        "ballots_in_boxes": 545,
    }
    assert asked.doubtful == [
        "ballots_received",
        "ballots_issued",
        "ballots_in_boxes",
        "ballots_unused",
    ], "in the form's order; the sure one is not asked"
    assert asked.other_row == ["ballots_in_boxes"], "typed, never confirmed with one tap"
    assert asked.crops == {"ballots_received": "Yg=="}, "only asked lines' crops are kept"
    assert asked.crop_pages == {"ballots_issued": 2}, "no crop: the page it is on"
    assert (asked.read, asked.unread, asked.unsure) == (3, 2, 2)
