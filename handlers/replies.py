"""Where a handler's answer goes: edit the message a button belongs to, or send a new one; the
main menu; alerts to the coordinators, queued in the update's own transaction."""

from __future__ import annotations

from typing import Any

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext

from handlers.keyboards import main_menu_keyboard
from services.outgoing import CoordinatorAlerts


async def show(
    event: Message | CallbackQuery,
    text: str,
    reply_markup: InlineKeyboardMarkup | None = None,
    **kwargs: Any,
) -> Message:
    """Replace the screen a button was tapped on; answer a typed message with a new one.

    Editing keeps one screen per dialog step instead of a growing chat; messages Telegram no
    longer lets us edit (over 48 hours old) get a fresh message instead."""
    if isinstance(event, CallbackQuery):
        message = event.message
        if isinstance(message, Message) and message.text is not None:
            if message.html_text == text and message.reply_markup == reply_markup:
                return message
            try:
                result = await message.edit_text(text, reply_markup=reply_markup, **kwargs)
            except TelegramBadRequest as error:
                # A double tap re-renders the same screen; Telegram calls that an error.
                if "message is not modified" not in error.message:
                    raise
                return message
            return result if isinstance(result, Message) else message
        return await event.bot.send_message(  # type: ignore[union-attr]
            event.from_user.id, text, reply_markup=reply_markup, **kwargs
        )
    return await event.answer(text, reply_markup=reply_markup, **kwargs)


async def notify_coordinators(
    coordinator_alerts: CoordinatorAlerts,
    text: str,
    reply_markup: InlineKeyboardMarkup | None = None,
    copies: list[dict[str, Any]] | None = None,
) -> list[int]:
    """Queues an alert to the coordinators (services.outgoing.CoordinatorAlerts): the chats
    reached."""
    markup = reply_markup.model_dump(mode="json", exclude_none=True) if reply_markup else None
    return await coordinator_alerts.queue(text, markup, copies or [])


async def show_main_menu(
    event: Message | CallbackQuery, i18n: I18nContext, is_coordinator: bool
) -> None:
    await show(event, i18n.get("menu-title"), main_menu_keyboard(i18n, is_coordinator))
