"""Sends the message outbox (services.outgoing) through the Bot API: alerts at once, at the end
of the update that queued them; broadcasts in the background, never faster than the configured
rate, so ten thousand observers get a message in minutes without a storm of 429s."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardMarkup
from aiogram_i18n.cores import FluentRuntimeCore
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.tables import BroadcastRow, OutgoingMessageRow, UserRow, utc_now
from runtime.evidence import send_evidence
from services import outgoing
from services.outgoing import OutgoingKind, OutgoingStatus

log = logging.getLogger(__name__)
PROGRESS_EVERY_SECONDS = 3.0
MIN_EDIT_GAP_SECONDS = 1.5
BATCH = 50


class Pace:
    """At most `per_second` sends, evenly spaced (no bursts: Telegram's global limit is a rate)."""

    def __init__(self, per_second: float) -> None:
        self.interval = 1 / per_second
        self.next_slot = time.monotonic()

    async def wait(self) -> None:
        now = time.monotonic()
        slot = max(now, self.next_slot)
        self.next_slot = slot + self.interval
        if slot > now:
            await asyncio.sleep(slot - now)

    def pause(self, seconds: float) -> None:
        self.next_slot = max(self.next_slot, time.monotonic() + seconds)


class MessageOutbox:
    def __init__(
        self,
        bot: Bot,
        sessionmaker: async_sessionmaker[AsyncSession],
        core: FluentRuntimeCore,
        per_second: float,
        idle_seconds: float = 1.0,
    ) -> None:
        self.bot = bot
        self.sessionmaker = sessionmaker
        self.core = core
        self.pace = Pace(per_second)
        self.idle_seconds = idle_seconds
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._progress_shown: dict[int, float] = {}

    # --- running ---------------------------------------------------------------------------

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="message-outbox")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    def wake(self) -> None:
        self._wake.set()

    async def _loop(self) -> None:
        while True:
            try:
                sent = await self.drain_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # the database or Telegram away: try again on the next round
                log.exception("message outbox: a round failed")
                sent = 0
            if sent == 0:
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), self.idle_seconds)
                except TimeoutError:
                    pass

    async def drain_once(self, kinds: tuple[OutgoingKind, ...] | None = None) -> int:
        """Sends one batch of due rows; returns how many were handled."""
        async with self.sessionmaker() as session:
            ids = await outgoing.due_ids(session, utc_now(), BATCH, kinds)
        for row_id in ids:
            await self.send_one(row_id)
        if ids or self._progress_shown:  # idle and no broadcast of ours running: no query
            await self._show_progress()
        return len(ids)

    async def send_now(self, ids: list[int]) -> None:
        """Alerts an update queued: sent before the update is reported handled. A failure
        leaves them pending for the background loop."""
        for row_id in ids:
            try:
                await self.send_one(row_id)
            except Exception:
                log.warning("alert %s not sent now; the outbox will retry", row_id, exc_info=True)

    # --- one message -----------------------------------------------------------------------

    async def send_one(self, row_id: int) -> None:
        async with self.sessionmaker() as session, session.begin():
            if not await outgoing.claim(session, row_id, utc_now()):
                return
            row = await session.get(OutgoingMessageRow, row_id)
            assert row is not None
            chat_id, text, markup, copies, attempts = (
                row.chat_id,
                row.text,
                row.reply_markup,
                list(row.copies),
                row.attempts,
            )
        status, error, retry_at = OutgoingStatus.SENT, None, None
        try:
            await self.pace.wait()
            keyboard = InlineKeyboardMarkup.model_validate(markup) if markup else None
            await self.bot.send_message(chat_id, text, reply_markup=keyboard)
            for item in copies:
                await self.pace.wait()
                try:
                    await send_evidence(self.bot, chat_id, item)
                except TelegramBadRequest as problem:  # one piece of evidence gone: the rest go on
                    log.warning(
                        "evidence %s not copied to %s: %s", item.get("message_id"), chat_id, problem
                    )
        except TelegramRetryAfter as problem:
            self.pace.pause(problem.retry_after)
            status, error, retry_at = (
                OutgoingStatus.PENDING,
                str(problem),
                utc_now() + timedelta(seconds=problem.retry_after),
            )
        except TelegramForbiddenError as problem:
            status, error = OutgoingStatus.BLOCKED, str(problem)
        except TelegramBadRequest as problem:
            status, error = OutgoingStatus.FAILED, str(problem)
        except (TelegramNetworkError, TelegramServerError, TelegramAPIError) as problem:
            status, error = OutgoingStatus.PENDING, str(problem)
            retry_at = utc_now() + timedelta(seconds=min(600, 2**attempts))  # 2 s, 4 s, … 10 min
        if status is not OutgoingStatus.SENT:
            log.warning("message %s to %s: %s (%s)", row_id, chat_id, status.value, error)
        async with self.sessionmaker() as session, session.begin():
            await outgoing.finish(session, row_id, status, error, retry_at)

    # --- broadcast progress ----------------------------------------------------------------

    async def _show_progress(self) -> None:
        """Edits each running broadcast's progress message every few seconds, and once at the end
        with the final count."""
        async with self.sessionmaker() as session, session.begin():
            running = (
                (
                    await session.execute(
                        select(BroadcastRow).where(BroadcastRow.finished_at.is_(None))
                    )
                )
                .scalars()
                .all()
            )
            for broadcast in running:
                progress = await outgoing.broadcast_progress(session, broadcast.id)
                # The coordinator's chat takes about one message a second: the first figure is
                # the "0 of N" the handler showed, and the final count waits its turn too.
                last = self._progress_shown.setdefault(broadcast.id, time.monotonic())
                since = time.monotonic() - last
                if since < (MIN_EDIT_GAP_SECONDS if progress.finished else PROGRESS_EVERY_SECONDS):
                    continue
                self._progress_shown[broadcast.id] = time.monotonic()
                if progress.finished:
                    broadcast.finished_at = utc_now()
                    del self._progress_shown[broadcast.id]
                if broadcast.progress_chat is None or broadcast.progress_message_id is None:
                    continue
                user = await session.get(UserRow, broadcast.progress_chat)
                locale = (
                    user.language if user and user.language else (self.core.default_locale or "ru")
                )
                core = self.core
                text = core.get(
                    "broadcast-finished" if progress.finished else "broadcast-progress",
                    locale,
                    done=progress.done,
                    total=progress.total,
                    sent=progress.sent,
                    blocked=progress.blocked,
                    failed=progress.failed,
                )
                await self.pace.wait()
                try:
                    await self.bot.edit_message_text(
                        text,
                        chat_id=broadcast.progress_chat,
                        message_id=broadcast.progress_message_id,
                    )
                except TelegramAPIError as problem:
                    log.info("broadcast %s: progress not shown (%s)", broadcast.id, problem)
