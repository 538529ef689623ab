"""The main menu, /help and /cancel: reachable from anywhere, in any state."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove
from aiogram_i18n import I18nContext

from handlers.callbacks import CancelV1, MenuItem, MenuV1
from handlers.keyboards import InlineButtons, main_menu_keyboard
from handlers.replies import show, show_main_menu
from settings import Settings

router = Router(name="menu")


def help_text(i18n: I18nContext, settings: Settings, is_coordinator: bool) -> str:
    """What the bot does and its commands; coordinators' commands to coordinators."""
    text = i18n.get("help-text", channel=settings.channel.chat)
    return text + "\n\n" + i18n.get("help-coordinator") if is_coordinator else text


@router.message(Command("help"))
async def help_command(
    message: Message, i18n: I18nContext, settings: Settings, is_coordinator: bool
) -> None:
    """/help: what the bot does and its commands."""
    await message.answer(help_text(i18n, settings, is_coordinator))


@router.callback_query(MenuV1.filter(F.item == MenuItem.HELP))
async def help_button(
    callback: CallbackQuery, i18n: I18nContext, settings: Settings, is_coordinator: bool
) -> None:
    """Menu → Help: the help text, with the menu under it to go on."""
    await show(
        callback,
        help_text(i18n, settings, is_coordinator),
        main_menu_keyboard(i18n, is_coordinator),
    )


@router.callback_query(MenuV1.filter(F.item == MenuItem.HOME))
async def home_button(callback: CallbackQuery, i18n: I18nContext, is_coordinator: bool) -> None:
    """Any "Menu" button: back to the main menu."""
    await show_main_menu(callback, i18n, is_coordinator)


# Dialogs holding work that took the user real effort: /cancel asks before discarding it.
_ASK_BEFORE_DISCARDING = ("ProtocolSubmission:", "ObserverRegistration:", "IncidentReport:")


@router.message(Command("cancel"))
async def cancel_command(
    message: Message, state: FSMContext, i18n: I18nContext, is_coordinator: bool
) -> None:
    """/cancel: leave whatever dialog the user is in; what was already saved stays saved."""
    current = await state.get_state()
    if current is None:
        await message.answer(i18n.get("cancel-nothing"))
    elif current.startswith(_ASK_BEFORE_DISCARDING):
        builder = InlineButtons()
        builder.button(text=i18n.get("cancel-button-discard"), callback_data=CancelV1(discard=True))
        builder.button(text=i18n.get("cancel-button-keep"), callback_data=CancelV1(discard=False))
        await message.answer(i18n.get("cancel-confirm"), reply_markup=builder.as_markup())
        return
    else:
        await state.clear()
        # A dialog may have left a contact button under the input field.
        await message.answer(i18n.get("cancel-done"), reply_markup=ReplyKeyboardRemove())
    await show_main_menu(message, i18n, is_coordinator)


@router.callback_query(CancelV1.filter())
async def cancel_answered(
    callback: CallbackQuery,
    callback_data: CancelV1,
    state: FSMContext,
    i18n: I18nContext,
    is_coordinator: bool,
) -> None:
    """ "Yes, discard" or "No, continue" after /cancel."""
    if not callback_data.discard:
        await show(callback, i18n.get("cancel-kept"))
        return
    await state.clear()
    await show(callback, i18n.get("cancel-done"), main_menu_keyboard(i18n, is_coordinator))
