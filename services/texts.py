"""User text shown inside the bot's own messages: measured as Telegram measures it."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from settings import Settings


def utf16_length(text: str) -> int:
    """Telegram's limits count UTF-16 code units: an emoji outside the BMP counts twice."""
    return len(text.encode("utf-16-le")) // 2


def escaped_fit(text: str, limit: int) -> str:
    """The text HTML-escaped for a message, cut (before escaping, so no entity is broken) with "…"
    so that the escaped result is at most `limit` characters and `limit` UTF-16 units: text
    heavy in `< > &` grows up to five times when escaped, an emoji counts twice for Telegram,
    and fluent.runtime refuses a placeable over 2,500 characters (its error says 1,000)."""
    import html

    def fits(candidate: str) -> bool:
        escaped = html.escape(candidate, quote=False)
        return len(escaped) <= limit and utf16_length(escaped) <= limit

    if fits(text):
        return html.escape(text, quote=False)
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        middle = (low + high + 1) // 2
        if fits(text[:middle].rstrip() + "…"):
            low = middle
        else:
            high = middle - 1
    return html.escape(text[:low].rstrip() + "…", quote=False)


def local_date(moment: datetime | date, settings: Settings) -> str:
    if isinstance(moment, datetime):
        zone = ZoneInfo(settings.election.timezone)
        moment = (
            (moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("UTC")))
            .astimezone(zone)
            .date()
        )
    return moment.strftime("%d.%m.%Y")
