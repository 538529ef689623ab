"""Coordinators' decisions: the queues, and verifying, rejecting, picking and correcting
protocols; verifying and rejecting incidents. Every decision is written to the audit log with
who made it, and the precinct's master record is recomputed in the same transaction.

Who may decide is checked by the caller against configuration (callback data can be forged);
these functions check that what is decided on exists and is still open.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.tables import (
    AuditLogRow,
    IncidentRow,
    ObserverRow,
    PrecinctResultRow,
    PrecinctRow,
    ProtocolRow,
    utc_now,
)
from services.personal_data import PersonalDataCipher
from services.precinct_results import Copy, ResultStatus, case_protocols, latest_copies, refresh_precinct_result

PAGE_SIZE = 8
MAX_NOTE = 500


class Queue(StrEnum):
    FLAGGED = "flagged"
    CONFLICT = "conflict"
    INCIDENTS = "incidents"
    OBSERVERS = "observers"


class DecisionRefused(ValueError):
    """The item is gone or already decided (another coordinator was faster)."""


@dataclass(frozen=True)
class QueueCounts:
    flagged: int
    conflict: int
    incidents: int
    observers: int


@dataclass(frozen=True)
class CaseItem:
    """A queue line: one precinct and level waiting for a coordinator."""

    election: str
    level: str
    precinct_id: int
    number: int
    region: str
    status: str


@dataclass(frozen=True)
class Case:
    """Everything a coordinator needs to decide one precinct and level."""

    election: str
    level: str
    precinct: PrecinctRow
    result: PrecinctResultRow | None
    copies: list[Copy]  # each observer's latest version, oldest first
    protocols: dict[int, ProtocolRow]  # the rows behind the copies, by id
    reasons: dict[int, str]  # the observer's reason for keeping a hard mismatch, by protocol id


def _audit(session: AsyncSession, coordinator_id: int, action: str, detail: dict[str, Any]) -> None:
    session.add(AuditLogRow(actor=f"coordinator:{coordinator_id}", action=action, detail=detail))


async def queue_counts(session: AsyncSession, election: str) -> QueueCounts:
    statuses = dict(
        (
            await session.execute(
                select(PrecinctResultRow.status, func.count())
                .where(PrecinctResultRow.election == election)
                .group_by(PrecinctResultRow.status)
            )
        ).all()
    )
    incidents = await session.scalar(select(func.count()).select_from(IncidentRow).where(IncidentRow.status == "received"))
    observers = await session.scalar(select(func.count()).select_from(ObserverRow).where(ObserverRow.status == "pending"))
    return QueueCounts(
        flagged=int(statuses.get(ResultStatus.FLAGGED.value, 0)),
        conflict=int(statuses.get(ResultStatus.CONFLICT.value, 0)),
        incidents=int(incidents or 0),
        observers=int(observers or 0),
    )


async def case_queue(
    session: AsyncSession, election: str, status: ResultStatus, *, level: str | None = None,
    region: str | None = None, offset: int = 0, limit: int = PAGE_SIZE,
) -> tuple[list[CaseItem], int]:
    """One page of a queue, oldest case first, and how many there are in all."""
    conditions = [PrecinctResultRow.election == election, PrecinctResultRow.status == status.value]
    if level is not None:
        conditions.append(PrecinctResultRow.level == level)
    if region is not None:
        conditions.append(PrecinctRow.region == region)
    joined = select(PrecinctResultRow, PrecinctRow).join(PrecinctRow, PrecinctRow.id == PrecinctResultRow.precinct_id)
    total = await session.scalar(
        select(func.count()).select_from(PrecinctResultRow).join(PrecinctRow, PrecinctRow.id == PrecinctResultRow.precinct_id)
        .where(*conditions)
    )  # fmt: skip
    rows = await session.execute(
        joined.where(*conditions)
        .order_by(PrecinctResultRow.since, PrecinctRow.number)
        .offset(offset)
        .limit(limit)
    )
    items = [
        CaseItem(result.election, result.level, result.precinct_id, precinct.number, precinct.region, result.status)
        for result, precinct in rows.all()
    ]
    return items, int(total or 0)


async def load_case(
    session: AsyncSession, cipher: PersonalDataCipher, election: str, level: str, precinct_id: int
) -> Case | None:
    precinct = await session.get(PrecinctRow, precinct_id)
    if precinct is None:
        return None
    rows = await case_protocols(session, election, level, precinct_id)
    if not rows:
        return None
    copies = latest_copies(rows)
    by_id = {row.id: row for row in rows}
    reasons = {
        copy.protocol_id: cipher.decrypt(by_id[copy.protocol_id].reason_encrypted)  # type: ignore[arg-type]
        for copy in copies
        if by_id[copy.protocol_id].reason_encrypted
    }
    result = await session.get(PrecinctResultRow, (election, level, precinct_id))
    return Case(election, level, precinct, result, copies, {copy.protocol_id: by_id[copy.protocol_id] for copy in copies}, reasons)


async def _open_protocol(session: AsyncSession, protocol_id: int) -> ProtocolRow:
    """A protocol that is some observer's latest copy (an older version is history, not a case)."""
    row = await session.get(ProtocolRow, protocol_id)
    if row is None:
        raise DecisionRefused("no such protocol")
    copies = latest_copies(await case_protocols(session, row.election, row.level, row.precinct_id))
    if protocol_id not in {copy.protocol_id for copy in copies}:
        raise DecisionRefused("a newer version exists")
    return row


