"""The bot's side: `/bot<token>/<method>` and `/file/bot<token>/<path>`, as Telegram serves them."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import web

from emulator.telegram_rules import (
    MAX_DOWNLOAD_BYTES,
    ApiError,
    bad_request,
    check_caption,
    check_reply_markup,
    check_text,
    formatted,
)
from emulator.world import Chat, StoredFile, World, image_size

log = logging.getLogger("emulator")

_TOKEN = re.compile(r"^(\d+):[A-Za-z0-9_-]+$")
_JSON_FIELDS = {
    "reply_markup",
    "entities",
    "caption_entities",
    "media",
    "allowed_updates",
    "commands",
    "scope",
    "link_preview_options",
    "reply_parameters",
    "message_ids",
}
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
# Methods Telegram rate-limits: everything that puts or changes a message in a chat.
_LIMITED_PREFIXES = ("send", "edit", "copy", "forward")

Params = dict[str, Any]
Files = dict[str, tuple[str, bytes, str | None]]
Method = Callable[["BotApi", Params, Files], Awaitable[Any]]
METHODS: dict[str, Method] = {}


def method(name: str) -> Callable[[Method], Method]:
    def register(function: Method) -> Method:
        METHODS[name.lower()] = function
        return function

    return register


class BotApi:
    def __init__(self, world: World, on_webhook_change: Callable[[], None]) -> None:
        self.world = world
        self.on_webhook_change = on_webhook_change

    def routes(self) -> list[web.RouteDef]:
        return [
            web.route("*", "/bot{token}/{method}", self.handle),
            web.get("/file/bot{token}/{path:.+}", self.download),
        ]

    async def handle(self, request: web.Request) -> web.Response:
        name = request.match_info["method"]
        entry: dict[str, Any] = {"method": name, "at": time.time()}
        self.world.requests.append(entry)
        try:
            self._check_token(request.match_info["token"])
            params, files = await _read_params(request)
            result = await self._perform(name, params, files, entry)
        except ApiError as error:
            entry["status"] = error.code
            entry["error"] = error.description
            self.world.errors_returned.append(entry)
            return web.json_response(error.payload(), status=error.code)
        return web.json_response({"ok": True, "result": result})

    async def perform_webhook_reply(self, response: aiohttp.ClientResponse) -> None:
        """The method a bot may put in its reply to a webhook request, performed as Telegram
        does: its result goes nowhere, and an error only to the log."""
        params: Params = {}
        files: Files = {}
        if response.content_type == "multipart/form-data":
            await _read_multipart(
                aiohttp.MultipartReader(response.headers, response.content), params, files
            )
        elif response.content_type == "application/json":
            body = await response.read()
            if body:
                params.update(json.loads(body))
        name = params.pop("method", None)
        if not isinstance(name, str) or not name:
            return
        entry: dict[str, Any] = {"method": name, "at": time.time(), "via": "webhook reply"}
        self.world.requests.append(entry)
        try:
            _decode_json_fields(params)
            await self._perform(name, params, files, entry)
        except ApiError as error:
            entry["status"] = error.code
            entry["error"] = error.description
            self.world.errors_returned.append(entry)
            log.warning("a method in a webhook reply failed: %s %s", name, error.description)

    async def _perform(self, name: str, params: Params, files: Files, entry: dict[str, Any]) -> Any:
        entry["chat_id"] = params.get("chat_id")
        function = METHODS.get(name.lower())
        if function is None:
            log.error("the bot called %s, which the emulator does not implement", name)
            raise ApiError(404, "Not Found: method not found")
        fault = self.world.faults.take(name)
        if fault == "hang":
            await asyncio.sleep(self.world.faults.hang_seconds)
            raise ApiError(502, "Bad Gateway")
        if fault == "error":
            raise ApiError(500, "Internal Server Error")
        if fault == "flood":
            wait = self.world.faults.retry_after
            raise ApiError(429, f"Too Many Requests: retry after {wait}", retry_after=wait)
        if name.lower().startswith(_LIMITED_PREFIXES) and "chat_id" in params:
            self.world.take_rate_limit(self.world.resolve_chat(params["chat_id"]))
        result = await function(self, params, files)
        entry["status"] = 200
        self.world.method_counts[name] = self.world.method_counts.get(name, 0) + 1
        return result

    async def download(self, request: web.Request) -> web.Response:
        try:
            self._check_token(request.match_info["token"])
        except ApiError as error:
            return web.json_response(error.payload(), status=error.code)
        stored = self.world.file_by_path(request.match_info["path"])
        if stored is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        return web.Response(
            body=stored.content, content_type=stored.mime_type or "application/octet-stream"
        )

    def _check_token(self, token: str) -> None:
        match = _TOKEN.match(token)
        if match is None:
            raise ApiError(401, "Unauthorized")
        self.world.bot_id = int(match[1])


async def _read_params(request: web.Request) -> tuple[Params, Files]:
    params: Params = dict(request.query)
    files: Files = {}
    content_type = request.content_type
    if content_type == "multipart/form-data":
        await _read_multipart(await request.multipart(), params, files)
    elif content_type == "application/x-www-form-urlencoded":
        params.update(await request.post())
    elif content_type == "application/json":
        body = await request.read()
        if body:
            params.update(json.loads(body))
    _decode_json_fields(params)
    return params, files


async def _read_multipart(reader: aiohttp.MultipartReader, params: Params, files: Files) -> None:
    async for part in reader:
        if part.filename:  # type: ignore[union-attr]
            content = await part.read()  # type: ignore[union-attr]
            files[part.name] = (part.filename, bytes(content), part.headers.get("Content-Type"))  # type: ignore[union-attr]
        else:
            params[part.name] = await part.text()  # type: ignore[union-attr]


def _decode_json_fields(params: Params) -> None:
    for key in _JSON_FIELDS & params.keys():
        if isinstance(params[key], str):
            try:
                params[key] = json.loads(params[key])
            except json.JSONDecodeError:
                raise bad_request(f"can't parse {key} JSON object") from None


def _flag(params: Params, key: str) -> bool:
    value = params.get(key)
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _require(params: Params, key: str) -> Any:
    if params.get(key) in (None, ""):
        raise bad_request(f"{key} is empty" if key == "text" else f'parameter "{key}" is required')
    return params[key]


def _public(message: dict[str, Any]) -> dict[str, Any]:
    """A message as the Bot API shows it: without the emulator's own bookkeeping."""
    return {key: value for key, value in message.items() if not key.startswith("x_")}


