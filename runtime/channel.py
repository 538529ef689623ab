"""The channel at run time: the Bot API behind the outbox's sender interface, and the
publishing loop one process runs (the holder of the scheduler lease)."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import BufferedInputFile, InputMediaPhoto
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.tables import utc_now
from publishing.delivery import DeliveryReport, deliver_due
from publishing.outbox import MessageGone, Refused, RetryLater
from publishing.publisher import Publisher, PublishOutcome, is_paused
from storage.channel import LeaseRepository

log = logging.getLogger(__name__)

SCHEDULER_LEASE = "scheduler"


class BotChannelSender:
    """Bot API calls for the outbox, their failures sorted into retry, resend or give up. The
    bot's own retry middleware has already waited out short 429s and retried 5xx by then."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send_photo(self, chat: str, photo: bytes, caption: str | None) -> int:
        file = BufferedInputFile(photo, filename="tally.png")
        return (await self._call(self.bot.send_photo(chat, file, caption=caption))).message_id

    async def send_text(self, chat: str, text: str) -> int:
        return (await self._call(self.bot.send_message(chat, text))).message_id

    async def edit_photo(
        self, chat: str, message_id: int, photo: bytes, caption: str | None
    ) -> None:
        media = InputMediaPhoto(
            media=BufferedInputFile(photo, filename="tally.png"), caption=caption
        )
        await self._call(
            self.bot.edit_message_media(media, chat_id=chat, message_id=message_id), editing=True
        )

    async def edit_text(self, chat: str, message_id: int, text: str) -> None:
        await self._call(
            self.bot.edit_message_text(text, chat_id=chat, message_id=message_id), editing=True
        )

    @staticmethod
    async def _call(request, editing: bool = False):
        try:
            return await request
        except TelegramRetryAfter as error:
            raise RetryLater(str(error), float(error.retry_after)) from error
        except (TelegramServerError, TelegramNetworkError) as error:
            raise RetryLater(str(error)) from error
        except TelegramBadRequest as error:
            text = str(error).lower()
            if editing and "not modified" in text:
                return None  # already shows this: done
            if editing and ("not found" in text or "can't be edited" in text):
                raise MessageGone(str(error)) from error
            raise Refused(str(error)) from error
        except TelegramAPIError as error:  # forbidden: not an admin of the channel, kicked
            raise Refused(str(error)) from error


def process_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass
class ChannelRunner:
    """What the scheduler's jobs call. Every job first makes sure this process holds the lease:
    of several processes exactly one publishes; if it dies, its lease expires within `ttl` and
    the next heartbeat of another process takes over."""

    sessionmaker: async_sessionmaker[AsyncSession]
    publisher: Publisher
    sender: BotChannelSender
    clock: Callable[[], datetime] = utc_now
    ttl: timedelta = timedelta(seconds=60)
    holder: str = field(default_factory=process_name)
    leader: bool = False

    async def heartbeat(self) -> bool:
        async with self.sessionmaker() as session, session.begin():
            leader = await LeaseRepository(session).try_acquire(
                SCHEDULER_LEASE, self.holder, self.ttl, self.clock()
            )
        if leader != self.leader:
            log.info("scheduler lease %s by %s", "taken" if leader else "lost", self.holder)
        self.leader = leader
        return leader

    async def release(self) -> None:
        async with self.sessionmaker() as session, session.begin():
            await LeaseRepository(session).release(SCHEDULER_LEASE, self.holder)
        self.leader = False

    async def tick(self, force: bool = False) -> PublishOutcome | None:
        """Composes what is due; then sends. None when another process holds the lease."""
        if not await self.heartbeat():
            return None
        async with self.sessionmaker() as session, session.begin():
            outcome = await self.publisher.compose(session, self.clock(), force=force)
        if outcome.written:
            log.info(
                "channel: %s new or changed post(s): %s",
                len(outcome.written),
                sorted({d.kind for d in outcome.written}),
            )
        if not outcome.paused:
            await self.deliver()
        return outcome

    async def deliver(self) -> DeliveryReport | None:
        if not self.leader:
            return None
        async with self.sessionmaker() as session:
            if await is_paused(session):
                return None
        return await deliver_due(self.sessionmaker, self.sender, self.clock)
