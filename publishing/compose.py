"""Composes channel posts (drafts) from the database: tallies per level, live tallies, incident
summaries, petition milestones; in one language per post or both in one, per configuration."""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from models.election import Election
from models.incident import IncidentCatalog, IncidentSeverity
from models.petition import Petition
from publishing.charts import ChartLabels, comparison_chart, table_chart, tally_chart
from publishing.incident_summary import IncidentSummary, incident_summary
from publishing.milestones import newly_crossed, share_of_goal
from publishing.outbox import TEXT_LIMIT, Draft, PostKind, shown_length
from publishing.posts import Translate, one_decimal, tally_post, whole_percent
from publishing.tallies import LevelTally, tally_by_region, tally_for_level
from services.deep_links import petition_payload
from services.official_results import DiscrepancyReport, discrepancy_report
from services.regions import region_message_id

SEPARATOR = "\n\n— — —\n\n"


@dataclass(frozen=True)
class Target:
    """A chat and the languages each of its posts carries (one, or both in one post)."""

    chat: str
    locales: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.chat}:{'+'.join(self.locales)}"


def channel_targets(
    layout: str, chat: str, chat_kk: str | None = None, chat_ru: str | None = None
) -> list[Target]:
    if layout == "bilingual":
        return [Target(chat, ("kk", "ru"))]
    return [Target(chat_kk or chat, ("kk",)), Target(chat_ru or chat, ("ru",))]


@dataclass(frozen=True)
class PublishContext:
    election: Election
    targets: list[Target]
    translate: Translate
    incident_catalog: IncidentCatalog
    petitions: dict[str, Petition] = field(default_factory=dict)
    bot_username: str | None = None


@dataclass(frozen=True)
class PendingDraft:
    """A draft whose chart is drawn only if the post is really new (drawing takes ~150 ms)."""

    draft: Draft
    chart: Callable[[], bytes] | None = None

    def ready(self) -> Draft:
        return replace(self.draft, chart=self.chart()) if self.chart else self.draft


def _joined(
    locales: Iterable[str], render: Callable[[str], str], separator: str = SEPARATOR
) -> str:
    return separator.join(render(locale) for locale in locales)


def _each_once(
    locales: Iterable[str], text_of: Callable[[str], str], separator: str = " / "
) -> str:
    """A text in each language of the post, one the languages share only once ("AMANAT", not
    "AMANAT / AMANAT")."""
    return separator.join(dict.fromkeys(text_of(locale) for locale in locales))


def _translated(
    context: PublishContext,
    locales: Iterable[str],
    message_id: str,
    separator: str = " / ",
    **kw: object,
) -> str:
    """A message in each language of the post, once each."""
    return _each_once(locales, lambda loc: context.translate(message_id, loc, **kw), separator)


def _party_name(election: Election, party: str, locales: Iterable[str]) -> str:
    """What charts call a party: its short name, in each language once."""
    return _each_once(locales, election.party(party).short_name)


def _labels(
    context: PublishContext, tally: LevelTally, locales: tuple[str, ...], cut_off: datetime
) -> ChartLabels:
    election, level = context.election, context.election.level(tally.level)
    return ChartLabels(
        title=_each_once(locales, level.name.in_, "\n"),
        subtitle=_translated(
            context,
            locales,
            message_id="chart-subtitle",
            separator="\n",
            precincts=tally.precincts,
            total=tally.precincts_total,
            time=cut_off.strftime("%d.%m.%Y %H:%M"),
        ),
        turnout=_translated(context, locales, message_id="chart-turnout"),
        invalid=_translated(context, locales, message_id="chart-invalid"),
        against_all=_translated(context, locales, message_id="chart-against-all")
        if election.against_all
        else None,
    )


def _party_names(election: Election, tally: LevelTally, locales: tuple[str, ...]) -> list[str]:
    return [_party_name(election, party, locales) for party in tally.votes]


def tally_draft(
    context: PublishContext,
    tally: LevelTally,
    target: Target,
    cut_off: datetime,
    live: bool,
    regions: dict[str, LevelTally] | None = None,
) -> PendingDraft:
    election = context.election
    text = _joined(
        target.locales,
        lambda loc: tally_post(election, tally, loc, context.translate, cut_off, regions),
    )
    caption = _joined(
        target.locales,
        lambda loc: context.translate(
            "tally-caption",
            loc,
            election=html.escape(election.name.in_(loc), quote=False),
            level=html.escape(election.level(tally.level).name.in_(loc), quote=False),
            precincts=tally.precincts,
            total=tally.precincts_total,
        ),
        "\n\n",
    )
    turnout = {region: str(t.turnout) for region, t in (regions or {}).items()}
    fingerprint = json.dumps(
        {"tally": asdict(tally), "locales": target.locales, "regions": turnout},
        sort_keys=True,
        default=str,
    )
    labels = _labels(context, tally, target.locales, cut_off)
    names = _party_names(election, tally, target.locales)

    def chart() -> bytes:
        return tally_chart(
            labels,
            [
                (name, tally.party_share(party))
                for name, party in zip(names, tally.votes, strict=True)
            ],
            tally.turnout,
            tally.invalid_share,
            tally.against_all_share,
        )

    kind = PostKind.LIVE if live else PostKind.TALLY
    key = f"live:{election.slug}:{tally.level}:{target.name}" if live else None
    return PendingDraft(
        Draft(kind, target.chat, text, fingerprint, caption=caption, key=key), chart
    )


