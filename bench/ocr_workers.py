"""Benchmark: protocol recognition over Redis with 1, 2 and 3 `bot.py worker` processes.

    .venv/bin/python bench/ocr_workers.py --protocols 16 --workers 1 2 3

This process plays the bot: it queues generated protocol photos (ocr/synthetic.py, printed
photos of the 2023 Mazhilis form, one page each) through the same Redis queue the bot uses,
all at once, and waits for every result. Each worker is its own process with one recognition
thread (`ocr.workers = 1`), so N workers use at most N cores. Prints protocols per second per
worker count and checks that every protocol came back read (no timeout, no failure). Models load
once per worker process; a warm-up protocol per worker is not counted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ocr import tasks
from ocr.result import protocol_form
from ocr.synthetic import ProtocolSpec, generate
from services.elections import load_elections

REDIS = "redis://127.0.0.1:6379/13"


def start_worker(log: Path) -> subprocess.Popen[bytes]:
    environment = {
        **{key: value for key, value in os.environ.items() if not key.startswith("HAQBOT_")},
        "HAQBOT_OCR__BROKER": "redis",
        "HAQBOT_REDIS__URL": REDIS,
        "HAQBOT_OCR__WORKERS": "1",
    }
    return subprocess.Popen(
        [sys.executable, str(ROOT / "bot.py"), "worker"],
        env=environment,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


async def flush() -> None:
    from redis.asyncio import Redis

    async with Redis.from_url(REDIS) as redis:
        await redis.flushdb()


async def run(workers: int, images: list[bytes], form, folder: Path) -> tuple[float, float]:
    await flush()
    processes = [start_worker(folder / f"worker{workers}-{n}.log") for n in range(workers)]
    try:
        # Warm-up: one protocol per worker, so each has loaded its models before the clock runs.
        warm = await asyncio.gather(
            *(tasks.run_recognition([images[0]], form) for _ in range(workers))
        )
        if any(result.engine == "none" for result in warm):
            raise SystemExit(f"{workers} worker(s) did not answer (logs in {folder})")
        before = sum(cpu_seconds(process.pid) for process in processes)
        started = time.perf_counter()
        results = await asyncio.gather(*(tasks.run_recognition([image], form) for image in images))
        elapsed = time.perf_counter() - started
        cpu = sum(cpu_seconds(process.pid) for process in processes) - before
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
    failed = [result.problems for result in results if result.engine == "none"]
    if failed:
        raise SystemExit(f"{workers} worker(s): {len(failed)} protocols not read: {failed[:3]}")
    return elapsed, cpu


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--protocols", type=int, default=16)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 3])
    args = parser.parse_args()
    election = load_elections(ROOT / "elections")["2023-parliament"]
    form = protocol_form(election, "mazhilis")
    images = [
        generate(election, ProtocolSpec("2023-parliament", "mazhilis", "ru", seed=9000 + n))[0]
        for n in range(args.protocols)
    ]
    tasks.configure("redis", REDIS, 1, timeout=600)
    folder = Path(tempfile.mkdtemp(prefix="haqbot-ocr-workers-"))
    print(f"{os.cpu_count()} cores; {args.protocols} one-page protocols; logs in {folder}")
    first = None
    try:
        for workers in args.workers:
            elapsed, cpu = await run(workers, images, form, folder)
            rate = args.protocols / elapsed
            first = first or rate
            print(
                f"{workers} worker(s): {rate:.2f} protocols/s ({elapsed:.1f} s), "
                f"{rate / first:.2f}x the first; workers' CPU {cpu / args.protocols:.2f} s per "
                f"protocol, {cpu / elapsed:.2f} cores busy"
            )
    finally:
        await tasks.stop()


if __name__ == "__main__":
    asyncio.run(main())
