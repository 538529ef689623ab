"""Users: which language to speak to them in, what the coordinators may know about them."""

from __future__ import annotations

from dataclasses import dataclass

from settings import LOCALES
from storage.users import UserRepository


def guess_locale(telegram_language_code: str | None, default: str = "ru") -> str:
    """Kazakh for Telegram set to Kazakh; otherwise the configured default (Russian)."""
    if telegram_language_code and telegram_language_code.lower().split("-")[0] == "kk":
        return "kk"
    return default if default in LOCALES else "ru"


def telegram_language(telegram_language_code: str | None) -> str | None:
    """The bot's language a user's Telegram is set to, when it is one of ours: kk-KZ → kk,
    ru → ru. Anything else (en, uz, none) is not a choice, and the user is asked."""
    base = (telegram_language_code or "").lower().split("-")[0]
    return base if base in LOCALES else None


def effective_locale(chosen: str | None, telegram_language_code: str | None, default: str) -> str:
    if chosen in LOCALES:
        return chosen
    return guess_locale(telegram_language_code, default)


@dataclass(frozen=True)
class UserOverview:
    total: int
    kazakh: int
    russian: int
    undecided: int
    observers: int


async def user_overview(users: UserRepository) -> UserOverview:
    """Aggregate counts only: coordinators see no individual through this."""
    by_language = await users.count_by_language()
    by_role = await users.count_by_role()
    return UserOverview(
        total=sum(by_language.values()),
        kazakh=by_language.get("kk", 0),
        russian=by_language.get("ru", 0),
        undecided=by_language.get(None, 0),
        observers=by_role.get("observer", 0),
    )