def _sender(api: BotApi, chat: Chat) -> dict[str, Any]:
    if chat.type == "channel":
        return {"sender_chat": api.world.chat_payload(chat)}
    return {"from": api.world.bot_user()}


def _apply_keyboard(chat: Chat, markup: dict[str, Any] | None) -> dict[str, Any] | None:
    """Reply keyboards stay under the input field; only inline ones belong to a message."""
    if not markup:
        return None
    if "keyboard" in markup:
        chat.reply_keyboard = markup
    elif "remove_keyboard" in markup:
        chat.reply_keyboard = None
    elif "inline_keyboard" in markup:
        return {"inline_keyboard": markup["inline_keyboard"]}
    return None


# --- identity, updates, webhook --------------------------------------------------------------


@method("getMe")
async def get_me(api: BotApi, params: Params, files: Files) -> Any:
    return api.world.bot_user()


@method("logOut")
@method("close")
async def log_out(api: BotApi, params: Params, files: Files) -> Any:
    return True


@method("getUpdates")
async def get_updates(api: BotApi, params: Params, files: Files) -> Any:
    world = api.world
    if world.webhook is not None:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
            "delete the webhook first",
        )
    offset = int(params.get("offset") or 0)
    if offset:
        world.confirm_below(offset)
    limit = max(1, min(100, int(params.get("limit") or 100)))
    timeout = max(0.0, min(50.0, float(params.get("timeout") or 0)))
    allowed = params.get("allowed_updates") or None
    updates = await world.next_updates(limit, timeout, allowed)
    return [_public(update) for update in updates]


