"""Incident reports: categories, the time of an incident, storing, and merging repeats."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta, tzinfo
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.incident import IncidentCatalog
from models.tables import IncidentRow, utc_now
from services.data_files import load_toml_model
from services.personal_data import PersonalDataCipher

MAX_DESCRIPTION = 2000
# The same observer, precinct and category within this window is probably one incident.
REPEAT_WINDOW = timedelta(minutes=10)
_CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.\s]([0-5]\d)$")


def load_incident_catalog(path: Path) -> IncidentCatalog:
    return load_toml_model(path, IncidentCatalog, slug_field=None)


class TimeRejected(ValueError):
    """Not HH:MM, or later than now."""


def parse_incident_time(typed: str, now: datetime, zone: tzinfo) -> datetime:
    """HH:MM (or HH.MM) today, local time; refused if in the future."""
    match = _CLOCK.match(typed.strip())
    if match is None:
        raise TimeRejected("format")
    local_now = now.astimezone(zone)
    moment = datetime.combine(local_now.date(), time(int(match[1]), int(match[2])), tzinfo=zone)
    if moment > local_now + timedelta(minutes=1):
        raise TimeRejected("future")
    return moment


class IncidentService:
    def __init__(self, session: AsyncSession, cipher: PersonalDataCipher) -> None:
        self.session = session
        self.cipher = cipher

    async def recent_repeat(
        self, observer_id: int, precinct_id: int, category: str
    ) -> IncidentRow | None:
        result = await self.session.execute(
            select(IncidentRow)
            .where(
                IncidentRow.observer_id == observer_id,
                IncidentRow.precinct_id == precinct_id,
                IncidentRow.category == category,
                IncidentRow.created_at >= utc_now() - REPEAT_WINDOW,
            )
            .order_by(IncidentRow.created_at.desc())
            .limit(1)
        )
        return result.scalar_one_or_none()

    async def report(
        self,
        observer_id: int,
        precinct_id: int,
        category: str,
        severity: str,
        occurred_at: datetime,
        description: str,
        evidence: list[dict],
        location: tuple[float, float] | None,
    ) -> IncidentRow:
        row = IncidentRow(
            observer_id=observer_id,
            precinct_id=precinct_id,
            category=category,
            severity=severity,
            occurred_at=occurred_at,
            description_encrypted=self.cipher.encrypt(description),
            evidence=list(evidence),
            latitude=location[0] if location else None,
            longitude=location[1] if location else None,
            status="received",
        )
        self.session.add(row)
        await self.session.flush()
        return row

    async def merge(self, incident_id: int, description: str, evidence: list[dict]) -> IncidentRow:
        """Adds a repeat report to the earlier one: its text appended, its evidence added."""
        row = await self.session.get(IncidentRow, incident_id)
        if row is None:
            raise LookupError(incident_id)
        earlier = self.cipher.decrypt(row.description_encrypted)
        row.description_encrypted = self.cipher.encrypt(f"{earlier}\n---\n{description}")
        row.evidence = [*row.evidence, *evidence]
        await self.session.flush()
        return row

    async def of_observer(self, observer_id: int) -> list[IncidentRow]:
        result = await self.session.execute(
            select(IncidentRow)
            .where(IncidentRow.observer_id == observer_id)
            .order_by(IncidentRow.created_at)
        )
        return list(result.scalars())

    async def add_correction(self, observer_id: int, incident_id: int, text: str) -> bool:
        """An observer's later addition to their own report: appended, never replacing."""
        row = await self.session.get(IncidentRow, incident_id)
        if row is None or row.observer_id != observer_id:
            return False
        await self.merge(incident_id, text, [])
        return True

    async def description(self, row: IncidentRow) -> str:
        return self.cipher.decrypt(row.description_encrypted)

    async def forget_observer(self, observer_id: int) -> None:
        """/forget: reports stay for the record of the election, unlinked, without text, without
        the chat their evidence was sent in and without the exact place."""
        for row in (
            await self.session.execute(
                select(IncidentRow).where(IncidentRow.observer_id == observer_id)
            )
        ).scalars():
            row.observer_id = None
            row.description_encrypted = self.cipher.encrypt("")
            # The evidence stays as files; the messages (in their chat) and the exact place go.
            row.evidence = [
                {key: value for key, value in item.items() if key not in ("chat_id", "message_id")}
                for item in row.evidence
            ]
            row.latitude = row.longitude = None
        await self.session.flush()
