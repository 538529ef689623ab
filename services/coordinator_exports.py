"""Coordinators' exports of protocols, incidents, observers and the discrepancy report, as CSV
or XLSX.

Formula-safe cells, written 0600 by the CLI, and every export in the audit log. Personal fields
(observers' Telegram ids, names and phones, their reasons, incident descriptions and exact
locations) are included
only when asked for; their column names then say "(personal)".
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.election import Election
from models.incident import IncidentCatalog
from models.tables import (
    AuditLogRow,
    IncidentRow,
    ObserverPrecinctRow,
    ObserverRow,
    PrecinctResultRow,
    PrecinctRow,
    ProtocolRow,
    as_utc,
)
from services.exports import ExportFormat, spreadsheet_safe, table_bytes
from services.official_results import discrepancy_report, form_keys, report_rows
from services.personal_data import PersonalDataCipher

What = Literal["protocols", "incidents", "observers", "discrepancies"]


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return spreadsheet_safe(value)
    return value


async def protocol_table(
    session: AsyncSession, election: Election, cipher: PersonalDataCipher | None
) -> tuple[list[str], list[list[Any]]]:
    """Every version of every protocol of the election, with its status, failing checks, and the
    precinct's counted status and any coordinator's figures."""
    keys: list[str] = []
    for level in election.levels:
        keys += [key for key in form_keys(election, level.key) if key not in keys]
    columns = [
        "level",
        "region",
        "number",
        "version",
        "status",
        "created_at",
        "hard_failures",
        "soft_failures",
        "typed",
        "precinct_status",
        "coordinator_figures",
        *keys,
    ]
    if cipher is not None:
        columns += ["observer_id (personal)", "observer_reason (personal)"]
    query = (
        select(ProtocolRow, PrecinctRow, PrecinctResultRow)
        .join(PrecinctRow, PrecinctRow.id == ProtocolRow.precinct_id)
        .outerjoin(
            PrecinctResultRow,
            (PrecinctResultRow.election == ProtocolRow.election)
            & (PrecinctResultRow.level == ProtocolRow.level)
            & (PrecinctResultRow.precinct_id == ProtocolRow.precinct_id),
        )
        .where(ProtocolRow.election == election.slug)
        .order_by(ProtocolRow.level, PrecinctRow.region, PrecinctRow.number, ProtocolRow.version)
    )
    rows = []
    for protocol, precinct, result in (await session.execute(query)).all():
        override = result.override if result is not None else None
        row = [
            protocol.level,
            precinct.region,
            precinct.number,
            protocol.version,
            protocol.status,
            as_utc(protocol.created_at).isoformat(timespec="seconds"),
            " ".join(protocol.hard_failures),
            " ".join(protocol.soft_failures),
            " ".join(protocol.typed),
            result.status if result else "",
            " ".join(f"{k}={v}" for k, v in sorted(override.items())) if override else "",
            *[protocol.figures.get(key, "") for key in keys],
        ]
        if cipher is not None:
            reason = cipher.decrypt(protocol.reason_encrypted) if protocol.reason_encrypted else ""
            row += [protocol.observer_id or "", reason]
        rows.append([_cell(value) for value in row])
    return columns, rows


async def incident_table(
    session: AsyncSession, catalog: IncidentCatalog, cipher: PersonalDataCipher | None
) -> tuple[list[str], list[list[Any]]]:
    columns = [
        "id",
        "category",
        "category_ru",
        "severity",
        "region",
        "number",
        "occurred_at",
        "reported_at",
        "status",
        "evidence_items",
    ]
    if cipher is not None:
        columns += [
            "observer_id (personal)",
            "description (personal)",
            "latitude (personal)",
            "longitude (personal)",
        ]
    query = (
        select(IncidentRow, PrecinctRow)
        .join(PrecinctRow, PrecinctRow.id == IncidentRow.precinct_id)
        .order_by(IncidentRow.id)
    )
    rows = []
    for incident, precinct in (await session.execute(query)).all():
        category = catalog.category(incident.category)
        row: list[Any] = [
            incident.id,
            incident.category,
            category.name.ru if category else "",
            incident.severity,
            precinct.region,
            precinct.number,
            as_utc(incident.occurred_at).isoformat(timespec="seconds"),
            as_utc(incident.created_at).isoformat(timespec="seconds"),
            incident.status,
            len(incident.evidence),
        ]
        if cipher is not None:
            row += [
                incident.observer_id or "",
                cipher.decrypt(incident.description_encrypted),
                incident.latitude or "",
                incident.longitude or "",
            ]
        rows.append([_cell(value) for value in row])
    return columns, rows


async def observer_table(
    session: AsyncSession, cipher: PersonalDataCipher | None
) -> tuple[list[str], list[list[Any]]]:
    """Every registered observer: status, precincts, what they sent; who they are only on
    request."""
    columns = [
        "status",
        "precincts",
        "requested_at",
        "decided_at",
        "protocols_sent",
        "incidents_sent",
    ]
    if cipher is not None:
        columns += ["telegram_id (personal)", "name (personal)", "phone (personal)"]
    precincts: dict[int, list[str]] = {}
    for telegram_id, region, number in (
        await session.execute(
            select(ObserverPrecinctRow.telegram_id, PrecinctRow.region, PrecinctRow.number)
            .join(PrecinctRow, PrecinctRow.id == ObserverPrecinctRow.precinct_id)
            .order_by(PrecinctRow.region, PrecinctRow.number)
        )
    ).all():
        precincts.setdefault(telegram_id, []).append(f"{region}/{number}")
    sent = {
        table: dict((await session.execute(select(column, func.count()).group_by(column))).all())
        for table, column in (
            ("protocols", ProtocolRow.observer_id),
            ("incidents", IncidentRow.observer_id),
        )
    }
    rows = []
    for observer in (
        await session.execute(select(ObserverRow).order_by(ObserverRow.requested_at))
    ).scalars():
        row: list[Any] = [
            observer.status,
            " ".join(precincts.get(observer.telegram_id, [])),
            as_utc(observer.requested_at).isoformat(timespec="seconds"),
            as_utc(observer.decided_at).isoformat(timespec="seconds")
            if observer.decided_at
            else "",
            sent["protocols"].get(observer.telegram_id, 0),
            sent["incidents"].get(observer.telegram_id, 0),
        ]
        if cipher is not None:
            row += [
                observer.telegram_id,
                cipher.decrypt(observer.name_encrypted),
                cipher.decrypt(observer.phone_encrypted),
            ]
        rows.append([_cell(value) for value in row])
    return columns, rows


async def discrepancy_table(
    session: AsyncSession, election: Election
) -> tuple[list[str], list[list[Any]]]:
    """Every level's differing precincts, largest gap first within a level; levels may have
    different forms, so the columns are the union of their lines."""
    keys: list[str] = []
    for level in election.levels:
        keys += [key for key in form_keys(election, level.key) if key not in keys]
    columns = ["level", "region", "number", "gap"]
    columns += [f"{key} {part}" for key in keys for part in ("observed", "official", "difference")]
    rows: list[list[Any]] = []
    for level in election.levels:
        level_columns, level_rows = report_rows(
            await discrepancy_report(session, election, level.key), form_keys(election, level.key)
        )
        position = {name: index for index, name in enumerate(level_columns)}
        for row in level_rows:
            rows.append(
                [level.key]
                + [_cell(row[position[name]]) if name in position else "" for name in columns[1:]]
            )
    return columns, rows


async def export_bytes(
    session: AsyncSession,
    election: Election,
    catalog: IncidentCatalog,
    what: What,
    export_format: ExportFormat,
    actor: str,
    cipher: PersonalDataCipher | None = None,
) -> tuple[bytes, int]:
    """The export's content and row count; written to the audit log (with whether it holds
    personal data)."""
    if what == "protocols":
        columns, rows = await protocol_table(session, election, cipher)
    elif what == "incidents":
        columns, rows = await incident_table(session, catalog, cipher)
    elif what == "observers":
        columns, rows = await observer_table(session, cipher)
    else:
        columns, rows = await discrepancy_table(session, election)
    session.add(
        AuditLogRow(
            actor=actor[:64],
            action=f"export-{what}",
            detail={
                "election": election.slug,
                "format": export_format,
                "rows": len(rows),
                "personal": cipher is not None,
            },
        )
    )
    await session.flush()
    return table_bytes(columns, rows, export_format, what), len(rows)
