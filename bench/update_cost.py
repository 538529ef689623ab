"""Benchmark: the CPU one handled update costs haqbot, beside a minimal aiogram bot doing the same
petition taps (bench/toy_bot.py), the same toy written with aiogram-dialog
(bench/toy_dialog_bot.py), the same toy keeping its dialog state and signatures in SQLite
(committed before each reply, as a bot that loses nothing on a restart must) and the same toy
with the pydantic class of each Bot API answer built once (as haqbot's session does), measured
in the same run; and the SQL statements each tap of the journey costs haqbot.

    .venv/bin/python bench/update_cost.py --signers 150 --concurrency 8 --rounds 5

Each bot runs as its own process in webhook mode against its own emulator, which plays the
supporters: /start p-petition-2021 → read → 8 × agree → name → region → sign (13 updates). All
five run at once and take turns: in each round each bot is fed its share of the signers, one bot
after the other, so that a round's ratios compare batches taken minutes apart at most (the
shared machine's speed drifts by half within minutes). A bot's CPU is read from /proc (user +
system) around each batch, after a warm-up, so start-up and imports are not counted. haqbot
runs on a fresh SQLite file, as `make run` does. Then one signer goes through haqbot in this
process with every SQL statement counted per tap.
Figures: bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.petition_signing import (
    AGREE,
    KEY,
    READ,
    SIGN,
    Timer,
    free_port,
    one_signer,
    start_bot,
    wait_for_webhook,
)
from emulator.client import EmulatorClient
from emulator.server import LOCAL_TOKEN, EmulatorServer

STEPS = 13


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_toy(
    emulator_url: str,
    port: int,
    script: str = "toy_bot.py",
    sqlite: str | None = None,
    hold_response_types: bool = False,
) -> subprocess.Popen[bytes]:
    environment = {
        **os.environ,
        "HAQBOT_TOY_API_BASE": emulator_url,
        "HAQBOT_TOY_PORT": str(port),
        "HAQBOT_TOY_TOKEN": LOCAL_TOKEN,
    }
    if sqlite:
        environment["HAQBOT_TOY_SQLITE"] = sqlite
    if hold_response_types:
        environment["HAQBOT_TOY_HOLD_RESPONSE_TYPES"] = "1"
    # The toys run at once: each its own log.
    name = (
        Path(script).stem + ("-sqlite" if sqlite else "") + ("-held" if hold_response_types else "")
    )
    log = (Path(tempfile.gettempdir()) / f"haqbot-bench-{name}.log").open("wb")
    return subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / script)],
        env=environment,
        stdout=log,
        stderr=log,
    )


async def sign(client: EmulatorClient, number: int) -> None:
    """One supporter's 13 taps, untimed (the journey of bench/petition_signing.py)."""
    await one_signer(client, number, Timer(), pace=0)


@dataclass
class RunningBot:
    """One bot process in webhook mode, fed by its own emulator."""

    name: str
    server: EmulatorServer
    process: subprocess.Popen[bytes]
    client: EmulatorClient


async def launch(name: str, start: Callable[[str, int], subprocess.Popen[bytes]]) -> RunningBot:
    server = await EmulatorServer(port=0, rate_limits=False).start()
    process = start(server.url, free_port())
    bot = RunningBot(name, server, process, EmulatorClient(server.url))
    await wait_for_webhook(server, name)
    for number in range(5):  # warm-up: first-call imports and caches
        await sign(bot.client, 900_000 + number)
    return bot


async def cpu_per_update(bot: RunningBot, first: int, signers: int, concurrency: int) -> float:
    """Milliseconds of the bot process's CPU per handled update, over one batch of signers."""
    before = cpu_seconds(bot.process.pid)
    gate = asyncio.Semaphore(concurrency)

    async def limited(number: int) -> None:
        async with gate:
            await sign(bot.client, number)

    await asyncio.gather(*(limited(first + n) for n in range(signers)))
    return (cpu_seconds(bot.process.pid) - before) / (signers * STEPS) * 1000


async def stop(bot: RunningBot) -> None:
    await bot.client.close()
    bot.process.terminate()
    bot.process.wait(timeout=30)
    await bot.server.stop()


