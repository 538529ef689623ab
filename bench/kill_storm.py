"""Benchmark: kill -9 of the bot while its outboxes send through a storm of 429s and 500s.

    .venv/bin/python bench/kill_storm.py                      # 1,000 messages, 30 posts, 10 kills
    .venv/bin/python bench/kill_storm.py --messages 300 --kills 5 --seeds 1 2 3

The bot runs as `bot.py run` in its own process, polling the emulator that runs here, on a
fresh SQLite file seeded with a broadcast (one message per observer) and channel posts. A fifth
of the sends get 429 (retry after 1 s) or 500; the process is killed at random moments while it
sends and started again, then left to finish. Prints, per seed, what was lost and what was sent
twice. Figures: docs/reliability.md.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.kill_storm import run_storm


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--posts", type=int, default=30)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--chance", type=float, default=0.2, help="share of sends that fail")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    args = parser.parse_args()
    for seed in args.seeds:
        with tempfile.TemporaryDirectory() as folder:
            figures = await run_storm(
                Path(folder),
                messages=args.messages,
                posts=args.posts,
                kills=args.kills,
                seed=seed,
                chance=args.chance,
                deadline_seconds=1800,
            )
        print(f"seed {seed}:")
        for line in figures.lines():
            print(f"  {line}")


if __name__ == "__main__":
    asyncio.run(main())
