"""Evidence re-sent to coordinators, without the metadata of the observer's file.

A photo sent as a photo was recompressed by Telegram, which keeps no EXIF: it is copied. A file
that is a JPEG or PNG image is downloaded, cleaned (services.image_metadata) and sent as a new
file; the observer's own message, the original, keeps everything. Anything else (videos, PDFs,
HEIC) is copied as it is: there is nothing here that could clean it."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BufferedInputFile

from services.image_metadata import UnreadableImage, strip_image_metadata

log = logging.getLogger(__name__)


async def send_evidence(bot: Bot, chat_id: int, item: dict[str, Any]) -> None:
    """One piece of evidence to a coordinator's chat. Raises TelegramBadRequest when the
    original is gone (the observer deleted it, or /forget)."""
    if item.get("kind") == "document" and item.get("file_id"):
        cleaned = await _cleaned(bot, item)
        if cleaned is not None:
            await bot.send_document(
                chat_id, BufferedInputFile(cleaned, filename=_file_name(cleaned))
            )
            return
    if "chat_id" in item and "message_id" in item:
        await bot.copy_message(chat_id, item["chat_id"], item["message_id"])
        return
    # After the observer's /forget only the file is left, not the message it came in.
    file_id, kind = item["file_id"], item.get("kind")
    if kind == "photo":
        await bot.send_photo(chat_id, file_id)
    elif kind == "video":
        await bot.send_video(chat_id, file_id)
    else:
        await bot.send_document(chat_id, file_id)


async def _cleaned(bot: Bot, item: dict[str, Any]) -> bytes | None:
    try:
        downloaded = await bot.download(item["file_id"])
    except TelegramBadRequest as error:  # above the Bot API's 20 MB download limit
        log.warning("evidence file %s not cleaned (%s); copied as sent", item["file_id"], error)
        return None
    if downloaded is None:
        return None
    try:
        return strip_image_metadata(downloaded.read())
    except UnreadableImage as error:
        log.warning("evidence file %s is not a readable image (%s)", item["file_id"], error)
        return None


def _file_name(content: bytes) -> str:
    # Not the observer's own file name: a phone's names can carry a date, a place or a name.
    return "evidence.png" if content.startswith(b"\x89PNG") else "evidence.jpg"
