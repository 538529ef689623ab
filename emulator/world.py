"""Everything the emulated Telegram knows: users, chats and their messages, pending updates,
files, the webhook, rate limits and injected faults. In memory: a restart of the emulator is a
new Telegram, while the bot keeps its own state in its database."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import math
import random
import struct
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from emulator.telegram_rules import ApiError

BOT_ID_DEFAULT = 1000001
CHANNEL_ID = -1001000000001


@dataclass
class EmulatedUser:
    id: int
    first_name: str
    language_code: str = "ru"
    last_name: str | None = None
    username: str | None = None
    phone_number: str | None = None
    blocked_bot: bool = False

    def as_telegram(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    def public(self) -> dict[str, Any]:
        return {
            **self.as_telegram(),
            "phone_number": self.phone_number,
            "blocked_bot": self.blocked_bot,
        }


@dataclass
class Chat:
    id: int
    type: str
    title: str | None = None
    username: str | None = None
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    next_message_id: int = 1
    reply_keyboard: dict[str, Any] | None = None
    pinned: int | None = None
    version: int = 0

    def as_telegram(self, user: EmulatedUser | None = None) -> dict[str, Any]:
        if self.type == "private" and user is not None:
            data = {"id": self.id, "type": "private", "first_name": user.first_name}
            if user.username:
                data["username"] = user.username
            return data
        data = {"id": self.id, "type": self.type}
        if self.title:
            data["title"] = self.title
        if self.username:
            data["username"] = self.username
        return data


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    content: bytes
    file_path: str
    mime_type: str | None = None
    file_name: str | None = None

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass
class RateLimits:
    """Telegram's documented limits: about one message a second in a chat (short bursts pass),
    twenty a minute in a group or channel, thirty a second overall."""

    enabled: bool = True
    per_chat_per_second: float = 1.0
    per_chat_burst: int = 5
    channel_per_minute: int = 20
    global_per_second: float = 30.0


class _Bucket:
    def __init__(self, rate_per_second: float, capacity: float) -> None:
        self.rate = rate_per_second
        self.capacity = capacity
        self.tokens = capacity
        self.stamp = time.monotonic()

    def take(self) -> float:
        """0 if a token was taken, else seconds until one is available."""
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


@dataclass
class Faults:
    """Injected failures: `error` answers 500, `hang` holds the request for `hang_seconds`,
    `flood` answers 429 asking to retry after `retry_after` seconds, `storm` answers 500 or 429
    at random. With `chance` below 1, each call fails only with that probability (from a seeded
    generator, so a run can be repeated)."""

    mode: str = "off"
    remaining: int = 0
    hang_seconds: float = 35.0
    retry_after: int = 30
    methods: set[str] = field(default_factory=set)
    chance: float = 1.0
    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def take(self, method: str) -> str | None:
        if self.mode == "off" or self.remaining <= 0:
            return None
        if self.methods and method.lower() not in self.methods:
            return None
        if self.chance < 1 and self.rng.random() >= self.chance:
            return None
        self.remaining -= 1
        mode = self.mode if self.mode != "storm" else self.rng.choice(("error", "flood"))
        if self.remaining <= 0:
            self.mode = "off"
        return mode


class World:
    def __init__(self, bot_username: str = "haqbot_local_bot", channel: str = "@haqtime") -> None:
        self.bot_username = bot_username
        self.bot_id = BOT_ID_DEFAULT
        self.users: dict[int, EmulatedUser] = {}
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, StoredFile] = {}
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.webhook: dict[str, Any] | None = None
        self.rate_limits = RateLimits()
        self.faults = Faults()
        self.requests: deque[dict[str, Any]] = deque(maxlen=2000)
        self.method_counts: dict[str, int] = {}
        self.errors_returned: list[dict[str, Any]] = []
        self.settle_hook_attached = False
        # Set by the bot it runs with (emulator mode only): makes a user a coordinator of this
        # session, for "Play a coordinator" on the page. None: the page does not offer it.
        self.play_coordinator: Callable[[int], Awaitable[None]] | None = None
        self.closing = False
        self._pending: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._user_ids = itertools.count(7001)
        self._file_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._update_arrived = asyncio.Event()
        # Set on every new update: wakes webhook delivery (long polls use _update_arrived).
        self.update_signal = asyncio.Event()
        self._changed = asyncio.Condition()
        self._settled: dict[int, asyncio.Future[None]] = {}
        self._callback_answers: dict[str, dict[str, Any] | None] = {}
        self._buckets: dict[Any, _Bucket] = {}
        self.channel = Chat(
            id=CHANNEL_ID, type="channel", title="HAQ", username=channel.lstrip("@")
        )
        self.chats[CHANNEL_ID] = self.channel

    # --- identities -------------------------------------------------------------------------

    def bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "HAQ",
            "username": self.bot_username,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def add_user(
        self,
        first_name: str,
        language_code: str = "ru",
        user_id: int | None = None,
        username: str | None = None,
        phone_number: str | None = None,
    ) -> EmulatedUser:
        user_id = user_id or next(self._user_ids)
        if user_id in self.users:
            return self.users[user_id]
        user = EmulatedUser(
            id=user_id,
            first_name=first_name,
            language_code=language_code,
            username=username,
            phone_number=phone_number or f"+7701{user_id:07d}",
        )
        self.users[user_id] = user
        self.chats[user_id] = Chat(id=user_id, type="private")
        return user

    def user(self, user_id: int) -> EmulatedUser:
        try:
            return self.users[user_id]
        except KeyError:
            raise ApiError(404, f"no emulated user {user_id}") from None

    def resolve_chat(self, chat_id: Any) -> Chat:
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            for chat in self.chats.values():
                if chat.username and chat.username.lower() == chat_id[1:].lower():
                    return chat
            raise ApiError(400, "Bad Request: chat not found")
        try:
            chat = self.chats[int(chat_id)]
        except (KeyError, ValueError, TypeError):
            raise ApiError(400, "Bad Request: chat not found") from None
        if chat.type == "private" and self.users[chat.id].blocked_bot:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def chat_payload(self, chat: Chat) -> dict[str, Any]:
        return chat.as_telegram(self.users.get(chat.id))

    # --- messages ---------------------------------------------------------------------------

    async def add_message(self, chat: Chat, message: dict[str, Any]) -> dict[str, Any]:
        message = {
            "message_id": chat.next_message_id,
            "date": int(time.time()),
            "chat": self.chat_payload(chat),
            **message,
        }
        chat.next_message_id += 1
        chat.messages[message["message_id"]] = message
        await self.touch(chat)
        return message

    def message(self, chat: Chat, message_id: Any) -> dict[str, Any]:
        try:
            return chat.messages[int(message_id)]
        except (KeyError, ValueError, TypeError):
            raise ApiError(400, "Bad Request: message to edit not found") from None

    async def touch(self, chat: Chat) -> None:
        chat.version += 1
        async with self._changed:
            self._changed.notify_all()

    async def wait_for_change(self, chat: Chat, version: int, timeout: float) -> None:
        async with self._changed:
            try:
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: chat.version != version or self.closing), timeout
                )
            except TimeoutError:
                pass

    # --- updates ----------------------------------------------------------------------------

    def enqueue(self, kind: str, payload: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        self._pending.append({"update_id": update_id, kind: payload})
        self._settled[update_id] = asyncio.get_running_loop().create_future()
        self._update_arrived.set()
        self.update_signal.set()
        return update_id

    def confirm_below(self, offset: int) -> None:
        """getUpdates with an offset acknowledges every update before it."""
        kept = []
        for update in self._pending:
            if update["update_id"] < offset:
                if not self.settle_hook_attached:
                    self.settle(update["update_id"])
            else:
                kept.append(update)
        self._pending = kept

    async def next_updates(
        self, limit: int, timeout: float, allowed: list[str] | None
    ) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while True:
            ready = [u for u in self._pending if _allowed(u, allowed)][:limit]
            remaining = deadline - time.monotonic()
            if ready or remaining <= 0 or self.closing:
                return ready
            self._update_arrived.clear()
            try:
                await asyncio.wait_for(self._update_arrived.wait(), remaining)
            except TimeoutError:
                return []

    async def close(self) -> None:
        """Release long polls and page waits so the server can stop at once."""
        self.closing = True
        self._update_arrived.set()
        self.update_signal.set()
        async with self._changed:
            self._changed.notify_all()

    def pending_updates(self) -> list[dict[str, Any]]:
        return list(self._pending)

    def drop_pending(self) -> None:
        for update in self._pending:
            self.settle(update["update_id"])
        self._pending = []

    def take_update(self, update_id: int) -> None:
        self._pending = [u for u in self._pending if u["update_id"] != update_id]

    def settle(self, update_id: int) -> None:
        future = self._settled.pop(update_id, None)
        if future is not None and not future.done():
            future.set_result(None)

    async def wait_settled(self, update_id: int, timeout: float) -> bool:
        future = self._settled.get(update_id)
        if future is None:
            return True
        try:
            await asyncio.wait_for(asyncio.shield(future), timeout)
            return True
        except TimeoutError:
            return False

    # --- callbacks --------------------------------------------------------------------------

    def new_callback_id(self) -> str:
        callback_id = str(next(self._callback_ids))
        self._callback_answers[callback_id] = None
        return callback_id

    def answer_callback(self, callback_id: str, answer: dict[str, Any]) -> None:
        if (
            callback_id not in self._callback_answers
            or self._callback_answers[callback_id] is not None
        ):
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self._callback_answers[callback_id] = answer

    def callback_answer(self, callback_id: str) -> dict[str, Any] | None:
        return self._callback_answers.get(callback_id)

    # --- files ------------------------------------------------------------------------------

    def store_file(
        self, content: bytes, kind: str, mime_type: str | None = None, file_name: str | None = None
    ) -> StoredFile:
        number = next(self._file_ids)
        digest = hashlib.sha1(content).hexdigest()[:16]
        extension = (
            (file_name or "").rsplit(".", 1)[-1] if file_name and "." in file_name else "bin"
        )
        stored = StoredFile(
            file_id=f"{kind}-{number}-{digest}",
            file_unique_id=f"u{digest}",
            content=content,
            file_path=f"{kind}s/file_{number}.{extension}",
            mime_type=mime_type,
            file_name=file_name,
        )
        self.files[stored.file_id] = stored
        return stored

    def file(self, file_id: str) -> StoredFile:
        try:
            return self.files[file_id]
        except KeyError:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified") from None

    def file_by_path(self, path: str) -> StoredFile | None:
        return next((f for f in self.files.values() if f.file_path == path), None)

    # --- limits and faults ------------------------------------------------------------------

    def take_rate_limit(self, chat: Chat | None) -> None:
        limits = self.rate_limits
        if not limits.enabled:
            return
        waits = [self._bucket("global", limits.global_per_second, limits.global_per_second).take()]
        if chat is not None and chat.type == "private":
            waits.append(
                self._bucket(chat.id, limits.per_chat_per_second, limits.per_chat_burst).take()
            )
        elif chat is not None:
            waits.append(
                self._bucket(
                    chat.id, limits.channel_per_minute / 60, limits.channel_per_minute
                ).take()
            )
        wait = max(waits)
        if wait > 0:
            raise ApiError(
                429,
                f"Too Many Requests: retry after {math.ceil(wait)}",
                retry_after=math.ceil(wait),
            )

    def reset_rate_limits(self, limits: RateLimits) -> None:
        self.rate_limits = limits
        self._buckets.clear()

    def _bucket(self, key: Any, rate: float, capacity: float) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(rate, capacity)
        return bucket


def _allowed(update: dict[str, Any], allowed: list[str] | None) -> bool:
    if not allowed:
        return True
    return any(kind in update for kind in allowed)


def image_size(content: bytes) -> tuple[int, int]:
    """Width and height of a PNG or JPEG, enough to fill PhotoSize; (1, 1) when unknown."""
    if content[:8] == b"\x89PNG\r\n\x1a\n" and len(content) >= 24:
        return struct.unpack(">II", content[16:24])
    if content[:2] == b"\xff\xd8":
        position = 2
        while position + 9 < len(content):
            if content[position] != 0xFF:
                position += 1
                continue
            marker = content[position + 1]
            length = struct.unpack(">H", content[position + 2 : position + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2):
                height, width = struct.unpack(">HH", content[position + 5 : position + 9])
                return width, height
            position += 2 + length
    return 1, 1
