"""Last router: whatever nothing else understood gets a friendly answer and the menu."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from handlers.keyboards import main_menu_keyboard
from handlers.replies import show_main_menu

router = Router(name="fallback")


@router.message()
async def unknown_message(message: Message, i18n: I18nContext, is_coordinator: bool) -> None:
    """Any message no journey took: say so, offer the menu."""
    await message.answer(
        i18n.get("unknown-input"), reply_markup=main_menu_keyboard(i18n, is_coordinator)
    )


@router.callback_query()
async def outdated_button(
    callback: CallbackQuery,
    callback_answer: CallbackAnswer,
    i18n: I18nContext,
    is_coordinator: bool,
) -> None:
    """A button from an older version of the bot, or forged data: the current menu instead."""
    callback_answer.text = i18n.get("button-outdated")
    await show_main_menu(callback, i18n, is_coordinator)
