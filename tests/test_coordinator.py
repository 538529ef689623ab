"""The coordinators' journey end to end through the emulator, in kk and ru: from a flagged
protocol's notice to a decision, and what counts in the tally afterwards."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from emulator.client import EmulatedUserClient, EmulatorClient
from emulator.server import EmulatorServer
from handlers.callbacks import (
    CaseAction,
    CaseV1,
    CoordinatorV1,
    IncidentCardAction,
    IncidentCardV1,
    QueueV1,
)
from models.tables import AuditLogRow, IncidentRow, ProtocolRow
from publishing.incident_summary import incident_summary
from publishing.tallies import tally_for_level
from services.elections import load_elections
from services.moderation import Queue
from settings import PROJECT_ROOT
from tests.conftest import COORDINATOR_ID, RunningBot, make_settings, start_polling_bot
from tests.test_protocols import GOOD, observer, page, to_typing, type_all  # noqa: F401 (fixture)

E2023 = load_elections(PROJECT_ROOT / "elections")["2023-parliament"]
BAD = GOOD[:5] + ["16"] + GOOD[6:]  # one invalid ballot too many: a hard check fails


async def counted(bot: RunningBot) -> tuple[int, int]:
    """(precincts counted, AMANAT votes) in the Mazhilis tally."""
    async with bot.app.sessionmaker() as session:
        tally = await tally_for_level(session, E2023, "mazhilis")
    return tally.precincts, tally.votes["amanat"]


async def audit_actions(bot: RunningBot) -> list[AuditLogRow]:
    async with bot.app.sessionmaker() as session:
        return list((await session.execute(select(AuditLogRow).order_by(AuditLogRow.id))).scalars())


async def submit(
    user: EmulatedUserClient, page: Path, figures: list[str], reason: str | None = None
) -> None:
    await to_typing(user, page)
    await type_all(user, figures)
    await user.tap("✅ Всё верно, отправить")
    if reason is not None:
        await user.send(reason)


async def coordinator(telegram: EmulatorClient, language: str = "ru") -> EmulatedUserClient:
    user = await telegram.new_user("HQ", language_code=language, user_id=COORDINATOR_ID)
    await user.send("/start")
    await user.tap("Русский" if language == "ru" else "Қазақша")
    return user


async def test_a_flagged_protocol_verified_then_counted(
    telegram: EmulatorClient, bot: RunningBot, page: Path
) -> None:
    hq = await coordinator(telegram)
    user = await observer(telegram, bot)
    await submit(user, page, BAD, "так записано в протоколе")
    assert await counted(bot) == (0, 0), "kept out until verified"
    await hq.refresh()
    assert hq.last_message.startswith("Протокол на проверку\nУчасток № 12")
    await hq.tap("🔎 Открыть карточку")
    card = hq.last_message
    assert card.startswith(
        "Участок № 12 (г. Астана), Мажилис (партийные списки)\nСтатус: на проверке: не сходится "
        "контроль"
    )
    assert "⚠ 6. Число бюллетеней, признанных недействительными: 16" in card
    assert "Объяснение наблюдателя (копия A): «так записано в протоколе»" in card
    assert "Голоса за партии, «против всех» и недействительные" in card, (
        "the failing check explained"
    )
    await hq.tap("✅ Подтвердить")
    assert hq.last_message.startswith("✅ Готово. Теперь: учитывается в итогах.")
    assert await counted(bot) == (1, 300)
    actions = [row.action for row in await audit_actions(bot)]
    assert "verify-protocol" in actions and "view-protocol-case" in actions
    # The home screen counts the queues; the flagged one is empty now.
    await hq.send("/coordinator")
    assert "🚩 Не сходится контроль: 0" in hq.last_message and "🚩 Не сходится (0)" in hq.buttons
    # The help lists the coordinators' commands to coordinators only.
    await hq.send("/help")
    assert "/coordinator — очереди" in hq.last_message
    await user.send("/help")
    assert "/coordinator" not in user.last_message


async def test_rejected_in_kazakh_then_not_counted(
    telegram: EmulatorClient, bot: RunningBot, page: Path
) -> None:
    hq = await coordinator(telegram, "kk")
    user = await observer(telegram, bot)
    await submit(user, page, BAD, "так записано")
    await hq.send("/coordinator")
    assert "🚩 Бақылау арақатынасы сәйкес емес: 1" in hq.last_message
    await hq.tap("🚩 Сәйкес емес (1)")
    assert hq.last_message.startswith("🚩 Бақылау арақатынасы сәйкес келмейтін хаттамалар: 1")
    await hq.tap("№ 12 · Астана қаласы · Мәжіліс (партиялық тізімдер)")
    assert "Күйі: тексерілуде: бақылау арақатынасы сәйкес емес" in hq.last_message
    await hq.tap("❌ Қабылдамау")
    await hq.tap("Суреттегі сандар оқылмайды")
    assert hq.last_message.startswith("✅ Дайын. Енді: қабылданбады, есептелмейді.")
    assert await counted(bot) == (0, 0)
    async with bot.app.sessionmaker() as session:
        [row] = (await session.execute(select(ProtocolRow))).scalars().all()
    assert row.status == "rejected" and row.decided_by == COORDINATOR_ID
    assert bot.app.cipher.decrypt(row.decision_note_encrypted) == "На фото не разобрать цифры"  # type: ignore[arg-type]


async def test_two_observers_disagree_a_coordinator_picks(
    telegram: EmulatorClient, bot: RunningBot, page: Path
) -> None:
    hq = await coordinator(telegram)
    first = await observer(telegram, bot, "Первый Наблюдатель")
    second = await observer(telegram, bot, "Второй Наблюдатель")
    await submit(first, page, GOOD)
    assert await counted(bot) == (1, 300)
    moved = GOOD[:6] + ["280", "80"] + GOOD[8:]  # 20 votes moved from AMANAT to Auyl
    await submit(second, page, moved)
    assert second.last_message.startswith(
        "✅ Протокол сохранён (версия 2). Ваши цифры отличаются от копии другого наблюдателя"
    )
    assert await counted(bot) == (0, 0), "in conflict: not counted"
    await hq.refresh()
    assert "Цифры отличаются от копии другого наблюдателя" in hq.last_message
    await hq.send("/coordinator")
    await hq.tap("⚔ Расхождения (1)")
    await hq.tap("№ 12 · г. Астана · Мажилис (партийные списки)")
    card = hq.last_message
    assert "⚠ 7. AMANAT: 300 | 280" in card and "⚠ 8. Ауыл: 60 | 80" in card and "⚠ 1." not in card
    await hq.tap("✅ B")
    assert hq.last_message.startswith("✅ Готово. Теперь: учитывается в итогах.")
    assert await counted(bot) == (1, 280)


async def test_a_coordinators_correction_is_audited(
    telegram: EmulatorClient, bot: RunningBot, page: Path
) -> None:
    hq = await coordinator(telegram)
    user = await observer(telegram, bot)
    await submit(user, page, BAD, "так записано")
    await hq.refresh()
    await hq.tap("🔎 Открыть карточку")
    await hq.tap("✏ Исправить цифру")
    await hq.tap("✏ 6")
    assert hq.last_message.startswith(
        "6. Число бюллетеней, признанных недействительными: введите верное число."
    )
    await hq.send("пятнадцать")
    assert hq.last_message.startswith("Нужно число из цифр"), (
        "a wrong input is refused, nothing lost"
    )
    await hq.send("15")
    await hq.send("по фото протокола")
    assert hq.last_message.startswith("✅ Готово. Теперь: учитывается в итогах.")
    assert "6. Число бюллетеней, признанных недействительными: 16 → ✏ 15" in hq.last_message
    assert await counted(bot) == (1, 300)
    [row] = [row for row in await audit_actions(bot) if row.action == "correct-figure"]
    assert row.actor == f"coordinator:{COORDINATOR_ID}"
    assert (row.detail["key"], row.detail["from"], row.detail["to"], row.detail["reason"]) == (
        "ballots_invalid",
        16,
        15,
        "по фото протокола",
    )
    async with bot.app.sessionmaker() as session:
        [protocol] = (await session.execute(select(ProtocolRow))).scalars().all()
    assert protocol.figures["ballots_invalid"] == 16, "the observer's copy stays as sent"


async def test_ask_the_observer(telegram: EmulatorClient, bot: RunningBot, page: Path) -> None:
    hq = await coordinator(telegram)
    user = await observer(telegram, bot)
    await submit(user, page, BAD, "так записано")
    await hq.refresh()
    await hq.tap("🔎 Открыть карточку")
    await hq.tap("💬 Написать наблюдателю")
    await hq.send("Пришлите, пожалуйста, фото строки 6 крупнее <b>")
    assert hq.last_message.startswith("💬 Сообщение отправлено наблюдателю.")
    await user.refresh()
    assert user.last_message.startswith("Сообщение координаторов о протоколе участка № 12")
    assert "крупнее <b>" in user.last_message, "the coordinator's text is shown as typed"
    assert "📄 Отправить протокол" in user.buttons
    await hq.tap("🖼 Фото страниц")
    await hq.refresh()
    assert hq.bot_messages[-1].get("document") and hq.last_message == "Участок № 12, версия 1"


async def test_an_incident_verified_counts_in_the_summary(
    telegram: EmulatorClient, bot: RunningBot
) -> None:
    from datetime import UTC, datetime

    hq = await coordinator(telegram)
    user = await observer(telegram, bot)
    for category in (
        "Удаление наблюдателя с участка",
        "Давление, угрозы, провокации против наблюдателя",
    ):
        await user.send("/incident")
        await user.tap("Права наблюдателя")
        await user.tap(category)
        await user.tap("🕒 Сейчас")
        await user.send("Председатель потребовал выйти.")
        await user.tap("Пропустить")
        await user.press("Пропустить")
        await user.tap("📨 Отправить")
    await hq.send("/coordinator")
    await hq.tap("⚠ Нарушения (2)")
    assert any(text.startswith("❗ Удаление наблюдателя с участка · № 12") for text in hq.buttons)
    await hq.tap(next(text for text in hq.buttons if text.startswith("❗ Удаление наблюдателя")))
    assert (
        "Председатель потребовал выйти." in hq.last_message
        and "Статус: получено" in hq.last_message
    )
    await hq.tap("✅ Подтвердить")
    assert hq.last_message.startswith("✅ Готово. Теперь: проверено.")
    async with bot.app.sessionmaker() as session:
        summary = await incident_summary(session, None, datetime.now(UTC))
    assert (summary.total, summary.unverified) == (1, 1)
    assert summary.by_category == (("OBS_REMOVED", "critical", 1),)
    assert "view-incident" in [row.action for row in await audit_actions(bot)]


async def test_a_non_coordinator_forging_every_button_is_refused(
    telegram: EmulatorClient, bot: RunningBot, page: Path
) -> None:
    hq = await coordinator(telegram)
    user = await observer(telegram, bot)
    await submit(user, page, BAD, "так записано")
    await user.send("/incident")
    await user.tap("Права наблюдателя")
    await user.tap("Удаление наблюдателя с участка")
    await user.tap("🕒 Сейчас")
    await user.send("Текст")
    await user.tap("Пропустить")
    await user.press("Пропустить")
    await user.tap("📨 Отправить")
    await hq.refresh()
    buttons = [
        button["callback_data"]
        for message in hq.bot_messages
        for row in message.get("reply_markup", {}).get("inline_keyboard", [])
        for button in row
        if "callback_data" in button
    ]
    notice = next(
        m for m in hq.bot_messages if (m.get("text") or "").startswith("Протокол на проверку")
    )
    await hq.tap_data(notice["message_id"], next(b for b in buttons if b.startswith("k1:op:")))
    await hq.tap("🔎 Открыть карточку")  # the incident's card too
    for message in hq.bot_messages[-2:]:
        buttons += [
            b["callback_data"] for row in message["reply_markup"]["inline_keyboard"] for b in row
        ]
    protocol = int(re.search(r"k1:vf:mazhilis:\d+:(\d+)", " ".join(buttons))[1])  # type: ignore[index]
    coordinators_only = ("k1:", "q1:", "n1:", "h1:", "m1:coord")
    forged = sorted({data for data in buttons if data.startswith(coordinators_only)}) + [
        CaseV1(
            action=CaseAction.REJECT_WITH,
            level="mazhilis",
            precinct=1,
            protocol=protocol,
            value="pr",
        ).pack(),
        CaseV1(action=CaseAction.CORRECT_LINE, level="mazhilis", precinct=1, value="0").pack(),
        *(QueueV1(kind=kind).pack() for kind in Queue),
        QueueV1(kind=Queue.FLAGGED, pick_region=True).pack(),
        *(CoordinatorV1(screen=screen).pack() for screen in ("home", "missing", "exports")),
        CoordinatorV1(screen="export", value="protocols.csv").pack(),
        CoordinatorV1(screen="request", value=str(user.id)).pack(),
        *(IncidentCardV1(action=action, incident=1).pack() for action in IncidentCardAction),
    ]
    target = user.bot_messages[-1]["message_id"]
    before = len(user.bot_messages)
    for data in forged:
        await user.tap_data(target, data, forge=True)
        assert (
            user.last_answer
            and user.last_answer.get("text") == "Это действие доступно только координаторам."
        ), data
    await user.send("/coordinator")
    assert user.last_message == "Это действие доступно только координаторам."
    await user.refresh()
    assert len(user.bot_messages) == before + 1, "no screen, no file, no photo for a forger"
    async with bot.app.sessionmaker() as session:
        statuses = {row.status for row in (await session.execute(select(ProtocolRow))).scalars()}
        incidents = {row.status for row in (await session.execute(select(IncidentRow))).scalars()}
    assert statuses == {"flagged"} and incidents == {"received"}
    decided = [row.action for row in await audit_actions(bot) if not row.action.startswith("view-")]
    assert not [
        action for action in decided if action not in ("observer-request-to-coordinators",)
    ], decided
    assert {
        row.actor for row in await audit_actions(bot) if row.actor.startswith("coordinator:")
    } == {f"coordinator:{COORDINATOR_ID}"}


async def test_official_results_from_the_chat_and_the_discrepancies(
    telegram: EmulatorClient,
    bot: RunningBot,
    page: Path,
    tmp_path: Path,
) -> None:
    from services.official_results import form_keys

    hq = await coordinator(telegram)
    user = await observer(telegram, bot)
    await submit(user, page, GOOD)
    keys = form_keys(E2023, "mazhilis")
    observed = dict(zip(keys, (int(v.replace(" ", "")) for v in GOOD), strict=True))
    official = {**observed, "votes.amanat": 330, "votes.auyl": 30}  # 30 votes moved to AMANAT
    header = "region,number," + ",".join(keys)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        header
        + "\nastana,12,"
        + ",".join(str(official[k]) for k in keys)
        + "\nastana,999,"
        + ",".join("1" * len(keys))
        + "\n"
    )
    good = tmp_path / "official.csv"
    good.write_text(header + "\nastana,12," + ",".join(str(official[k]) for k in keys) + "\n")
    await hq.send("/coordinator")
    await hq.tap("⚖ Официальные итоги")
    assert "Мажилис (партийные списки): ещё не загружено" in hq.last_message
    await hq.tap("📥 Загрузить: Мажилис (партийные списки)")
    await hq.send("вот файл")
    assert hq.last_message.startswith("Нужен файл CSV или XLSX")
    await hq.send_document(bad)
    assert hq.last_message.startswith("❌ Ничего не загружено: ошибок — 1.")
    assert "Строка 3: участка № 999 в регионе «astana» нет в справочнике" in hq.last_message, (
        "in the coordinator's language"
    )
    await hq.send_document(good)
    assert hq.last_message == "✅ Загружено участков: 1."
    await hq.tap("⚖ Расхождения: Мажилис (партийные списки)")
    report = hq.last_message
    assert (
        "Сравнено участков (есть и учтённый протокол наблюдателей, и официальные цифры): 1; "
        "расходятся: 1." in report
    )
    assert "• AMANAT: 300 → 330 (+30)" in report and "• Ауыл: 60 → 30 (-30)" in report
    await hq.tap("№ 12 · г. Астана · расхождение 60")
    assert (
        "⚠ AMANAT: 300 / 330 (+30)" in hq.last_message
        and "⚠ Ауыл: 60 / 30 (-30)" in hq.last_message
    )
    assert (
        "Число избирателей, включённых в списки избирателей: 1\u00a0500 / 1\u00a0500 (+0)"
        in hq.last_message
    ), "every line"
    await hq.tap("🖼 Фото страниц A")
    await hq.refresh()
    assert hq.bot_messages[-1].get("document") and hq.last_message == "Участок № 12, версия 1", (
        "the photo beside the official line"
    )
    await hq.tap("🔎 Открыть карточку")
    assert any(text.startswith("Участок № 12 (г. Астана), Мажилис") for text in hq.texts), (
        "the screen became the card"
    )


async def test_start_up_names_coordinators_the_bot_cannot_reach(
    sqlite_url: str, emulator: EmulatorServer, caplog: pytest.LogCaptureFixture
) -> None:
    client = EmulatorClient(emulator.url)
    await client.new_user("HQ", language_code="ru", user_id=COORDINATOR_ID)  # has the bot open
    settings = make_settings(sqlite_url, coordinators={"ids": [COORDINATOR_ID, 5550001]})
    with caplog.at_level(logging.INFO, logger="runtime.app"):
        running = await start_polling_bot(settings, emulator)
    try:
        warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert any(
            m.startswith("coordinator 5550001: the bot cannot write there") for m in warnings
        ), warnings
        assert not any(str(COORDINATOR_ID) in m for m in warnings)
        assert any(
            r.getMessage().startswith("channel phase: after: polls closed 2023-03-19")
            for r in caplog.records
        )
        scoped = emulator.world.commands.get(f"chat:{COORDINATOR_ID}:", [])
        assert {"coordinator", "post_now", "pause_channel"} <= {c["command"] for c in scoped}, (
            "a coordinator's own menu"
        )
        assert "coordinator" not in {c["command"] for c in emulator.world.commands["default:"]}
    finally:
        await client.close()
        await running.stop()


def test_check_config_says_the_channel_phase(capsys: pytest.CaptureFixture[str]) -> None:
    import bot

    assert bot.main(["check-config"]) == 0
    out = capsys.readouterr().out
    assert (
        "channel phase: after: polls closed 2023-03-19 20:00" in out and "sets only the hour" in out
    )


async def test_a_changed_version_is_shown_beside_the_earlier_one(
    telegram: EmulatorClient, bot: RunningBot, page: Path
) -> None:
    hq = await coordinator(telegram)
    user = await observer(telegram, bot)
    await submit(user, page, GOOD)
    await user.send("/protocol")
    await user.tap("Мажилис (партийные списки)")
    await user.send_document(page)
    await user.tap("✅ Готово")
    await type_all(user, GOOD[:6] + ["290", "70"] + GOOD[8:])
    await user.tap("✅ Всё верно, отправить")
    await hq.refresh()
    notice = next(
        m
        for m in reversed(hq.bot_messages)
        if (m.get("text") or "").startswith("Протокол на проверку")
    )
    assert "• AMANAT: 300 → 290" in notice["text"], "what changed, in the notice"
    await hq.tap("🔎 Открыть карточку")
    card = hq.last_message
    assert (
        "⚠ 7. AMANAT: 290 (v1: 300)" in card
        and "⚠ 8. Ауыл: 70 (v1: 60)" in card
        and "⚠ 1." not in card
    )
    assert card.startswith(
        "Участок № 12 (г. Астана), Мажилис (партийные списки)\nСтатус: учитывается в итогах"
    )
