"""Periodic jobs (APScheduler): today, keeping petition counters equal to the true counts."""

from __future__ import annotations

import logging

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

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
    sessionmaker: async_sessionmaker[AsyncSession], cipher: PersonalDataCipher, reconcile_minutes: int
) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler()
    scheduler.add_job(
        reconcile_petition_counters,
        "interval",
        minutes=reconcile_minutes,
        args=(sessionmaker, cipher),
        id="reconcile-petition-counters",
        max_instances=1,
        coalesce=True,
    )
    return scheduler
