"""Builds the bot, dispatcher, storage and database in one place, and runs them."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.exceptions import ClientDecodeError, TelegramAPIError
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault, Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiogram_i18n.cores import FluentRuntimeCore
from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.web_request import BaseRequest
from aiohttp.web_response import StreamResponse
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from handlers import get_routers
from models.election import Election
from models.incident import IncidentCatalog
from models.petition import Petition
from models.tables import utc_now
from ocr import tasks as ocr_tasks
from ocr.engine import missing_ocr_languages
from publishing.compose import PublishContext, channel_targets
from publishing.publisher import Publisher
from publishing.schedule import Rhythm, phase_explanation, polls_close_at
from runtime.channel import SCHEDULER_LEASE, BotChannelSender, ChannelRunner
from runtime.i18n import build_core, build_i18n_middleware
from runtime.message_outbox import MessageOutbox
from runtime.middlewares import (
    CallbackAnswers,
    DialogUnitMiddleware,
    SettlingDispatcher,
    UnitOfWorkMiddleware,
    UserMiddleware,
)
from runtime.scheduler import build_scheduler
from runtime.secrets import encryption_key
from runtime.telegram_client import build_bot
from services import outgoing
from services.elections import load_elections
from services.incidents import load_incident_catalog
from services.personal_data import PersonalDataCipher
from services.petition_catalog import load_catalog
from settings import LOCALES, PROJECT_ROOT, ConfigError, Settings
from storage import migrate
from storage.channel import LeaseRepository
from storage.database import create_engine, create_sessionmaker, is_sqlite
from storage.fsm_storage import SqlStorage
from storage.petitions import SignatureRepository
from storage.unit_of_work import unit_of_work

log = logging.getLogger(__name__)

# (command, Fluent id of its description), in menu order.
COMMANDS = (
    ("start", "command-start"),
    ("petitions", "command-petitions"),
    ("observer", "command-observer"),
    ("protocol", "command-protocol"),
    ("incident", "command-incident"),
    ("myreports", "command-myreports"),
    ("results", "command-results"),
    ("language", "command-language"),
    ("help", "command-help"),
    ("cancel", "command-cancel"),
    ("mydata", "command-mydata"),
    ("forget", "command-forget"),
)
# Shown to coordinators only (their own chat's scope).
COORDINATOR_COMMANDS = (
    ("coordinator", "command-coordinator"),
    ("post_now", "command-post-now"),
    ("pause_channel", "command-pause-channel"),
    ("resume_channel", "command-resume-channel"),
)
WEBHOOK_PATH = "/telegram"


@dataclass
class Application:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    bot: Bot
    dispatcher: Dispatcher
    storage: BaseStorage
    i18n_core: FluentRuntimeCore
    petitions: dict[str, Petition]
    cipher: PersonalDataCipher
    channel: ChannelRunner
    outbox: MessageOutbox
    closers: list[Callable[[], Awaitable[Any]]] = field(default_factory=list)

    async def close(self) -> None:
        for close in reversed(self.closers):
            await close()


def build_fsm_storage(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> tuple[BaseStorage, BaseEventIsolation]:
    """Dialog state in Redis when configured (several processes), else in the database."""
    if settings.redis.url:
        from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage
        from redis.asyncio import Redis

        redis = Redis.from_url(settings.redis.url)
        key_builder = DefaultKeyBuilder(with_bot_id=True, with_destiny=True)
        return RedisStorage(redis, key_builder=key_builder), RedisEventIsolation(redis, key_builder)
    # One process: an in-process lock per user serialises albums and double taps.
    return SqlStorage(sessionmaker), SimpleEventIsolation()


def build_dispatcher(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    core: FluentRuntimeCore,
    storage: BaseStorage,
    events_isolation: BaseEventIsolation,
    petitions: dict[str, Petition],
    cipher: PersonalDataCipher,
    election: Election,
    incident_catalog: IncidentCatalog,
    on_settled: Callable[[int], Awaitable[None]] | None = None,
    channel: ChannelRunner | None = None,
    outbox: MessageOutbox | None = None,
) -> Dispatcher:
    # Keyword arguments become data every handler can ask for by name.
    dispatcher = SettlingDispatcher(
        on_settled=on_settled,
        storage=storage,
        events_isolation=events_isolation,
        settings=settings,
        petitions=petitions,
        cipher=cipher,
        election=election,
        incident_catalog=incident_catalog,
        channel=channel,
        outbox=outbox,
    )
    units = UnitOfWorkMiddleware(
        sessionmaker,
        cipher,
        settings.alert_chats(),
        outbox.send_now if outbox is not None else None,
    )
    dispatcher.update.outer_middleware(DialogUnitMiddleware(dispatcher.fsm, units))
    dispatcher.update.outer_middleware(UserMiddleware(settings))
    build_i18n_middleware(core, settings.i18n.default_locale).setup(dispatcher)
    dispatcher.callback_query.middleware(CallbackAnswers())
    dispatcher.include_routers(*get_routers())
    return dispatcher


def build_publisher(
    settings: Settings,
    core: FluentRuntimeCore,
    election: Election,
    incident_catalog: IncidentCatalog,
    petitions: dict[str, Petition],
) -> Publisher:
    channel = settings.channel
    context = PublishContext(
        election=election,
        targets=channel_targets(channel.layout, channel.chat, channel.chat_kk, channel.chat_ru),
        translate=lambda message_id, locale, **kw: core.get(message_id, locale, **kw),
        incident_catalog=incident_catalog,
        petitions=petitions,
    )
    schedule = settings.schedule
    rhythm = Rhythm(
        tally=timedelta(minutes=schedule.tally_minutes),
        night_tally=timedelta(minutes=schedule.election_night_tally_minutes),
        incidents=timedelta(minutes=schedule.incidents_minutes),
        night_hours=schedule.election_night_hours,
        live=channel.live,
    )
    close_at = polls_close_at(
        election.date, settings.election.polls_close, settings.election.timezone
    )
    return Publisher(context, rhythm, close_at)


def build_channel_runner(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    bot: Bot,
    core: FluentRuntimeCore,
    election: Election,
    incident_catalog: IncidentCatalog,
    petitions: dict[str, Petition],
) -> ChannelRunner:
    publisher = build_publisher(settings, core, election, incident_catalog, petitions)
    return ChannelRunner(sessionmaker, publisher, BotChannelSender(bot))


def build_application(
    settings: Settings,
    *,
    token: str | None = None,
    api_base: str | None = None,
    on_settled: Callable[[int], Awaitable[None]] | None = None,
) -> Application:
    token = token or (
        settings.telegram.token.get_secret_value() if settings.telegram.token else None
    )
    if token is None:
        raise ValueError("no bot token: configure HAQBOT_TELEGRAM__TOKEN or run with the emulator")
    engine = create_engine(settings.database.url, echo=settings.database.echo)
    sessionmaker = create_sessionmaker(engine)
    core = build_core(settings.i18n.default_locale)
    storage, events_isolation = build_fsm_storage(settings, sessionmaker)
    petitions = load_catalog(PROJECT_ROOT / settings.petitions.directory)
    elections = load_elections(PROJECT_ROOT / "elections")
    if settings.election.active not in elections:
        raise ConfigError(
            f"election.active: no elections/{settings.election.active}.toml (have: "
            f"{', '.join(elections)})"
        )
    cipher = PersonalDataCipher(encryption_key(settings))
    bot = build_bot(
        token,
        api_base or settings.telegram.api_base,
        retries=settings.telegram.request_retries,
        retry_after_max=settings.telegram.retry_after_max_seconds,
        timeout=settings.telegram.request_timeout_seconds,
    )
    election = elections[settings.election.active]
    incident_catalog = load_incident_catalog(PROJECT_ROOT / "incidents" / "categories.toml")
    channel = build_channel_runner(
        settings, sessionmaker, bot, core, election, incident_catalog, petitions
    )
    outbox = MessageOutbox(bot, sessionmaker, core, settings.telegram.messages_per_second)
    dispatcher = build_dispatcher(
        settings,
        sessionmaker,
        core,
        storage,
        events_isolation,
        petitions,
        cipher,
        election,
        incident_catalog,
        on_settled,
        channel,
        outbox,
    )
    app = Application(
        settings,
        engine,
        sessionmaker,
        bot,
        dispatcher,
        storage,
        core,
        petitions,
        cipher,
        channel,
        outbox,
    )
    app.closers += [
        engine.dispose,
        storage.close,
        events_isolation.close,
        bot.session.close,
        ocr_tasks.stop,
    ]
    ocr_tasks.configure(
        settings.ocr.broker, settings.redis.url, settings.ocr.workers, settings.ocr.timeout_seconds
    )
    scheduler = build_scheduler(
        sessionmaker,
        cipher,
        settings.petitions.reconcile_minutes,
        channel,
        settings.schedule.outbox_seconds,
        settings.schedule.channel_posts,
    )

    async def start_scheduler() -> None:
        scheduler.start()

    stopping: list[bool] = []

    async def stop_scheduler() -> None:
        # Called by the dispatcher's shutdown and again by close(); APScheduler's asyncio
        # scheduler still reports `running` until its loop gets to the first request.
        if scheduler.running and not stopping:
            stopping.append(True)
            scheduler.shutdown(wait=False)
            if channel.leader:  # another process may take over at once, not after the expiry
                try:
                    await channel.release()
                except Exception:  # the database may be gone already; the lease then expires
                    log.warning("could not release the scheduler lease", exc_info=True)

    dispatcher.startup.register(start_scheduler)
    dispatcher.shutdown.register(stop_scheduler)
    app.closers.append(stop_scheduler)
    dispatcher.startup.register(outbox.start)
    dispatcher.shutdown.register(outbox.stop)
    app.closers.append(outbox.stop)
    return app


async def prepare(app: Application) -> None:
    """Migrations and start-up checks, before any update is taken."""
    if app.settings.database.migrate_on_start:
        await migrate.upgrade(app.engine)
    async with unit_of_work(app.sessionmaker) as unit:
        await SignatureRepository(unit.session).ensure_counters(app.petitions)
    if is_sqlite(app.settings.database.url):
        await _resume_after_a_crash(app)
    me = await app.bot.get_me()
    log.info("bot @%s (id %s) is ready", me.username, me.id)
    app.channel.publisher.context = replace(app.channel.publisher.context, bot_username=me.username)
    await set_commands(app.bot, app.i18n_core)
    await check_channel(app.bot, app.settings.channel.chat)
    await check_coordinators(app.bot, app.settings)
    await set_coordinator_commands(app.bot, app.i18n_core, app.settings)
    publisher = app.channel.publisher
    log.info(
        "%s",
        phase_explanation(
            utc_now(),
            publisher.close_at,
            publisher.rhythm.night_hours,
            publisher.context.election.slug,
            app.settings.schedule.channel_posts,
        ),
    )
    for problem in await asyncio.to_thread(missing_ocr_languages):
        log.warning("OCR: %s; protocol photos will have to be typed in", problem)
    await ocr_tasks.start()
    # Everything built so far (aiogram's and pydantic's type machinery, ~270,000 objects) lives
    # as long as the process: frozen, it is no longer walked by every full garbage collection,
    # which took ~220 ms and set the bot's p99 latency.
    gc.collect()
    gc.freeze()


async def _resume_after_a_crash(app: Application) -> None:
    """One bot per SQLite file (the lock `bot.py run` takes): messages left "sending" and the
    channel's lease were left by a process that died (kill -9, power). Resume them now instead
    of after the claim (2 min) and the lease (1 min) expire. With PostgreSQL other processes may
    be alive, so the expiry decides."""
    async with unit_of_work(app.sessionmaker) as unit:
        released = await outgoing.release_claims(unit.session)
        cleared = await LeaseRepository(unit.session).clear(SCHEDULER_LEASE)
    if released or cleared:
        log.warning(
            "an earlier process stopped mid-send: %s message(s) back in the queue%s",
            released,
            ", the channel lease released" if cleared else "",
        )


async def set_commands(bot: Bot, core: FluentRuntimeCore) -> None:
    for locale in LOCALES:
        await bot.set_my_commands(
            [
                BotCommand(command=name, description=core.get(text_id, locale))
                for name, text_id in COMMANDS
            ],
            scope=BotCommandScopeDefault(),
            language_code=locale,
        )
    default = core.default_locale or "ru"
    await bot.set_my_commands(
        [
            BotCommand(command=name, description=core.get(text_id, default))
            for name, text_id in COMMANDS
        ],
        scope=BotCommandScopeDefault(),
    )


async def set_coordinator_commands(bot: Bot, core: FluentRuntimeCore, settings: Settings) -> None:
    """Coordinators see their commands too, in each one's private chat (best effort: a
    coordinator who never opened the bot has no chat yet, and check_coordinators says so)."""
    default = core.default_locale or "ru"
    commands = [*COMMANDS, *COORDINATOR_COMMANDS]
    for coordinator in settings.coordinators.ids:
        try:
            await bot.set_my_commands(
                [
                    BotCommand(command=name, description=core.get(text_id, default))
                    for name, text_id in commands
                ],
                scope=BotCommandScopeChat(chat_id=coordinator),
            )
        except (TelegramAPIError, ClientDecodeError) as error:
            log.info("coordinator %s: commands not set (%s)", coordinator, error)


async def check_coordinators(bot: Bot, settings: Settings) -> list[int]:
    """One log line per configured coordinator (or coordinators' chat) the bot cannot write to:
    someone who never pressed /start, blocked the bot, or a chat the bot is not in. Alerts to them
    would fail; the queues in /coordinator keep every item regardless. Returns those chats."""
    targets = ([settings.coordinators.chat_id] if settings.coordinators.chat_id else []) + list(
        settings.coordinators.ids
    )
    unreachable = []
    for target in dict.fromkeys(targets):
        try:
            await bot.get_chat(target)
        except (TelegramAPIError, ClientDecodeError) as error:
            unreachable.append(target)
            kind = (
                "coordinators' chat" if target == settings.coordinators.chat_id else "coordinator"
            )
            log.warning(
                "%s %s: the bot cannot write there (%s); they must open the bot and press /start",
                kind,
                target,
                error,
            )
    if not targets:
        log.warning("no coordinators configured (coordinators.ids): nobody can verify reports")
    return unreachable


async def check_channel(bot: Bot, chat: str) -> None:
    """One clear log line if the bot cannot post to the channel; the dialogs work regardless."""
    try:
        me = await bot.get_me()
        member = await bot.get_chat_member(chat, me.id)
    except (TelegramAPIError, ClientDecodeError) as error:
        # ClientDecodeError: a Bot API server newer or older than the installed aiogram answered
        # in a shape it cannot read; a start-up check must not take the bot down for that.
        log.warning("channel %s: cannot check the bot's rights (%s); posts will fail", chat, error)
        return
    if member.status not in ("administrator", "creator"):
        log.warning(
            "channel %s: the bot is %s, not an administrator; posts will fail", chat, member.status
        )


async def run_polling(app: Application, handle_signals: bool = True) -> None:
    await prepare(app)
    await app.bot.delete_webhook(drop_pending_updates=False)
    await app.dispatcher.start_polling(
        app.bot,
        allowed_updates=app.dispatcher.resolve_used_update_types(),
        handle_signals=handle_signals,
        close_bot_session=False,
    )


class CheckedRequestHandler(SimpleRequestHandler):
    """aiogram's webhook handler, but a body that is not a Telegram update gets 400, not a 500
    and a traceback: only Telegram (with the secret) posts here, so that is a probe or a bug."""

    async def _handle_request(self, bot: Bot, request: web.Request) -> web.Response:
        try:
            update = Update.model_validate(
                await request.json(loads=bot.session.json_loads), context={"bot": bot}
            )
        except (ValueError, UnicodeDecodeError, ValidationError) as error:
            log.warning("webhook: refused a malformed update (%s)", error.__class__.__name__)
            return web.Response(status=400, text="not a Telegram update")
        result = await self.dispatcher.feed_webhook_update(bot, update, **self.data)
        return web.Response(body=self._build_response_writer(bot=bot, result=result))


class RefusedRequestsLog(AbstractAccessLogger):
    """Only refused requests (a wrong secret, a malformed body, a probe) reach the access log.
    Each update Telegram posts is logged once already, by aiogram ("Update id=… is handled");
    this line and aiogram's per callback answer cost 5% of a handled update's CPU together
    (bench/README.md)."""

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        if response.status >= 400:
            self.logger.warning(
                "%s %s %s: %s", request.remote, request.method, request.path, response.status
            )


async def healthz(_: web.Request) -> web.Response:
    """For the load balancer and Docker's HEALTHCHECK: the process serves HTTP."""
    return web.json_response({"ok": True})


async def start_webhook(app: Application, host: str, port: int, public_url: str) -> web.AppRunner:
    """Serve the webhook; the update is answered only after it is handled and committed, so a
    crash mid-update makes Telegram deliver it again instead of losing it."""
    secret = app.settings.telegram.webhook_secret
    if secret is None or not secret.get_secret_value():
        # Without it, anyone who reaches the listener can post updates as any user, coordinators
        # too.
        raise ConfigError(
            "webhook mode needs telegram.webhook_secret (HAQBOT_TELEGRAM__WEBHOOK_SECRET)"
        )
    await prepare(app)
    handler = CheckedRequestHandler(
        dispatcher=app.dispatcher,
        bot=app.bot,
        handle_in_background=False,
        secret_token=secret.get_secret_value() if secret else None,
        webhook_reply=True,  # a tap's answer goes in the reply (CallbackAnswers)
    )
    web_app = web.Application()
    handler.register(web_app, path=WEBHOOK_PATH)
    web_app.router.add_get("/healthz", healthz)
    setup_application(web_app, app.dispatcher, bot=app.bot)
    runner = web.AppRunner(web_app, access_log_class=RefusedRequestsLog)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    await app.bot.set_webhook(
        public_url + WEBHOOK_PATH,
        secret_token=secret.get_secret_value() if secret else None,
        allowed_updates=app.dispatcher.resolve_used_update_types(),
    )
    log.info(
        "webhook listening on %s:%s, Telegram posts to %s%s", host, port, public_url, WEBHOOK_PATH
    )
    return runner


async def serve_forever() -> None:
    await asyncio.Event().wait()
