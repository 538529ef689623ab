"""Update middlewares (the unit of work, who the user is) and the dispatcher that reports each
update settled."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot, Dispatcher
from aiogram.dispatcher.flags import get_flag
from aiogram.fsm.middleware import FSMContextMiddleware
from aiogram.types import CallbackQuery, TelegramObject, Update
from aiogram.types import User as TelegramUser
from aiogram.utils.callback_answer import CallbackAnswerMiddleware
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from publishing.tallies import TallyReader
from services.coordination import Coordination
from services.incidents import IncidentService
from services.observers import ObserverService
from services.outgoing import CoordinatorAlerts
from services.personal_data import PersonalDataCipher
from services.privacy import PrivacyService
from services.protocols import ProtocolService
from services.signatures import SignatureService
from settings import Settings
from storage.observers import ObserverRepository
from storage.petitions import SignatureRepository
from storage.precincts import PrecinctRepository
from storage.unit_of_work import unit_of_work
from storage.users import UserRepository

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UnitOfWorkMiddleware(BaseMiddleware):
    """One database session and one commit point per update; the repositories and services
    that use it are built here, so handlers ask for them by name."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        cipher: PersonalDataCipher,
        alert_chats: list[int],
        send_alerts: Callable[[list[int]], Awaitable[None]] | None = None,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.cipher = cipher
        self.alert_chats = alert_chats
        self.send_alerts = send_alerts
        if not alert_chats:
            log.warning("no coordinators configured (coordinators.ids / coordinators.chat_id)")

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        alerts: list[int] = []  # ids of outbox rows (services.outgoing) this update queued
        data["alerts"] = alerts
        result = await self._handle(handler, event, data, alerts)
        # Alerts the update wrote to the outbox, sent once it is committed (and before the update
        # counts as handled); what fails to go now stays pending for the outbox's loop.
        if alerts and self.send_alerts is not None:
            await self.send_alerts(alerts)
        return result

    async def _handle(
        self, handler: Handler, event: TelegramObject, data: dict[str, Any], alerts: list[int]
    ) -> Any:
        async with unit_of_work(self.sessionmaker) as unit:
            data["session"] = unit.session
            data["unit_of_work"] = unit
            data["users"] = UserRepository(unit.session, unit.statements)
            data["signatures"] = SignatureService(SignatureRepository(unit.session), self.cipher)
            data["observers"] = ObserverService(ObserverRepository(unit.session), self.cipher)
            data["precincts"] = PrecinctRepository(unit.session)
            data["protocols"] = ProtocolService(unit.session, self.cipher)
            data["incidents"] = IncidentService(unit.session, self.cipher)
            data["coordination"] = Coordination(unit.session, self.cipher)
            data["privacy"] = PrivacyService(unit.session, self.cipher)
            data["tallies"] = TallyReader(unit.session)
            data["coordinator_alerts"] = CoordinatorAlerts(unit.session, self.alert_chats, alerts)
            return await handler(event, data)


class DialogUnitMiddleware(BaseMiddleware):
    """aiogram's dialog-state middleware (`Dispatcher.fsm`, registered here instead of by the
    dispatcher) with the update's unit of work inside its per-user lock: the state aiogram reads
    to pick a handler is read in the update's transaction rather than in one of its own, and an
    update commits before the next one of the same user reads anything."""

    def __init__(self, fsm: FSMContextMiddleware, units: UnitOfWorkMiddleware) -> None:
        self.fsm = fsm
        self.units = units

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        context = self.fsm.resolve_event_context(data["bot"], data)
        data["fsm_storage"] = self.fsm.storage
        if context is None:
            return await self.units(handler, event, data)

        async def with_state(event: TelegramObject, data: dict[str, Any]) -> Any:
            data.update({"state": context, "raw_state": await context.get_state()})
            return await handler(event, data)

        async with self.fsm.events_isolation.lock(key=context.key):
            return await self.units(with_state, event, data)


class UserMiddleware(BaseMiddleware):
    """Loads (or records) the user behind the update; coordinator status comes from config."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        telegram_user: TelegramUser | None = data.get("event_from_user")
        if telegram_user is None or telegram_user.is_bot:
            data["user"] = None
            data["is_coordinator"] = False
            return await handler(event, data)
        users: UserRepository = data["users"]
        user, _ = await users.get_or_create(telegram_user.id)
        data["user"] = user
        data["is_coordinator"] = self.settings.is_coordinator(telegram_user.id)
        return await handler(event, data)


class CallbackAnswers(CallbackAnswerMiddleware):
    """aiogram's answer to every button tap its handler did not answer itself (no endless
    spinner), with two differences.

    - A handler that fails is not answered here: aiogram's answers it on the way out, inside
      the update's unit of work, so the answer committed what the handler had written before it
      failed, and took the tap's one answer from the errors router's "something went wrong".
      handlers/errors.py answers it, after the rollback.
    - By webhook (data["webhook_reply"]) the answer goes in the reply to Telegram's request
      rather than as a request of its own: one request to Telegram less per tap, about a tenth
      of a tap's CPU (bench/README.md, tenth session). Telegram performs a method in a webhook
      reply without saying whether it worked, which a bare acknowledgement can do without."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, CallbackQuery):
            return await handler(event, data)
        answer = data["callback_answer"] = self.construct_callback_answer(
            properties=get_flag(data, "callback_answer")
        )
        if not answer.disabled and answer.answered:  # flagged to be answered before
            await self.answer(event, answer)
        result = await handler(event, data)
        if answer.disabled or answer.answered:
            return result
        if data.get("webhook_reply") and result is None:
            return self.answer(event, answer)  # not awaited: a method for the webhook reply
        await self.answer(event, answer)
        return result


class SettlingDispatcher(Dispatcher):
    """Reports each update once fully handled: committed, answered, or failed and answered by
    the errors router. The test harness and the emulator's own run mode use it to know when the
    bot has finished, instead of guessing with sleeps. Outside every middleware (the dialog
    state's included), so an update that fails there settles too. aiogram's dialog-state
    middleware is not registered by it: DialogUnitMiddleware takes its place."""

    def __init__(
        self, *, on_settled: Callable[[int], Awaitable[None]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(disable_fsm=True, **kwargs)
        self.on_settled = on_settled

    async def feed_update(self, bot: Bot, update: Update, **kwargs: Any) -> Any:
        try:
            return await super().feed_update(bot, update, **kwargs)
        finally:
            # By webhook, the update is settled once the reply (which may carry a method) is
            # sent: the sender of the request knows when that is.
            if self.on_settled is not None and not kwargs.get("webhook_reply"):
                await self.on_settled(update.update_id)
