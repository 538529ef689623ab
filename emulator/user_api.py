"""The people's side: a small JSON API under /api that plays any number of Telegram users.

The web chat page and the test harness (emulator.client) both use it, so what a test does is
exactly what a person clicking in the page does.
"""

from __future__ import annotations

import html
import mimetypes
import re
import time
from dataclasses import asdict
from typing import Any

from aiohttp import web

from emulator.bot_api import document_payload, photo_sizes
from emulator.telegram_rules import ApiError
from emulator.world import Chat, EmulatedUser, RateLimits, World

SETTLE_TIMEOUT = 20.0
_COMMAND = re.compile(r"^/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?")


class UserApi:
    def __init__(self, world: World) -> None:
        self.world = world

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/api/state", self.state),
            web.get("/api/users", self.list_users),
            web.post("/api/users", self.create_user),
            web.patch("/api/users/{user_id}", self.update_user),
            web.post("/api/users/{user_id}/messages", self.send_text),
            web.post("/api/users/{user_id}/callbacks", self.tap),
            web.post("/api/users/{user_id}/contact", self.share_contact),
            web.post("/api/users/{user_id}/location", self.share_location),
            web.post("/api/users/{user_id}/photos", self.send_photo),
            web.post("/api/users/{user_id}/documents", self.send_document),
            web.post("/api/users/{user_id}/videos", self.send_video),
            web.post("/api/users/{user_id}/album", self.send_album),
            web.post("/api/users/{user_id}/coordinator", self.play_coordinator),
            web.get("/api/users/{user_id}/transcript", self.transcript),
            web.get("/api/channel", self.channel),
            web.get("/api/files/{file_id}", self.file),
            web.post("/api/control/rate-limits", self.set_rate_limits),
            web.post("/api/control/faults", self.set_faults),
            web.get("/api/control/stats", self.stats),
        ]

    # --- people -----------------------------------------------------------------------------

    async def state(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "bot": self.world.bot_user(),
                "users": [user.public() for user in self.world.users.values()],
                "channel": self.world.chat_payload(self.world.channel),
                "webhook": (self.world.webhook or {}).get("url"),
                "commands": self.world.commands,
                "can_play_coordinator": self.world.play_coordinator is not None,
            }
        )

    async def play_coordinator(self, request: web.Request) -> web.Response:
        """'Play a coordinator' on the page: this user coordinates for the bot's session."""
        user = self._user(request)
        if self.world.play_coordinator is None:
            raise web.HTTPNotFound(text="the bot running here does not offer this")
        await self.world.play_coordinator(user.id)
        return web.json_response({"ok": True, "coordinator": user.id})

    async def list_users(self, request: web.Request) -> web.Response:
        return web.json_response([user.public() for user in self.world.users.values()])

    async def create_user(self, request: web.Request) -> web.Response:
        body = await _json(request)
        first_name = str(body.get("first_name") or "").strip()
        if not first_name:
            raise web.HTTPBadRequest(text="first_name is required")
        language = str(body.get("language_code") or "ru")
        user = self.world.add_user(
            first_name,
            language_code=language,
            user_id=int(body["id"]) if body.get("id") else None,
            username=body.get("username"),
            phone_number=body.get("phone_number"),
        )
        return web.json_response(user.public(), status=201)

    async def update_user(self, request: web.Request) -> web.Response:
        user = self._user(request)
        body = await _json(request)
        if "blocked_bot" in body:
            user.blocked_bot = bool(body["blocked_bot"])
        if "language_code" in body:
            user.language_code = str(body["language_code"])
        return web.json_response(user.public())

    # --- what a user does -------------------------------------------------------------------

    async def send_text(self, request: web.Request) -> web.Response:
        user = self._user(request)
        body = await _json(request)
        text = str(body.get("text") or "")
        if not text.strip():
            raise web.HTTPBadRequest(text="text is required")
        message: dict[str, Any] = {"text": text}
        if match := _COMMAND.match(text):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(match[0])}]
        return await self._deliver(request, user, message)

    async def tap(self, request: web.Request) -> web.Response:
        """Tap an inline button. Only buttons the bot really showed can be tapped, unless
        `forge` is set: a test of what a tampered client could send."""
        user = self._user(request)
        body = await _json(request)
        chat = self.world.chats[user.id]
        message = chat.messages.get(int(body.get("message_id", 0)))
        data = str(body.get("data") or "")
        if not body.get("forge"):
            if message is None:
                raise web.HTTPNotFound(text="no such message in this chat")
            buttons = [
                button.get("callback_data")
                for row in message.get("reply_markup", {}).get("inline_keyboard", [])
                for button in row
            ]
            if data not in buttons:
                raise web.HTTPBadRequest(text="that message has no button with this data")
        callback_id = self.world.new_callback_id()
        callback: dict[str, Any] = {
            "id": callback_id,
            "from": user.as_telegram(),
            "chat_instance": str(user.id),
            "data": data,
        }
        if message is not None:
            callback["message"] = _public(message)
        update_id = self.world.enqueue("callback_query", callback)
        settled = (
            await self.world.wait_settled(update_id, SETTLE_TIMEOUT) if _wait(request) else False
        )
        return web.json_response(
            {
                "update_id": update_id,
                "settled": settled,
                "callback_id": callback_id,
                "answer": self.world.callback_answer(callback_id),
            }
        )

    async def share_contact(self, request: web.Request) -> web.Response:
        """Share a contact: by default the user's own, as Telegram's contact button does."""
        user = self._user(request)
        body = await _json(request)
        if body.get("own", True):
            contact = {
                "phone_number": user.phone_number,
                "first_name": user.first_name,
                "user_id": user.id,
            }
        else:
            contact = {
                "phone_number": str(body.get("phone_number") or "+77010000000"),
                "first_name": str(body.get("first_name") or "Someone"),
            }
            if body.get("user_id"):
                contact["user_id"] = int(body["user_id"])
        return await self._deliver(request, user, {"contact": contact})

    async def share_location(self, request: web.Request) -> web.Response:
        """The location button, or 📎 → Location."""
        user = self._user(request)
        body = await _json(request)
        try:
            latitude, longitude = float(body["latitude"]), float(body["longitude"])
        except (KeyError, TypeError, ValueError):
            raise web.HTTPBadRequest(text="latitude and longitude are required") from None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise web.HTTPBadRequest(text="latitude or longitude out of range")
        return await self._deliver(
            request, user, {"location": {"latitude": latitude, "longitude": longitude}}
        )

    async def send_photo(self, request: web.Request) -> web.Response:
        return await self._send_file(request, "photo", "image/jpeg")

    async def send_document(self, request: web.Request) -> web.Response:
        return await self._send_file(request, "document", "application/octet-stream")

    async def send_video(self, request: web.Request) -> web.Response:
        return await self._send_file(request, "video", "video/mp4")

    async def _send_file(self, request: web.Request, kind: str, default_mime: str) -> web.Response:
        user = self._user(request)
        uploads, fields = await _uploads(request)
        if len(uploads) != 1:
            raise web.HTTPBadRequest(text="send exactly one file")
        name, content, mime = uploads[0]
        stored = self.world.store_file(
            content, kind, _mime_type(content, name, mime) or default_mime, name
        )
        payload: Any = photo_sizes(stored) if kind == "photo" else document_payload(stored)
        if kind == "video":
            payload = {**payload, "width": 640, "height": 480, "duration": 3}
        message: dict[str, Any] = {kind: payload}
        if fields.get("caption"):
            message["caption"] = fields["caption"]
        return await self._deliver(request, user, message)

    async def send_album(self, request: web.Request) -> web.Response:
        """Several photos at once: Telegram delivers them as separate updates, one media group."""
        user = self._user(request)
        uploads, fields = await _uploads(request)
        if not 2 <= len(uploads) <= 10:
            raise web.HTTPBadRequest(text="an album has 2 to 10 files")
        group = str(int(time.time() * 1000))
        update_ids = []
        for index, (name, content, mime) in enumerate(uploads):
            stored = self.world.store_file(
                content, "photo", _mime_type(content, name, mime) or "image/jpeg", name
            )
            message: dict[str, Any] = {"photo": photo_sizes(stored), "media_group_id": group}
            if index == 0 and fields.get("caption"):
                message["caption"] = fields["caption"]
            update_ids.append(await self._enqueue_message(user, message))
        settled = True
        if _wait(request):
            for update_id in update_ids:
                settled = await self.world.wait_settled(update_id, SETTLE_TIMEOUT) and settled
        return web.json_response({"update_ids": update_ids, "settled": settled})

    async def _deliver(
        self, request: web.Request, user: EmulatedUser, message: dict[str, Any]
    ) -> web.Response:
        update_id = await self._enqueue_message(user, message)
        settled = (
            await self.world.wait_settled(update_id, SETTLE_TIMEOUT) if _wait(request) else False
        )
        return web.json_response({"update_id": update_id, "settled": settled})

    async def _enqueue_message(self, user: EmulatedUser, message: dict[str, Any]) -> int:
        chat = self.world.chats[user.id]
        stored = await self.world.add_message(chat, {"from": user.as_telegram(), **message})
        if user.blocked_bot:
            # Writing to a bot unblocks it, as in Telegram.
            user.blocked_bot = False
        return self.world.enqueue("message", _public(stored))

    # --- what a user sees -------------------------------------------------------------------

    async def transcript(self, request: web.Request) -> web.Response:
        """The chat as the user sees it. With `since` (a version) and `wait` (seconds), waits
        until something changes: the page's long poll."""
        user = self._user(request)
        chat = self.world.chats[user.id]
        await _wait_for_change(self.world, chat, request)
        return web.json_response(self._chat_view(chat))

    async def channel(self, request: web.Request) -> web.Response:
        chat = self.world.channel
        await _wait_for_change(self.world, chat, request)
        return web.json_response(self._chat_view(chat))

    def _chat_view(self, chat: Chat) -> dict[str, Any]:
        return {
            "version": chat.version,
            "messages": [_view(message, self.world.bot_id) for message in chat.messages.values()],
            "reply_keyboard": chat.reply_keyboard,
            "pinned": chat.pinned,
        }

    async def file(self, request: web.Request) -> web.Response:
        try:
            stored = self.world.file(request.match_info["file_id"])
        except ApiError:
            raise web.HTTPNotFound() from None
        return web.Response(
            body=stored.content, content_type=stored.mime_type or "application/octet-stream"
        )

    # --- control ----------------------------------------------------------------------------

    async def set_rate_limits(self, request: web.Request) -> web.Response:
        body = await _json(request)
        current = asdict(self.world.rate_limits)
        unknown = set(body) - set(current)
        if unknown:
            raise web.HTTPBadRequest(text=f"unknown rate-limit settings: {sorted(unknown)}")
        self.world.reset_rate_limits(RateLimits(**{**current, **body}))
        return web.json_response(asdict(self.world.rate_limits))

    async def set_faults(self, request: web.Request) -> web.Response:
        body = await _json(request)
        mode = body.get("mode", "off")
        if mode not in ("off", "error", "hang", "flood", "storm"):
            raise web.HTTPBadRequest(text="mode is off, error, hang, flood or storm")
        faults = self.world.faults
        faults.mode = mode
        faults.remaining = int(body.get("count", 1 if mode != "off" else 0))
        faults.hang_seconds = float(body.get("hang_seconds", faults.hang_seconds))
        faults.retry_after = int(body.get("retry_after", faults.retry_after))
        faults.methods = {str(m).lower() for m in body.get("methods", [])}
        faults.chance = float(body.get("chance", 1.0))
        if "seed" in body:
            faults.rng.seed(int(body["seed"]))
        return web.json_response({"mode": faults.mode, "remaining": faults.remaining})

    async def stats(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "method_counts": self.world.method_counts,
                "errors": list(self.world.errors_returned),
                "pending_updates": len(self.world.pending_updates()),
            }
        )

    def _user(self, request: web.Request) -> EmulatedUser:
        try:
            return self.world.users[int(request.match_info["user_id"])]
        except (KeyError, ValueError):
            raise web.HTTPNotFound(text="no such user") from None