@method("setWebhook")
async def set_webhook(api: BotApi, params: Params, files: Files) -> Any:
    url = _require(params, "url")
    if not str(url).startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = params.get("secret_token")
    if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
        raise bad_request("secret token contains unallowed characters")
    if _flag(params, "drop_pending_updates"):
        api.world.drop_pending()
    api.world.webhook = {
        "url": url,
        "secret_token": secret,
        "allowed_updates": params.get("allowed_updates") or None,
        "max_connections": int(params.get("max_connections") or 40),
        "last_error_message": None,
        "last_error_date": None,
    }
    api.on_webhook_change()
    return True


@method("deleteWebhook")
async def delete_webhook(api: BotApi, params: Params, files: Files) -> Any:
    if _flag(params, "drop_pending_updates"):
        api.world.drop_pending()
    api.world.webhook = None
    api.on_webhook_change()
    return True


@method("getWebhookInfo")
async def get_webhook_info(api: BotApi, params: Params, files: Files) -> Any:
    hook = api.world.webhook
    info: dict[str, Any] = {
        "url": hook["url"] if hook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(api.world.pending_updates()),
    }
    if hook:
        info["max_connections"] = hook["max_connections"]
        if hook["allowed_updates"]:
            info["allowed_updates"] = hook["allowed_updates"]
        if hook["last_error_date"]:
            info["last_error_date"] = hook["last_error_date"]
            info["last_error_message"] = hook["last_error_message"]
    return info


# --- sending ---------------------------------------------------------------------------------


@method("sendMessage")
async def send_message(api: BotApi, params: Params, files: Files) -> Any:
    chat = api.world.resolve_chat(_require(params, "chat_id"))
    source = params.get("text")
    if source in (None, ""):
        raise bad_request("message text is empty")
    text, entities = formatted(source, params.get("parse_mode"), params.get("entities"))
    check_text(text)
    check_reply_markup(params.get("reply_markup"))
    message: dict[str, Any] = {**_sender(api, chat), "text": text, "x_html": _html(source, params)}
    if entities:
        message["entities"] = entities
    inline = _apply_keyboard(chat, params.get("reply_markup"))
    if inline:
        message["reply_markup"] = inline
    return _public(await api.world.add_message(chat, message))


def _html(source: str | None, params: Params) -> str | None:
    if source is None:
        return None
    if (params.get("parse_mode") or "").upper() == "HTML":
        return source
    import html

    return html.escape(source, quote=False)


def _media_file(api: BotApi, value: Any, files: Files, kind: str, field: str) -> StoredFile:
    """A file given as an upload, an attach:// reference or a file_id; URLs need the internet."""
    if isinstance(value, str) and value.startswith("attach://"):
        value = files.get(value[len("attach://") :])
        if value is None:
            raise bad_request(f"file of field {field} not found in the request")
    if value is None and field in files:
        value = files[field]
    if isinstance(value, tuple):
        name, content, mime = value
        if not content:
            raise bad_request("file must be non-empty")
        return api.world.store_file(content, kind, mime, name)
    if isinstance(value, str) and value:
        if value.startswith(("http://", "https://")):
            raise bad_request("wrong file identifier/HTTP URL specified")
        return api.world.file(value)
    raise bad_request(f"there is no {field} in the request")


def photo_sizes(stored: StoredFile) -> list[dict[str, Any]]:
    width, height = image_size(stored.content)
    return [
        {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": width,
            "height": height,
            "file_size": stored.size,
        }
    ]


def document_payload(stored: StoredFile) -> dict[str, Any]:
    data = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
    }
    if stored.file_name:
        data["file_name"] = stored.file_name
    if stored.mime_type:
        data["mime_type"] = stored.mime_type
    return data


