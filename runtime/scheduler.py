"""Periodic jobs (APScheduler): the channel (compose, deliver, the lease) and keeping petition
counters equal to the true counts."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from runtime.channel import ChannelRunner
from services.personal_data import PersonalDataCipher
from services.signatures import SignatureService
from storage.petitions import SignatureRepository
from storage.unit_of_work import unit_of_work

log = logging.getLogger(__name__)


async def reconcile_petition_counters(
    sessionmaker: async_sessionmaker[AsyncSession], cipher: PersonalDataCipher
) -> dict[str, tuple[int, int]]:
    async with unit_of_work(sessionmaker) as unit:
        drift = await SignatureService(SignatureRepository(unit.session), cipher).reconcile()
    for slug, (counted, actual) in drift.items():
        log.warning("petition %s: counter said %s, true count %s; corrected", slug, counted, actual)
    return drift


def build_scheduler(
    sessionmaker: async_sessionmaker[AsyncSession],
    cipher: PersonalDataCipher,
    reconcile_minutes: int,
    channel: ChannelRunner | None = None,
    outbox_seconds: int = 10,
    channel_posts: bool = True,
) -> AsyncIOScheduler:
    """Every process builds the same jobs; with a channel runner, each job runs only in the
    process that holds the scheduler lease (the heartbeat takes it, renews it, or takes over
    from a process that died)."""
    scheduler = AsyncIOScheduler()
    once = {"max_instances": 1, "coalesce": True}

    async def reconcile() -> None:
        if channel is None or channel.leader:
            await reconcile_petition_counters(sessionmaker, cipher)

    scheduler.add_job(
        reconcile, "interval", minutes=reconcile_minutes, id="reconcile-petition-counters", **once
    )
    if channel is not None and channel_posts:
        soon = datetime.now(UTC) + timedelta(seconds=2)
        heartbeat_seconds = max(int(channel.ttl.total_seconds() / 3), 1)
        scheduler.add_job(
            channel.heartbeat,
            "interval",
            seconds=heartbeat_seconds,
            id="scheduler-lease",
            next_run_time=soon,
            **once,
        )
        scheduler.add_job(
            _logged(channel.tick),
            "interval",
            seconds=60,
            id="channel-compose",
            next_run_time=soon + timedelta(seconds=1),
            **once,
        )
        scheduler.add_job(
            _logged(channel.deliver),
            "interval",
            seconds=outbox_seconds,
            id="channel-deliver",
            **once,
        )
    return scheduler


def _logged(job: Callable[[], Awaitable[object]]) -> Callable[[], Awaitable[None]]:
    """A failing run is logged with its traceback and the next run tries again."""

    @functools.wraps(job)
    async def run() -> None:
        try:
            await job()
        except Exception:
            log.exception("scheduled job %s failed", getattr(job, "__name__", job))

    return run
