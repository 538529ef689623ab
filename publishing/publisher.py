"""Decides what is due, composes it and writes it to the outbox: new content only, live posts
updated in place when their figures change, nothing about results before polls close, nothing
at all while coordinators have paused the channel."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from models.tables import utc_now
from publishing.compose import (
    PendingDraft,
    PublishContext,
    comparison_drafts,
    incident_drafts,
    milestone_drafts,
    tally_drafts,
)
from publishing.outbox import Draft, OutboxStatus, PostKind
from publishing.schedule import Phase, Rhythm, due_kinds, phase
from storage.channel import ChannelPostRepository, RuntimeFlagRepository
from storage.petitions import SignatureRepository

log = logging.getLogger(__name__)

PAUSE_FLAG = "channel_paused"


@dataclass
class PublishOutcome:
    phase: Phase
    paused: bool = False
    kinds: set[str] = field(default_factory=set)
    written: list[Draft] = field(default_factory=list)
    unchanged: int = 0


@dataclass
class Publisher:
    context: PublishContext
    rhythm: Rhythm
    close_at: datetime
    # When each kind was last composed by this process (posted or found unchanged), so a
    # kind whose content did not change is not recomposed on every tick.
    last_composed: dict[str, datetime] = field(default_factory=dict)

    def phase(self, now: datetime) -> Phase:
        return phase(now, self.close_at, self.rhythm.night_hours)

    async def compose(
        self, session: AsyncSession, now: datetime, *, force: bool = False, dry_run: bool = False
    ) -> PublishOutcome:
        now = now.astimezone(UTC)  # SQLite keeps no offset: everything stored is UTC
        current = self.phase(now)
        outcome = PublishOutcome(current)
        if await RuntimeFlagRepository(session).get(PAUSE_FLAG) is not None and not dry_run:
            outcome.paused = True
            return outcome
        posts = ChannelPostRepository(session)
        stored = await posts.last_created()
        last: dict[str, datetime | None] = {}
        if not force:
            for kind in PostKind:
                known = [
                    moment for moment in (stored.get(kind), self.last_composed.get(kind)) if moment
                ]
                last[kind] = max(known) if known else None
        outcome.kinds = due_kinds(now, current, self.rhythm, last)
        drafts: list[PendingDraft] = []
        if PostKind.LIVE in outcome.kinds:
            drafts += await tally_drafts(session, self.context, now, live=True)
        if PostKind.TALLY in outcome.kinds:
            drafts += await tally_drafts(session, self.context, now, live=False)
        if PostKind.COMPARISON in outcome.kinds:
            drafts += await comparison_drafts(session, self.context, now)
        if PostKind.INCIDENTS in outcome.kinds:
            drafts += await incident_drafts(
                session, self.context, stored.get(PostKind.INCIDENTS), now
            )
        if PostKind.MILESTONE in outcome.kinds and self.context.petitions:
            counts = await SignatureRepository(session).counts(list(self.context.petitions))
            announced: dict[str, set[int]] = {}
            for key in await posts.keys_with_prefix("milestone:"):
                _, slug, mark, *_ = key.split(":")
                announced.setdefault(slug, set()).add(int(mark))
            drafts += milestone_drafts(self.context, counts, announced)
        if dry_run:
            outcome.written = [pending.draft for pending in drafts]
            return outcome
        outcome.written, outcome.unchanged = await write_drafts(session, drafts, now)
        # Only a kind that had something to say counts as composed: a first tally run that found
        # no protocol must not hold back the first protocol's tally for a whole interval.
        for kind in {pending.draft.kind for pending in drafts}:
            self.last_composed[kind] = now
        return outcome


async def write_drafts(
    session: AsyncSession, drafts: list[PendingDraft], now: datetime
) -> tuple[list[Draft], int]:
    posts = ChannelPostRepository(session)
    written: list[Draft] = []
    unchanged = 0
    for pending in drafts:
        draft = pending.draft
        if draft.kind == PostKind.LIVE:
            row = await posts.by_key(draft.key or "")
            if row is not None and row.content_hash == draft.content_hash:
                unchanged += 1
                continue
            ready = pending.ready()
            if row is None:
                await posts.add(ready, now)
            else:  # figures changed: edit the message in place (or finish sending it)
                row.text, row.caption, row.chart, row.content_hash = (
                    ready.text,
                    ready.caption,
                    ready.chart,
                    ready.content_hash,
                )
                row.status = OutboxStatus.EDIT_PENDING if row.message_ids else OutboxStatus.PENDING
                row.attempts, row.next_attempt_at, row.created_at = 0, now, now
            written.append(ready)
            continue
        if draft.key is not None and await posts.by_key(draft.key) is not None:
            unchanged += 1
            continue
        if await posts.has_content(draft.chat, draft.content_hash):
            unchanged += 1
            continue
        if draft.kind == PostKind.TALLY:
            dropped = await posts.drop_unsent(PostKind.TALLY, draft.chat, before=now)
            if dropped:
                log.info(
                    "channel: %s unsent tally post(s) for %s replaced by newer figures",
                    dropped,
                    draft.chat,
                )
        ready = pending.ready()
        if await posts.add(ready, now) is not None:
            written.append(ready)
    await session.flush()
    return written, unchanged


async def pause(session: AsyncSession, by: int) -> bool:
    """True when this paused it, False when it was paused already."""
    flags = RuntimeFlagRepository(session)
    if await flags.get(PAUSE_FLAG) is not None:
        return False
    await flags.set(PAUSE_FLAG, {"by": by, "at": utc_now().isoformat()})
    return True


async def resume(session: AsyncSession) -> bool:
    flags = RuntimeFlagRepository(session)
    if await flags.get(PAUSE_FLAG) is None:
        return False
    await flags.clear(PAUSE_FLAG)
    return True


async def is_paused(session: AsyncSession) -> bool:
    return await RuntimeFlagRepository(session).get(PAUSE_FLAG) is not None