async def verify_protocol(session: AsyncSession, protocol_id: int, coordinator_id: int) -> PrecinctResultRow:
    """The copy is right as the observer sent it: it counts (unless another copy differs)."""
    row = await _open_protocol(session, protocol_id)
    if row.status == "verified":
        raise DecisionRefused("already verified")
    previous = row.status
    row.status, row.decided_by, row.decided_at = "verified", coordinator_id, utc_now()
    _audit(session, coordinator_id, "verify-protocol", {"protocol": row.id, "was": previous})
    return await refresh_precinct_result(session, row.election, row.level, row.precinct_id)


async def reject_protocol(
    session: AsyncSession, cipher: PersonalDataCipher, protocol_id: int, coordinator_id: int, reason: str
) -> PrecinctResultRow:
    """The copy must not count (a wrong photo, a forged or unreadable copy)."""
    row = await _open_protocol(session, protocol_id)
    if row.status == "rejected":
        raise DecisionRefused("already rejected")
    reason = reason.strip()[:MAX_NOTE]
    row.status, row.decided_by, row.decided_at = "rejected", coordinator_id, utc_now()
    row.decision_note_encrypted = cipher.encrypt(reason) if reason else None
    _audit(session, coordinator_id, "reject-protocol", {"protocol": row.id, "reason": reason})
    return await refresh_precinct_result(session, row.election, row.level, row.precinct_id)


async def _set_override(
    session: AsyncSession, cipher: PersonalDataCipher, election: str, level: str, precinct_id: int,
    figures: dict[str, Any], coordinator_id: int, reason: str,
) -> PrecinctResultRow:
    result = await session.get(PrecinctResultRow, (election, level, precinct_id))
    if result is None:
        raise DecisionRefused("no protocol for this precinct and level")
    result.override = dict(figures)
    result.override_by = coordinator_id
    result.override_at = utc_now()
    result.override_reason_encrypted = cipher.encrypt(reason) if reason else None
    await session.flush()
    return await refresh_precinct_result(session, election, level, precinct_id)


async def pick_copy(
    session: AsyncSession, cipher: PersonalDataCipher, protocol_id: int, coordinator_id: int
) -> PrecinctResultRow:
    """Of observers' differing copies, this one is right: its figures count."""
    row = await _open_protocol(session, protocol_id)
    if row.status == "rejected":
        raise DecisionRefused("a rejected copy cannot be picked")
    row.status, row.decided_by, row.decided_at = "verified", coordinator_id, utc_now()
    _audit(session, coordinator_id, "pick-protocol", {"protocol": row.id, "figures": dict(row.figures)})
    return await _set_override(
        session, cipher, row.election, row.level, row.precinct_id, dict(row.figures), coordinator_id, f"protocol {row.id}"
    )


async def correct_figure(
    session: AsyncSession, cipher: PersonalDataCipher, election: str, level: str, precinct_id: int,
    key: str, value: int, coordinator_id: int, reason: str,
) -> PrecinctResultRow:
    """A coordinator's own figure for one line (from the photo, or a call to the observer).
    Kept as an override with who and why; the observers' copies stay as they sent them."""
    if value < 0:
        raise DecisionRefused("a figure is not negative")
    result = await session.get(PrecinctResultRow, (election, level, precinct_id))
    if result is None:
        raise DecisionRefused("no protocol for this precinct and level")
    copies = latest_copies(await case_protocols(session, election, level, precinct_id))
    live = [copy for copy in copies if copy.status != "rejected"] or copies
    base = dict(result.override or result.figures or live[-1].figures)
    if key not in base:
        raise DecisionRefused(f"no line {key}")
    before = base[key]
    base[key] = value
    _audit(
        session, coordinator_id, "correct-figure",
        {"election": election, "level": level, "precinct": precinct_id, "key": key, "from": before, "to": value,
         "reason": reason.strip()[:MAX_NOTE]},
    )  # fmt: skip
    return await _set_override(session, cipher, election, level, precinct_id, base, coordinator_id, reason.strip()[:MAX_NOTE])


# --- incidents -------------------------------------------------------------------------------


async def incident_queue(
    session: AsyncSession, *, region: str | None = None, offset: int = 0, limit: int = PAGE_SIZE
) -> tuple[list[tuple[IncidentRow, PrecinctRow]], int]:
    """Incidents to verify, critical first, then oldest first."""
    conditions = [IncidentRow.status == "received"]
    if region is not None:
        conditions.append(PrecinctRow.region == region)
    base = select(IncidentRow, PrecinctRow).join(PrecinctRow, PrecinctRow.id == IncidentRow.precinct_id).where(*conditions)
    total = await session.scalar(select(func.count()).select_from(base.subquery()))
    critical_first = (IncidentRow.severity != "critical").asc()
    rows = await session.execute(base.order_by(critical_first, IncidentRow.created_at).offset(offset).limit(limit))
    return [(incident, precinct) for incident, precinct in rows.all()], int(total or 0)


async def decide_incident(session: AsyncSession, incident_id: int, coordinator_id: int, verified: bool) -> IncidentRow:
    row = await session.get(IncidentRow, incident_id)
    if row is None:
        raise DecisionRefused("no such incident")
    status = "verified" if verified else "rejected"
    if row.status == status:
        raise DecisionRefused(f"already {status}")
    previous = row.status
    row.status, row.decided_by, row.decided_at = status, coordinator_id, utc_now()
    _audit(session, coordinator_id, f"{'verify' if verified else 'reject'}-incident", {"incident": row.id, "was": previous})
    await session.flush()
    return row
