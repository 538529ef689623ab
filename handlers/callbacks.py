"""Callback data of every inline button. Versioned prefixes, so buttons left in chat history
still decode after a change; ids only, never text (64 bytes at most)."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class MenuItem(StrEnum):
    HOME = "home"
    LANGUAGE = "lang"
    HELP = "help"
    COORDINATOR = "coord"


class MenuV1(CallbackData, prefix="m1"):
    item: MenuItem


class LanguageV1(CallbackData, prefix="l1"):
    code: str
