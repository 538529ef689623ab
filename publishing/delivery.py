"""Sends what the outbox holds. Each message id is committed as soon as Telegram returns it, so
after a crash a post resumes at its next part: nothing is lost, nothing sent again (but for a
crash in the milliseconds between Telegram's answer and that commit, which no Bot API call can
make idempotent)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.tables import ChannelPostRow, utc_now
from publishing.outbox import (
    ChannelSender,
    MessageGone,
    OutboxStatus,
    Part,
    Refused,
    RetryLater,
    post_parts,
    retry_delay,
)
from storage.channel import ChannelPostRepository

log = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    sent: int = 0
    edited: int = 0
    retrying: int = 0
    failed: int = 0


async def deliver_due(
    sessionmaker: async_sessionmaker[AsyncSession],
    sender: ChannelSender,
    clock: Callable[[], datetime] = utc_now,
    limit: int = 20,
) -> DeliveryReport:
    def now() -> datetime:  # SQLite keeps no offset: everything stored is UTC
        return clock().astimezone(UTC)

    async with sessionmaker() as session:
        due = [row.id for row in await ChannelPostRepository(session).due(now(), limit)]
    report = DeliveryReport()
    for post_id in due:
        await _deliver_one(sessionmaker, sender, post_id, now, report)
    return report


async def _deliver_one(
    sessionmaker: async_sessionmaker[AsyncSession],
    sender: ChannelSender,
    post_id: int,
    clock: Callable[[], datetime],
    report: DeliveryReport,
) -> None:
    # No transaction is held open while Telegram is called (SQLite has one writer).
    async with sessionmaker() as session:
        row = await ChannelPostRepository(session).get(post_id)
        if row is None or row.status not in (OutboxStatus.PENDING, OutboxStatus.EDIT_PENDING):
            return
        parts = post_parts(row.text, row.chart, row.caption)
        editing = row.status == OutboxStatus.EDIT_PENDING
        chat, chart, done = row.chat, row.chart, list(row.message_ids)
    try:
        if editing and len(done) == len(parts):
            for part, message_id in zip(parts, done, strict=True):
                await _edit(sender, chat, message_id, part, chart)
            await _update(
                sessionmaker, post_id, status=OutboxStatus.SENT, sent_at=clock(), last_error=None
            )
            report.edited += 1
            return
        if editing:  # the post changed shape (its text outgrew the caption): post it anew
            done = []
        for part in parts[len(done) :]:
            done.append(await _send(sender, chat, part, chart))
            await _update(sessionmaker, post_id, message_ids=list(done))
        await _update(
            sessionmaker, post_id, status=OutboxStatus.SENT, sent_at=clock(), last_error=None
        )
        report.sent += 1
    except RetryLater as error:
        async with sessionmaker() as session, session.begin():
            row = await ChannelPostRepository(session).get(post_id)
            if row is not None:
                row.attempts += 1
                row.next_attempt_at = clock() + retry_delay(row.attempts, error.seconds)
                row.last_error = str(error)[:500]
        log.warning("channel post %s: will retry (%s)", post_id, error)
        report.retrying += 1
    except MessageGone:
        await _update(sessionmaker, post_id, status=OutboxStatus.PENDING, message_ids=[])
        log.warning("channel post %s: its message was deleted; posting it again", post_id)
    except Refused as error:
        await _update(
            sessionmaker, post_id, status=OutboxStatus.FAILED, last_error=str(error)[:500]
        )
        log.error("channel post %s refused by Telegram: %s", post_id, error)
        report.failed += 1


async def _send(sender: ChannelSender, chat: str, part: Part, chart: bytes | None) -> int:
    if part.kind == "photo":
        assert chart is not None
        return await sender.send_photo(chat, chart, part.text)
    return await sender.send_text(chat, part.text or "")


async def _edit(
    sender: ChannelSender, chat: str, message_id: int, part: Part, chart: bytes | None
) -> None:
    if part.kind == "photo":
        assert chart is not None
        await sender.edit_photo(chat, message_id, chart, part.text)
    else:
        await sender.edit_text(chat, message_id, part.text or "")


async def _update(
    sessionmaker: async_sessionmaker[AsyncSession], post_id: int, **values: object
) -> None:
    async with sessionmaker() as session, session.begin():
        row = await session.get(ChannelPostRow, post_id)
        if row is not None:
            for name, value in values.items():
                setattr(row, name, value)
