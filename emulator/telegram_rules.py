"""What Telegram's Bot API refuses, and the error it answers with.

The wording of each description follows what Telegram returns, so the bot's error handling is
exercised against the same strings it will meet in production.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_BUTTONS = 100
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024


class ApiError(Exception):
    """An error the Bot API answers with `ok: false`."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


# Tag → entity type. Telegram accepts these and nothing else.
_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_TAG = re.compile(
    r"<(?P<close>/?)(?P<name>[a-zA-Z][a-zA-Z0-9-]*)"
    r"(?P<attrs>(?:\s+[a-zA-Z_-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*>"
)
_ATTR = re.compile(r"([a-zA-Z_-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")
_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]*);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Open:
    name: str
    offset: int
    attrs: dict[str, str]


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Telegram's HTML parse mode: plain text plus MessageEntity dicts (UTF-16 offsets)."""
    out: list[str] = []
    offset = 0  # UTF-16 units emitted so far
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    position = 0
    while position < len(source):
        char = source[position]
        if char == "<":
            match = _TAG.match(source, position)
            if match is None:
                byte = len(source[:position].encode())
                raise bad_request(f"can't parse entities: Unexpected end tag at byte offset {byte}")
            name = match["name"].lower()
            if name not in _TAGS:
                byte = len(source[:position].encode())
                kind = "end" if match["close"] else "start"
                raise bad_request(
                    f'can\'t parse entities: Unsupported {kind} tag "{name}" at byte offset {byte}'
                )
            if match["close"]:
                if not stack or stack[-1].name != name:
                    byte = len(source[:position].encode())
                    raise bad_request(
                        f"can't parse entities: Unmatched end tag at byte offset {byte}, "
                        f'expected "</{stack[-1].name if stack else ""}>", found "</{name}>"'
                    )
                opened = stack.pop()
                entity = _entity(opened, offset)
                if entity is not None:
                    entities.append(entity)
            else:
                attrs = {
                    key.lower(): next((v for v in values if v), "")
                    for key, *values in _ATTR.findall(match["attrs"] or "")
                }
                if name == "span" and attrs.get("class") != "tg-spoiler":
                    raise bad_request(
                        'can\'t parse entities: Tag "span" must have class "tg-spoiler"'
                    )
                stack.append(_Open(name, offset, attrs))
            position = match.end()
            continue
        if char == "&":
            match = _ENTITY.match(source, position)
            if match is not None:
                token = match[1]
                if token.startswith("#"):
                    number = int(token[2:], 16) if token[1] in "xX" else int(token[1:])
                    decoded = chr(number) if 0 < number <= 0x10FFFF else "\ufffd"
                elif token in _NAMED:
                    decoded = _NAMED[token]
                else:
                    raise bad_request(f'can\'t parse entities: Unsupported HTML entity "&{token};"')
                out.append(decoded)
                offset += utf16_length(decoded)
                position = match.end()
                continue
        out.append(char)
        offset += utf16_length(char)
        position += 1
    if stack:
        raise bad_request(
            "can't parse entities: Can't find end tag corresponding to start tag "
            f'"{stack[-1].name}"'
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _entity(opened: _Open, end: int) -> dict[str, Any] | None:
    length = end - opened.offset
    if length <= 0:
        return None
    kind = _TAGS[opened.name]
    entity: dict[str, Any] = {"type": kind, "offset": opened.offset, "length": length}
    if kind == "text_link":
        href = opened.attrs.get("href", "")
        if not href:
            return None
        entity["url"] = href
    elif kind == "pre" and opened.attrs.get("language"):
        entity["language"] = opened.attrs["language"]
    elif kind == "custom_emoji":
        entity["custom_emoji_id"] = opened.attrs.get("emoji-id", "")
    elif kind == "blockquote" and "expandable" in opened.attrs:
        entity["type"] = "expandable_blockquote"
    return entity


def formatted(
    text: str | None, parse_mode: str | None, entities: Any
) -> tuple[str, list[dict[str, Any]]]:
    if text is None:
        return "", []
    if parse_mode and parse_mode.upper() == "HTML":
        return parse_html(text)
    if parse_mode:
        # The bot always uses HTML; another mode here means a mistake worth seeing at once.
        raise bad_request(f"unsupported parse_mode {parse_mode!r} in the emulator")
    return text, list(entities or [])


def check_text(text: str) -> None:
    if not text.strip():
        raise bad_request("message text is empty")
    if utf16_length(text) > MAX_TEXT:
        raise bad_request("message is too long")


def check_caption(caption: str) -> None:
    if utf16_length(caption) > MAX_CAPTION:
        raise bad_request("message caption is too long")


def check_reply_markup(markup: dict[str, Any] | None) -> None:
    if not markup:
        return
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
            )
        if sum(len(row) for row in rows) > MAX_INLINE_BUTTONS:
            raise bad_request("reply markup is too long")
        for row in rows:
            for button in row:
                if not button.get("text"):
                    raise bad_request("text buttons are unallowed in the inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
                    raise bad_request("BUTTON_DATA_INVALID")
                kinds = {
                    "callback_data",
                    "url",
                    "switch_inline_query",
                    "switch_inline_query_current_chat",
                    "web_app",
                    "login_url",
                    "pay",
                    "copy_text",
                    "callback_game",
                    "switch_inline_query_chosen_chat",
                }
                if not kinds & button.keys():
                    raise bad_request("text buttons are unallowed in the inline keyboard")
    elif "keyboard" in markup:
        for row in markup["keyboard"]:
            for button in row:
                text = button if isinstance(button, str) else button.get("text")
                if not text:
                    raise bad_request("keyboard button text is empty")
