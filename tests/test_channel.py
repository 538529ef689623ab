"""The channel: what is posted when, in which languages, with a chart; never twice; live posts
edited in place; the outbox through crashes and Telegram's 429/500 storms; one scheduler among
several processes; coordinators' commands and /results."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageStat
from sqlalchemy.ext.asyncio import AsyncEngine

from emulator.client import EmulatorClient
from emulator.server import EmulatorServer
from models.tables import ChannelPostRow, IncidentRow
from publishing.compose import PublishContext, channel_targets, tally_drafts
from publishing.delivery import deliver_due
from publishing.milestones import milestones, newly_crossed
from publishing.outbox import CAPTION_LIMIT, TEXT_LIMIT, OutboxStatus, shown_length
from publishing.schedule import Phase, Rhythm, due_kinds, phase
from runtime.app import build_publisher
from runtime.channel import BotChannelSender, ChannelRunner
from runtime.i18n import build_core
from services.incidents import load_incident_catalog
from services.personal_data import PersonalDataCipher
from settings import PROJECT_ROOT, Settings
from storage.channel import ChannelPostRepository
from storage.database import create_sessionmaker
from tests.conftest import COORDINATOR_ID, TEST_ENCRYPTION_KEY, RunningBot, make_settings
from tests.test_tallies import E2021, seed, submit_level

CATALOG = load_incident_catalog(PROJECT_ROOT / "incidents" / "categories.toml")


@pytest.fixture
def settings(sqlite_url: str) -> Settings:
    # One retry inside the bot's own HTTP client: the outbox's retries are what is tested here.
    return make_settings(
        sqlite_url, election={"active": "2021-parliament"}, telegram={"request_retries": 1}
    )


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def runner_on(bot: RunningBot, now: datetime) -> tuple[ChannelRunner, Clock]:
    clock = Clock(now)
    bot.app.channel.clock = clock
    return bot.app.channel, clock


def channel_messages(emulator: EmulatorServer) -> list[dict[str, Any]]:
    return list(emulator.world.channel.messages.values())


def shown(message: dict[str, Any]) -> str:
    return message.get("text") or message.get("caption") or ""


def context(layout: str = "bilingual") -> PublishContext:
    core = build_core()
    return PublishContext(
        E2021,
        channel_targets(layout, "@haqtime", None, "@haqtime_ru"),
        lambda message_id, locale, **kw: core.get(message_id, locale, **kw),
        CATALOG,
    )


# --- what is due when ------------------------------------------------------------------------

RHYTHM = Rhythm(
    timedelta(minutes=30), timedelta(minutes=10), timedelta(minutes=60), night_hours=12, live=True
)


def test_rhythm_quiet_night_after() -> None:
    close = datetime(2021, 1, 10, 20, 0, tzinfo=UTC)
    assert phase(close - timedelta(seconds=1), close, 12) is Phase.QUIET
    assert phase(close, close, 12) is Phase.NIGHT
    assert phase(close + timedelta(hours=12), close, 12) is Phase.AFTER
    quiet = due_kinds(close - timedelta(minutes=1), Phase.QUIET, RHYTHM, {})
    assert "tally" not in quiet and "live" not in quiet and "incidents" in quiet, (
        "no results before polls close"
    )
    night = close + timedelta(minutes=5)
    assert {"live", "tally"} <= due_kinds(night, Phase.NIGHT, RHYTHM, {})
    recent = {"live": night - timedelta(minutes=4), "tally": night - timedelta(minutes=29)}
    assert not {"live", "tally"} & due_kinds(night, Phase.NIGHT, RHYTHM, recent)
    recent["live"] = night - timedelta(minutes=10)
    assert "live" in due_kinds(night, Phase.NIGHT, RHYTHM, recent), (
        "every 10 minutes on election night"
    )
    after = close + timedelta(days=1)
    assert "tally" in due_kinds(
        after, Phase.AFTER, RHYTHM, {"tally": after - timedelta(minutes=30)}
    )
    assert "live" not in due_kinds(after, Phase.AFTER, RHYTHM, {})


def test_milestones() -> None:
    assert milestones(10_000)[:4] == [1_000, 2_500, 5_000, 7_500]
    assert newly_crossed(999, 10_000, set()) is None
    assert newly_crossed(2_600, 10_000, set()) == 2_500
    assert newly_crossed(2_600, 10_000, {2_500}) is None
    assert newly_crossed(30_000, 100_000, set()) == 25_000, (
        "switched on late: only the highest, once"
    )
    assert newly_crossed(30_000, 100_000, {50_000}) is None


# --- the posts -------------------------------------------------------------------------------


async def test_posts_in_both_languages_within_limits_with_chart(
    engine: AsyncEngine, output_dir: Path
) -> None:
    ids = await seed(engine)
    for level in ("mazhilis", "oblast_maslikhat"):  # not every level in yet: a post per level
        await submit_level(engine, ids, level)
    now = datetime(2021, 1, 11, 3, 0, tzinfo=UTC)
    async with create_sessionmaker(engine)() as session:
        bilingual = await tally_drafts(session, context("bilingual"), now, live=False)
        separate = await tally_drafts(session, context("per_language"), now, live=False)
    assert len(bilingual) == 2 and len(separate) == 4
    mazhilis = bilingual[0].draft
    assert "Дауыс бергендер: 32%" in mazhilis.text and "Явка: 32%" in mazhilis.text
    assert "Nur Otan: 50%" in mazhilis.text and "Участков: 192 из 192" in mazhilis.text
    assert (
        "репрезентативті іріктеу емес" in mazhilis.text
        and "не репрезентативная выборка" in mazhilis.text
    )
    kazakh, russian = separate[0].draft, separate[1].draft
    assert (kazakh.chat, russian.chat) == ("@haqtime", "@haqtime_ru")
    assert "Явка" not in kazakh.text and "Дауыс бергендер" not in russian.text
    for pending in bilingual + separate:
        assert shown_length(pending.draft.text) <= TEXT_LIMIT
        assert shown_length(pending.draft.caption or "") <= CAPTION_LIMIT

    chart = bilingual[0].ready().chart
    assert chart is not None and chart[:8] == b"\x89PNG\r\n\x1a\n"
    (output_dir / "mazhilis-bilingual.png").write_bytes(chart)
    (output_dir / "mazhilis-kk.png").write_bytes(separate[0].ready().chart or b"")
    image = Image.open(io.BytesIO(chart)).convert("L")
    assert image.size[0] >= 1000 and image.size[1] >= 700, "readable on a phone"
    assert ImageStat.Stat(image).stddev[0] > 20, "not a blank image"


async def test_all_levels_in_make_one_table_post(engine: AsyncEngine, output_dir: Path) -> None:
    """Seed 002's shape: once every level is in, one post per language with the three levels
    side by side in one image, instead of a chart and a text per level."""
    ids = await seed(engine)
    for level in ("mazhilis", "local_maslikhat", "oblast_maslikhat"):
        await submit_level(engine, ids, level)
    now = datetime(2021, 1, 11, 3, 0, tzinfo=UTC)
    async with create_sessionmaker(engine)() as session:
        bilingual = await tally_drafts(session, context("bilingual"), now, live=False)
        separate = await tally_drafts(session, context("per_language"), now, live=False)
        live = await tally_drafts(session, context("per_language"), now, live=True)
    assert len(bilingual) == 1 and len(separate) == 2
    assert len(live) == 6, "live posts stay one per level, edited in place"
    russian = separate[1].draft
    assert russian.chat == "@haqtime_ru"
    assert "• Мажилис (партийные списки): участков 192 из 192, явка 32%" in russian.text
    assert "маслихат" in russian.text and "не репрезентативная выборка" in russian.text
    assert shown_length(russian.text) <= CAPTION_LIMIT, "one message: the table and its text"
    assert shown_length(bilingual[0].draft.caption or "") <= CAPTION_LIMIT
    chart = bilingual[0].ready().chart
    assert chart is not None and chart[:8] == b"\x89PNG\r\n\x1a\n"
    (output_dir / "table-bilingual.png").write_bytes(chart)
    (output_dir / "table-ru.png").write_bytes(separate[1].ready().chart or b"")


async def test_nothing_before_polls_close_then_posted_once(
    bot: RunningBot, emulator: EmulatorServer
) -> None:
    ids = await seed(bot.app.engine)
    await submit_level(bot.app.engine, ids, "mazhilis")
    close_at = bot.app.channel.publisher.close_at
    runner, clock = runner_on(bot, close_at - timedelta(minutes=1))

    quiet = await runner.tick()
    assert quiet is not None and quiet.phase is Phase.QUIET and quiet.written == []
    assert channel_messages(emulator) == [], "nothing about results before polls close"

    clock.now = close_at + timedelta(days=2)
    first = await runner.tick()
    assert first is not None and [draft.kind for draft in first.written] == ["tally"]
    posted = channel_messages(emulator)
    assert len(posted) == 2, "the chart with its caption, then the full text"
    assert (
        "photo" in posted[0]
        and "Явка: 32%" in shown(posted[1])
        and "Дауыс бергендер: 32%" in shown(posted[1])
    )

    clock.advance(minutes=31)
    second = await runner.tick()
    assert second is not None and second.written == [] and second.unchanged == 1
    clock.advance(minutes=31)
    await runner.tick(force=True)
    assert len(channel_messages(emulator)) == 2, "same figures: no new post"


async def test_live_posts_are_edited_in_place_only_on_change(
    bot: RunningBot, emulator: EmulatorServer
) -> None:
    ids = await seed(bot.app.engine)
    await submit_level(bot.app.engine, ids, "mazhilis")
    runner, clock = runner_on(bot, bot.app.channel.publisher.close_at + timedelta(minutes=1))
    await runner.tick()
    live = [m for m in channel_messages(emulator) if "edit_date" not in m]
    assert len(live) == 4, "mazhilis: a live post (chart + text) and a summary post (chart + text)"

    clock.advance(minutes=10)
    await runner.tick()
    assert all("edit_date" not in m for m in channel_messages(emulator)), (
        "unchanged figures: no edit"
    )

    await submit_level(bot.app.engine, ids, "local_maslikhat")
    async with bot.app.sessionmaker() as session:
        first_live = await ChannelPostRepository(session).by_key(
            "live:2021-parliament:mazhilis:@haqtime:kk+ru"
        )
    assert first_live is not None
    clock.advance(minutes=10)
    await runner.tick()
    after = channel_messages(emulator)
    assert len(after) == 6, "the new level got its live post; mazhilis was not posted again"
    assert all("edit_date" not in m for m in after), "mazhilis figures did not change"
    before = {m["message_id"]: shown(m) for m in after}  # the emulator edits its dicts in place

    # A newer version of one mazhilis protocol changes the figures: the live post is edited.
    from services.protocols import ProtocolService
    from storage.unit_of_work import unit_of_work

    async with unit_of_work(bot.app.sessionmaker) as unit:
        service = ProtocolService(unit.session, PersonalDataCipher(TEST_ENCRYPTION_KEY))
        figures = {
            "voters_on_list": 2000,
            "ballots_received": 2000,
            "ballots_issued": 1500,
            "ballots_unused": 500,
            "ballots_in_boxes": 1500,
            "ballots_invalid": 0,
            "votes.nur_otan": 1500,
            "votes.ak_zhol": 0,
            "votes.auyl": 0,
            "votes.adal": 0,
            "votes.qhp": 0,
        }
        await service.submit(E2021, "mazhilis", ids[1], 1, figures, [], [], None)
    clock.advance(minutes=10)
    await runner.tick()
    edited = [m for m in channel_messages(emulator) if "edit_date" in m]
    assert {m["message_id"] for m in edited} == set(first_live.message_ids), (
        "the live post was edited"
    )
    assert shown(edited[1]) != before[edited[1]["message_id"]], "with the new figures"
    # Half an hour on, the slower summary: a new post per level (mazhilis changed, the city level
    # is new), and the live posts were not posted again.
    assert len(channel_messages(emulator)) == 6 + 4


class CrashAfterFirstPart(BaseException):
    """The process dies (a BaseException, as a kill would be) after one message went out."""


class CrashingSender(BotChannelSender):
    async def send_text(self, chat: str, text: str) -> int:
        raise CrashAfterFirstPart


async def test_outbox_survives_a_crash_and_a_429_500_storm(
    bot: RunningBot, emulator: EmulatorServer, telegram: EmulatorClient
) -> None:
    ids = await seed(bot.app.engine)
    await submit_level(bot.app.engine, ids, "mazhilis")
    runner, clock = runner_on(bot, bot.app.channel.publisher.close_at + timedelta(days=2))
    await runner.heartbeat()
    async with bot.app.sessionmaker() as session, session.begin():
        outcome = await runner.publisher.compose(session, clock())
    assert len(outcome.written) == 1

    with pytest.raises(CrashAfterFirstPart):
        await deliver_due(bot.app.sessionmaker, CrashingSender(bot.app.bot), clock)
    assert len(channel_messages(emulator)) == 1, "the chart went out before the crash"

    # Telegram misbehaves: every call fails with 500 more times than the bot's own retries.
    await telegram.set_faults("error", count=100, methods=["sendMessage"])
    report = await deliver_due(bot.app.sessionmaker, BotChannelSender(bot.app.bot), clock)
    assert report.retrying == 1 and len(channel_messages(emulator)) == 1
    async with bot.app.sessionmaker() as session:
        (row,) = await ChannelPostRepository(session).all()
    assert row.status == OutboxStatus.PENDING and row.attempts == 1 and len(row.message_ids) == 1
    assert row.next_attempt_at.replace(tzinfo=UTC) > clock(), "backs off"
    assert (
        await deliver_due(bot.app.sessionmaker, BotChannelSender(bot.app.bot), clock)
        == type(report)()
    ), "not due yet"

    # Then a 429 flood asking to wait 30 s: longer than the bot waits inline, so the outbox
    # reschedules the post for when Telegram said.
    await telegram.set_faults("flood", count=100, retry_after=30, methods=["sendMessage"])
    clock.advance(minutes=5)
    report = await deliver_due(bot.app.sessionmaker, BotChannelSender(bot.app.bot), clock)
    assert report.retrying == 1 and len(channel_messages(emulator)) == 1
    async with bot.app.sessionmaker() as session:
        (row,) = await ChannelPostRepository(session).all()
    assert row.next_attempt_at.replace(tzinfo=UTC) - clock() >= timedelta(seconds=30)
    await telegram.set_faults("off")
    clock.advance(minutes=10)
    await deliver_due(bot.app.sessionmaker, BotChannelSender(bot.app.bot), clock)

    posted = channel_messages(emulator)
    assert len(posted) == 2 and "photo" in posted[0] and "Явка: 32%" in shown(posted[1]), (
        "once each, nothing lost"
    )
    async with bot.app.sessionmaker() as session:
        (row,) = await ChannelPostRepository(session).all()
    assert row.status == OutboxStatus.SENT and row.message_ids == [m["message_id"] for m in posted]


async def test_one_scheduler_among_processes(engine: AsyncEngine) -> None:
    sessionmaker = create_sessionmaker(engine)
    settings = make_settings("sqlite+aiosqlite://", election={"active": "2021-parliament"})
    publisher = build_publisher(settings, build_core(), E2021, CATALOG, {})
    clock = Clock(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    first = ChannelRunner(sessionmaker, publisher, BotChannelSender(None), clock, holder="first")  # type: ignore[arg-type]
    second = ChannelRunner(sessionmaker, publisher, BotChannelSender(None), clock, holder="second")  # type: ignore[arg-type]
    assert await first.heartbeat() and not await second.heartbeat()
    assert await second.tick() is None, "the other process does not publish"
    clock.advance(seconds=30)
    assert await first.heartbeat() and not await second.heartbeat(), "renewed in time"
    clock.advance(seconds=61)  # the first process died: no renewal
    assert await second.heartbeat(), "taken over after the lease expired"
    assert not await first.heartbeat(), "a process that comes back does not take it back"
    await second.release()
    assert await first.heartbeat(), "released on shutdown: taken at once"


async def test_incident_summary_counts_without_personal_data(
    bot: RunningBot, emulator: EmulatorServer
) -> None:
    ids = await seed(bot.app.engine, precinct_count=3)
    cipher = PersonalDataCipher(TEST_ENCRYPTION_KEY)
    when = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    async with bot.app.sessionmaker() as session, session.begin():
        for precinct, category, severity, status in (
            (1, "CAMPAIGNING", "minor", "verified"),
            (2, "CAMPAIGNING", "minor", "verified"),
            (3, "STUFFING", "critical", "verified"),
            (3, "STUFFING", "critical", "received"),
            (1, "OUTSIDERS", "minor", "rejected"),
        ):
            session.add(
                IncidentRow(
                    observer_id=777,
                    precinct_id=ids[precinct],
                    category=category,
                    severity=severity,
                    occurred_at=when,
                    description_encrypted=cipher.encrypt("Иванов И.И. вбросил пачку"),
                    evidence=[],
                    status=status,
                    created_at=when,
                    decided_at=when if status != "received" else None,
                )
            )
    runner, clock = runner_on(bot, bot.app.channel.publisher.close_at - timedelta(hours=1))
    runner.publisher.close_at = datetime(2027, 1, 1, tzinfo=UTC)  # still the quiet period
    runner.clock.now = when + timedelta(hours=1)
    await runner.tick()
    (post,) = channel_messages(emulator)
    text = shown(post)
    stuffing, campaigning = CATALOG.category("STUFFING"), CATALOG.category("CAMPAIGNING")
    assert stuffing is not None and campaigning is not None
    assert f"❗ {stuffing.name.ru}: 1" in text and f"• {campaigning.name.ru}: 2" in text
    assert text.index(stuffing.name.ru) < text.index(campaigning.name.ru), "critical first"
    assert "Алматинская область: 3" in text and "Алматы облысы: 3" in text
    assert "подтверждено координаторами — 3; ещё 1 сообщение ждёт проверки" in text, (
        "unverified apart"
    )
    assert "тағы 1 хабарлама тексерілуде" in text
    outsiders = CATALOG.category("OUTSIDERS")
    assert outsiders is not None and outsiders.name.ru not in text, (
        "a rejected report is not counted"
    )
    assert "Иванов" not in text and "777" not in text

    clock.advance(hours=2)
    await runner.tick()
    assert len(channel_messages(emulator)) == 1, "no new incidents: no new summary"


async def test_coordinator_commands_and_results(
    bot: RunningBot, emulator: EmulatorServer, telegram: EmulatorClient
) -> None:
    coordinator = await telegram.new_user("HQ", language_code="ru", user_id=COORDINATOR_ID)
    await coordinator.send("/start")
    await coordinator.tap("Русский")
    supporter = await telegram.new_user("Aigerim", language_code="kk")
    await supporter.send("/start")
    await supporter.tap("Қазақша")

    await supporter.send("/pause_channel")
    assert supporter.last_message == "Бұл әрекет тек үйлестірушілерге қолжетімді."
    await supporter.send("/results")
    assert supporter.last_message == "Бақылаушылардың бірде-бір хаттамасы әлі есепке алынбаған."

    ids = await seed(bot.app.engine)
    await submit_level(bot.app.engine, ids, "mazhilis")
    await coordinator.send("/pause_channel")
    assert coordinator.last_message.startswith("Публикации в канале приостановлены")
    await coordinator.send("/post_now")
    assert coordinator.last_message == "Канал на паузе. Сначала /resume_channel."
    assert channel_messages(emulator) == []
    await coordinator.send("/resume_channel")
    assert coordinator.last_message == "Публикации в канале возобновлены."
    await coordinator.send("/post_now")
    assert coordinator.last_message.startswith("Новых или изменённых публикаций: 1")
    assert len(channel_messages(emulator)) == 2

    await supporter.send("/results")
    assert (
        "Дауыс бергендер: 32,0%" in supporter.last_message
        and "Nur Otan: 49,5%" in supporter.last_message
    )
    assert "репрезентативті іріктеу емес" in supporter.last_message


async def test_results_wait_for_polls_to_close(bot: RunningBot, telegram: EmulatorClient) -> None:
    bot.app.channel.publisher.close_at = datetime.now(UTC) + timedelta(hours=3)
    user = await telegram.new_user("Bolat", language_code="ru")
    await user.send("/start")
    await user.tap("Русский")
    await user.send("/results")
    assert user.last_message.startswith("Итоги публикуются только после закрытия участков")


async def test_post_dry_run_prints_and_writes_nothing(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from runtime.commands import post_to_channel
    from storage.database import create_engine

    settings = make_settings(sqlite_url, election={"active": "2021-parliament"})
    engine = create_engine(sqlite_url)
    from storage import migrate

    await migrate.upgrade(engine)
    ids = await seed(engine)
    await submit_level(engine, ids, "mazhilis")
    assert await post_to_channel(settings, dry_run=True) == 0
    printed = capsys.readouterr().out
    assert (
        "tally → @haqtime" in printed
        and "Явка: 32%" in printed
        and "1 post(s) would be posted" in printed
    )
    async with create_sessionmaker(engine)() as session:
        assert await ChannelPostRepository(session).all() == []
    assert await post_to_channel(settings, dry_run=False) == 0
    async with create_sessionmaker(engine)() as session:
        (row,) = await ChannelPostRepository(session).all()
    assert isinstance(row, ChannelPostRow) and row.status == OutboxStatus.PENDING
    await engine.dispose()


async def test_petition_milestone_is_posted_once(bot: RunningBot, emulator: EmulatorServer) -> None:
    from storage.petitions import SignatureRepository

    petition = bot.app.petitions["petition-2021"]
    runner, clock = runner_on(bot, datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    async with bot.app.sessionmaker() as session, session.begin():
        await SignatureRepository(session).set_count("petition-2021", petition.goal // 2 + 3)
    await runner.tick()
    (post,) = channel_messages(emulator)
    mark = max(m for m in milestones(petition.goal) if m <= petition.goal // 2 + 3)
    assert f"{mark:,}".replace(",", "\xa0") in shown(post) or str(mark) in shown(post)
    assert (
        "50%" in shown(post)
        and petition.ru.title in shown(post)
        and petition.kk.title in shown(post)
    )
    assert "https://t.me/haqbot_local_bot?start=p-petition-2021" in shown(post), "a link to sign"
    clock.advance(minutes=30)
    await runner.tick()
    assert len(channel_messages(emulator)) == 1, "announced once"


async def test_the_first_tally_is_posted_at_the_next_tick_not_after_the_interval(
    bot: RunningBot, emulator: EmulatorServer
) -> None:
    """A run that finds nothing to post must not count as a post (issue 16): the first protocol
    of the evening reaches the channel at the next minute's tick, not tally_minutes later."""
    ids = await seed(bot.app.engine, precinct_count=192)
    close_at = bot.app.channel.publisher.close_at
    runner, clock = runner_on(
        bot, close_at + timedelta(days=2)
    )  # after the night: a tally every 30 min
    empty = await runner.tick()
    assert empty is not None and "tally" in empty.kinds and empty.written == []
    await submit_level(bot.app.engine, ids, "mazhilis")
    clock.advance(minutes=1)
    first = await runner.tick()
    assert first is not None and [draft.kind for draft in first.written] == ["tally"]
    assert len(channel_messages(emulator)) == 2


