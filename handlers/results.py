"""/results: the current tallies for anyone, one decimal, never before polls close."""

from __future__ import annotations

import html

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram_i18n import I18nContext

from models.election import Election
from models.tables import utc_now
from publishing.posts import one_decimal
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
    locale = i18n.locale
    if publisher.phase(utc_now()) is Phase.QUIET:
        close_at = publisher.close_at
        await message.answer(i18n.get("results-quiet", time=close_at.strftime("%d.%m.%Y %H:%M")))
        return
    blocks = []
    for level in election.levels:
        tally = await tallies.for_level(election, level.key)
        if tally.precincts == 0:
            continue
        parties = "\n".join(
            i18n.get(
                "results-party-line",
                party=html.escape(election.party(key).name.in_(locale), quote=False),
                share=one_decimal(tally.party_share(key)),
            )
            for key in tally.votes
        )
        blocks.append(
            i18n.get(
                "results-level",
                level=html.escape(level.name.in_(locale), quote=False),
                precincts=tally.precincts,
                total=tally.precincts_total,
                turnout=one_decimal(tally.turnout),
                parties=parties,
                invalid=one_decimal(tally.invalid_share),
                against_all=one_decimal(tally.against_all_share)
                if tally.against_all_share is not None
                else "none",
            )
        )
    if not blocks:
        await message.answer(i18n.get("results-none"))
        return
    header = i18n.get(
        "results-header", election=html.escape(election.name.in_(locale), quote=False)
    )
    await message.answer("\n\n".join([header, *blocks, i18n.get("results-note")]))
