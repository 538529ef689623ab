"""Where a deep link leads: each journey registers the entry for its kind of link, and /start
(or the language question before it) opens it, so that /start imports no other journey.

An entry is called with the message to answer, the parsed link, the user's id and the update's
data (services, state, i18n …), from which it takes what it needs by name."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram.types import Message

from models.deep_link import DeepLink, DeepLinkKind

Entry = Callable[..., Awaitable[None]]

_ENTRIES: dict[DeepLinkKind, Entry] = {}


def entry(kind: DeepLinkKind) -> Callable[[Entry], Entry]:
    """Decorator: the journey's entry for links of this kind."""

    def register(function: Entry) -> Entry:
        _ENTRIES[kind] = function
        return function

    return register


async def open_link(target: Message, link: DeepLink, user_id: int, data: dict[str, Any]) -> bool:
    """Opens the link's journey; False when no journey takes this kind of link."""
    opener = _ENTRIES.get(link.kind)
    if opener is None:
        return False
    await opener(target, link, user_id=user_id, **data)
    return True