def _phone_readings(layout) -> list[tuple[str, float, float, float]]:
    """Each text of a chart as a phone shows it (the image shrunk to 390 px wide): its text,
    its letters' size in phone pixels, and its left and right edges in image pixels."""
    from publishing.charts import DPI, PHONE_WIDTH_PX

    with layout.figure() as figure:
        figure.canvas.draw()
        renderer = figure.canvas.get_renderer()
        width = figure.get_figwidth() * DPI
        readings = []
        for text in figure.texts:
            box = text.get_window_extent(renderer)
            size = text.get_fontsize() * DPI / 72 * PHONE_WIDTH_PX / width
            readings.append((text.get_text(), size, box.x0, box.x1 - width))
        return readings


LONG_NAMES = [
    ("AMANAT", Fraction(1, 2)),
    (
        "Жалпыұлттық социал-демократиялық партия / Общенациональная социал-демократическая партия",
        Fraction(8, 100),
    ),
    ("Қазақстан халық партиясы / Народная партия Казахстана", Fraction(1, 1)),
]


@pytest.mark.parametrize("chart", ["tally", "comparison", "table"])
def test_charts_are_readable_at_phone_width(chart: str, output_dir: Path) -> None:
    """At 390 px wide (a phone), every letter is at least 11 px tall and no text leaves the
    image, whatever the names' length (issue 14: 7 px labels, names running off the edge)."""
    from publishing.charts import ChartLabels, comparison_layout, table_layout, tally_layout

    if chart == "tally":
        layout = tally_layout(
            ChartLabels(
                title="Аудандық (қалалық) мәслихат\nРайонный (городской) маслихат",
                subtitle="Хаттамалар: 1 999 / 2 000 учаске · 10.01.2021 20:00\n"
                "Протоколы: 1 999 из 2 000 участков · 10.01.2021 20:00",
                turnout="Дауыс бергендер / Явка",
                invalid="Жарамсыз бюллетеньдер / Недействительные бюллетени",
                against_all="Барлығына қарсымын / Против всех",
            ),
            LONG_NAMES,
            Fraction(1, 3),
            Fraction(1, 25),
            Fraction(1, 50),
        )
    elif chart == "table":
        layout = table_layout(
            "2021 жылғы 10 қаңтардағы Мәжіліс пен мәслихаттар сайлауы\n"
            "Выборы в Мажилис и маслихаты 10 января 2021 года",
            "Бақылаушылар хаттамалары бойынша · 11.01.2021 03:00",
            [
                "Мәжіліс (партиялық тізімдер)\nМажилис (партийные списки)",
                "Облыстық мәслихат\nОбластной маслихат",
                "Аудандық (қалалық) мәслихат\nРайонный (городской) маслихат",
            ],
            [
                ("Тізімдегі сайлаушылар / Избирателей в списках", ["1\u00a0433\u00a0325"] * 3),
                *((name, ["100%", "—", "8%"]) for name, _ in LONG_NAMES),
            ],
        )
    else:
        layout = comparison_layout(
            "Наблюдатели и ЦИК на тех же участках: Районный (городской) маслихат",
            ("Копии наблюдателей", "Официальные итоги ЦИК"),
            [(name, share / 2, share) for name, share in LONG_NAMES],
        )
    readings = _phone_readings(layout)
    assert any("Жалпыұлттық" in text for text, *_ in readings), "the long name is drawn"
    for text, size, left, right_overflow in readings:
        assert size >= 11, f"{text!r}: {size:.1f} px on a phone"
        assert left >= 0 and right_overflow <= 0, f"{text!r} runs off the image"
    from publishing.charts import _png

    (output_dir / f"{chart}-phone.png").write_bytes(_png(layout))