def _public(message: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in message.items() if not key.startswith("x_")}


def _view(message: dict[str, Any], bot_id: int) -> dict[str, Any]:
    """A message for the page and the tests: who sent it, and its text as HTML to show."""
    sender = message.get("from") or {}
    outgoing = bool(sender.get("is_bot")) or "sender_chat" in message
    body = message.get("text", message.get("caption"))
    shown = message.get("x_html") if outgoing else None
    if shown is None and body is not None:
        shown = html.escape(body, quote=False)
    return {**_public(message), "outgoing": outgoing, "html": shown}


_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"%PDF", "application/pdf"),
    (b"GIF8", "image/gif"),
)


def _mime_type(content: bytes, name: str, declared: str | None) -> str | None:
    """What Telegram reports as a document's mime_type: from the content, else the name."""
    if declared and declared != "application/octet-stream":
        return declared
    for magic, mime in _MAGIC:
        if content.startswith(magic):
            return mime
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return mimetypes.guess_type(name)[0]


def _wait(request: web.Request) -> bool:
    return request.query.get("wait", "1") not in ("0", "false", "no")


async def _wait_for_change(world: World, chat: Chat, request: web.Request) -> None:
    since = request.query.get("since")
    if since is None or int(since) != chat.version:
        return
    await world.wait_for_change(chat, int(since), min(float(request.query.get("wait", 25)), 50))


async def _json(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    try:
        body = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(text="body must be JSON") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="body must be a JSON object")
    return body


async def _uploads(
    request: web.Request,
) -> tuple[list[tuple[str, bytes, str | None]], dict[str, str]]:
    if request.content_type != "multipart/form-data":
        raise web.HTTPBadRequest(text="upload files as multipart/form-data")
    uploads = []
    fields: dict[str, str] = {}
    reader = await request.multipart()
    async for part in reader:
        if part.filename:  # type: ignore[union-attr]
            content = bytes(await part.read())  # type: ignore[union-attr]
            uploads.append((part.filename, content, part.headers.get("Content-Type")))  # type: ignore[union-attr]
        elif part.name:
            fields[part.name] = await part.text()  # type: ignore[union-attr]
    return uploads, fields