async def statements_per_tap() -> list[tuple[str, int]]:
    """One signer through haqbot in this process, every SQL statement counted per tap."""
    from sqlalchemy import event

    from runtime.app import build_application, run_polling
    from settings import Settings
    from storage.inline_sqlite import sqlite_of

    folder = tempfile.mkdtemp(prefix="haqbot-bench-sql-")
    settings = Settings(
        database={"url": f"sqlite+aiosqlite:///{folder}/bench.sqlite3"},
        security={"encryption_key": KEY},
        schedule={"channel_posts": False},
    )
    server = await EmulatorServer(port=0, rate_limits=False).start()

    async def settled(update_id: int) -> None:
        server.world.settle(update_id)

    server.world.settle_hook_attached = True
    app = build_application(settings, token=LOCAL_TOKEN, api_base=server.url, on_settled=settled)
    counted = [0]

    def count(sql: str) -> None:
        # What SQLAlchemy runs and what runs on SQLite's connection directly (the prepared
        # statements), not the transaction's own BEGIN and COMMIT, as before.
        if sql.split(None, 1)[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK"):
            counted[0] += 1

    def trace(dbapi_connection: Any, _record: Any) -> None:
        sqlite = sqlite_of(dbapi_connection.driver_connection)
        if sqlite is not None:
            sqlite.set_trace_callback(count)

    event.listen(app.engine.sync_engine, "connect", trace)
    polling = asyncio.create_task(run_polling(app, handle_signals=False))
    client = EmulatorClient(server.url)
    steps: list[tuple[str, int]] = []
    try:
        await asyncio.sleep(2)  # started: migrations and start-up statements are not counted
        await sign(client, 1)  # the first signer warms the caches
        user = await client.new_user("Measured", language_code="ru")

        async def step(label: str, action) -> None:
            before = counted[0]
            await action
            steps.append((label, counted[0] - before))

        await step("/start p-petition-2021", user.send("/start p-petition-2021"))
        await step("read", user.tap(READ))
        for index in range(8):
            await step(f"agree {index + 1}", user.tap(AGREE))
        await step("name typed", user.send("Подписант Измеренный"))
        await step("region", user.tap("г. Астана"))
        await step("sign", user.tap(SIGN))
    finally:
        await client.close()
        await app.dispatcher.stop_polling()
        await asyncio.gather(polling, return_exceptions=True)
        await app.close()
        await server.stop()
    return steps


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--signers", type=int, default=150)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="haqbot-bench-")
    database = f"sqlite+aiosqlite:///{folder}/bench.sqlite3"
    durable = "toy with its state in SQLite"
    held = "toy, response types held"
    starts: dict[str, Callable[[str, int], subprocess.Popen[bytes]]] = {
        "toy": start_toy,
        held: lambda url, port: start_toy(url, port, hold_response_types=True),
        "toy on aiogram-dialog": lambda url, port: start_toy(url, port, "toy_dialog_bot.py"),
        durable: lambda url, port: start_toy(url, port, sqlite=f"{folder}/toy.sqlite3"),
        "haqbot": lambda url, port: start_bot(url, database, port),
    }
    bots = [await launch(name, start) for name, start in starts.items()]
    # The machine's speed drifts within minutes (shared host): the bots take turns in short
    # batches, and each round's ratios compare batches run side by side in time.
    figures: dict[str, list[float]] = {bot.name: [] for bot in bots}
    per_round = max(1, args.signers // args.rounds)
    try:
        for round_number in range(args.rounds):
            first = round_number * per_round
            for bot in bots:
                figures[bot.name].append(
                    await cpu_per_update(bot, first, per_round, args.concurrency)
                )
    finally:
        for bot in bots:
            await stop(bot)
    print(
        f"signers: {per_round * args.rounds} × {STEPS} updates each per bot, in {args.rounds} "
        f"rounds taken in turn, concurrency {args.concurrency}"
    )
    print("CPU per handled update, median of the rounds (lowest–highest):")
    for name, values in figures.items():
        print(f"  {name:<30} {median(values):6.2f} ms ({min(values):.2f}–{max(values):.2f})")
    for name, baseline in (
        ("toy on aiogram-dialog", "toy"),
        (durable, "toy"),
        (held, "toy"),
        ("haqbot", "toy"),
        ("haqbot", durable),
        ("haqbot", held),
    ):
        ratios = [a / b for a, b in zip(figures[name], figures[baseline], strict=True)]
        target = " (issue 15's target: at most 2×)" if (name, baseline) == ("haqbot", "toy") else ""
        print(
            f"ratio {name} / {baseline}: {median(ratios):.2f}× median of the rounds "
            f"({min(ratios):.2f}–{max(ratios):.2f}){target}"
        )
    steps = await statements_per_tap()
    print("SQL statements per update (haqbot, SQLite):")
    for label, count in steps:
        print(f"  {label:<24} {count}")
    print(f"  mean {sum(c for _, c in steps) / len(steps):.1f}")


if __name__ == "__main__":
    asyncio.run(main())
