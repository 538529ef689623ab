"""What counts for a precinct and level (NDI Apollo's master record).

Several observers may send the same precinct's protocol, each possibly in several versions. The
counted figures come from each observer's latest copy that was not rejected: where they agree
(and each passes the hard checks or was verified), those figures count; where they differ, the
precinct is in conflict and counts only once a coordinator picks a copy or corrects a figure.
A coordinator's figures hold until a copy sent after them says something else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models.tables import PrecinctResultRow, ProtocolRow, as_utc, utc_now


class ResultStatus(StrEnum):
    COUNTED = "counted"
    FLAGGED = "flagged"  # a copy fails a hard check and no coordinator verified it
    CONFLICT = "conflict"  # observers' copies differ (or differ from a coordinator's figures)
    REJECTED = "rejected"  # every copy was rejected


@dataclass(frozen=True)
class Copy:
    """One observer's latest version."""

    protocol_id: int
    observer_id: int | None
    version: int
    figures: Mapping[str, Any]
    status: str
    hard_checks_pass: bool
    created_at: datetime

    @property
    def countable(self) -> bool:
        return self.status == "verified" or (self.status != "rejected" and self.hard_checks_pass)


@dataclass(frozen=True)
class MasterRecord:
    status: ResultStatus
    figures: dict[str, Any] | None


def latest_copies(rows: Iterable[ProtocolRow]) -> list[Copy]:
    """Each observer's latest version (an erased observer's copies count as one observer's)."""
    latest: dict[int | None, ProtocolRow] = {}
    for row in rows:
        kept = latest.get(row.observer_id)
        if kept is None or row.version > kept.version:
            latest[row.observer_id] = row
    return sorted(
        (
            Copy(
                row.id,
                row.observer_id,
                row.version,
                row.figures,
                row.status,
                row.hard_checks_pass,
                as_utc(row.created_at),
            )
            for row in latest.values()
        ),
        key=lambda copy: copy.version,
    )


def master_record(
    copies: Sequence[Copy],
    override: Mapping[str, Any] | None = None,
    override_at: datetime | None = None,
) -> MasterRecord:
    live = [copy for copy in copies if copy.status != "rejected"]
    if override is not None:
        later = [copy for copy in live if override_at is None or copy.created_at > override_at]
        if all(dict(copy.figures) == dict(override) for copy in later):
            return MasterRecord(ResultStatus.COUNTED, dict(override))
        return MasterRecord(ResultStatus.CONFLICT, None)
    if not live:
        return MasterRecord(ResultStatus.REJECTED, None)
    if len({tuple(sorted(copy.figures.items())) for copy in live}) > 1:
        return MasterRecord(ResultStatus.CONFLICT, None)
    if not all(copy.countable for copy in live):
        return MasterRecord(ResultStatus.FLAGGED, None)
    return MasterRecord(ResultStatus.COUNTED, dict(live[-1].figures))


async def case_protocols(
    session: AsyncSession, election: str, level: str, precinct_id: int
) -> list[ProtocolRow]:
    result = await session.execute(
        select(ProtocolRow)
        .where(
            ProtocolRow.election == election,
            ProtocolRow.level == level,
            ProtocolRow.precinct_id == precinct_id,
        )
        .order_by(ProtocolRow.version)
    )
    return list(result.scalars())


async def refresh_precinct_result(
    session: AsyncSession, election: str, level: str, precinct_id: int
) -> PrecinctResultRow:
    """Recomputes the master record after a new copy or a coordinator's decision, in the same
    transaction, so the tally never sees one without the other."""
    copies = latest_copies(await case_protocols(session, election, level, precinct_id))
    row = await session.get(PrecinctResultRow, (election, level, precinct_id))
    if row is None:
        row = PrecinctResultRow(
            election=election, level=level, precinct_id=precinct_id, status="", since=utc_now()
        )
        try:
            async with session.begin_nested():
                session.add(row)
        except IntegrityError:  # another process created it a moment ago: update that one
            row = await session.get(
                PrecinctResultRow, (election, level, precinct_id), populate_existing=True
            )
            assert row is not None
    record = master_record(
        copies, row.override, as_utc(row.override_at) if row.override_at else None
    )
    if record.status.value != row.status and record.status is not ResultStatus.COUNTED:
        row.since = utc_now()  # a new case for the queue, oldest first
    row.status = record.status.value
    row.figures = record.figures
    await session.flush()
    return row
