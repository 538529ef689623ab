"""A newcomer's first five minutes: demo data in the emulator's database, a demo invite, and
"Play a coordinator" on the web chat page; never with a real token."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from emulator.server import EmulatorServer
from models.tables import IncidentRow, ProtocolRow
from publishing.tallies import tally_for_level
from runtime.commands import fill_demo as fill_demo_command
from services.demo import already_filled, fill_demo
from services.elections import load_elections
from services.incidents import load_incident_catalog
from services.moderation import queue_counts
from services.personal_data import PersonalDataCipher
from services.petition_catalog import load_catalog
from settings import PROJECT_ROOT
from storage.database import create_sessionmaker
from storage.petitions import SignatureRepository
from tests.conftest import TEST_ENCRYPTION_KEY, RunningBot, make_settings

ELECTION = load_elections(PROJECT_ROOT / "elections")["2023-parliament"]
CATALOG = load_incident_catalog(PROJECT_ROOT / "incidents" / "categories.toml")
PETITIONS = list(load_catalog(PROJECT_ROOT / "petitions").values())


async def test_demo_data_fills_tallies_queues_and_counters(engine: AsyncEngine) -> None:
    async with create_sessionmaker(engine)() as session, session.begin():
        summary = await fill_demo(
            session,
            PersonalDataCipher(TEST_ENCRYPTION_KEY),
            ELECTION,
            CATALOG,
            PETITIONS,
            precinct_count=40,
            signatures=50,
            incidents=12,
        )
    assert summary.precincts == 40 and summary.signatures == 50 and summary.incidents == 12
    async with create_sessionmaker(engine)() as session:
        assert await already_filled(session)
        protocols = await session.scalar(select(func.count()).select_from(ProtocolRow))
        assert protocols == summary.protocols > 60, "most precincts, every level"
        assert await session.scalar(select(func.count()).select_from(IncidentRow)) == 12
        queues = await queue_counts(session, ELECTION.slug)
        assert queues.flagged >= 1 and queues.conflict >= 1, "the coordinators' queues fill"
        tally = await tally_for_level(session, ELECTION, "mazhilis")
        assert 20 <= tally.precincts <= 40 and 0 < tally.turnout < 1, "the channel has tallies"
        counts = await SignatureRepository(session).counts()
        assert sum(counts.values()) == 50


async def test_demo_command_refused_with_a_real_token(sqlite_url: str, capsys) -> None:
    real = make_settings(sqlite_url, telegram={"token": "123456:real-token"})
    assert await fill_demo_command(real, 10, 10, 5) == 1
    assert "emulator only" in capsys.readouterr().out
    from storage import migrate
    from storage.database import create_engine

    engine = create_engine(sqlite_url)
    try:
        await migrate.upgrade(engine)
        async with create_sessionmaker(engine)() as session:
            assert not await already_filled(session), "nothing written"
    finally:
        await engine.dispose()

    local = make_settings(sqlite_url)
    assert await fill_demo_command(local, 10, 10, 5) == 0
    assert await fill_demo_command(local, 10, 10, 5) == 0, "a second run writes nothing"
    assert "already there" in capsys.readouterr().out


@pytest.mark.browser
async def test_play_a_coordinator_from_the_page(
    bot: RunningBot, emulator: EmulatorServer, output_dir: Path
) -> None:
    from playwright.async_api import async_playwright

    from runtime.launcher import attach_demo_controls
    from tests.test_browser import CHROMIUM, CHROMIUM_ARGS

    attach_demo_controls(emulator, bot.app)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = await browser.new_page(viewport={"width": 1100, "height": 760})
            await page.goto(emulator.url + "/")
            await page.fill("#new-user-name", "Newcomer")
            await page.click("#new-user-create")
            await page.wait_for_selector("#users li.active")
            await page.fill("#message-input", "/coordinator")
            await page.press("#message-input", "Enter")
            await page.get_by_text("Это действие доступно только координаторам.").wait_for()
            await page.click("#play-coordinator")
            await page.get_by_text("This user is a coordinator now").wait_for()
            await page.fill("#message-input", "/coordinator")
            await page.press("#message-input", "Enter")
            await page.get_by_text("🚩 Не сходится контроль").wait_for()
            await page.screenshot(path=str(output_dir / "play-coordinator.png"))
        finally:
            await browser.close()
    user_id = max(emulator.world.users)
    assert bot.app.settings.is_coordinator(user_id)
    scopes = [key for key in emulator.world.commands if str(user_id) in key]
    assert scopes, "the coordinators' commands in their menu"


async def test_the_page_offers_no_coordinator_play_without_the_emulator_wiring(
    bot: RunningBot, emulator: EmulatorServer
) -> None:
    from emulator.client import EmulatorClient

    client = EmulatorClient(emulator.url)
    try:
        state = await client.request("GET", "/api/state")
        assert state["can_play_coordinator"] is False
        user = await client.new_user("Nobody", language_code="ru")
        with pytest.raises(Exception, match="404"):
            await client.request("POST", f"/api/users/{user.id}/coordinator", json={})
    finally:
        await client.close()
