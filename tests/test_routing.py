"""Which router a tap goes through: only those with a handler that could take its button, so a
petition tap is not checked against every coordinator button first (issue 15, CPU per update)."""

from __future__ import annotations

from aiogram.types import CallbackQuery, User

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
