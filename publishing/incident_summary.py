"""Incident counts for the channel: by category (critical first) and by region, over a period.
Counts only: no description, no observer, no precinct, nothing that could identify anyone.

Categories and regions count the incidents a coordinator verified in the period; reports not yet
verified are one separate figure, so an unchecked report never reads as an established fact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.incident import IncidentSeverity
from models.tables import IncidentRow, PrecinctRow

_SEVERITY_ORDER = {
    IncidentSeverity.CRITICAL: 0,
    IncidentSeverity.MAJOR: 1,
    IncidentSeverity.MINOR: 2,
}


@dataclass(frozen=True)
class IncidentSummary:
    since: datetime | None
    until: datetime
    by_category: tuple[tuple[str, str, int], ...]  # (category, severity, count), critical first
    by_region: tuple[tuple[str, int], ...]  # (region, count), most first
    unverified: int = 0  # reported in the period, not yet verified

    @property
    def total(self) -> int:
        return sum(count for _, _, count in self.by_category)


async def incident_summary(
    session: AsyncSession, since: datetime | None, until: datetime
) -> IncidentSummary:
    period = [IncidentRow.status == "verified", IncidentRow.decided_at <= until]
    reported = [IncidentRow.status == "received", IncidentRow.created_at <= until]
    if since is not None:
        period.append(IncidentRow.decided_at > since)
        reported.append(IncidentRow.created_at > since)
    unverified = await session.scalar(
        select(func.count()).select_from(IncidentRow).where(*reported)
    )
    categories = (
        await session.execute(
            select(IncidentRow.category, IncidentRow.severity, func.count())
            .where(*period)
            .group_by(IncidentRow.category, IncidentRow.severity)
        )
    ).all()
    regions = (
        await session.execute(
            select(PrecinctRow.region, func.count())
            .select_from(IncidentRow)
            .join(PrecinctRow, PrecinctRow.id == IncidentRow.precinct_id)
            .where(*period)
            .group_by(PrecinctRow.region)
        )
    ).all()
    by_category = sorted(
        ((category, severity, int(count)) for category, severity, count in categories),
        key=lambda item: (_SEVERITY_ORDER.get(IncidentSeverity(item[1]), 3), -item[2], item[0]),
    )
    by_region = sorted(
        ((region, int(count)) for region, count in regions), key=lambda item: (-item[1], item[0])
    )
    return IncidentSummary(since, until, tuple(by_category), tuple(by_region), int(unverified or 0))