async def _send_media(api: BotApi, params: Params, files: Files, kind: str) -> Any:
    chat = api.world.resolve_chat(_require(params, "chat_id"))
    stored = _media_file(api, params.get(kind), files, kind, kind)
    caption_source = params.get("caption")
    caption, entities = formatted(
        caption_source, params.get("parse_mode"), params.get("caption_entities")
    )
    check_caption(caption)
    check_reply_markup(params.get("reply_markup"))
    message: dict[str, Any] = {**_sender(api, chat)}
    message[kind] = photo_sizes(stored) if kind == "photo" else document_payload(stored)
    if caption:
        message["caption"] = caption
        message["x_html"] = _html(caption_source, params)
        if entities:
            message["caption_entities"] = entities
    inline = _apply_keyboard(chat, params.get("reply_markup"))
    if inline:
        message["reply_markup"] = inline
    return _public(await api.world.add_message(chat, message))


@method("sendPhoto")
async def send_photo(api: BotApi, params: Params, files: Files) -> Any:
    return await _send_media(api, params, files, "photo")


@method("sendDocument")
async def send_document(api: BotApi, params: Params, files: Files) -> Any:
    return await _send_media(api, params, files, "document")


@method("sendVideo")
async def send_video(api: BotApi, params: Params, files: Files) -> Any:
    return await _send_media(api, params, files, "video")


@method("sendMediaGroup")
async def send_media_group(api: BotApi, params: Params, files: Files) -> Any:
    chat = api.world.resolve_chat(_require(params, "chat_id"))
    media = params.get("media")
    if not isinstance(media, list) or len(media) < 2:
        raise bad_request("there must be at least two media in an album")
    if len(media) > 10:
        raise bad_request("too many messages to send as an album")
    group_id = str(int(time.time() * 1000))
    sent = []
    for index, item in enumerate(media):
        kind = item.get("type")
        if kind not in ("photo", "document", "video"):
            raise bad_request(f"unsupported media type {kind!r} in an album")
        stored = _media_file(api, item.get("media"), files, kind, f"media[{index}]")
        caption, entities = formatted(
            item.get("caption"), item.get("parse_mode"), item.get("caption_entities")
        )
        check_caption(caption)
        message: dict[str, Any] = {**_sender(api, chat), "media_group_id": group_id}
        message[kind] = photo_sizes(stored) if kind == "photo" else document_payload(stored)
        if caption:
            message["caption"] = caption
            message["x_html"] = _html(item.get("caption"), item)
            if entities:
                message["caption_entities"] = entities
        sent.append(_public(await api.world.add_message(chat, message)))
    return sent


async def _duplicate(api: BotApi, params: Params) -> dict[str, Any]:
    chat = api.world.resolve_chat(_require(params, "chat_id"))
    source_chat = api.world.resolve_chat(_require(params, "from_chat_id"))
    original = source_chat.messages.get(int(_require(params, "message_id")))
    if original is None:
        raise bad_request("message to copy not found")
    skipped = ("message_id", "date", "chat", "from", "sender_chat", "edit_date")
    copied = {key: value for key, value in original.items() if key not in skipped}
    return await api.world.add_message(chat, {**_sender(api, chat), **copied})


@method("copyMessage")
async def copy_message(api: BotApi, params: Params, files: Files) -> Any:
    message = await _duplicate(api, params)
    return {"message_id": message["message_id"]}


@method("forwardMessage")
async def forward_message(api: BotApi, params: Params, files: Files) -> Any:
    return _public(await _duplicate(api, params))


@method("sendChatAction")
async def send_chat_action(api: BotApi, params: Params, files: Files) -> Any:
    api.world.resolve_chat(_require(params, "chat_id"))
    _require(params, "action")
    return True


# --- editing ---------------------------------------------------------------------------------


def _editable(api: BotApi, params: Params) -> tuple[Chat, dict[str, Any]]:
    if params.get("inline_message_id"):
        raise bad_request("inline messages are not emulated")
    chat = api.world.resolve_chat(_require(params, "chat_id"))
    message = api.world.message(chat, _require(params, "message_id"))
    if "from" in message and not message["from"].get("is_bot"):
        raise bad_request("message can't be edited")
    return chat, message


def _not_modified() -> ApiError:
    return bad_request(
        "message is not modified: specified new message content and reply markup are exactly "
        "the same as a current content and reply markup of the message"
    )


