"""User text shown inside the bot's own messages: measured as Telegram measures it."""

from __future__ import annotations


def utf16_length(text: str) -> int:
    """Telegram's limits count UTF-16 code units: an emoji outside the BMP counts twice."""
    return len(text.encode("utf-16-le")) // 2


def fit_text(text: str, limit: int) -> str:
    """The text, or its start with "…" so that it is at most `limit` UTF-16 units. Cut before
    HTML escaping: an escaped text cut in the middle of an entity would not parse."""
    if utf16_length(text) <= limit:
        return text
    cut = text[: limit - 1]
    while utf16_length(cut) > limit - 1:
        cut = cut[:-1]
    return cut.rstrip() + "…"
