"""The message outbox: messages to people (coordinators' alerts, broadcasts to observers) are
written in the transaction that decided them and sent afterwards, at a pace Telegram accepts.

Rows move pending → sending → sent | blocked | failed. Any process may send: a row is claimed by
one conditional UPDATE, so two processes never send the same row; a row left "sending" by a
process that died is claimed again after a while (it may then repeat one message, as no Bot API
call can be made idempotent).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.tables import (
    BroadcastRow,
    ObserverPrecinctRow,
    ObserverRow,
    OutgoingMessageRow,
    PrecinctRow,
    ProtocolRow,
    UserRow,
    utc_now,
)

STALE_CLAIM = timedelta(minutes=2)
MAX_ATTEMPTS = 12


class OutgoingKind(StrEnum):
    ALERT = "alert"  # to coordinators: sent at once, before the update is over
    BROADCAST = "broadcast"


class OutgoingStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    BLOCKED = "blocked"
    FAILED = "failed"


def queue_message(
    session: AsyncSession,
    chat_id: int,
    text: str,
    *,
    reply_markup: dict[str, Any] | None = None,
    copies: Sequence[dict[str, Any]] = (),
    kind: OutgoingKind = OutgoingKind.ALERT,
    broadcast_id: int | None = None,
) -> OutgoingMessageRow:
    row = OutgoingMessageRow(
        kind=kind.value,
        chat_id=chat_id,
        text=text,
        reply_markup=reply_markup,
        copies=list(copies),
        broadcast_id=broadcast_id,
        status=OutgoingStatus.PENDING.value,
        attempts=0,
        next_attempt_at=utc_now(),
    )
    session.add(row)
    return row


class CoordinatorAlerts:
    """Alerts to the coordinators' chat, or to each coordinator privately when there is no chat,
    written to the outbox in the update's own transaction: sent once the update commits (the
    ids gathered in `queued` are sent before the update counts as handled), and a crash or a
    Telegram outage in between loses nothing (the outbox retries)."""

    def __init__(self, session: AsyncSession, targets: Sequence[int], queued: list[int]) -> None:
        self.session = session
        self.targets = list(targets)
        self.queued = queued

    async def queue(
        self,
        text: str,
        reply_markup: dict[str, Any] | None = None,
        copies: Sequence[dict[str, Any]] = (),
    ) -> list[int]:
        """`copies`: messages (evidence) copied after the text. Returns the chats reached."""
        for target in self.targets:
            row = queue_message(
                self.session, target, text, reply_markup=reply_markup, copies=copies
            )
            await self.session.flush()
            self.queued.append(row.id)
        return self.targets


async def claim(session: AsyncSession, row_id: int, now: datetime) -> bool:
    """Takes one row for sending, unless another process took it first."""
    result = await session.execute(
        update(OutgoingMessageRow)
        .where(
            OutgoingMessageRow.id == row_id,
            or_(
                OutgoingMessageRow.status == OutgoingStatus.PENDING.value,
                (OutgoingMessageRow.status == OutgoingStatus.SENDING.value)
                & (OutgoingMessageRow.claimed_at < now - STALE_CLAIM),
            ),
        )
        .values(
            status=OutgoingStatus.SENDING.value,
            claimed_at=now,
            attempts=OutgoingMessageRow.attempts + 1,
        )
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


async def release_claims(session: AsyncSession) -> int:
    """Puts every row being sent back in the queue. Only for a process that knows no other one
    sends (one bot per SQLite file): rows left "sending" were claimed by a process that died,
    and need not wait STALE_CLAIM to go out. Returns how many."""
    result = await session.execute(
        update(OutgoingMessageRow)
        .where(OutgoingMessageRow.status == OutgoingStatus.SENDING.value)
        .values(status=OutgoingStatus.PENDING.value, next_attempt_at=utc_now())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def due_ids(
    session: AsyncSession, now: datetime, limit: int, kinds: Iterable[OutgoingKind] | None = None
) -> list[int]:
    """Rows to send now, oldest first (and rows a dead process left half-sent)."""
    query = select(OutgoingMessageRow.id).where(
        or_(
            (OutgoingMessageRow.status == OutgoingStatus.PENDING.value)
            & (OutgoingMessageRow.next_attempt_at <= now),
            (OutgoingMessageRow.status == OutgoingStatus.SENDING.value)
            & (OutgoingMessageRow.claimed_at < now - STALE_CLAIM),
        )
    )
    if kinds is not None:
        query = query.where(OutgoingMessageRow.kind.in_([kind.value for kind in kinds]))
    return list(
        (await session.execute(query.order_by(OutgoingMessageRow.id).limit(limit))).scalars()
    )


async def finish(
    session: AsyncSession,
    row_id: int,
    status: OutgoingStatus,
    error: str | None = None,
    retry_at: datetime | None = None,
) -> None:
    """Records how a send ended; a retry goes back to pending unless attempts are used up."""
    row = await session.get(OutgoingMessageRow, row_id)
    if row is None:
        return
    if status is OutgoingStatus.PENDING and row.attempts >= MAX_ATTEMPTS:
        status = OutgoingStatus.FAILED
    row.status = status.value
    row.last_error = error[:500] if error else None
    if status is OutgoingStatus.SENT:
        row.sent_at = utc_now()
    if status is not OutgoingStatus.PENDING:
        # Alerts quote names, phones and descriptions: once delivered (or given up), the outbox
        # keeps that it was sent, not what it said.
        row.text, row.reply_markup, row.copies = "", None, []
    if retry_at is not None:
        row.next_attempt_at = retry_at


# --- broadcasts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Audience:
    """Who a broadcast goes to: every approved observer, those of a region, of some precinct
    numbers, or those who have not yet sent a protocol for a level."""

    kind: str  # all | region | precincts | missing
    region: str | None = None
    numbers: tuple[int, ...] = ()
    level: str | None = None
    election: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "region": self.region,
            "numbers": list(self.numbers),
            "level": self.level,
            "election": self.election,
        }


async def audience_ids(session: AsyncSession, audience: Audience) -> list[int]:
    """The Telegram ids of the approved observers in the audience, each once."""
    query = (
        select(ObserverRow.telegram_id)
        .join(ObserverPrecinctRow, ObserverPrecinctRow.telegram_id == ObserverRow.telegram_id)
        .join(PrecinctRow, PrecinctRow.id == ObserverPrecinctRow.precinct_id)
        .where(ObserverRow.status == "approved")
    )
    if audience.kind == "region":
        query = query.where(PrecinctRow.region == audience.region)
    elif audience.kind == "precincts":
        query = query.where(PrecinctRow.number.in_(audience.numbers))
    elif audience.kind == "missing":
        sent = select(ProtocolRow.precinct_id).where(
            ProtocolRow.election == audience.election, ProtocolRow.level == audience.level
        )
        query = query.where(ObserverPrecinctRow.precinct_id.not_in(sent))
    return sorted(set((await session.execute(query)).scalars()))


async def recipient_languages(session: AsyncSession, ids: Sequence[int]) -> dict[int, str | None]:
    """Each recipient's chosen language (None: not chosen yet)."""
    languages: dict[int, str | None] = {}
    for start in range(0, len(ids), 1000):  # bounded IN lists
        rows = await session.execute(
            select(UserRow.telegram_id, UserRow.language).where(
                UserRow.telegram_id.in_(ids[start : start + 1000])
            )
        )
        languages.update(dict(rows.all()))
    return languages


