"""Benchmark: a broadcast to many observers against the emulator's global rate limit.

    # 1,000 observers, limit 30/s, pace 28.5/s
    .venv/bin/python bench/broadcast.py
    .venv/bin/python bench/broadcast.py --observers 2000 --limit 100 --pace 90

The emulator (with Telegram's limits switched on) and the bot run in this process on a fresh
SQLite file; a coordinator sends one broadcast to every observer from the chat. Prints the
throughput, its ratio to the emulator's global limit, and how many 429s Telegram would have
answered (the target: none). Figures: bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from emulator.client import EmulatorClient
from emulator.server import EmulatorServer
from tests.conftest import COORDINATOR_ID, TEST_ENCRYPTION_KEY, make_settings, start_polling_bot
from tests.test_message_outbox import add_observers


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--observers", type=int, default=1000)
    parser.add_argument(
        "--limit", type=float, default=30.0, help="the emulator's global limit, messages/s"
    )
    parser.add_argument(
        "--pace", type=float, default=28.5, help="telegram.messages_per_second of the bot"
    )
    args = parser.parse_args()
    url = f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/broadcast.sqlite3"
    settings = make_settings(url, telegram={"messages_per_second": args.pace})
    assert TEST_ENCRYPTION_KEY
    emulator = await EmulatorServer(port=0, rate_limits=False).start()
    bot = await start_polling_bot(settings, emulator)
    client = EmulatorClient(emulator.url)
    try:
        await add_observers(bot, client, args.observers)
        hq = await client.new_user("HQ", language_code="ru", user_id=COORDINATOR_ID)
        await hq.send("/start")
        await hq.tap("Русский")
        await hq.send("/coordinator")
        await hq.tap("📣 Рассылка наблюдателям")
        await hq.tap("👁 Всем наблюдателям")
        await hq.send("Проверка связи")
        await client.set_rate_limits(
            enabled=True, global_per_second=args.limit, per_chat_per_second=1, per_chat_burst=5
        )
        send = next(button for button in hq.buttons if button.startswith("📨"))
        started = time.monotonic()
        await hq.tap(send)
        while True:
            await hq.refresh()
            if hq.last_message.startswith("📣 Рассылка завершена"):
                break
            await asyncio.sleep(0.2)
        elapsed = time.monotonic() - started
        errors = [e for e in (await client.stats())["errors"] if e["status"] == 429]
        rate = args.observers / elapsed
        print(
            f"{args.observers} observers, emulator limit {args.limit:g}/s, bot pace {args.pace:g}/s"
        )
        print(
            f"  delivered in {elapsed:.1f} s: {rate:.1f} messages/s = {rate / args.limit:.0%} of "
            f"the limit; 429 answers: {len(errors)}"
        )
        print(f"  {hq.last_message.splitlines()[-1]}")
    finally:
        await client.close()
        await bot.stop()
        await emulator.stop()


if __name__ == "__main__":
    asyncio.run(main())
