"""/results: the current tallies for anyone, one decimal, never before polls close."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram_i18n import I18nContext

from models.election import Election
from models.tables import utc_now
from publishing.posts import results_reply
from publishing.schedule import Phase
from publishing.tallies import TallyReader
from runtime.channel import ChannelRunner

router = Router(name="results")


@router.message(Command("results"))
async def results(
    message: Message,
    i18n: I18nContext,
    tallies: TallyReader,
    election: Election,
    channel: ChannelRunner,
) -> None:
    publisher = channel.publisher
    if publisher.phase(utc_now()) is Phase.QUIET:
        close_at = publisher.close_at
        await message.answer(i18n.get("results-quiet", time=close_at.strftime("%d.%m.%Y %H:%M")))
        return
    counted = [await tallies.for_level(election, level.key) for level in election.levels]
    text = results_reply(election, counted, i18n.locale, i18n.core.get)
    await message.answer(text if text is not None else i18n.get("results-none"))
