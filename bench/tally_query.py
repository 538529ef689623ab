"""Benchmark: the tally query over 30,000 protocols (10,000 precincts × 3 levels).

    .venv/bin/python bench/tally_query.py                       # SQLite, a fresh file
    .venv/bin/python bench/tally_query.py --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/haqbot_bench

Bulk-inserts the protocols (as the dialog stores them: figures as JSON), then times
tally_for_level for each level, best and median of --runs. Figures: bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert

from models.tables import PrecinctRow, ProtocolRow, utc_now
from publishing.tallies import tally_for_level
from services.elections import load_elections
from storage import migrate
from storage.database import create_engine, create_sessionmaker


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url")
    parser.add_argument("--precincts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--no-analyze", action="store_true", help="PostgreSQL: time it before statistics exist"
    )
    args = parser.parse_args()
    url = args.database_url or f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/tally.sqlite3"
    election = load_elections(ROOT / "elections")["2023-parliament"]
    engine = create_engine(url)
    await migrate.downgrade(engine, "base")
    await migrate.upgrade(engine)
    sessionmaker = create_sessionmaker(engine)
    generator = random.Random(2023)
    async with sessionmaker() as session, session.begin():
        await session.execute(
            insert(PrecinctRow),
            [
                {
                    "id": n,
                    "region": "almaty",
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
        rows = []
        for level in election.levels:
            for n in range(1, args.precincts + 1):
                voters = generator.randint(800, 2500)
                issued = generator.randint(200, voters)
                votes = {
                    f"votes.{party}": generator.randint(0, issued // len(level.parties))
                    for party in level.parties
                }
                invalid = issued - sum(votes.values())
                figures = {
                    "voters_on_list": voters,
                    "ballots_received": voters,
                    "ballots_issued": issued,
                    "ballots_unused": voters - issued,
                    "ballots_in_boxes": issued,
                    "ballots_invalid": invalid,
                    "against_all": 0,
                    **votes,
                }
                rows.append(
                    {
                        "election": election.slug,
                        "level": level.key,
                        "precinct_id": n,
                        "observer_id": 1,
                        "version": 1,
                        "figures": figures,
                        "photos": [],
                        "recognition": None,
                        "typed": [],
                        "hard_failures": [],
                        "hard_checks_pass": True,
                        "soft_failures": [],
                        "reason_encrypted": None,
                        "status": "received",
                        "created_at": utc_now(),
                    }
                )
        for start in range(0, len(rows), 5000):
            await session.execute(insert(ProtocolRow), rows[start : start + 5000])
    async with engine.connect() as connection:
        # Fresh tables have no planner statistics (autovacuum would gather them in production).
        if connection.dialect.name == "postgresql" and not args.no_analyze:
            await connection.exec_driver_sql("ANALYZE protocols")
            await connection.commit()
    print(f"{len(rows)} protocols on {url.split(':')[0]}")
    for level in election.levels:
        timings = []
        for _ in range(args.runs):
            async with sessionmaker() as session:
                started = time.perf_counter()
                tally = await tally_for_level(session, election, level.key)
                timings.append((time.perf_counter() - started) * 1000)
        print(
            f"  {level.key:<18} {tally.precincts} precincts: best {min(timings):.1f} ms, median "
            f"{statistics.median(timings):.1f} ms"
        )
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
