"""Real aiogram Update objects, as Telegram would send them, for dispatcher-level tests."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from aiogram.types import CallbackQuery, Chat, Message, MessageEntity, Update, User

_ids = itertools.count(1)


def telegram_user(user_id: int, language_code: str = "ru") -> User:
    return User(id=user_id, is_bot=False, first_name=f"User{user_id}", language_code=language_code)


def text_update(user: User, text: str, message_id: int | None = None) -> Update:
    entities = None
    if text.startswith("/"):
        command = text.split()[0]
        entities = [MessageEntity(type="bot_command", offset=0, length=len(command))]
    return Update(
        update_id=next(_ids),
        message=Message(
            message_id=message_id or next(_ids),
            date=datetime.now(UTC),
            chat=Chat(id=user.id, type="private"),
            from_user=user,
            text=text,
            entities=entities,
        ),
    )


def callback_update(user: User, data: str, message: Message, callback_id: str) -> Update:
    """callback_id: one the emulator issued (World.new_callback_id), as Telegram would."""
    return Update(
        update_id=next(_ids),
        callback_query=CallbackQuery(
            id=callback_id, from_user=user, chat_instance=str(user.id), data=data, message=message
        ),
    )
