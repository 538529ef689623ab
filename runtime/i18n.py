"""Fluent strings through aiogram-i18n; the user's locale lives in the users table."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from aiogram.types import User as TelegramUser
from aiogram_i18n import I18nMiddleware
from aiogram_i18n.cores import FluentRuntimeCore
from aiogram_i18n.managers import BaseManager

from models.user import User
from services.users import effective_locale
from settings import LOCALES, PROJECT_ROOT
from storage.users import UserRepository

LOCALES_PATH = PROJECT_ROOT / "locales" / "{locale}"


def build_core(default_locale: str = "ru") -> FluentRuntimeCore:
    core = FluentRuntimeCore(path=LOCALES_PATH, default_locale=default_locale, raise_key_error=True)
    # Loaded now rather than at dispatcher start-up, so the CLI and start-up checks can use it.
    core.locales.update(core.find_locales())
    missing = set(LOCALES) - set(core.locales)
    if missing:
        raise RuntimeError(f"locales missing under {LOCALES_PATH.parent}: {sorted(missing)}")
    return core


# Users whose language this process remembers, for answering while the database is away.
REMEMBERED_USERS = 50_000


class UserLocaleManager(BaseManager):
    """The chosen language from the users table, else a guess from Telegram's language_code."""

    def __init__(self, default_locale: str | None = None) -> None:
        super().__init__(default_locale=default_locale)
        self._recent: OrderedDict[int, str] = OrderedDict()

    async def get_locale(
        self, user: User | None = None, event_from_user: TelegramUser | None = None, **_: Any
    ) -> str:
        locale = effective_locale(
            user.language if user else None,
            event_from_user.language_code if event_from_user else None,
            self.default_locale or "ru",
        )
        if user is not None and user.language:
            self._remember(user.telegram_id, locale)
        return locale

    def locale_without_database(self, event_from_user: TelegramUser | None) -> str:
        """The user's language when the users table cannot be read: the one they chose, if this
        process saw it, else a guess from Telegram's language_code."""
        if event_from_user is not None and event_from_user.id in self._recent:
            return self._recent[event_from_user.id]
        return effective_locale(
            None,
            event_from_user.language_code if event_from_user else None,
            self.default_locale or "ru",
        )

    def _remember(self, telegram_id: int, locale: str) -> None:
        self._recent[telegram_id] = locale
        self._recent.move_to_end(telegram_id)
        if len(self._recent) > REMEMBERED_USERS:
            self._recent.popitem(last=False)

    async def set_locale(
        self,
        locale: str,
        users: UserRepository | None = None,
        event_from_user: TelegramUser | None = None,
        **_: Any,
    ) -> None:
        if users is None or event_from_user is None:
            raise RuntimeError("set_locale needs an update with a user and a database session")
        await users.set_language(event_from_user.id, locale)
        self._remember(event_from_user.id, locale)


def build_i18n_middleware(core: FluentRuntimeCore, default_locale: str) -> I18nMiddleware:
    return I18nMiddleware(
        core=core,
        manager=UserLocaleManager(default_locale=default_locale),
        default_locale=default_locale,
    )
