"""Which router a tap goes through: only those with a handler that could take its button, so a
petition tap is not checked against every coordinator button first (issue 15, CPU per update)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aiogram.types import CallbackQuery, User

from emulator.client import EmulatorClient
from handlers import get_routers
from handlers.callbacks import CaseAction, CaseV1, MenuItem, MenuV1, PetitionAction, PetitionV1


def _tap(data: str) -> CallbackQuery:
    user = User(id=7, is_bot=False, first_name="Tester")
    return CallbackQuery(id="1", from_user=user, chat_instance="7", data=data)


async def _goes_through(router_name: str, data: str) -> bool:
    [router] = [router for router in get_routers() if router.name == router_name]
    passed, _ = await router.callback_query._handler.check(_tap(data))
    return passed


async def test_a_tap_goes_only_through_the_routers_that_have_a_handler_for_its_button() -> None:
    petition = PetitionV1(action=PetitionAction.OPEN, slug="petition-2021").pack()
    case = CaseV1(action=CaseAction.VERIFY, level="president", precinct=12).pack()
    menu = MenuV1(item=MenuItem.COORDINATOR).pack()
    assert not await _goes_through("coordinator", petition)
    assert await _goes_through("coordinator", case)
    assert await _goes_through("coordinator", menu), "the menu's Coordinator button is its own"
    assert await _goes_through("petitions", petition)
    assert not await _goes_through("petitions", case)
    # The fallback takes any tap (an old or forged button gets its answer there).
    assert await _goes_through("fallback", petition)
    assert await _goes_through("fallback", "no-such-button")


def test_every_filter_and_handler_runs_on_the_event_loop() -> None:
    """aiogram hands a filter or handler that is a plain function (a dialog state used as a
    filter, a magic filter like F.text) to a thread, one hand-off per check: over a tenth of a
    tap's CPU went there (bench/README.md, eleventh session). Every one is awaited on the loop."""
    on_a_thread = []
    for router in get_routers():
        for event, observer in router.observers.items():
            checks = list(observer._handler.filters or [])  # the router's own filters
            for handler in observer.handlers:
                checks += [handler, *(handler.filters or [])]
            checks = [check for check in checks if not check.awaitable]
            on_a_thread += [f"{router.name}.{event}: {c.callback!r}" for c in checks]
    assert on_a_thread == []


async def test_a_petition_journey_checks_no_filter_on_a_thread(
    telegram: EmulatorClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same, as a supporter's taps go through the running bot: aiogram never hands a check
    to a thread, and the dialog states still pick the right step."""
    handed_over: list[str] = []
    to_thread = asyncio.to_thread

    async def counted(function: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        caller = sys._getframe(1).f_code.co_filename
        if caller.endswith(str(Path("aiogram", "dispatcher", "event", "handler.py"))):
            handed_over.append(repr(function))
        return await to_thread(function, *args, **kwargs)

    monkeypatch.setattr(asyncio, "to_thread", counted)
    user = await telegram.new_user("Сауле", language_code="ru")
    await user.send("/start p-petition-2021")
    await user.tap("Читать требования ▶")
    for _ in range(8):
        await user.tap("✅ Поддерживаю")
    await user.send("Сауле Маратовна")
    assert "г. Астана" in user.buttons, "the name step took the name"
    assert handed_over == []
