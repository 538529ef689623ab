"""The Bot API client: configurable server, HTML by default, bounded retries."""

from __future__ import annotations

import asyncio
import logging
import random
from typing import Any, ClassVar

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.methods.base import Response, TelegramType

from storage.unit_of_work import commit_before_reply

log = logging.getLogger(__name__)


class CommitBeforeReplyMiddleware(BaseRequestMiddleware):
    """Commits the current update's writes before the bot says anything about them."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if not isinstance(method, GetUpdates):
            await commit_before_reply()
        return await make_request(bot, method)


class RetryMiddleware(BaseRequestMiddleware):
    """Waits out 429s and retries network errors and 5xx with exponential backoff, a bounded
    number of times: an unbounded retry would hold a user's update (and its lock) forever."""

    def __init__(
        self,
        retries: int,
        retry_after_max: float,
        backoff_base: float = 0.5,
        backoff_max: float = 10.0,
        sleep: Any = asyncio.sleep,
    ) -> None:
        self.retries = retries
        self.retry_after_max = retry_after_max
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.sleep = sleep

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        attempt = 0
        while True:
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as error:
                if attempt >= self.retries or error.retry_after > self.retry_after_max:
                    raise
                log.warning("%s: 429, waiting %ss", type(method).__name__, error.retry_after)
                await self.sleep(error.retry_after)
            except (TelegramNetworkError, TelegramServerError) as error:
                # getUpdates has its own backoff in aiogram's polling loop.
                if attempt >= self.retries or isinstance(method, GetUpdates):
                    raise
                delay = min(self.backoff_max, self.backoff_base * 2**attempt)
                delay *= random.uniform(0.8, 1.2)
                log.warning("%s failed (%s), retry in %.1fs", type(method).__name__, error, delay)
                await self.sleep(delay)
            attempt += 1


class BotApiSession(AiohttpSession):
    """aiogram's HTTP session, with the parsed response types kept alive.

    aiogram validates every answer as `Response[<type>]`; pydantic caches such generic classes
    only weakly, so each call rebuilt the class (about a quarter of the bot's CPU time in the
    petition benchmark). Holding each one once it exists makes the cache hit."""

    _response_types: ClassVar[dict[Any, Any]] = {}

    def check_response(
        self, bot: Bot, method: TelegramMethod[TelegramType], status_code: int, content: str
    ) -> Response[TelegramType]:
        returning = method.__returning__
        if returning not in self._response_types:
            self._response_types[returning] = Response[returning]  # type: ignore[valid-type]
        return super().check_response(bot, method, status_code, content)


def build_bot(
    token: str,
    api_base: str | None,
    *,
    retries: int = 5,
    retry_after_max: float = 60.0,
    timeout: float = 30.0,
) -> Bot:
    server = TelegramAPIServer.from_base(api_base) if api_base else None
    session = (
        BotApiSession(api=server, timeout=timeout) if server else BotApiSession(timeout=timeout)
    )
    session.middleware(CommitBeforeReplyMiddleware())
    session.middleware(RetryMiddleware(retries=retries, retry_after_max=retry_after_max))
    return Bot(token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