def _replace_body(
    message: dict[str, Any],
    field: str,
    value: str,
    entities_field: str,
    entities: list[dict[str, Any]],
    shown_html: str | None,
    markup: dict[str, Any] | None,
) -> None:
    # What the message said before, for tests that a progress note became its result (x_:
    # never shown through the API).
    message.setdefault("x_earlier", []).append(message.get(field))
    message[field] = value
    message["x_html"] = shown_html
    message.pop(entities_field, None)
    if entities:
        message[entities_field] = entities
    message.pop("reply_markup", None)
    if markup:
        message["reply_markup"] = markup


async def _store_edit(api: BotApi, chat: Chat, message: dict[str, Any]) -> Any:
    message["edit_date"] = int(time.time())
    await api.world.touch(chat)
    return _public(message)


@method("editMessageText")
async def edit_message_text(api: BotApi, params: Params, files: Files) -> Any:
    chat, message = _editable(api, params)
    if "text" not in message:
        raise bad_request("there is no text in the message to edit")
    source = params.get("text")
    text, entities = formatted(source, params.get("parse_mode"), params.get("entities"))
    check_text(text)
    check_reply_markup(params.get("reply_markup"))
    markup = params.get("reply_markup") if params.get("reply_markup") else None
    if (
        text == message["text"]
        and entities == message.get("entities", [])
        and markup == message.get("reply_markup")
    ):
        raise _not_modified()
    _replace_body(message, "text", text, "entities", entities, _html(source, params), markup)
    return await _store_edit(api, chat, message)


@method("editMessageReplyMarkup")
async def edit_message_reply_markup(api: BotApi, params: Params, files: Files) -> Any:
    chat, message = _editable(api, params)
    check_reply_markup(params.get("reply_markup"))
    markup = params.get("reply_markup") or None
    if markup == message.get("reply_markup"):
        raise _not_modified()
    message.pop("reply_markup", None)
    if markup:
        message["reply_markup"] = markup
    return await _store_edit(api, chat, message)


@method("editMessageCaption")
async def edit_message_caption(api: BotApi, params: Params, files: Files) -> Any:
    chat, message = _editable(api, params)
    if "text" in message:
        raise bad_request("there is no caption in the message to edit")
    source = params.get("caption")
    caption, entities = formatted(source, params.get("parse_mode"), params.get("caption_entities"))
    check_caption(caption)
    markup = params.get("reply_markup") or None
    if caption == message.get("caption", "") and markup == message.get("reply_markup"):
        raise _not_modified()
    _replace_body(
        message, "caption", caption, "caption_entities", entities, _html(source, params), markup
    )
    return await _store_edit(api, chat, message)


@method("editMessageMedia")
async def edit_message_media(api: BotApi, params: Params, files: Files) -> Any:
    chat, message = _editable(api, params)
    if "text" in message:
        raise bad_request("there is no media in the message to edit")
    media = params.get("media")
    if not isinstance(media, dict) or media.get("type") not in ("photo", "document", "video"):
        raise bad_request("media is invalid")
    kind = media["type"]
    stored = _media_file(api, media.get("media"), files, kind, "media")
    for old in ("photo", "document", "video", "caption", "caption_entities", "x_html"):
        message.pop(old, None)
    message[kind] = photo_sizes(stored) if kind == "photo" else document_payload(stored)
    caption, entities = formatted(
        media.get("caption"), media.get("parse_mode"), media.get("caption_entities")
    )
    if caption:
        check_caption(caption)
        message["caption"] = caption
        message["x_html"] = _html(media.get("caption"), media)
        if entities:
            message["caption_entities"] = entities
    markup = params.get("reply_markup") or None
    message.pop("reply_markup", None)
    if markup:
        message["reply_markup"] = markup
    return await _store_edit(api, chat, message)


@method("deleteMessage")
async def delete_message(api: BotApi, params: Params, files: Files) -> Any:
    chat = api.world.resolve_chat(_require(params, "chat_id"))
    message_id = int(_require(params, "message_id"))
    if chat.messages.pop(message_id, None) is None:
        raise bad_request("message to delete not found")
    await api.world.touch(chat)
    return True


