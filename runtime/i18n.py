"""Fluent strings through aiogram-i18n; the user's locale lives in the users table."""

from __future__ import annotations

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


class UserLocaleManager(BaseManager):
    """The chosen language from the users table, else a guess from Telegram's language_code."""

    async def get_locale(
        self, user: User | None = None, event_from_user: TelegramUser | None = None, **_: Any
    ) -> str:
        return effective_locale(
            user.language if user else None,
            event_from_user.language_code if event_from_user else None,
            self.default_locale or "ru",
        )

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


def build_i18n_middleware(core: FluentRuntimeCore, default_locale: str) -> I18nMiddleware:
    return I18nMiddleware(
        core=core,
        manager=UserLocaleManager(default_locale=default_locale),
        default_locale=default_locale,
    )
