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
    # Telegram set to Kazakh: greeted in Kazakh, Russian one tap away in the menu.
    await page.get_by_text("Басты мәзір").wait_for()
    await page.get_by_role("button", name="🌐 Русский").click()
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


async def test_web_chat_on_a_phone(page, bot, emulator: EmulatorServer, output_dir: Path) -> None:
    """At 390 × 844: the user list is a drawer, the Send button is on screen, new messages are
    appended without redrawing the chat, a reader who scrolled up is not yanked down, the
    channel has no composer, and no request 404s (the favicon)."""
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else 0)
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(emulator.url + "/")
    assert await page.locator("#new-user-name").is_visible(), "a newcomer sees where to start"
    await page.fill("#new-user-name", "Dana")
    await page.click("#new-user-create")
    await page.wait_for_selector("#users li.active")
    # The drawer closes (it slides: wait for the end of the slide).
    await page.wait_for_function(
        "document.getElementById('sidebar').getBoundingClientRect().right <= 1", timeout=3000
    )

    await page.fill("#message-input", "/start")
    await page.press("#message-input", "Enter")
    await page.get_by_text("Главное меню").wait_for()
    send = await page.locator("#send").bounding_box()
    assert (
        send is not None and send["x"] + send["width"] <= 390 and send["y"] + send["height"] <= 844
    ), f"Send is off screen: {send}"
    for bubble in await page.locator(".bubble").all():
        box = await bubble.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    await page.screenshot(path=str(output_dir / "web-chat-phone.png"))

    # Redrawn or kept: a mark on the first bubble survives new messages and an edit.
    await page.evaluate("document.querySelector('.bubble').dataset.probe = 'kept'")
    await page.get_by_role("button", name="❓ Помощь").click()
    await page.get_by_text("/cancel — прервать текущее действие").wait_for()
    assert await page.locator(".bubble[data-probe='kept']").count() == 1

    user_id = await page.evaluate("state.userId")
    for number in range(12):
        await bot.app.bot.send_message(user_id, f"Строка {number}\n" * 3)
    await page.get_by_text("Строка 11").first.wait_for()
    at_bottom = await page.evaluate(
        "(() => { const t = document.getElementById('transcript');"
        " return t.scrollHeight - t.scrollTop - t.clientHeight; })()"
    )
    assert at_bottom < 5, "a reader at the end follows new messages"
    await page.evaluate("document.getElementById('transcript').scrollTop = 0")
    await bot.app.bot.send_message(user_id, "Новое сообщение")
    await page.get_by_text("Новое сообщение").wait_for()
    assert await page.evaluate("document.getElementById('transcript').scrollTop") == 0

    await page.click("#toggle-sidebar")
    await page.click("#show-channel")
    await page.wait_for_function(
        "document.getElementById('chat-title').textContent.includes('Channel')"
    )
    await page.wait_for_function(
        "document.getElementById('sidebar').getBoundingClientRect().right <= 1", timeout=3000
    )
    assert not await page.locator("#composer").is_visible(), "the channel is read-only"
    assert not await page.locator("#message-input").is_visible()
    await page.screenshot(path=str(output_dir / "web-chat-phone-channel.png"))
    assert not failed, f"failed requests: {failed}"