async def create_broadcast(
    session: AsyncSession,
    coordinator_id: int,
    audience: Audience,
    texts: dict[int, str],
    reply_markup: dict[str, Any] | None,
    source_text: str,
) -> BroadcastRow:
    """One broadcast and a pending row per recipient (`texts`: id → the message in their
    language), all in the caller's transaction."""
    broadcast = BroadcastRow(
        created_by=coordinator_id,
        audience=audience.as_json(),
        text=source_text,
        recipients=len(texts),
    )
    session.add(broadcast)
    await session.flush()
    now = utc_now()
    session.add_all(
        OutgoingMessageRow(
            kind=OutgoingKind.BROADCAST.value,
            chat_id=chat_id,
            text=text,
            reply_markup=reply_markup,
            copies=[],
            broadcast_id=broadcast.id,
            status=OutgoingStatus.PENDING.value,
            attempts=0,
            next_attempt_at=now,
        )
        for chat_id, text in texts.items()
    )
    await session.flush()
    return broadcast


@dataclass(frozen=True)
class BroadcastProgress:
    total: int
    sent: int
    blocked: int
    failed: int

    @property
    def done(self) -> int:
        return self.sent + self.blocked + self.failed

    @property
    def finished(self) -> bool:
        return self.done >= self.total


async def broadcast_progress(session: AsyncSession, broadcast_id: int) -> BroadcastProgress:
    counts = dict(
        (
            await session.execute(
                select(OutgoingMessageRow.status, func.count())
                .where(OutgoingMessageRow.broadcast_id == broadcast_id)
                .group_by(OutgoingMessageRow.status)
            )
        ).all()
    )
    total = sum(int(count) for count in counts.values())
    return BroadcastProgress(
        total,
        int(counts.get("sent", 0)),
        int(counts.get("blocked", 0)),
        int(counts.get("failed", 0)),
    )