@method("answerCallbackQuery")
async def answer_callback_query(api: BotApi, params: Params, files: Files) -> Any:
    text = params.get("text")
    if text and len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    api.world.answer_callback(
        str(_require(params, "callback_query_id")),
        {"text": text, "show_alert": _flag(params, "show_alert"), "url": params.get("url")},
    )
    return True


# --- files, commands, chats ------------------------------------------------------------------


@method("getFile")
async def get_file(api: BotApi, params: Params, files: Files) -> Any:
    stored = api.world.file(str(_require(params, "file_id")))
    if stored.size > MAX_DOWNLOAD_BYTES:
        raise bad_request("file is too big")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
        "file_path": stored.file_path,
    }


def _commands_key(params: Params) -> str:
    scope = params.get("scope") or {"type": "default"}
    if isinstance(scope, str):
        scope = json.loads(scope)
    chat = f":{scope['chat_id']}" if scope.get("chat_id") is not None else ""
    return f"{scope.get('type', 'default')}{chat}:{params.get('language_code') or ''}"


@method("setMyCommands")
async def set_my_commands(api: BotApi, params: Params, files: Files) -> Any:
    commands = params.get("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("commands must be a list of at most 100 BotCommand")
    for command in commands:
        if not _COMMAND.match(str(command.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    api.world.commands[_commands_key(params)] = commands
    return True


@method("getMyCommands")
async def get_my_commands(api: BotApi, params: Params, files: Files) -> Any:
    return api.world.commands.get(_commands_key(params), [])


@method("deleteMyCommands")
async def delete_my_commands(api: BotApi, params: Params, files: Files) -> Any:
    api.world.commands.pop(_commands_key(params), None)
    return True


@method("getChat")
async def get_chat(api: BotApi, params: Params, files: Files) -> Any:
    chat = api.world.resolve_chat(_require(params, "chat_id"))
    data = api.world.chat_payload(chat)
    data["accent_color_id"] = 0
    data["max_reaction_count"] = 11
    data["accepted_gift_types"] = {
        "unlimited_gifts": False,
        "limited_gifts": False,
        "unique_gifts": False,
        "premium_subscription": False,
        "gifts_from_channels": False,
    }
    return data


@method("getChatMember")
async def get_chat_member(api: BotApi, params: Params, files: Files) -> Any:
    chat = api.world.resolve_chat(_require(params, "chat_id"))
    user_id = int(_require(params, "user_id"))
    if user_id == api.world.bot_id:
        if chat.type == "channel":
            return {
                "status": "administrator",
                "user": api.world.bot_user(),
                "can_be_edited": False,
                "is_anonymous": False,
                "can_manage_chat": True,
                "can_delete_messages": True,
                "can_manage_video_chats": False,
                "can_restrict_members": False,
                "can_promote_members": False,
                "can_change_info": False,
                "can_invite_users": True,
                "can_post_stories": False,
                "can_edit_stories": False,
                "can_delete_stories": False,
                "can_send_welcome_messages": False,
                "can_post_messages": True,
                "can_edit_messages": True,
                "can_pin_messages": True,
            }
        return {"status": "member", "user": api.world.bot_user()}
    user = api.world.users.get(user_id)
    if user is None:
        raise bad_request("PARTICIPANT_ID_INVALID")
    return {"status": "member" if chat.id == user_id else "left", "user": user.as_telegram()}


@method("pinChatMessage")
async def pin_chat_message(api: BotApi, params: Params, files: Files) -> Any:
    chat = api.world.resolve_chat(_require(params, "chat_id"))
    api.world.message(chat, _require(params, "message_id"))
    chat.pinned = int(params["message_id"])
    await api.world.touch(chat)
    return True


@method("unpinChatMessage")
async def unpin_chat_message(api: BotApi, params: Params, files: Files) -> Any:
    chat = api.world.resolve_chat(_require(params, "chat_id"))
    chat.pinned = None
    await api.world.touch(chat)
    return True
