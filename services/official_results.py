"""Official per-precinct results: importing them (all or nothing, every bad line reported), and
the discrepancy report that compares them with what observers' copies say.

A file has the columns `region`, `number` and one per line of the level's protocol form, with
the canonical keys (`voters_on_list`, …, `votes.<party>`, `against_all` where the ballot has it).
A new import of a level replaces the previous one for the report; earlier imports stay.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.election import Election
from models.tables import (
    AuditLogRow,
    OfficialImportRow,
    OfficialResultRow,
    PrecinctResultRow,
    PrecinctRow,
    as_utc,
)

MAX_FIGURE = 9_999_999


class ImportRefused(ValueError):
    def __init__(self, errors: list[OfficialLineError]) -> None:
        super().__init__("; ".join(str(error) for error in errors[:5]))
        self.errors = errors


def read_table(content: bytes, filename: str) -> list[dict[str, str]]:
    """The rows of a CSV or XLSX file as dicts of text, header first."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        values = [
            ["" if cell is None else str(cell).strip() for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        if not values:
            return []
        header = values[0]
        return [dict(zip(header, row, strict=False)) for row in values[1:] if any(row)]
    text = content.decode("utf-8-sig")
    return [
        {key: (value or "").strip() for key, value in row.items() if key is not None}
        for row in csv.DictReader(io.StringIO(text))
    ]


def form_keys(election: Election, level: str) -> list[str]:
    return [line.key for line in election.form_for(level)]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a line: `code` names its text in both languages
    (`official-error-<code>`), `params` fill it, `english` is what the CLI prints."""

    code: str
    params: dict[str, str | int]
    english: str


PROBLEM_CODES = (
    "no-lines",
    "missing-columns",
    "unknown-columns",
    "unreadable",
    "bad-number",
    "unknown-precinct",
    "bad-count",
    "duplicate",
)


@dataclass(frozen=True)
class OfficialLineError:
    line: int  # as a spreadsheet shows it, the header being line 1
    problems: tuple[Problem, ...]

    def __str__(self) -> str:
        return f"line {self.line}: " + "; ".join(problem.english for problem in self.problems)


def parse_official(
    rows: Iterable[Mapping[str, str]], keys: list[str], precinct_ids: Mapping[tuple[str, int], int]
) -> tuple[dict[int, dict[str, int]], list[OfficialLineError]]:
    """precinct id → figures, or every problem."""
    rows = list(rows)
    if not rows:
        return {}, [OfficialLineError(1, (Problem("no-lines", {}, "the file has no lines"),))]
    header = set(rows[0])
    missing = [column for column in ("region", "number", *keys) if column not in header]
    unknown = sorted(header - {"region", "number", *keys})
    if missing or unknown:
        problems = []
        expected = f" (expected region, number, {', '.join(keys)})"
        if missing:
            problems.append(
                Problem(
                    "missing-columns",
                    {"columns": ", ".join(missing)},
                    f"missing columns: {', '.join(missing)}{expected}",
                )
            )
        if unknown:
            problems.append(
                Problem(
                    "unknown-columns",
                    {"columns": ", ".join(unknown)},
                    f"unknown columns: {', '.join(unknown)}{expected}",
                )
            )
        return {}, [OfficialLineError(1, tuple(problems))]
    errors: list[OfficialLineError] = []
    figures_by_precinct: dict[int, dict[str, int]] = {}
    seen: dict[int, int] = {}
    for line_number, row in enumerate(rows, start=2):
        problems = []
        number, region = row.get("number", ""), row.get("region", "")
        precinct_id = None
        if not (number.isascii() and number.isdigit()):
            problems.append(
                Problem(
                    "bad-number", {"value": number}, f"number: {number!r} is not a precinct number"
                )
            )
        else:
            precinct_id = precinct_ids.get((region, int(number)))
            if precinct_id is None:
                problems.append(
                    Problem(
                        "unknown-precinct",
                        {"number": number, "region": region},
                        f"precinct {number} in {region!r} is not in the directory",
                    )
                )
        figures = {}
        for key in keys:
            value = row.get(key, "").replace(" ", "").replace("\u00a0", "")
            if not (value.isascii() and value.isdigit()) or int(value) > MAX_FIGURE:
                problems.append(
                    Problem(
                        "bad-count",
                        {"key": key, "value": row.get(key, "")},
                        f"{key}: {row.get(key, '')!r} is not a count",
                    )
                )
            else:
                figures[key] = int(value)
        if precinct_id is not None and precinct_id in seen:
            problems.append(
                Problem(
                    "duplicate",
                    {"line": seen[precinct_id]},
                    f"the same precinct is on line {seen[precinct_id]}",
                )
            )
        if problems:
            errors.append(OfficialLineError(line_number, tuple(problems)))
            continue
        assert precinct_id is not None
        seen[precinct_id] = line_number
        figures_by_precinct[precinct_id] = figures
    return figures_by_precinct, errors


async def import_official(
    session: AsyncSession, election: Election, level: str, content: bytes, source: str, actor: str
) -> int:
    """Imports a level's official results; raises ImportRefused (nothing written) on any bad line.
    Returns how many precincts were imported."""
    election.level(level)  # KeyError for an unknown level
    directory = {
        (region, number): precinct_id
        for precinct_id, region, number in (
            await session.execute(select(PrecinctRow.id, PrecinctRow.region, PrecinctRow.number))
        ).all()
    }
    try:
        rows = read_table(content, source)
    except (UnicodeDecodeError, csv.Error, ValueError, KeyError, OSError) as error:
        name = error.__class__.__name__
        raise ImportRefused(
            [
                OfficialLineError(
                    1, (Problem("unreadable", {}, f"not a readable CSV or XLSX file ({name})"),)
                )
            ]
        ) from error
    figures, errors = parse_official(rows, form_keys(election, level), directory)
    if errors:
        raise ImportRefused(errors)
    batch = OfficialImportRow(
        election=election.slug,
        level=level,
        source=source[-200:],
        rows=len(figures),
        imported_by=actor[:64],
    )
    session.add(batch)
    await session.flush()
    session.add_all(
        OfficialResultRow(import_id=batch.id, precinct_id=pid, figures=f)
        for pid, f in figures.items()
    )
    session.add(
        AuditLogRow(
            actor=actor[:64],
            action="import-official",
            detail={
                "election": election.slug,
                "level": level,
                "rows": len(figures),
                "source": source[-200:],
            },
        )
    )
    await session.flush()
    return len(figures)


async def current_import(session: AsyncSession, election: str, level: str) -> int | None:
    return await session.scalar(
        select(func.max(OfficialImportRow.id)).where(
            OfficialImportRow.election == election, OfficialImportRow.level == level
        )
    )


async def import_summary(
    session: AsyncSession, election: str, level: str
) -> tuple[int, Any] | None:
    """(precincts, when) of a level's current import, or None."""
    batch = await current_import(session, election, level)
    if batch is None:
        return None
    row = await session.get(OfficialImportRow, batch)
    assert row is not None
    return row.rows, as_utc(row.imported_at)


# --- the discrepancy report ------------------------------------------------------------------


@dataclass(frozen=True)
class LineDifference:
    key: str
    observed: int
    official: int

    @property
    def difference(self) -> int:
        """Official minus observed: positive where the official figure is higher."""
        return self.official - self.observed


@dataclass(frozen=True)
class PrecinctDiscrepancy:
    precinct_id: int
    region: str
    number: int
    lines: tuple[LineDifference, ...]  # every line of the form, in form order

    @property
    def gap(self) -> int:
        """The size of the difference: the sum of the absolute differences over every line."""
        return sum(abs(line.difference) for line in self.lines)


@dataclass(frozen=True)
class DiscrepancyReport:
    election: str
    level: str
    compared: int  # precincts with both a counted observers' protocol and an official figure
    precincts: tuple[PrecinctDiscrepancy, ...]  # those that differ, largest gap first
    # Every line summed over the compared precincts, as observers saw it and as published.
    observed_sum: dict[str, int] = field(default_factory=dict)
    official_sum: dict[str, int] = field(default_factory=dict)
    parties: tuple[str, ...] = ()

    @property
    def moved(self) -> dict[str, int]:
        """Party → Σ(official − observed) votes over the compared precincts."""
        return {
            p: self.official_sum.get(f"votes.{p}", 0) - self.observed_sum.get(f"votes.{p}", 0)
            for p in self.parties
        }

    def share(self, key: str, whole: str, official: bool) -> Fraction:
        sums = self.official_sum if official else self.observed_sum
        return Fraction(sums.get(key, 0), sums[whole]) if sums.get(whole) else Fraction(0)


async def discrepancy_report(
    session: AsyncSession, election: Election, level: str, precinct_id: int | None = None
) -> DiscrepancyReport:
    """Observers' counted figures against the current official import, per precinct (one
    precinct's only, when named)."""
    keys = form_keys(election, level)
    parties = election.level(level).parties
    batch = await current_import(session, election.slug, level)
    if batch is None:
        return DiscrepancyReport(election.slug, level, 0, (), parties=tuple(parties))
    query = (
        select(
            PrecinctRow.id,
            PrecinctRow.region,
            PrecinctRow.number,
            PrecinctResultRow.figures,
            OfficialResultRow.figures,
        )
        .select_from(PrecinctResultRow)
        .join(OfficialResultRow, OfficialResultRow.precinct_id == PrecinctResultRow.precinct_id)
        .join(PrecinctRow, PrecinctRow.id == PrecinctResultRow.precinct_id)
        .where(
            PrecinctResultRow.election == election.slug,
            PrecinctResultRow.level == level,
            PrecinctResultRow.status == "counted",
            OfficialResultRow.import_id == batch,
        )
    )
    if precinct_id is not None:
        query = query.where(PrecinctResultRow.precinct_id == precinct_id)
    differing = []
    compared = 0
    observed_sum = dict.fromkeys(keys, 0)
    official_sum = dict.fromkeys(keys, 0)
    for precinct_id, region, number, observed, official in (await session.execute(query)).all():
        compared += 1
        pairs = [(int(observed.get(key, 0)), int(official.get(key, 0))) for key in keys]
        for key, (seen, published) in zip(keys, pairs, strict=True):
            observed_sum[key] += seen
            official_sum[key] += published
        if any(
            seen != published for seen, published in pairs
        ):  # most precincts agree: no objects for them
            lines = tuple(
                LineDifference(key, seen, published)
                for key, (seen, published) in zip(keys, pairs, strict=True)
            )
            differing.append(PrecinctDiscrepancy(precinct_id, region, number, lines))
    differing.sort(key=lambda item: (-item.gap, item.region, item.number))
    return DiscrepancyReport(
        election.slug, level, compared, tuple(differing), observed_sum, official_sum, tuple(parties)
    )


def report_rows(report: DiscrepancyReport, keys: list[str]) -> tuple[list[str], list[list[Any]]]:
    """The report as a table: one row per differing precinct, observed/official/difference per
    line."""
    columns = ["region", "number", "gap"]
    for key in keys:
        columns += [f"{key} observed", f"{key} official", f"{key} difference"]
    rows = []
    for item in report.precincts:
        row: list[Any] = [item.region, item.number, item.gap]
        for line in item.lines:
            row += [line.observed, line.official, line.difference]
        rows.append(row)
    return columns, rows
