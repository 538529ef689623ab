"""Benchmark: the coordinators' queries at election-night size.

    .venv/bin/python bench/coordinators.py                       # SQLite, a fresh file
    .venv/bin/python bench/coordinators.py --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/haqbot_bench

Fills 10,000 precincts × 3 levels of protocols through the real service (ProtocolService.submit,
so each precinct gets its master record), 5% of them failing a hard check and 2% in conflict
(a second observer's differing copy), and official results for every precinct and level with
votes moved at 10% of them. Then times, best and median of --runs:
  - the discrepancy report of each level (issue 11's target: ≤ 2 s);
  - a queue page (8 items, oldest first) and the queue counts (target: ≤ 50 ms);
  - the tally of each level from the master records.
Figures: bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert

from models.tables import PrecinctRow
from publishing.tallies import tally_for_level
from services import moderation
from services.elections import load_elections
from services.official_results import discrepancy_report, form_keys, import_official
from services.personal_data import PersonalDataCipher
from services.precinct_results import ResultStatus
from services.protocols import ProtocolService
from storage import migrate
from storage.database import create_engine, create_sessionmaker
from storage.unit_of_work import unit_of_work

CIPHER = PersonalDataCipher(PersonalDataCipher.generate_key())


def protocol(
    generator: random.Random, parties: tuple[str, ...], against_all: bool
) -> dict[str, int]:
    voters = generator.randint(800, 2500)
    issued = generator.randint(200, voters)
    votes = {
        f"votes.{party}": generator.randint(0, issued // (len(parties) + 1)) for party in parties
    }
    against = generator.randint(0, 10) if against_all else 0
    figures = {
        "voters_on_list": voters,
        "ballots_received": voters,
        "ballots_issued": issued,
        "ballots_unused": voters - issued,
        "ballots_in_boxes": issued,
        "ballots_invalid": issued - sum(votes.values()) - against,
        **votes,
    }
    if against_all:
        figures["against_all"] = against
    return figures


async def timed(runs: int, action: Callable[[], Awaitable[Any]]) -> tuple[float, float, Any]:
    timings, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = await action()
        timings.append((time.perf_counter() - started) * 1000)
    return min(timings), statistics.median(timings), result


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url")
    parser.add_argument("--precincts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    url = args.database_url or f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/coordinators.sqlite3"
    election = load_elections(ROOT / "elections")["2023-parliament"]
    engine = create_engine(url)
    await migrate.downgrade(engine, "base")
    await migrate.upgrade(engine)
    sessionmaker = create_sessionmaker(engine)
    generator = random.Random(11)
    started = time.perf_counter()
    async with sessionmaker() as session, session.begin():
        await session.execute(
            insert(PrecinctRow),
            [
                {
                    "id": n,
                    "region": ("almaty", "astana", "abai", "karaganda")[n % 4],
                    "number": n,
                    "district_kk": "А",
                    "district_ru": "Р",
                    "address_kk": "М",
                    "address_ru": "А",
                    "voters_on_list": None,
                }
                for n in range(1, args.precincts + 1)
            ],
        )
    official: dict[str, list[list[Any]]] = {level.key: [] for level in election.levels}
    for level in election.levels:
        keys = form_keys(election, level.key)
        for start in range(1, args.precincts + 1, 1000):
            async with unit_of_work(sessionmaker) as unit:
                service = ProtocolService(unit.session, CIPHER)
                for n in range(start, min(start + 1000, args.precincts + 1)):
                    figures = protocol(generator, level.parties, election.against_all)
                    bad = generator.random() < 0.05
                    sent = (
                        {**figures, "ballots_invalid": figures["ballots_invalid"] + 1}
                        if bad
                        else figures
                    )
                    await service.submit(
                        election, level.key, n, 1, sent, [], [], "так в протоколе" if bad else None
                    )
                    if generator.random() < 0.02:
                        other = {**figures, "ballots_issued": figures["ballots_issued"]}
                        other[f"votes.{level.parties[0]}"] += 1
                        other["ballots_invalid"] -= 1
                        await service.submit(election, level.key, n, 2, other, [], [], None)
                    published = dict(figures)
                    if generator.random() < 0.1:
                        moved = min(
                            published[f"votes.{level.parties[1]}"], generator.randint(5, 60)
                        )
                        published[f"votes.{level.parties[1]}"] -= moved
                        published[f"votes.{level.parties[0]}"] += moved
                    official[level.key].append(
                        [
                            ("almaty", "astana", "abai", "karaganda")[n % 4],
                            n,
                            *(published[k] for k in keys),
                        ]
                    )
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["region", "number", *keys])
        writer.writerows(official[level.key])
        async with unit_of_work(sessionmaker) as unit:
            await import_official(
                unit.session, election, level.key, buffer.getvalue().encode(), "bench.csv", "bench"
            )
    async with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            for table in ("protocols", "precinct_results", "official_results", "precincts"):
                await connection.exec_driver_sql(f"ANALYZE {table}")
            await connection.commit()
    print(
        f"{args.precincts} precincts × {len(election.levels)} levels on {url.split(':')[0]}, "
        f"filled through the services in {time.perf_counter() - started:.0f} s"
    )
    for level in election.levels:

        async def report(level: str = level.key) -> Any:
            async with sessionmaker() as session:
                return await discrepancy_report(session, election, level)

        best, median, result = await timed(args.runs, report)
        print(
            f"  discrepancy report {level.key:<18} {result.compared} compared, "
            f"{len(result.precincts)} differ: "
            f"best {best:.0f} ms, median {median:.0f} ms"
        )

    async def queue_page() -> Any:
        async with sessionmaker() as session:
            return await moderation.case_queue(
                session, election.slug, ResultStatus.FLAGGED, offset=80
            )

    async def queue_counts() -> Any:
        async with sessionmaker() as session:
            return await moderation.queue_counts(session, election.slug)

    best, median, (_items, total) = await timed(args.runs * 4, queue_page)
    print(
        f"  queue page (flagged, page 11 of {total // moderation.PAGE_SIZE + 1}): best {best:.1f} "
        f"ms, median {median:.1f} ms"
    )
    best, median, counts = await timed(args.runs * 4, queue_counts)
    print(
        f"  queue counts ({counts.flagged} flagged, {counts.conflict} in conflict): best "
        f"{best:.1f} ms, median {median:.1f} ms"
    )
    for level in election.levels:

        async def tally(level: str = level.key) -> Any:
            async with sessionmaker() as session:
                return await tally_for_level(session, election, level)

        best, median, result = await timed(args.runs, tally)
        print(
            f"  tally {level.key:<18} {result.precincts} counted: best {best:.1f} ms, median "
            f"{median:.1f} ms"
        )
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
