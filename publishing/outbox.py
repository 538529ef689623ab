"""What a channel post is before it is sent, and the rules of the outbox: when two posts are the
same, how a post is split into messages, how long to wait after a failure."""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from html.parser import HTMLParser
from typing import Literal, Protocol

# Telegram's limits, counted in UTF-16 code units of the text as shown (after HTML parsing).
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024


class OutboxStatus(StrEnum):
    PENDING = "pending"  # written, not (completely) sent yet
    SENT = "sent"
    EDIT_PENDING = "edit_pending"  # a live post whose figures changed: edit it in place
    FAILED = "failed"  # Telegram refused it for good (bad request, bot not in the channel)


class PostKind(StrEnum):
    TALLY = "tally"
    LIVE = "live"
    INCIDENTS = "incidents"
    MILESTONE = "milestone"
    COMPARISON = "comparison"  # observers' figures against the official ones, once imported


@dataclass(frozen=True)
class Draft:
    kind: PostKind
    chat: str
    text: str
    # What the post says, minus the moment it was cut: two drafts with equal fingerprints are
    # the same post, even if their "as of" times differ.
    fingerprint: str
    chart: bytes | None = None
    caption: str | None = None  # the chart's caption when `text` is too long to be one
    key: str | None = None  # live posts: edited in place under this key; milestones: once

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(
            f"{self.kind}\x1f{self.chat}\x1f{self.fingerprint}".encode()
        ).hexdigest()


@dataclass(frozen=True)
class Part:
    """One Telegram message of a post."""

    kind: Literal["photo", "text"]
    text: str | None


def post_parts(text: str, chart: bytes | None, caption: str | None) -> list[Part]:
    """A chart with the text as its caption when it fits; else the chart with its short
    caption, then the text as a message of its own."""
    if chart is None:
        return [Part("text", text)]
    if shown_length(text) <= CAPTION_LIMIT:
        return [Part("photo", text)]
    return [Part("photo", caption), Part("text", text)]


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)


def shown_text(markup: str) -> str:
    parser = _Visible()
    parser.feed(markup)
    parser.close()
    return html.unescape("".join(parser.chunks))


def shown_length(markup: str) -> int:
    """Length as Telegram counts it: UTF-16 code units of the text after HTML parsing."""
    return len(shown_text(markup).encode("utf-16-le")) // 2


def retry_delay(attempts: int, asked: float | None = None) -> timedelta:
    """Telegram's retry_after when it gave one; else exponential backoff from 5 s to 10 min."""
    backoff = min(5.0 * 2 ** max(attempts - 1, 0), 600.0)
    return timedelta(seconds=max(asked or 0.0, backoff if asked is None else 0.0))


class RetryLater(Exception):
    """A temporary failure: 429, 5xx, the network. `seconds`: Telegram's retry_after, if any."""

    def __init__(self, reason: str, seconds: float | None = None) -> None:
        super().__init__(reason)
        self.seconds = seconds


class Refused(Exception):
    """Telegram will not take this post as it is (bad request, no rights in the channel)."""


class MessageGone(Exception):
    """The message to edit no longer exists (deleted by an admin): post it anew."""


class ChannelSender(Protocol):
    async def send_photo(self, chat: str, photo: bytes, caption: str | None) -> int: ...

    async def send_text(self, chat: str, text: str) -> int: ...

    async def edit_photo(
        self, chat: str, message_id: int, photo: bytes, caption: str | None
    ) -> None: ...

    async def edit_text(self, chat: str, message_id: int, text: str) -> None: ...
