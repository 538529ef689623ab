"""Run modes: polling with a token, webhook for replicas, or the local emulator with no token."""

from __future__ import annotations

import asyncio
import logging
import signal

from emulator.server import LOCAL_TOKEN, EmulatorServer
from runtime.app import Application, build_application, run_polling, start_webhook
from settings import PROJECT_ROOT, Settings

log = logging.getLogger(__name__)
DEMO_PRECINCTS = PROJECT_ROOT / "elections" / "demo-precincts.csv"


async def run_bot(settings: Settings, force_emulator: bool = False) -> None:
    if force_emulator or settings.uses_emulator:
        await run_with_emulator(settings)
        return
    app = build_application(settings)
    try:
        if settings.telegram.mode == "webhook":
            assert settings.telegram.webhook_url is not None  # checked by Settings
            runner = await start_webhook(
                app,
                settings.telegram.webhook_listen_host,
                settings.telegram.webhook_listen_port,
                settings.telegram.webhook_url,
            )
            try:
                await _until_signalled()
            finally:
                await runner.cleanup()
        else:
            await run_polling(app)
    finally:
        await app.close()


async def start_emulator(settings: Settings) -> EmulatorServer:
    return await EmulatorServer(
        host=settings.emulator.host,
        port=settings.emulator.port,
        bot_username=settings.emulator.bot_username,
        channel=settings.channel.chat,
        rate_limits=settings.emulator.rate_limits,
    ).start()


async def run_with_emulator(settings: Settings) -> None:
    server = await start_emulator(settings)

    async def settled(update_id: int) -> None:
        server.world.settle(update_id)

    server.world.settle_hook_attached = True
    app = build_application(settings, token=LOCAL_TOKEN, api_base=server.url, on_settled=settled)

    async def demo_precincts() -> None:
        await load_demo_precincts(app)

    app.dispatcher.startup.register(demo_precincts)
    print(
        f"haqbot runs against the local Telegram emulator (no token configured).\n"
        f"Open {server.url}/ in a browser, create a user and send /start.",
        flush=True,
    )
    try:
        await run_polling(app)
    finally:
        await app.close()
        await server.stop()


async def load_demo_precincts(app: Application) -> None:
    """A rehearsal needs polling stations: the demo directory, into an empty table only."""
    from services.precincts import parse_precincts_csv
    from storage.precincts import PrecinctRepository
    from storage.unit_of_work import unit_of_work

    async with unit_of_work(app.sessionmaker) as unit:
        repository = PrecinctRepository(unit.session)
        if await repository.count():
            return
        precincts, errors = parse_precincts_csv(DEMO_PRECINCTS.read_text(encoding="utf-8"))
        if errors:
            raise ValueError(f"{DEMO_PRECINCTS}: {errors[0]}")
        await repository.upsert_all(precincts)
    log.info("emulator mode: loaded %s demo precincts from %s", len(precincts), DEMO_PRECINCTS.name)


async def run_emulator_only(settings: Settings) -> None:
    server = await start_emulator(settings)
    print(
        f"Telegram emulator on {server.url}/ (web chat at that address).\n"
        f"Point a bot at it with HAQBOT_TELEGRAM__API_BASE={server.url} "
        f"HAQBOT_TELEGRAM__TOKEN={LOCAL_TOKEN}",
        flush=True,
    )
    try:
        await _until_signalled()
    finally:
        await server.stop()


async def _until_signalled() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
