"""Coordinators' decisions: the queues, and verifying, rejecting, picking and correcting
protocols; verifying and rejecting incidents. Every decision is written to the audit log with
who made it, and the precinct's master record is recomputed in the same transaction.

Who may decide is checked by the caller against configuration (callback data can be forged);
these functions check that what is decided on exists and is still open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.tables import (
    AuditLogRow,
    IncidentRow,
    ObserverPrecinctRow,
    ObserverRow,
    PrecinctResultRow,
    PrecinctRow,
    ProtocolRow,
    utc_now,
)
from services.personal_data import PersonalDataCipher
from services.precinct_results import (
    Copy,
    ResultStatus,
    case_protocols,
    latest_copies,
    refresh_precinct_result,
)

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
    # Each copy's observer's previous version, where there is one (by the copy's protocol id).
    earlier: dict[int, ProtocolRow] = field(default_factory=dict)


def audit(session: AsyncSession, coordinator_id: int, action: str, detail: dict[str, Any]) -> None:
    """A coordinator's decision or view of personal data, on the record."""
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
    incidents = await session.scalar(
        select(func.count()).select_from(IncidentRow).where(IncidentRow.status == "received")
    )
    observers = await session.scalar(
        select(func.count()).select_from(ObserverRow).where(ObserverRow.status == "pending")
    )
    return QueueCounts(
        flagged=int(statuses.get(ResultStatus.FLAGGED.value, 0)),
        conflict=int(statuses.get(ResultStatus.CONFLICT.value, 0)),
        incidents=int(incidents or 0),
        observers=int(observers or 0),
    )


