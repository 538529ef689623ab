"""Start journey: /start (with an optional deep link) → language → main menu; /language."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_i18n import I18nContext

from handlers.callbacks import LanguageV1, MenuItem, MenuV1
from handlers.menu import main_menu_keyboard, show_main_menu
from handlers.replies import show
from models.user import User
from services.deep_links import parse_start_payload
from settings import LOCALES
from storage.users import UserRepository

router = Router(name="start")


def language_keyboard(i18n: I18nContext) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=i18n.get("language-button-kk"), callback_data=LanguageV1(code="kk"))
    builder.button(text=i18n.get("language-button-ru"), callback_data=LanguageV1(code="ru"))
    return builder.as_markup()


@router.message(CommandStart())
async def start_command(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    user: User,
    users: UserRepository,
    i18n: I18nContext,
    is_coordinator: bool,
) -> None:
    """/start [payload]: keep the deep link for its journey; ask the language on first contact."""
    await state.clear()
    if command.args:
        link = parse_start_payload(command.args)
        if link is None:
            await message.answer(i18n.get("deep-link-invalid"))
        else:
            await users.set_pending_deep_link(user.telegram_id, link.raw)
    if user.language is None:
        await message.answer(i18n.get("language-prompt"), reply_markup=language_keyboard(i18n))
        return
    await show_main_menu(message, i18n, is_coordinator)


@router.message(Command("language"))
async def language_command(message: Message, i18n: I18nContext) -> None:
    """/language: offer both languages."""
    await message.answer(i18n.get("language-prompt"), reply_markup=language_keyboard(i18n))


@router.callback_query(MenuV1.filter(F.item == MenuItem.LANGUAGE))
async def language_button(callback: CallbackQuery, i18n: I18nContext) -> None:
    """Menu → Language."""
    await show(callback, i18n.get("language-prompt"), language_keyboard(i18n))


@router.callback_query(LanguageV1.filter())
async def language_chosen(
    callback: CallbackQuery,
    callback_data: LanguageV1,
    callback_answer: CallbackAnswer,
    user: User,
    i18n: I18nContext,
    is_coordinator: bool,
) -> None:
    """A language button: remember the choice, greet first-time users, show the menu."""
    if callback_data.code not in LOCALES:
        callback_answer.text = i18n.get("button-outdated")
        await show_main_menu(callback, i18n, is_coordinator)
        return
    first_contact = user.language is None
    await i18n.set_locale(callback_data.code)
    await show(callback, i18n.get("language-saved"))
    if first_contact:
        await callback.bot.send_message(callback.from_user.id, i18n.get("welcome"))  # type: ignore[union-attr]
    await callback.bot.send_message(  # type: ignore[union-attr]
        callback.from_user.id,
        i18n.get("menu-title"),
        reply_markup=main_menu_keyboard(i18n, is_coordinator),
    )

