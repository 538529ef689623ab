"""Coordinator exports of petition signatures: names decrypted only here, written to a file only
its owner can read, and every export written to the audit log."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Literal

from models.tables import AuditLogRow
from services.personal_data import PersonalDataCipher
from services.signatures import FORMULA_STARTS
from storage.petitions import SignatureRepository

ExportFormat = Literal["csv", "xlsx"]
COLUMNS = ("signed_at", "name", "region", "phone_verified", "referred_by")
# Characters a spreadsheet reads as the start of a formula, including after a tab or CR.
_DANGEROUS_STARTS = (*FORMULA_STARTS, "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """A cell value no spreadsheet program will run as a formula (OWASP CSV injection)."""
    if value.startswith(_DANGEROUS_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int


async def export_signatures(
    repository: SignatureRepository,
    cipher: PersonalDataCipher,
    slug: str,
    export_format: ExportFormat,
    path: Path,
    actor: str,
    zone: tzinfo,
) -> ExportResult:
    rows = []
    for signature in await repository.signed(slug):
        moment = (
            signature.signed_at
            if signature.signed_at.tzinfo
            else signature.signed_at.replace(tzinfo=UTC)
        )
        rows.append(
            (
                moment.astimezone(zone).isoformat(timespec="seconds"),
                spreadsheet_safe(
                    cipher.decrypt(signature.name_encrypted) if signature.name_encrypted else ""
                ),
                signature.region or "",
                "yes" if signature.phone_hash else "no",
                spreadsheet_safe(signature.referred_by or ""),
            )
        )
    content = table_bytes(COLUMNS, rows, export_format, "signatures")
    write_private(path, content)
    repository.session.add(
        AuditLogRow(
            actor=actor[:64],
            action="export-signatures",
            detail={
                "petition": slug,
                "format": export_format,
                "rows": len(rows),
                "path": str(path),
            },
        )
    )
    await repository.session.flush()
    return ExportResult(path, len(rows))


def table_bytes(
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    export_format: ExportFormat,
    sheet: str,
) -> bytes:
    """A table as CSV (UTF-8 with a BOM, so spreadsheet programs read the Cyrillic) or XLSX.
    String cells must already be spreadsheet_safe."""
    if export_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        writer.writerows(rows)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    worksheet.append(list(columns))
    for row in rows:
        worksheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_private(path: Path, content: bytes) -> None:
    """Created 0600 from the start: there is no moment when others could read the names."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)


def default_export_path(slug: str, export_format: ExportFormat, now: datetime) -> Path:
    from settings import PROJECT_ROOT

    return (
        PROJECT_ROOT / "data" / "exports" / f"signatures-{slug}-{now:%Y%m%d-%H%M%S}.{export_format}"
    )