async def case_queue(
    session: AsyncSession,
    election: str,
    status: ResultStatus,
    *,
    level: str | None = None,
    region: str | None = None,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> tuple[list[CaseItem], int]:
    """One page of a queue, oldest case first, and how many there are in all."""
    conditions = [PrecinctResultRow.election == election, PrecinctResultRow.status == status.value]
    if level is not None:
        conditions.append(PrecinctResultRow.level == level)
    if region is not None:
        conditions.append(PrecinctRow.region == region)
    joined = select(PrecinctResultRow, PrecinctRow).join(
        PrecinctRow, PrecinctRow.id == PrecinctResultRow.precinct_id
    )
    total = await session.scalar(
        select(func.count())
        .select_from(PrecinctResultRow)
        .join(PrecinctRow, PrecinctRow.id == PrecinctResultRow.precinct_id)
        .where(*conditions)
    )
    rows = await session.execute(
        joined.where(*conditions)
        .order_by(PrecinctResultRow.since, PrecinctRow.number)
        .offset(offset)
        .limit(limit)
    )
    items = [
        CaseItem(
            result.election,
            result.level,
            result.precinct_id,
            precinct.number,
            precinct.region,
            result.status,
        )
        for result, precinct in rows.all()
    ]
    return items, int(total or 0)


async def case_regions(
    session: AsyncSession, election: str, status: ResultStatus, level: str | None
) -> dict[str, int]:
    """Regions with cases in a queue, and how many: the region filter offers only these."""
    conditions = [PrecinctResultRow.election == election, PrecinctResultRow.status == status.value]
    if level is not None:
        conditions.append(PrecinctResultRow.level == level)
    rows = await session.execute(
        select(PrecinctRow.region, func.count())
        .select_from(PrecinctResultRow)
        .join(PrecinctRow, PrecinctRow.id == PrecinctResultRow.precinct_id)
        .where(*conditions)
        .group_by(PrecinctRow.region)
    )
    return {region: int(count) for region, count in rows.all()}


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
    earlier = {}
    for copy in copies:
        previous = [
            row
            for row in rows
            if row.observer_id == copy.observer_id and row.version < copy.version
        ]
        if previous:
            earlier[copy.protocol_id] = max(previous, key=lambda row: row.version)
    result = await session.get(PrecinctResultRow, (election, level, precinct_id))
    protocols = {copy.protocol_id: by_id[copy.protocol_id] for copy in copies}
    return Case(election, level, precinct, result, copies, protocols, reasons, earlier)


async def _open_protocol(session: AsyncSession, protocol_id: int) -> ProtocolRow:
    """A protocol that is some observer's latest copy (an older version is history, not a case)."""
    row = await session.get(ProtocolRow, protocol_id)
    if row is None:
        raise DecisionRefused("no such protocol")
    copies = latest_copies(await case_protocols(session, row.election, row.level, row.precinct_id))
    if protocol_id not in {copy.protocol_id for copy in copies}:
        raise DecisionRefused("a newer version exists")
    return row


async def verify_protocol(
    session: AsyncSession, protocol_id: int, coordinator_id: int
) -> PrecinctResultRow:
    """The copy is right as the observer sent it: it counts (unless another copy differs)."""
    row = await _open_protocol(session, protocol_id)
    if row.status == "verified":
        raise DecisionRefused("already verified")
    previous = row.status
    row.status, row.decided_by, row.decided_at = "verified", coordinator_id, utc_now()
    audit(session, coordinator_id, "verify-protocol", {"protocol": row.id, "was": previous})
    return await refresh_precinct_result(session, row.election, row.level, row.precinct_id)


async def reject_protocol(
    session: AsyncSession,
    cipher: PersonalDataCipher,
    protocol_id: int,
    coordinator_id: int,
    reason: str,
) -> PrecinctResultRow:
    """The copy must not count (a wrong photo, a forged or unreadable copy)."""
    row = await _open_protocol(session, protocol_id)
    if row.status == "rejected":
        raise DecisionRefused("already rejected")
    reason = reason.strip()[:MAX_NOTE]
    row.status, row.decided_by, row.decided_at = "rejected", coordinator_id, utc_now()
    row.decision_note_encrypted = cipher.encrypt(reason) if reason else None
    audit(session, coordinator_id, "reject-protocol", {"protocol": row.id, "reason": reason})
    return await refresh_precinct_result(session, row.election, row.level, row.precinct_id)


async def _set_override(
    session: AsyncSession,
    cipher: PersonalDataCipher,
    election: str,
    level: str,
    precinct_id: int,
    figures: dict[str, Any],
    coordinator_id: int,
    reason: str,
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
    audit(
        session, coordinator_id, "pick-protocol", {"protocol": row.id, "figures": dict(row.figures)}
    )
    return await _set_override(
        session,
        cipher,
        row.election,
        row.level,
        row.precinct_id,
        dict(row.figures),
        coordinator_id,
        f"protocol {row.id}",
    )


async def correct_figure(
    session: AsyncSession,
    cipher: PersonalDataCipher,
    election: str,
    level: str,
    precinct_id: int,
    key: str,
    value: int,
    coordinator_id: int,
    reason: str,
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
    audit(
        session,
        coordinator_id,
        "correct-figure",
        {
            "election": election,
            "level": level,
            "precinct": precinct_id,
            "key": key,
            "from": before,
            "to": value,
            "reason": reason.strip()[:MAX_NOTE],
        },
    )
    return await _set_override(
        session,
        cipher,
        election,
        level,
        precinct_id,
        base,
        coordinator_id,
        reason.strip()[:MAX_NOTE],
    )


# --- incidents -------------------------------------------------------------------------------


async def incident_queue(
    session: AsyncSession, *, region: str | None = None, offset: int = 0, limit: int = PAGE_SIZE
) -> tuple[list[tuple[IncidentRow, PrecinctRow]], int]:
    """Incidents to verify, critical first, then oldest first."""
    conditions = [IncidentRow.status == "received"]
    if region is not None:
        conditions.append(PrecinctRow.region == region)
    base = (
        select(IncidentRow, PrecinctRow)
        .join(PrecinctRow, PrecinctRow.id == IncidentRow.precinct_id)
        .where(*conditions)
    )
    total = await session.scalar(select(func.count()).select_from(base.subquery()))
    critical_first = (IncidentRow.severity != "critical").asc()
    rows = await session.execute(
        base.order_by(critical_first, IncidentRow.created_at).offset(offset).limit(limit)
    )
    return [(incident, precinct) for incident, precinct in rows.all()], int(total or 0)


async def incident_card(
    session: AsyncSession, cipher: PersonalDataCipher, incident_id: int
) -> tuple[IncidentRow, PrecinctRow, str] | None:
    """An incident, its precinct and its decrypted description (the caller logs the view)."""
    row = await session.get(IncidentRow, incident_id)
    if row is None:
        return None
    precinct = await session.get(PrecinctRow, row.precinct_id)
    if precinct is None:
        return None
    return row, precinct, cipher.decrypt(row.description_encrypted)


async def decide_incident(
    session: AsyncSession, incident_id: int, coordinator_id: int, verified: bool
) -> IncidentRow:
    row = await session.get(IncidentRow, incident_id)
    if row is None:
        raise DecisionRefused("no such incident")
    status = "verified" if verified else "rejected"
    if row.status == status:
        raise DecisionRefused(f"already {status}")
    previous = row.status
    row.status, row.decided_by, row.decided_at = status, coordinator_id, utc_now()
    audit(
        session,
        coordinator_id,
        f"{'verify' if verified else 'reject'}-incident",
        {"incident": row.id, "was": previous},
    )
    await session.flush()
    return row


# --- observers and coverage ------------------------------------------------------------------


async def pending_observers(
    session: AsyncSession, *, offset: int = 0, limit: int = PAGE_SIZE
) -> tuple[list[ObserverRow], int]:
    """Registration requests waiting for a decision, oldest first."""
    condition = ObserverRow.status == "pending"
    total = await session.scalar(select(func.count()).select_from(ObserverRow).where(condition))
    rows = await session.execute(
        select(ObserverRow)
        .where(condition)
        .order_by(ObserverRow.requested_at)
        .offset(offset)
        .limit(limit)
    )
    return list(rows.scalars()), int(total or 0)


async def observer_request(
    session: AsyncSession, cipher: PersonalDataCipher, telegram_id: int
) -> tuple[str, str, list[PrecinctRow]] | None:
    """A pending request's name, phone and precincts, decrypted (the caller logs the view)."""

    row = await session.get(ObserverRow, telegram_id)
    if row is None or row.status != "pending":
        return None
    precincts = await session.execute(
        select(PrecinctRow)
        .join(ObserverPrecinctRow, ObserverPrecinctRow.precinct_id == PrecinctRow.id)
        .where(ObserverPrecinctRow.telegram_id == telegram_id)
        .order_by(PrecinctRow.number)
    )
    return (
        cipher.decrypt(row.name_encrypted),
        cipher.decrypt(row.phone_encrypted),
        list(precincts.scalars()),
    )


@dataclass(frozen=True)
class RegionGaps:
    """What is missing in one region."""

    region: str
    without_observer: int  # precincts nobody observes
    without_protocol: dict[str, int]  # level → observed precincts with no protocol for it yet
    silent_observers: int  # approved observers who sent nothing within the window


async def missing(
    session: AsyncSession, election: Any, silent_since: Any, region_filter: str | None = None
) -> list[RegionGaps]:
    """Per region: precincts with no observer, observed precincts with no protocol per level, and
    observers silent since `silent_since` (nothing sent after it). Regions with no gap left out."""
    precincts = (await session.execute(select(PrecinctRow.id, PrecinctRow.region))).all()
    region_of = {precinct_id: region for precinct_id, region in precincts}
    approved = select(ObserverRow.telegram_id).where(ObserverRow.status == "approved")
    observed = (
        await session.execute(
            select(ObserverPrecinctRow.telegram_id, ObserverPrecinctRow.precinct_id).where(
                ObserverPrecinctRow.telegram_id.in_(approved)
            )
        )
    ).all()
    observed_precincts = {precinct_id for _, precinct_id in observed}
    with_protocol = set(
        (
            await session.execute(
                select(ProtocolRow.level, ProtocolRow.precinct_id)
                .where(ProtocolRow.election == election.slug)
                .distinct()
            )
        ).all()
    )
    recent_protocols = select(ProtocolRow.observer_id).where(ProtocolRow.created_at > silent_since)
    recent_incidents = select(IncidentRow.observer_id).where(IncidentRow.created_at > silent_since)
    active = set((await session.execute(recent_protocols.union(recent_incidents))).scalars())
    gaps: dict[str, dict[str, Any]] = {}

    def entry(region: str) -> dict[str, Any]:
        return gaps.setdefault(region, {"none": 0, "levels": {}, "silent": set()})

    for precinct_id, region in precincts:
        if precinct_id not in observed_precincts:
            entry(region)["none"] += 1
            continue
        for level in election.levels:
            if region in level.not_in_regions or (level.key, precinct_id) in with_protocol:
                continue
            levels = entry(region)["levels"]
            levels[level.key] = levels.get(level.key, 0) + 1
    for observer_id, precinct_id in observed:
        if observer_id not in active:
            entry(region_of[precinct_id])["silent"].add(observer_id)
    result = [
        RegionGaps(region, value["none"], value["levels"], len(value["silent"]))
        for region, value in sorted(gaps.items())
        if region_filter is None or region == region_filter
    ]
    return [
        gap
        for gap in result
        if gap.without_observer or gap.without_protocol or gap.silent_observers
    ]
