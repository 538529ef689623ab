"""Unexpected errors: log them with the update, tell the user in their language."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot, Router
from aiogram.types import ErrorEvent
from aiogram_i18n import I18nContext

router = Router(name="errors")
log = logging.getLogger(__name__)


@router.errors()
async def unexpected_error(event: ErrorEvent, bot: Bot, **data: Any) -> None:
    """Any exception a handler raised. The update's writes were rolled back (the unit of work),
    so the user may simply try again."""
    log.error("update %s failed", event.update.update_id, exc_info=event.exception)
    user = data.get("event_from_user")
    if user is None:
        return
    i18n: I18nContext | None = data.get("i18n")
    if i18n is not None:
        text = i18n.get("error-generic")
    else:
        core = data["i18n_middleware"].core
        text = core.get("error-generic", core.default_locale)
    try:
        await bot.send_message(user.id, text)
    except Exception:
        log.warning("could not tell user %s about the error", user.id)
