"""Coordinators' entry: an aggregate overview. Who is a coordinator is re-checked on every
action from configuration, because callback data comes from the user and can be forged."""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from handlers.callbacks import MenuItem, MenuV1
from handlers.menu import main_menu_keyboard
from handlers.replies import show
from services.users import user_overview
from settings import Settings
from storage.users import UserRepository

router = Router(name="coordinator")
log = logging.getLogger(__name__)


async def notify_coordinators(
    bot: Bot, settings: Settings, text: str, reply_markup: InlineKeyboardMarkup | None = None
) -> list[int]:
    """Sends to the coordinators' chat, or to each coordinator privately. Best effort: a
    coordinator who never started the bot (or blocked it) is logged, and the observer's own
    action, already saved, is not failed because of it. Returns the chats reached."""
    targets = [settings.coordinators.chat_id] if settings.coordinators.chat_id else list(settings.coordinators.ids)
    reached = []
    for target in targets:
        try:
            await bot.send_message(target, text, reply_markup=reply_markup)
            reached.append(target)
        except TelegramAPIError as error:
            log.warning("could not notify coordinators' chat %s: %s", target, error)
    if not targets:
        log.warning("no coordinators configured (coordinators.ids / coordinators.chat_id)")
    return reached


async def _overview_text(i18n: I18nContext, users: UserRepository) -> str:
    overview = await user_overview(users)
    return i18n.get(
        "coordinator-overview",
        total=overview.total,
        kazakh=overview.kazakh,
        russian=overview.russian,
        undecided=overview.undecided,
        observers=overview.observers,
    )


@router.message(Command("coordinator"))
async def coordinator_command(
    message: Message, i18n: I18nContext, users: UserRepository, is_coordinator: bool
) -> None:
    """/coordinator: the overview, for coordinators only."""
    if not is_coordinator:
        await message.answer(i18n.get("coordinator-only"))
        return
    await message.answer(await _overview_text(i18n, users))


@router.callback_query(MenuV1.filter(F.item == MenuItem.COORDINATOR))
async def coordinator_button(
    callback: CallbackQuery,
    callback_answer: CallbackAnswer,
    i18n: I18nContext,
    users: UserRepository,
    is_coordinator: bool,
) -> None:
    """Menu → Coordinator."""
    if not is_coordinator:
        callback_answer.text = i18n.get("coordinator-only")
        callback_answer.show_alert = True
        return
    await show(callback, await _overview_text(i18n, users), main_menu_keyboard(i18n, True))
