"""Benchmark: scaled mode, 1, 2 and 3 bot processes behind a balancer.

    .venv/bin/python bench/scale_out.py --signers 300 --concurrency 48
    .venv/bin/python bench/scale_out.py --processes 1 2 --signers 200

Each run: a fresh PostgreSQL database and Redis database, N `bot.py run` processes in webhook
mode (dialog state and per-user ordering in Redis), a round-robin balancer on the loopback in
front of them, and the emulator posting the supporters' updates to the balancer. The supporters
sign a petition end to end (13 updates each, bench/petition_signing.py's journey). Prints, per
N: updates/s, the CPU seconds of the bots, of PostgreSQL and of this process (emulator, balancer
and the supporters), and checks that every update was handled once: each supporter's signature
is in the database exactly once and the balancer forwarded each update once.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.petition_signing import KEY, STEPS_PER_SIGNER, Timer, free_port, one_signer
from emulator.client import EmulatorClient
from emulator.server import LOCAL_TOKEN, EmulatorServer

POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432"
DATABASE = "haqbot_scale_bench"
REDIS = "redis://127.0.0.1:6379/14"
SECRET = "bench-webhook-secret"
TICKS = os.sysconf("SC_CLK_TCK")


class Balancer:
    """Round robin over the bots' webhook listeners; counts what it forwards, by update id."""

    def __init__(self, ports: list[int]) -> None:
        self.targets = itertools.cycle([f"http://127.0.0.1:{port}" for port in ports])
        self.forwarded: dict[int, int] = {}
        self.http: aiohttp.ClientSession | None = None

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        update_id = int((await request.json())["update_id"])
        assert self.http is not None
        async with self.http.post(
            next(self.targets) + request.path, data=body, headers=request.headers
        ) as answer:
            if answer.status == 200:
                self.forwarded[update_id] = self.forwarded.get(update_id, 0) + 1
            return web.Response(status=answer.status, body=await answer.read())

    async def start(self) -> tuple[web.AppRunner, int]:
        self.http = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0), timeout=aiohttp.ClientTimeout(total=120)
        )
        app = web.Application()
        app.router.add_post("/{tail:.*}", self.handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        port = free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        return runner, port

    async def close(self) -> None:
        if self.http is not None:
            await self.http.close()


async def fresh_stores() -> str:
    import asyncpg
    from redis.asyncio import Redis

    admin = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/postgres")
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {DATABASE}")
    finally:
        await admin.close()
    async with Redis.from_url(REDIS) as redis:
        await redis.flushdb()
    return f"{POSTGRES}/{DATABASE}"


def start_bot(emulator_url: str, database_url: str, port: int, public_url: str, log: Path):
    environment = {
        **{key: value for key, value in os.environ.items() if not key.startswith("HAQBOT_")},
        "HAQBOT_TELEGRAM__TOKEN": LOCAL_TOKEN,
        "HAQBOT_TELEGRAM__API_BASE": emulator_url,
        "HAQBOT_TELEGRAM__MODE": "webhook",
        "HAQBOT_TELEGRAM__WEBHOOK_URL": public_url,
        "HAQBOT_TELEGRAM__WEBHOOK_LISTEN_PORT": str(port),
        "HAQBOT_TELEGRAM__WEBHOOK_SECRET": SECRET,
        "HAQBOT_DATABASE__URL": database_url,
        "HAQBOT_REDIS__URL": REDIS,
        "HAQBOT_SECURITY__ENCRYPTION_KEY": KEY,
    }
    return subprocess.Popen(
        [sys.executable, str(ROOT / "bot.py"), "run"],
        env=environment,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


async def wait_healthy(port: int) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(600):
            with contextlib.suppress(aiohttp.ClientError):
                async with http.get(f"http://127.0.0.1:{port}/healthz") as answer:
                    if answer.status == 200:
                        return
            await asyncio.sleep(0.1)
    raise SystemExit(f"the bot on port {port} did not start (see its log in the temp folder)")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def service_cpu(*names: str) -> float:
    """CPU seconds of every process with one of these names (a server and its backends)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if (entry / "comm").read_text().strip() in names:
                    total += cpu_seconds(int(entry.name))
    return total


def postgres_cpu() -> float:
    return service_cpu("postgres", "postmaster")


def redis_cpu() -> float:
    return service_cpu("redis-server")


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def signatures_stored(database_url: str) -> tuple[int, int]:
    from sqlalchemy import func, select

    from models.tables import PetitionSignatureRow
    from storage.database import create_engine

    engine = create_engine(database_url)
    async with engine.connect() as connection:
        rows = await connection.scalar(select(func.count()).select_from(PetitionSignatureRow))
        people = await connection.scalar(
            select(func.count(func.distinct(PetitionSignatureRow.telegram_id)))
        )
    await engine.dispose()
    return int(rows or 0), int(people or 0)


async def run(processes: int, signers: int, concurrency: int, folder: Path) -> dict[str, float]:
    database_url = await fresh_stores()
    server = await EmulatorServer(port=0, rate_limits=False).start()
    ports = [free_port() for _ in range(processes)]
    balancer = Balancer(ports)
    runner, balancer_port = await balancer.start()
    public = f"http://127.0.0.1:{balancer_port}"
    bots = []
    client = EmulatorClient(server.url)
    try:
        for index, port in enumerate(ports):  # one at a time: the first one migrates
            bots.append(
                start_bot(server.url, database_url, port, public, folder / f"bot{index}.log")
            )
            await wait_healthy(port)
        for _ in range(300):
            if server.world.webhook is not None:
                break
            await asyncio.sleep(0.1)
        # Warm-up, not measured: each process's first updates import and build what they use.
        warm = Timer()
        await asyncio.gather(
            *(one_signer(client, 90_000 + n, warm, 0) for n in range(processes * 2))
        )
        bots_before = [cpu_seconds(bot.pid) for bot in bots]
        postgres_before, redis_before, own_before = postgres_cpu(), redis_cpu(), own_cpu()
        taps = Timer()
        gate = asyncio.Semaphore(concurrency)

        async def limited(number: int) -> None:
            async with gate:
                await one_signer(client, number, taps, pace=0)

        started = time.perf_counter()
        await asyncio.gather(*(limited(n) for n in range(signers)))
        elapsed = time.perf_counter() - started
        bots_cpu = [
            cpu_seconds(bot.pid) - before for bot, before in zip(bots, bots_before, strict=True)
        ]
        postgres, own = postgres_cpu() - postgres_before, own_cpu() - own_before
        redis = redis_cpu() - redis_before
    finally:
        await client.close()
        for bot in bots:
            bot.terminate()
        for bot in bots:
            bot.wait(timeout=30)
        await runner.cleanup()
        await balancer.close()
        await server.stop()
    rows, people = await signatures_stored(database_url)
    expected = signers + processes * 2
    twice = sum(1 for count in balancer.forwarded.values() if count > 1)
    if rows != expected or people != expected or twice:
        raise SystemExit(f"{processes} processes: {rows} signatures of {expected}, {twice} twice")
    return {
        "updates_per_s": signers * STEPS_PER_SIGNER / elapsed,
        "seconds": elapsed,
        "p50_ms": taps.percentile(0.5),
        "p95_ms": taps.percentile(0.95),
        "bots_cpu": sum(bots_cpu),
        "per_bot_cpu": max(bots_cpu),
        "postgres_cpu": postgres,
        "redis_cpu": redis,
        "own_cpu": own,
        "updates": signers * STEPS_PER_SIGNER,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--signers", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=48, help="supporters tapping at once")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="haqbot-scale-"))
    print(f"{os.cpu_count()} cores; logs in {folder}")
    results = {}
    for processes in args.processes:
        figures = await run(processes, args.signers, args.concurrency, folder)
        results[processes] = figures
        updates = figures["updates"]
        print(
            f"{processes} bot process(es): {figures['updates_per_s']:.1f} updates/s "
            f"({updates:.0f} in {figures['seconds']:.1f} s; tap p50 {figures['p50_ms']:.0f} ms, "
            f"p95 {figures['p95_ms']:.0f} ms); CPU ms per update: bots "
            f"{figures['bots_cpu'] / updates * 1000:.1f} (busiest process "
            f"{figures['per_bot_cpu'] / figures['seconds'] * 100:.0f}% of a core), PostgreSQL "
            f"{figures['postgres_cpu'] / updates * 1000:.1f}, Redis "
            f"{figures['redis_cpu'] / updates * 1000:.1f}, emulator + balancer + supporters "
            f"{figures['own_cpu'] / updates * 1000:.1f}; every update handled once"
        )
    if 1 in results:
        base = results[1]["updates_per_s"]
        for processes, figures in results.items():
            if processes != 1:
                print(f"{processes} vs 1 process: {figures['updates_per_s'] / base:.2f}x updates/s")


if __name__ == "__main__":
    asyncio.run(main())
