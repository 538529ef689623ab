"""The web chat page in a real Chromium: a person creates a user and talks to the bot."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from emulator.server import EmulatorServer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.browser


@pytest.fixture
async def page(output_dir: Path):
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run the README's test command, it installs it"
        )
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        page = await browser.new_page(viewport={"width": 1100, "height": 760})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page
        assert not errors, f"JavaScript errors on the page: {errors}"
        await browser.close()


async def test_web_chat_start_language_menu(
    page, bot, emulator: EmulatorServer, output_dir: Path
) -> None:
    await page.goto(emulator.url + "/")
    await page.fill("#new-user-name", "Айгерим")
    await page.select_option("#new-user-language", "kk")
    await page.click("#new-user-create")
    await page.wait_for_selector("#users li.active")

    await page.fill("#message-input", "/start")
    await page.press("#message-input", "Enter")
    await page.get_by_role("button", name="Русский").click()
    await page.get_by_text("Главное меню").wait_for()
    await page.get_by_role("button", name="❓ Помощь").click()
    await page.get_by_text("/cancel — прервать текущее действие").wait_for()

    bubbles = await page.locator(".bubble").all_inner_texts()
    assert bubbles[0] == "/start"
    assert any(text.startswith("Язык бота: русский") for text in bubbles)
    bold = page.locator(".bubble b", has_text="Помощь")
    assert await bold.count() == 1, "HTML formatting is rendered, not shown as tags"
    await page.screenshot(path=str(output_dir / "web-chat.png"), full_page=True)
    assert (output_dir / "web-chat.png").stat().st_size > 10_000


async def test_web_chat_sends_a_photo_and_shows_the_channel(
    page, bot, emulator: EmulatorServer, tmp_path: Path, output_dir: Path
) -> None:
    from tests.test_emulator_rules import PNG_1x1

    picture = tmp_path / "protocol.png"
    picture.write_bytes(PNG_1x1)
    await page.goto(emulator.url + "/")
    await page.fill("#new-user-name", "Observer")
    await page.click("#new-user-create")
    await page.wait_for_selector("#users li.active")
    await page.set_input_files("#photo-input", str(picture))
    await page.locator(".bubble.mine img").wait_for()
    # No journey takes photos yet: the bot answers with its fallback, in Russian for "ru".
    await page.get_by_text("Я не понял это сообщение").wait_for()

    await bot.app.bot.send_message("@haqtime", "<b>Явка</b>: 32%")
    await page.click("#show-channel")
    await page.locator(".bubble b", has_text="Явка").wait_for()
    await page.screenshot(path=str(output_dir / "channel.png"))
