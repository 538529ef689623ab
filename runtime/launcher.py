"""Run modes: polling with a token, webhook for replicas, or the local emulator with no token."""

from __future__ import annotations

import asyncio
import logging
import signal

from emulator.server import LOCAL_TOKEN, EmulatorServer
from runtime.app import Application, build_application, run_polling, start_webhook
from services.precincts import Precinct
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

    attach_demo_controls(server, app)

    async def demo_start() -> None:
        await load_demo_precincts(app)
        code = await demo_invite(app)
        print(
            f"haqbot runs against the local Telegram emulator (no token configured).\n"
            f"Open {server.url}/ in a browser, create a user and send /start.\n"
            f"  An observer: send /start o-{code} (a demo invite code, valid 30 days).\n"
            f"  A coordinator: press 'Play a coordinator' on the page, then /coordinator.\n"
            f"  Something to look at: stop, run `python bot.py demo`, start again.",
            flush=True,
        )

    app.dispatcher.startup.register(demo_start)
    try:
        await run_polling(app)
    finally:
        await app.close()
        await server.stop()


def attach_demo_controls(server: EmulatorServer, app: Application) -> None:
    """Emulator mode only: the page's 'Play a coordinator' adds the user to this session's
    coordinators (in memory: gone at restart, never written to the configuration), with the
    coordinators' commands in their menu."""
    from runtime.app import set_coordinator_commands

    async def play_coordinator(user_id: int) -> None:
        if user_id not in app.settings.coordinators.ids:
            app.settings.coordinators.ids.append(user_id)
        await set_coordinator_commands(app.bot, app.i18n_core, app.settings)

    server.world.play_coordinator = play_coordinator


async def demo_invite(app: Application) -> str:
    """A fresh single-use invite code for trying the observer's side."""
    from services.observers import ObserverService
    from storage.observers import ObserverRepository
    from storage.unit_of_work import unit_of_work

    async with unit_of_work(app.sessionmaker) as unit:
        service = ObserverService(ObserverRepository(unit.session), app.cipher)
        return (await service.create_invites(1, None, 30))[0]


def demo_directory() -> list[Precinct]:
    """The README walk-through's polling stations (elections/demo-precincts.csv)."""
    from services.precincts import parse_precincts_csv

    precincts, errors = parse_precincts_csv(DEMO_PRECINCTS.read_text(encoding="utf-8"))
    if errors:
        raise ValueError(f"{DEMO_PRECINCTS}: {errors[0]}")
    return precincts


async def load_demo_precincts(app: Application) -> None:
    """A rehearsal needs polling stations: the demo directory, into an empty table only."""
    from storage.precincts import PrecinctRepository
    from storage.unit_of_work import unit_of_work

    async with unit_of_work(app.sessionmaker) as unit:
        repository = PrecinctRepository(unit.session)
        if await repository.count():
            return
        precincts = demo_directory()
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
