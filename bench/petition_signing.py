"""Benchmark: supporters signing a petition end to end through the emulator.

    .venv/bin/python bench/petition_signing.py --signers 2000 --concurrency 32
    # open loop, 30 updates/s
    .venv/bin/python bench/petition_signing.py --signers 300 --rate 30

The bot runs as its own process (webhook mode, so an update counts as handled only once the bot
has answered and committed it), against a fresh SQLite file (or --database-url). This process
runs the emulator and plays the supporters: /start p-petition-2021 (Telegram in Russian: no
language question) → read → 8 × agree → name → region → sign (13 updates). Prints throughput,
latency per tap, the bot's peak memory, the count query, and the time to export --export-rows
signatures to CSV. Figures: bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from emulator.client import EmulatorClient
from emulator.server import LOCAL_TOKEN, EmulatorServer

KEY = "k" * 43 + "="
STEPS_PER_SIGNER = 13  # /start, read, 8 × agree, name, region, sign
THINK_SECONDS = 1.0
READ, AGREE, SIGN = "Читать требования ▶", "✅ Поддерживаю", "✍ Подписать"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_bot(emulator_url: str, database_url: str, port: int) -> subprocess.Popen[bytes]:
    environment = {
        **os.environ,
        "HAQBOT_TELEGRAM__TOKEN": LOCAL_TOKEN,
        "HAQBOT_TELEGRAM__API_BASE": emulator_url,
        "HAQBOT_TELEGRAM__MODE": "webhook",
        "HAQBOT_TELEGRAM__WEBHOOK_URL": f"http://127.0.0.1:{port}",
        "HAQBOT_TELEGRAM__WEBHOOK_LISTEN_PORT": str(port),
        "HAQBOT_TELEGRAM__WEBHOOK_SECRET": "bench-webhook-secret",
        "HAQBOT_DATABASE__URL": database_url,
        "HAQBOT_SECURITY__ENCRYPTION_KEY": KEY,
    }
    log = (Path(tempfile.gettempdir()) / "haqbot-bench-bot.log").open("wb")
    return subprocess.Popen(
        [sys.executable, str(ROOT / "bot.py"), "run"], env=environment, stdout=log, stderr=log
    )


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def wait_for_webhook(server: EmulatorServer, name: str = "the bot") -> None:
    """Until the bot process has set its webhook (it is up), or 30 s."""
    for _ in range(300):
        if server.world.webhook is not None:
            return
        await asyncio.sleep(0.1)
    raise SystemExit(f"{name} did not start (see its log in the temp folder)")


class Timer:
    def __init__(self) -> None:
        self.samples: list[float] = []

    async def time(self, action) -> None:
        started = time.perf_counter()
        await action
        self.samples.append(time.perf_counter() - started)

    def percentile(self, q: float) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def one_signer(client: EmulatorClient, number: int, taps: Timer, pace: float) -> None:
    user = await client.new_user(f"Signer{number}", language_code="ru")

    async def step(action) -> None:
        await taps.time(action)
        if pace:
            await asyncio.sleep(pace)

    await step(user.send("/start p-petition-2021"))
    await step(user.tap(READ))
    for _ in range(8):
        await step(user.tap(AGREE))
    await step(user.send(f"Подписант Номер{chr(0x410 + number % 32)}"))
    await step(user.tap("г. Астана"))
    await step(user.tap(SIGN))
    if "Ваша подпись учтена" not in user.last_message:
        raise AssertionError(f"signer {number} did not sign: {user.last_message[:200]}")


async def seed_and_measure_queries(database_url: str, rows: int) -> dict[str, float]:
    """Bulk-inserts `rows` signatures (as the journey would store them), then times the count
    query and a CSV export of all of them."""
    from sqlalchemy import insert

    from models.tables import PetitionSignatureRow, utc_now
    from services.exports import export_signatures
    from services.personal_data import PersonalDataCipher
    from services.signatures import SignatureService
    from storage.database import create_engine, create_sessionmaker
    from storage.petitions import SignatureRepository
    from storage.unit_of_work import unit_of_work

    cipher = PersonalDataCipher(KEY)
    engine = create_engine(database_url)
    sessionmaker = create_sessionmaker(engine)
    token = cipher.encrypt("Подписант Тестовый")
    now = utc_now()
    async with unit_of_work(sessionmaker) as unit:
        existing = await SignatureService(SignatureRepository(unit.session), cipher).count(
            "petition-2021"
        )
        batch = []
        for number in range(rows - existing):
            batch.append(
                {
                    "petition_slug": "petition-2021",
                    "telegram_id": 10_000_000 + number,
                    "status": "signed",
                    "name_encrypted": token,
                    "region": "almaty_city",
                    "signed_at": now,
                }
            )
            if len(batch) == 5000:
                await unit.session.execute(insert(PetitionSignatureRow), batch)
                batch = []
        if batch:
            await unit.session.execute(insert(PetitionSignatureRow), batch)
        await SignatureService(SignatureRepository(unit.session), cipher).reconcile()
    async with unit_of_work(sessionmaker) as unit:
        service = SignatureService(SignatureRepository(unit.session), cipher)
        started = time.perf_counter()
        for _ in range(1000):
            count = await service.count("petition-2021")
        count_ms = time.perf_counter() - started  # per query in ms: total seconds / 1000 * 1000
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as folder:
            result = await export_signatures(
                SignatureRepository(unit.session),
                cipher,
                "petition-2021",
                "csv",
                Path(folder) / "s.csv",
                "bench",
                ZoneInfo("Asia/Almaty"),
            )
        export_seconds = time.perf_counter() - started
    await engine.dispose()
    return {
        "count": count,
        "count_ms": count_ms,
        "export_rows": result.rows,
        "export_s": export_seconds,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--signers", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=32, help="supporters tapping at once")
    parser.add_argument(
        "--rate", type=float, default=0, help="offer this many updates/s (open loop) instead"
    )
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    parser.add_argument("--export-rows", type=int, default=100_000)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="haqbot-bench-")
    database_url = args.database_url or f"sqlite+aiosqlite:///{folder}/bench.sqlite3"
    server = await EmulatorServer(port=0, rate_limits=False).start()
    port = free_port()
    bot = start_bot(server.url, database_url, port)
    client = EmulatorClient(server.url)
    try:
        await wait_for_webhook(server)
        taps = Timer()
        started = time.perf_counter()
        if args.rate:
            # Open loop: each supporter pauses THINK seconds between taps, and a new one starts
            # every STEPS/rate seconds, so updates arrive at `rate` per second on average
            # whether or not the bot keeps up.
            tasks = []
            for number in range(args.signers):
                tasks.append(
                    asyncio.create_task(one_signer(client, number, taps, pace=THINK_SECONDS))
                )
                # A signer lasts STEPS·THINK s, so STEPS/rate between starts keeps rate·THINK
                # active.
                await asyncio.sleep(STEPS_PER_SIGNER / args.rate)
            await asyncio.gather(*tasks)
        else:
            gate = asyncio.Semaphore(args.concurrency)

            async def limited(number: int) -> None:
                async with gate:
                    await one_signer(client, number, taps, pace=0)

            await asyncio.gather(*(limited(n) for n in range(args.signers)))
        elapsed = time.perf_counter() - started
        memory = peak_rss_mib(bot.pid)
    finally:
        await client.close()
        bot.terminate()
        bot.wait(timeout=30)
        await server.stop()
    queries = await seed_and_measure_queries(database_url, args.export_rows)
    mode = f"offered {args.rate:g} updates/s" if args.rate else f"concurrency {args.concurrency}"
    print(
        f"signers: {args.signers} ({mode}) in {elapsed:.1f} s, database "
        f"{database_url.split(':')[0]}"
    )
    print(
        f"signatures/s: {args.signers / elapsed:.1f}   updates/s: {len(taps.samples) / elapsed:.1f}"
    )
    print(
        f"latency per tap (update sent → handled and committed): p50 {taps.percentile(0.50):.1f} "
        "ms, "
        f"p95 {taps.percentile(0.95):.1f} ms, p99 {taps.percentile(0.99):.1f} ms, mean "
        f"{statistics.mean(taps.samples) * 1000:.1f} ms"
    )
    print(f"bot peak memory (VmHWM): {memory:.0f} MiB")
    print(f"count query with {queries['count']} signatures: {queries['count_ms']:.3f} ms")
    print(f"CSV export of {queries['export_rows']} signatures: {queries['export_s']:.2f} s")


if __name__ == "__main__":
    asyncio.run(main())
