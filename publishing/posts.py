"""Tally posts in the shape of the press conference's table (seed 002): whole percentages,
with the definitions, the coverage and the cut-off stated."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from fractions import Fraction

from models.election import Election
from publishing.tallies import LevelTally
from services.regions import region_message_id

Translate = Callable[..., str]


def whole_percent(share: Fraction) -> int:
    """Round half up, as the published table does (31.5% → 32%)."""
    return int(share * 100 + Fraction(1, 2))


def one_decimal(share: Fraction) -> str:
    """A percentage with one decimal, half up, with the decimal comma of kk and ru: "31,5"."""
    tenths = int(share * 1000 + Fraction(1, 2))
    return f"{tenths // 10},{tenths % 10}"


def passing_threshold(election: Election, tally: LevelTally) -> list[str] | None:
    """The parties whose share of the ballots in the boxes reaches the level's threshold, in
    ballot order; None where the level has no threshold."""
    threshold = election.level(tally.level).threshold_percent
    if threshold is None:
        return None
    return [party for party in tally.votes if tally.party_share(party) >= Fraction(threshold, 100)]


def _party_lines(
    election: Election,
    tally: LevelTally,
    locale: str,
    translate: Translate,
    share: Callable[[Fraction], int | str],
    *,
    line_id: str,
) -> str:
    """One line per party on the ballot, its share written by `share`."""
    return "\n".join(
        translate(
            line_id,
            locale,
            party=html.escape(election.party(key).name.in_(locale), quote=False),
            share=share(tally.party_share(key)),
        )
        for key in tally.votes
    )


def results_reply(
    election: Election, tallies: Sequence[LevelTally], locale: str, translate: Translate
) -> str | None:
    """/results: every level with counted precincts, one decimal; None when none has any."""
    blocks = []
    for tally in tallies:
        if tally.precincts == 0:
            continue
        level = election.level(tally.level)
        parties = _party_lines(
            election, tally, locale, translate, one_decimal, line_id="results-party-line"
        )
        blocks.append(
            translate(
                "results-level",
                locale,
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
        return None
    header = translate(
        "results-header", locale, election=html.escape(election.name.in_(locale), quote=False)
    )
    return "\n\n".join([header, *blocks, translate("results-note", locale)])


def tally_post(
    election: Election,
    tally: LevelTally,
    locale: str,
    translate: Translate,
    cut_off: datetime,
    regions: Mapping[str, LevelTally] | None = None,
) -> str:
    """`regions`: the same tally per region, for the range of turnout between regions."""
    extra = []
    passing = passing_threshold(election, tally)
    if passing is not None:
        extra.append(
            translate(
                "tally-threshold",
                locale,
                threshold=election.level(tally.level).threshold_percent,
                count=len(passing),
                parties=", ".join(
                    html.escape(election.party(p).name.in_(locale), quote=False) for p in passing
                )
                or "—",
            )
        )
    counted = {region: t for region, t in (regions or {}).items() if t.voters}
    if len(counted) >= 2:
        low = min(counted, key=lambda region: counted[region].turnout)
        high = max(counted, key=lambda region: counted[region].turnout)
        extra.append(
            translate(
                "tally-turnout-range",
                locale,
                low=whole_percent(counted[low].turnout),
                high=whole_percent(counted[high].turnout),
                low_region=translate(region_message_id(low), locale),
                high_region=translate(region_message_id(high), locale),
            )
        )
    parties = _party_lines(
        election, tally, locale, translate, whole_percent, line_id="tally-party-line"
    )
    against_all = tally.against_all_share
    return translate(
        "tally-post",
        locale,
        election=html.escape(election.name.in_(locale), quote=False),
        level=html.escape(election.level(tally.level).name.in_(locale), quote=False),
        precincts=tally.precincts,
        total=tally.precincts_total,
        voters=tally.voters,
        turnout=whole_percent(tally.turnout),
        unused=whole_percent(tally.unused_share),
        parties=parties,
        against_all=whole_percent(against_all) if against_all is not None else -1,
        invalid=whole_percent(tally.invalid_share),
        extra="\n".join(extra) or "none",
        time=cut_off.strftime("%d.%m.%Y %H:%M"),
    )