def _grouped(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")


def table_draft(
    context: PublishContext, tallies: list[LevelTally], target: Target, cut_off: datetime
) -> PendingDraft:
    """Every level in one post, as seed 002's table: one image with the levels side by side,
    and a short text (each level's coverage and turnout) as its caption."""
    election, locales, translate = context.election, target.locales, context.translate
    time = cut_off.strftime("%d.%m.%Y %H:%M")

    def post(locale: str) -> str:
        levels = "\n".join(
            translate(
                "tally-table-level",
                locale,
                level=html.escape(election.level(t.level).name.in_(locale), quote=False),
                precincts=t.precincts,
                total=t.precincts_total,
                turnout=whole_percent(t.turnout),
            )
            for t in tallies
        )
        return translate(
            "tally-table-post",
            locale,
            election=html.escape(election.name.in_(locale), quote=False),
            time=time,
            levels=levels,
        )

    text = _joined(locales, post)
    caption = _joined(
        locales,
        lambda loc: translate(
            "tally-table-caption", loc, election=html.escape(election.name.in_(loc), quote=False)
        ),
        "\n\n",
    )
    fingerprint = json.dumps(
        {"table": [asdict(t) for t in tallies], "locales": locales}, sort_keys=True, default=str
    )
    parties = list(dict.fromkeys(p for t in tallies for p in t.votes))

    def percent(share: Fraction | None) -> str:
        return "—" if share is None else f"{whole_percent(share)}%"

    rows = [
        (
            _translated(context, locales, message_id="chart-row-precincts"),
            [f"{t.precincts}/{t.precincts_total}" for t in tallies],
        ),
        (
            _translated(context, locales, message_id="chart-row-voters"),
            [_grouped(t.voters) for t in tallies],
        ),
        (
            _translated(context, locales, message_id="chart-turnout"),
            [percent(t.turnout) for t in tallies],
        ),
        (
            _translated(context, locales, message_id="chart-row-unused"),
            [percent(t.unused_share) for t in tallies],
        ),
        *(
            (
                _party_name(election, p, locales),
                [percent(t.party_share(p)) if p in t.votes else "—" for t in tallies],
            )
            for p in parties
        ),
    ]
    if election.against_all:
        rows.append(
            (
                _translated(context, locales, message_id="chart-against-all"),
                [percent(t.against_all_share) for t in tallies],
            )
        )
    rows.append(
        (
            _translated(context, locales, message_id="chart-invalid"),
            [percent(t.invalid_share) for t in tallies],
        )
    )
    title = _each_once(locales, election.name.in_, "\n")
    columns = [_each_once(locales, election.level(t.level).short_name, "\n") for t in tallies]

    def chart() -> bytes:
        return table_chart(
            title,
            _translated(
                context, locales, message_id="chart-table-subtitle", separator="\n", time=time
            ),
            columns,
            rows,
        )

    return PendingDraft(
        Draft(PostKind.TALLY, target.chat, text, fingerprint, caption=caption), chart
    )


async def tally_drafts(
    session: AsyncSession, context: PublishContext, now: datetime, live: bool
) -> list[PendingDraft]:
    """One post per level with at least one counted protocol, per target; once every level is
    in (the final tally, not the live one), one post with all the levels side by side."""
    cut_off = now.astimezone(ZoneInfo(context.election.timezone))
    tallies = [
        await tally_for_level(session, context.election, level.key)
        for level in context.election.levels
    ]
    counted = [tally for tally in tallies if tally.precincts]
    if not live and counted and len(counted) == len(tallies):
        return [table_draft(context, counted, target, cut_off) for target in context.targets]
    drafts = []
    for tally in counted:
        regions = await tally_by_region(session, context.election, tally.level)
        drafts += [
            tally_draft(context, tally, target, cut_off, live, regions)
            for target in context.targets
        ]
    return drafts


def comparison_text(
    context: PublishContext, report: DiscrepancyReport, locale: str, cut_off: datetime
) -> str:
    """Observers' shares against the official ones over the same precincts; no precinct named."""
    election = context.election
    lines = [
        context.translate(
            "comparison-party-line",
            locale,
            party=html.escape(election.party(party).name.in_(locale), quote=False),
            observed=one_decimal(
                report.share(f"votes.{party}", "ballots_in_boxes", official=False)
            ),
            official=one_decimal(report.share(f"votes.{party}", "ballots_in_boxes", official=True)),
            moved=f"{report.moved[party]:+d}",
        )
        for party in report.parties
    ]
    return context.translate(
        "comparison-post",
        locale,
        election=html.escape(election.name.in_(locale), quote=False),
        level=html.escape(election.level(report.level).name.in_(locale), quote=False),
        compared=report.compared,
        differing=len(report.precincts),
        parties="\n".join(lines),
        turnout_observed=one_decimal(
            report.share("ballots_issued", "voters_on_list", official=False)
        ),
        turnout_official=one_decimal(
            report.share("ballots_issued", "voters_on_list", official=True)
        ),
        time=cut_off.strftime("%d.%m.%Y %H:%M"),
    )


async def comparison_drafts(
    session: AsyncSession, context: PublishContext, now: datetime
) -> list[PendingDraft]:
    """Per level with official results imported and compared precincts: one post per target."""
    cut_off = now.astimezone(ZoneInfo(context.election.timezone))
    drafts = []
    for level in context.election.levels:
        report = await discrepancy_report(session, context.election, level.key)
        if report.compared == 0:
            continue
        fingerprint = json.dumps(
            {
                "level": level.key,
                "observed": report.observed_sum,
                "official": report.official_sum,
                "differing": len(report.precincts),
            },
            sort_keys=True,
        )
        for target in context.targets:
            text = _fit(
                _joined(target.locales, lambda loc: comparison_text(context, report, loc, cut_off))  # noqa: B023 (_joined calls it at once)
            )

            def chart(report: DiscrepancyReport = report, target: Target = target) -> bytes:
                locales = target.locales
                title = _each_once(locales, context.election.level(report.level).name.in_, "\n")
                legend = (
                    _translated(context, locales, message_id="comparison-chart-observers"),
                    _translated(context, locales, message_id="comparison-chart-official"),
                )
                rows = [
                    (
                        _party_name(context.election, p, locales),
                        report.share(f"votes.{p}", "ballots_in_boxes", official=False),
                        report.share(f"votes.{p}", "ballots_in_boxes", official=True),
                    )
                    for p in report.parties
                ]
                return comparison_chart(title, legend, rows)

            drafts.append(
                PendingDraft(
                    Draft(PostKind.COMPARISON, target.chat, text, fingerprint, caption=None), chart
                )
            )
    return drafts


def incident_summary_text(context: PublishContext, summary: IncidentSummary, locale: str) -> str:
    zone = ZoneInfo(context.election.timezone)
    lines = []
    for code, severity, count in summary.by_category:
        category = context.incident_catalog.category(code)
        name = category.name.in_(locale) if category else code
        lines.append(
            context.translate(
                "incidents-category-line",
                locale,
                critical=1 if severity == IncidentSeverity.CRITICAL else 0,
                category=html.escape(name, quote=False),
                count=count,
            )
        )
    regions = [
        context.translate(
            "incidents-region-line",
            locale,
            region=context.translate(region_message_id(code), locale),
            count=count,
        )
        for code, count in summary.by_region
    ]
    return context.translate(
        "incidents-summary",
        locale,
        total=summary.total,
        unverified=summary.unverified,
        since=summary.since.astimezone(zone).strftime("%d.%m %H:%M") if summary.since else "none",
        until=summary.until.astimezone(zone).strftime("%d.%m %H:%M"),
        categories="\n".join(lines),
        regions="\n".join(regions),
    )


async def incident_drafts(
    session: AsyncSession, context: PublishContext, since: datetime | None, now: datetime
) -> list[PendingDraft]:
    summary = await incident_summary(session, since, now)
    if summary.total == 0 and summary.unverified == 0:
        return []
    fingerprint = json.dumps(
        {
            "since": since.isoformat() if since else None,
            "categories": summary.by_category,
            "regions": summary.by_region,
            "unverified": summary.unverified,
        }
    )
    drafts = []
    for target in context.targets:
        text = _joined(target.locales, lambda loc: incident_summary_text(context, summary, loc))
        drafts.append(PendingDraft(Draft(PostKind.INCIDENTS, target.chat, _fit(text), fingerprint)))
    return drafts


def milestone_drafts(
    context: PublishContext, counts: dict[str, int], announced: dict[str, set[int]]
) -> list[PendingDraft]:
    """`announced`: per petition, the milestones already written to the outbox."""
    drafts = []
    for slug, petition in context.petitions.items():
        mark = newly_crossed(counts.get(slug, 0), petition.goal, announced.get(slug, set()))
        if mark is None:
            continue
        link = (
            f"https://t.me/{context.bot_username}?start={petition_payload(slug)}"
            if context.bot_username
            else None
        )
        for target in context.targets:
            text = _joined(
                target.locales,
                lambda loc: context.translate(
                    "milestone-post",
                    loc,
                    title=html.escape(getattr(petition, loc).title, quote=False),  # noqa: B023
                    count=mark,  # noqa: B023
                    goal=petition.goal,  # noqa: B023
                    percent=share_of_goal(mark, petition.goal),  # noqa: B023
                    link=link or "none",  # noqa: B023
                ),
            )
            key = f"milestone:{slug}:{mark}:{target.name}"
            drafts.append(PendingDraft(Draft(PostKind.MILESTONE, target.chat, text, key, key=key)))
    return drafts


def _fit(text: str) -> str:
    """A summary with very many categories and regions is cut to Telegram's limit at a line."""
    while shown_length(text) > TEXT_LIMIT:
        text = text.rsplit("\n", 1)[0]
    return text
