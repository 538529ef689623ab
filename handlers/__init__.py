"""aiogram routers, one per user journey, included in this order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.handler import CallableObject
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.types import CallbackQuery

from handlers import (
    channel_admin,
    coordinator,
    errors,
    fallback,
    incidents,
    menu,
    observers,
    petitions,
    privacy,
    protocols,
    reports,
    results,
    start,
)

# Commands that work from anywhere come first; the fallback must stay last.
_JOURNEYS = (
    errors.router,
    start.router,
    menu.router,
    coordinator.router,
    channel_admin.router,
    results.router,
    petitions.router,
    observers.router,
    protocols.router,
    incidents.router,
    reports.router,
    privacy.router,
    fallback.router,
)


def get_routers() -> list[Router]:
    """Fresh routers for one dispatcher.

    aiogram lets a router belong to one dispatcher only, while a restart test or the emulator
    builds several in one process; the module-level routers serve as templates."""
    return [_instance(template) for template in _JOURNEYS]


def _instance(template: Router) -> Router:
    if template.sub_routers:
        raise ValueError(f"router {template.name} has sub-routers; list them in _JOURNEYS")
    router = Router(name=template.name)
    for event_name, source in template.observers.items():
        target = router.observers[event_name]
        target.handlers.extend(source.handlers)
        # Router-level filters (e.g. a chat-type filter) live on the observer's own handler.
        target._handler.filters = list(source._handler.filters or [])
        for middleware in source.middleware:
            target.middleware.register(middleware)
        for middleware in source.outer_middleware:
            target.outer_middleware.register(middleware)
    _only_its_own_buttons(router)
    for observer in router.observers.values():
        for check in observer._handler.filters or []:
            _on_the_loop(check)
        for handler in observer.handlers:
            _on_the_loop(handler)
            for check in handler.filters or []:
                _on_the_loop(check)
    return router


def _on_the_loop(callable_object: CallableObject) -> None:
    """aiogram runs a filter or handler that is a plain function on a thread of its own
    (`asyncio.to_thread`), a hand-off per check: a dialog state used as a filter
    (`PetitionSigning.name`) and a magic filter (`F.text`) are such functions. They read a field
    or two of the update; run on the loop instead, as an awaitable. The hand-offs were over a
    tenth of a button tap's CPU (bench/README.md, eleventh session)."""
    if callable_object.awaitable:
        return
    function: Callable[..., Any] = callable_object.callback

    async def on_the_loop(*args: Any, **kwargs: Any) -> Any:
        return function(*args, **kwargs)

    # The parameters aiogram passes stay those of the function (read when it was registered).
    callable_object.callback = on_the_loop
    callable_object.awaitable = True


def _only_its_own_buttons(router: Router) -> None:
    """A tap goes through a router's handlers only if one of them could take it: a petition tap
    was checked against the coordinators' thirty button filters first, 9% of a tap's CPU went to
    filters (bench/README.md, tenth session). Only for a router whose every button handler names
    its callback data; one that takes any tap (the fallback) is left alone."""
    prefixes: set[str] = set()
    for handler in router.callback_query.handlers:
        named = [
            check.callback.callback_data.__prefix__ + check.callback.callback_data.__separator__
            for check in handler.filters or []
            if isinstance(check.callback, CallbackQueryFilter)
        ]
        if not named:
            return
        prefixes.update(named)
    if not prefixes:
        return
    own = tuple(sorted(prefixes))

    async def its_own(callback: CallbackQuery) -> bool:
        return (callback.data or "").startswith(own)

    router.callback_query.filter(its_own)
