"""kill -9 of the bot process while its two outboxes send through a storm of 429 and 500
answers, then a count of what each recipient got: lost and duplicated messages. Used by
tests/test_kill_storm.py (small) and bench/kill_storm.py (the figures in docs/reliability.md).

The bot runs as `bot.py run` in a process of its own (polling the emulator, which runs here),
on a SQLite file seeded with a broadcast (one message per observer, the message outbox) and
channel posts (the channel outbox). The run kills it at random moments while it sends,
starts it again each time, and at the end lets it finish."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from emulator.server import LOCAL_TOKEN, EmulatorServer
from models.tables import ChannelPostRow, OutgoingMessageRow, utc_now
from publishing.outbox import Draft, OutboxStatus, PostKind
from services import outgoing
from services.outgoing import OutgoingKind, OutgoingStatus
from settings import PROJECT_ROOT
from storage import migrate
from storage.channel import ChannelPostRepository
from storage.database import create_engine, create_sessionmaker
from tests.conftest import TEST_ENCRYPTION_KEY


@dataclass
class StormFigures:
    messages: int
    posts: int
    kills: int = 0
    kills_while_sending: int = 0
    lost_messages: int = 0
    duplicated_messages: int = 0
    lost_posts: int = 0
    duplicated_posts: int = 0
    faults_returned: int = 0
    seconds: float = 0.0
    restarts_seconds: list[float] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"messages: {self.messages} queued, {self.lost_messages} lost, "
            f"{self.duplicated_messages} duplicated",
            f"channel posts: {self.posts} queued, {self.lost_posts} lost, "
            f"{self.duplicated_posts} duplicated",
            f"kill -9: {self.kills} ({self.kills_while_sending} while the outbox was sending); "
            f"storm answers (429 or 500): {self.faults_returned}; all delivered in "
            f"{self.seconds:.0f} s",
        ]


def _environment(emulator_url: str, database_url: str) -> dict[str, str]:
    inherited = {key: value for key, value in os.environ.items() if not key.startswith("HAQBOT_")}
    return inherited | {
        "HAQBOT_TELEGRAM__TOKEN": LOCAL_TOKEN,
        "HAQBOT_TELEGRAM__API_BASE": emulator_url,
        "HAQBOT_DATABASE__URL": database_url,
        "HAQBOT_SECURITY__ENCRYPTION_KEY": TEST_ENCRYPTION_KEY,
        "HAQBOT_SCHEDULE__CHANNEL_POSTS": "true",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def _start(environment: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, str(PROJECT_ROOT / "bot.py"), "run"],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


async def _seed(engine: AsyncEngine, emulator: EmulatorServer, messages: int, posts: int) -> None:
    await migrate.upgrade(engine)
    async with create_sessionmaker(engine)() as session, session.begin():
        for index in range(messages):
            user = emulator.world.add_user(f"S{index}", "ru")
            outgoing.queue_message(
                session, user.id, f"storm message {index}", kind=OutgoingKind.BROADCAST
            )
        posts_repository = ChannelPostRepository(session)
        for index in range(posts):
            draft = Draft(PostKind.INCIDENTS, "@haqtime", f"storm post {index}", f"storm-{index}")
            await posts_repository.add(draft, utc_now())


async def _unfinished(engine: AsyncEngine) -> int:
    """Messages and storm posts not yet delivered (read while the bot process writes: WAL)."""
    async with create_sessionmaker(engine)() as session:
        messages = await session.scalar(
            select(func.count())
            .select_from(OutgoingMessageRow)
            .where(
                OutgoingMessageRow.status.in_(
                    [OutgoingStatus.PENDING.value, OutgoingStatus.SENDING.value]
                )
            )
        )
        posts = await session.scalar(
            select(func.count())
            .select_from(ChannelPostRow)
            .where(ChannelPostRow.status != OutboxStatus.SENT)
            .where(ChannelPostRow.text.like("storm post %"))
        )
    return int(messages or 0) + int(posts or 0)


def _sent(emulator: EmulatorServer) -> int:
    return emulator.world.method_counts.get("sendMessage", 0)


async def run_storm(
    folder: Path,
    *,
    messages: int,
    posts: int,
    kills: int,
    seed: int = 1,
    chance: float = 0.2,
    deadline_seconds: float = 600,
) -> StormFigures:
    chooser = random.Random(seed)
    emulator = await EmulatorServer(port=0, rate_limits=False).start()
    database_url = f"sqlite+aiosqlite:///{folder / 'storm.sqlite3'}"
    engine = create_engine(database_url)  # this process's reads, for the whole run
    log = folder / "bot.log"
    figures = StormFigures(messages=messages, posts=posts)
    process: subprocess.Popen[bytes] | None = None
    try:
        await _seed(engine, emulator, messages, posts)
        environment = _environment(emulator.url, database_url)
        # 429 (retry after 1 s) or 500 on a fifth of the sends, from first to last.
        emulator.world.faults.mode = "storm"
        emulator.world.faults.remaining = 10**9
        emulator.world.faults.retry_after = 1
        emulator.world.faults.chance = chance
        emulator.world.faults.methods = {"sendmessage"}
        emulator.world.faults.rng.seed(seed)
        started = time.monotonic()
        for _ in range(kills):
            process = _start(environment, log)
            before = _sent(emulator)
            while _sent(emulator) == before and process.poll() is None:
                if time.monotonic() - started > deadline_seconds:
                    raise TimeoutError("the bot never started sending")
                await asyncio.sleep(0.05)
            await asyncio.sleep(chooser.uniform(0.05, 1.5))
            sending = await _unfinished(engine) > 0
            process.send_signal(signal.SIGKILL)
            process.wait()
            figures.kills += 1
            figures.kills_while_sending += sending
        process = _start(environment, log)
        while await _unfinished(engine) > 0:
            if time.monotonic() - started > deadline_seconds:
                raise TimeoutError(f"not all delivered after {deadline_seconds} s; see {log}")
            if process.poll() is not None:
                raise RuntimeError(f"the bot exited with {process.returncode}; see {log}")
            await asyncio.sleep(0.2)
        figures.seconds = time.monotonic() - started
        process.terminate()
        process.wait(30)
        process = None

        received = Counter(
            message.get("text", "")
            for chat_id, chat in emulator.world.chats.items()
            if chat.type == "private"
            for message in chat.messages.values()
            if message.get("text", "").startswith("storm message ")
        )
        posted = Counter(
            message.get("text", "")
            for message in emulator.world.channel.messages.values()
            if "storm post " in message.get("text", "")
        )
        figures.lost_messages = sum(
            1 for index in range(messages) if received[f"storm message {index}"] == 0
        )
        figures.duplicated_messages = sum(count - 1 for count in received.values() if count > 1)
        figures.lost_posts = sum(
            1 for index in range(posts) if not any(f"storm post {index}" == t for t in posted)
        )
        figures.duplicated_posts = sum(count - 1 for count in posted.values() if count > 1)
        figures.faults_returned = len(emulator.world.errors_returned)
        return figures
    finally:
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
        await engine.dispose()
        await emulator.stop()
