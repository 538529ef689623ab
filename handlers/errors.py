"""Updates that failed: the user is told in their language, the log says why. The update's writes
were rolled back (the unit of work), so trying again is always safe."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import ErrorEvent
from aiogram.types import User as TelegramUser
from aiogram_i18n import I18nContext

from handlers.keyboards import main_menu_keyboard, observer_actions
from models.drafts import StaleDraft
from models.user import Role
from storage.outages import unavailable_service

router = Router(name="errors")
log = logging.getLogger(__name__)


@router.errors()
async def failed_update(event: ErrorEvent, bot: Bot, **data: Any) -> None:
    """The database or Redis away: "try again in a minute", and the bot carries on (the next
    update reconnects). Anything else is a bug: logged with its traceback, and the user hears
    that what they already sent is kept."""
    update_id = event.update.update_id
    if isinstance(event.exception, StaleDraft):
        await _restart_dialog(event, bot, data)
        return
    service = unavailable_service(event.exception)
    if service is not None:
        log.warning(
            "update %s not handled: the %s is unavailable (%s: %s)",
            update_id,
            service,
            type(event.exception).__name__,
            event.exception,
        )
    else:
        log.error("update %s failed", update_id, exc_info=event.exception)
    user: TelegramUser | None = data.get("event_from_user")
    if user is None:
        return
    text = _text(user, data, message_id="error-unavailable" if service else "error-generic")
    callback = event.update.callback_query
    try:
        if callback is not None:
            # A tap is answered where the user looks; the screen stays as it was, ready for the
            # same tap again.
            await bot.answer_callback_query(callback.id, text, show_alert=True)
        else:
            await bot.send_message(user.id, text)
    except Exception:
        log.warning("could not tell user %s about the failed update %s", user.id, update_id)


async def _restart_dialog(event: ErrorEvent, bot: Bot, data: dict[str, Any]) -> None:
    """A dialog left by another version of the bot that this one cannot continue (models.drafts):
    ended, and the user told so with the menu under the message, not "something went wrong"."""
    log.warning("update %s: %s; the dialog is restarted", event.update.update_id, event.exception)
    state: FSMContext | None = data.get("state")
    if state is not None:
        await state.clear()
    user: TelegramUser | None = data.get("event_from_user")
    i18n: I18nContext | None = data.get("i18n")
    if user is None or i18n is None:
        return
    known = data.get("user")
    if event.update.callback_query is not None:
        # Nothing answered the tap (runtime.middlewares.CallbackAnswers): its spinner stops here.
        await bot.answer_callback_query(event.update.callback_query.id)
    await bot.send_message(
        user.id,
        i18n.get("error-dialog-restarted"),
        # An observer's next step is most likely the journey that was cut short.
        reply_markup=observer_actions(i18n)
        if known is not None and known.role is Role.OBSERVER
        else main_menu_keyboard(i18n, bool(data.get("is_coordinator"))),
    )


def _text(user: TelegramUser, data: dict[str, Any], *, message_id: str) -> str:
    i18n: I18nContext | None = data.get("i18n")
    if i18n is not None:
        return i18n.get(message_id)
    # The update failed before its language was known (the users table could not be read).
    middleware = data["i18n_middleware"]
    core = middleware.core
    return core.get(message_id, middleware.manager.locale_without_database(user))
