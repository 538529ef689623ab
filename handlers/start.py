"""Start journey: /start (with an optional deep link) → language → main menu; /language."""

from __future__ import annotations

from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from handlers.callbacks import LanguageV1, MenuItem, MenuV1
from handlers.entries import open_link
from handlers.keyboards import InlineButtons, main_menu_keyboard
from handlers.replies import show, show_main_menu
from models.user import User
from services.deep_links import parse_start_payload
from services.users import telegram_language
from settings import LOCALES
from storage.users import UserRepository

router = Router(name="start")


def language_keyboard(i18n: I18nContext) -> InlineKeyboardMarkup:
    builder = InlineButtons()
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
    **data: Any,
) -> None:
    """/start [payload]: on first contact ask the language (keeping the link for after); a
    petition link goes straight to the petition, an invite link to observer registration."""
    await state.clear()
    link = parse_start_payload(command.args) if command.args else None
    if command.args and link is None:
        await message.answer(i18n.get("deep-link-invalid"))
    if user.language is None:
        guessed = telegram_language(message.from_user.language_code if message.from_user else None)
        if guessed is None:
            if link is not None:  # taken by its journey once the language is chosen
                await users.set_pending_deep_link(user.telegram_id, link.raw)
            await message.answer(i18n.get("language-prompt"), reply_markup=language_keyboard(i18n))
            return
        # Telegram says which of our languages this is: greet in it, with the other one tap away.
        await i18n.set_locale(guessed)
        await message.answer(i18n.get("welcome"))
        await message.answer(i18n.get("language-guessed"), reply_markup=language_keyboard(i18n))
    context = {**data, "state": state, "i18n": i18n, "users": users, "user": user}
    if link is not None and await open_link(message, link, user.telegram_id, context):
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
    bot: Bot,
    state: FSMContext,
    user: User,
    users: UserRepository,
    i18n: I18nContext,
    is_coordinator: bool,
    **data: Any,
) -> None:
    """A language button: remember the choice; on first contact greet, then open the petition
    the user came for, or the menu."""
    if callback_data.code not in LOCALES:
        callback_answer.text = i18n.get("button-outdated")
        await show_main_menu(callback, i18n, is_coordinator)
        return
    first_contact = user.language is None
    await i18n.set_locale(callback_data.code)
    await show(callback, i18n.get("language-saved"))
    chat_id = callback.from_user.id
    if not first_contact:
        await bot.send_message(
            chat_id, i18n.get("menu-title"), reply_markup=main_menu_keyboard(i18n, is_coordinator)
        )
        return
    await bot.send_message(chat_id, i18n.get("welcome"))
    link = parse_start_payload(user.pending_deep_link)
    if link is not None and isinstance(callback.message, Message):
        await users.set_pending_deep_link(user.telegram_id, None)
        context = {**data, "bot": bot, "state": state, "i18n": i18n, "users": users, "user": user}
        if await open_link(callback.message, link, chat_id, context):
            return
    await bot.send_message(
        chat_id, i18n.get("menu-title"), reply_markup=main_menu_keyboard(i18n, is_coordinator)
    )
