"""The channel outbox, the scheduler's lease and the run-time flags."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models.tables import ChannelPostRow, LeaseRow, RuntimeFlagRow, as_utc, utc_now
from publishing.outbox import Draft, OutboxStatus


class ChannelPostRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def has_content(self, chat: str, content_hash: str) -> bool:
        found = await self.session.scalar(
            select(ChannelPostRow.id).where(
                ChannelPostRow.chat == chat, ChannelPostRow.content_hash == content_hash
            )
        )
        return found is not None

    async def by_key(self, key: str) -> ChannelPostRow | None:
        return await self.session.scalar(select(ChannelPostRow).where(ChannelPostRow.key == key))

    async def add(self, draft: Draft, now: datetime) -> ChannelPostRow | None:
        """Writes the post as pending; None when the same content already went to that chat.
        A savepoint keeps the caller's transaction usable when the unique index says no."""
        row = ChannelPostRow(
            kind=draft.kind,
            key=draft.key,
            chat=draft.chat,
            text=draft.text,
            caption=draft.caption,
            chart=draft.chart,
            content_hash=draft.content_hash,
            status=OutboxStatus.PENDING,
            message_ids=[],
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        try:
            async with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError:
            return None
        return row

    async def drop_unsent(self, kind: str, chat: str, before: datetime) -> int:
        """Unsent posts of a kind are stale once a newer one is written (after a pause, say).
        A post with a part already in the channel is finished instead, never dropped."""
        result = await self.session.execute(
            select(ChannelPostRow).where(
                ChannelPostRow.kind == kind,
                ChannelPostRow.chat == chat,
                ChannelPostRow.status == OutboxStatus.PENDING,
                ChannelPostRow.created_at < before,
            )
        )
        stale = [row for row in result.scalars() if not row.message_ids]
        for row in stale:
            await self.session.delete(row)
        return len(stale)

    async def due(self, now: datetime, limit: int = 20) -> list[ChannelPostRow]:
        result = await self.session.execute(
            select(ChannelPostRow)
            .where(
                ChannelPostRow.status.in_((OutboxStatus.PENDING, OutboxStatus.EDIT_PENDING)),
                ChannelPostRow.next_attempt_at <= now,
            )
            .order_by(ChannelPostRow.id)
            .limit(limit)
        )
        return list(result.scalars())

    async def get(self, post_id: int) -> ChannelPostRow | None:
        return await self.session.get(ChannelPostRow, post_id)

    async def last_created(self) -> dict[str, datetime]:
        """When a post of each kind was last written (UTC)."""
        result = await self.session.execute(
            select(ChannelPostRow.kind, func.max(ChannelPostRow.created_at)).group_by(
                ChannelPostRow.kind
            )
        )
        return {kind: as_utc(moment) for kind, moment in result.all() if moment is not None}

    async def keys_with_prefix(self, prefix: str) -> set[str]:
        result = await self.session.execute(
            select(ChannelPostRow.key).where(ChannelPostRow.key.startswith(prefix))
        )
        return {key for key in result.scalars() if key}

    async def all(self) -> list[ChannelPostRow]:
        return list(
            (
                await self.session.execute(select(ChannelPostRow).order_by(ChannelPostRow.id))
            ).scalars()
        )


class LeaseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def try_acquire(
        self, name: str, holder: str, ttl: timedelta, now: datetime | None = None
    ) -> bool:
        """Takes or renews the lease when it is ours or has expired. One UPDATE decides between
        processes: the database serialises it, so two can never both see rowcount 1."""
        now = (now or utc_now()).astimezone(UTC)
        renewed = await self.session.execute(
            update(LeaseRow)
            .where(LeaseRow.name == name, or_(LeaseRow.holder == holder, LeaseRow.expires_at < now))
            .values(holder=holder, expires_at=now + ttl)
        )
        if renewed.rowcount:
            return True
        try:
            async with self.session.begin_nested():
                await self.session.execute(
                    insert(LeaseRow).values(name=name, holder=holder, expires_at=now + ttl)
                )
        except IntegrityError:
            return False  # somebody else holds it
        return True

    async def release(self, name: str, holder: str) -> None:
        await self.session.execute(
            delete(LeaseRow).where(LeaseRow.name == name, LeaseRow.holder == holder)
        )

    async def clear(self, name: str) -> bool:
        """Drops the lease whoever holds it: only for a holder known to be dead."""
        result = await self.session.execute(delete(LeaseRow).where(LeaseRow.name == name))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def holder(self, name: str, now: datetime | None = None) -> str | None:
        row = await self.session.get(LeaseRow, name)
        if row is None or as_utc(row.expires_at) < (now or utc_now()):
            return None
        return row.holder


class RuntimeFlagRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, name: str) -> dict[str, Any] | None:
        row = await self.session.get(RuntimeFlagRow, name)
        return None if row is None else dict(row.value)

    async def set(self, name: str, value: dict[str, Any]) -> None:
        row = await self.session.get(RuntimeFlagRow, name)
        if row is None:
            self.session.add(RuntimeFlagRow(name=name, value=value))
        else:
            row.value = value
        await self.session.flush()

    async def clear(self, name: str) -> None:
        await self.session.execute(delete(RuntimeFlagRow).where(RuntimeFlagRow.name == name))
