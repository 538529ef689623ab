"""The emulator's HTTP server: Bot API, user API, web chat page, and webhook delivery."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from emulator.bot_api import BotApi
from emulator.user_api import UserApi
from emulator.world import World

log = logging.getLogger("emulator")
STATIC = Path(__file__).resolve().parent / "static"
# The token the bot uses against the emulator when no real token is configured.
LOCAL_TOKEN = "1000001:local-emulator-token"


class EmulatorServer:
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_username: str = "haqbot_local_bot",
        channel: str = "@haqtime",
        rate_limits: bool = True,
    ) -> None:
        self.host = host
        self.port = port
        self.world = World(bot_username=bot_username, channel=channel)
        self.world.rate_limits.enabled = rate_limits
        self._bot_api = BotApi(self.world, self._webhook_changed)
        self._runner: web.AppRunner | None = None
        self._delivery: asyncio.Task[None] | None = None
        self._http: aiohttp.ClientSession | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def build_app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.add_routes(self._bot_api.routes())
        app.add_routes(UserApi(self.world).routes())
        app.add_routes(
            [
                web.get("/", self._page),
                # Browsers ask for /favicon.ico whatever the page says: both get the icon.
                web.get("/favicon.svg", self._favicon),
                web.get("/favicon.ico", self._favicon),
                web.get("/healthz", self._healthz),
                web.static("/static", STATIC),
            ]
        )
        return app

    async def start(self) -> EmulatorServer:
        self._runner = web.AppRunner(self.build_app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        if self.port == 0:
            server = site._server
            self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        log.info("Bot API emulator on %s", self.url)
        return self

    async def stop(self) -> None:
        await self.world.close()
        if self._delivery is not None:
            self._delivery.cancel()
            await asyncio.gather(self._delivery, return_exceptions=True)
        if self._http is not None:
            await self._http.close()
        if self._runner is not None:
            await self._runner.shutdown()
            await self._runner.cleanup()

    async def _healthz(self, _: web.Request) -> web.Response:
        """For Docker's HEALTHCHECK in emulator mode."""
        return web.json_response({"ok": True})

    async def _page(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC / "index.html")

    async def _favicon(self, _: web.Request) -> web.Response:
        return web.Response(
            body=(STATIC / "favicon.svg").read_bytes(), content_type="image/svg+xml"
        )

    # --- webhook delivery -------------------------------------------------------------------

    def _webhook_changed(self) -> None:
        if self.world.webhook is not None and (self._delivery is None or self._delivery.done()):
            self._delivery = asyncio.get_running_loop().create_task(self._deliver_forever())

    async def _deliver_forever(self) -> None:
        """Posts updates to the webhook: in order for each user, several users at once, and
        again after a failure, as Telegram does."""
        self._http = self._http or aiohttp.ClientSession()
        in_flight: dict[int, asyncio.Task[None]] = {}
        wake = self.world.update_signal
        # `closing` too: on 3.11 wait_for can swallow the cancel that races close()'s wake-up.
        while self.world.webhook is not None and not self.world.closing:
            hook = self.world.webhook
            in_flight = {key: task for key, task in in_flight.items() if not task.done()}
            for update in self.world.pending_updates():
                if len(in_flight) >= hook["max_connections"]:
                    break
                key = _sender_id(update)
                if key in in_flight or update.get("x_delivering"):
                    continue
                update["x_delivering"] = True
                task = asyncio.create_task(self._post(hook, update))
                task.add_done_callback(lambda _: wake.set())
                in_flight[key] = task
            # Woken by a new update or a finished delivery; the timeout only guards a lost wake-up.
            wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), 1.0)

    async def _post(self, hook: dict[str, Any], update: dict[str, Any]) -> None:
        headers = {}
        if hook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = hook["secret_token"]
        body = {key: value for key, value in update.items() if not key.startswith("x_")}
        delay = 0.2
        while self.world.webhook is hook and not self.world.closing:
            try:
                assert self._http is not None
                async with self._http.post(
                    hook["url"], json=body, headers=headers, timeout=aiohttp.ClientTimeout(total=60)
                ) as response:
                    if response.status == 200:
                        # Before the update counts as settled: the reply is part of handling it.
                        await self._bot_api.perform_webhook_reply(response)
                        self.world.take_update(update["update_id"])
                        self.world.settle(update["update_id"])
                        return
                    hook["last_error_message"] = (
                        f"Wrong response from the webhook: {response.status} {response.reason}"
                    )
            except (aiohttp.ClientError, TimeoutError) as error:
                hook["last_error_message"] = f"Connection failed: {error}"
            hook["last_error_date"] = int(time.time())
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)
        update.pop("x_delivering", None)


def _sender_id(update: dict[str, Any]) -> int:
    for kind in ("message", "callback_query", "edited_message"):
        if kind in update:
            return int(update[kind]["from"]["id"])
    return 0
