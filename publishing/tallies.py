"""Tallies per election level over observers' protocols (brief, section 4).

Counted: each precinct's master record (services.precinct_results): its observers' latest copies
when they agree and pass the hard checks or were verified, or a coordinator's figures. One
grouped SQL query per level.
Shares are exact fractions here; rounding happens only when something is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.election import Election
from models.tables import PrecinctResultRow, PrecinctRow

_GENERAL = (
    "voters_on_list",
    "ballots_received",
    "ballots_issued",
    "ballots_unused",
    "ballots_in_boxes",
    "ballots_invalid",
    "against_all",
)


@dataclass(frozen=True)
class LevelTally:
    election: str
    level: str
    precincts: int  # covered: with a counted protocol
    precincts_total: int  # in the directory where this level is on the ballot
    voters: int
    received: int
    issued: int
    unused: int
    in_boxes: int
    invalid: int
    against_all: int | None
    votes: dict[str, int]  # party → votes, ballot order

    @staticmethod
    def _share(part: int, whole: int) -> Fraction:
        return Fraction(part, whole) if whole else Fraction(0)

    @property
    def turnout(self) -> Fraction:
        return self._share(self.issued, self.voters)

    @property
    def unused_share(self) -> Fraction:
        return self._share(self.unused, self.received)

    @property
    def invalid_share(self) -> Fraction:
        return self._share(self.invalid, self.in_boxes)

    @property
    def against_all_share(self) -> Fraction | None:
        return None if self.against_all is None else self._share(self.against_all, self.in_boxes)

    def party_share(self, party: str) -> Fraction:
        return self._share(self.votes[party], self.in_boxes)


def _figure(key: str):
    # Portable JSON access: json_extract on SQLite, ->> on PostgreSQL, written once.
    return func.coalesce(PrecinctResultRow.figures[key].as_integer(), 0)


def _counted(election: Election, level_key: str, *columns):
    """SELECT columns over the counted precincts of a level: one master record per precinct
    (services.precinct_results), so no anti-join over versions is needed here."""
    level = election.level(level_key)
    sums = [func.count().label("precincts")]
    sums += [func.sum(_figure(key)).label(key) for key in _GENERAL]
    sums += [func.sum(_figure(f"votes.{party}")).label(f"votes.{party}") for party in level.parties]
    return (
        select(*columns, *sums)
        .select_from(PrecinctResultRow)
        .where(
            PrecinctResultRow.election == election.slug,
            PrecinctResultRow.level == level_key,
            PrecinctResultRow.status == "counted",
        )
    )


def _tally(election: Election, level_key: str, row: Mapping[str, Any], total: int) -> LevelTally:
    def value(key: str) -> int:
        return int(row[key] or 0)

    return LevelTally(
        election=election.slug,
        level=level_key,
        precincts=int(row["precincts"] or 0),
        precincts_total=total,
        voters=value("voters_on_list"),
        received=value("ballots_received"),
        issued=value("ballots_issued"),
        unused=value("ballots_unused"),
        in_boxes=value("ballots_in_boxes"),
        invalid=value("ballots_invalid"),
        against_all=value("against_all") if election.against_all else None,
        votes={party: value(f"votes.{party}") for party in election.level(level_key).parties},
    )


async def tally_for_level(session: AsyncSession, election: Election, level_key: str) -> LevelTally:
    level = election.level(level_key)
    row = (await session.execute(_counted(election, level_key))).mappings().one()
    total = await session.scalar(
        select(func.count())
        .select_from(PrecinctRow)
        .where(PrecinctRow.region.not_in(level.not_in_regions or ("",)))
    )
    return _tally(election, level_key, row, int(total or 0))


async def tally_by_region(
    session: AsyncSession, election: Election, level_key: str
) -> dict[str, LevelTally]:
    """The same tally per region: one grouped query, regions with no counted protocol left out."""
    level = election.level(level_key)
    query = (
        _counted(election, level_key, PrecinctRow.region)
        .join(PrecinctRow, PrecinctRow.id == PrecinctResultRow.precinct_id)
        .group_by(PrecinctRow.region)
    )
    rows = (await session.execute(query)).mappings().all()
    totals = dict(
        (
            await session.execute(
                select(PrecinctRow.region, func.count())
                .where(PrecinctRow.region.not_in(level.not_in_regions or ("",)))
                .group_by(PrecinctRow.region)
            )
        ).all()
    )
    return {
        row["region"]: _tally(election, level_key, row, int(totals.get(row["region"], 0)))
        for row in rows
    }


class TallyReader:
    """The tallies for one update's session (/results)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def for_level(self, election: Election, level_key: str) -> LevelTally:
        return await tally_for_level(self.session, election, level_key)
