"""Where a handler's answer goes: edit the message a button belongs to, or send a new one."""

from __future__ import annotations

from typing import Any

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message


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
