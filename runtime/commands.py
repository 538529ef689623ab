"""What the command-line subcommands do (bot.py parses the arguments)."""

from __future__ import annotations

import getpass
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from publishing.tallies import LevelTally
from runtime.i18n import build_core
from runtime.secrets import encryption_key
from services.exports import ExportFormat, default_export_path, export_signatures
from services.personal_data import PersonalDataCipher
from services.petition_catalog import check_directory, load_catalog
from services.signatures import petition_stats
from settings import LOCALES, PROJECT_ROOT, ConfigError, Settings
from storage import migrate
from storage.database import create_engine, create_sessionmaker
from storage.petitions import SignatureRepository
from storage.unit_of_work import unit_of_work


@asynccontextmanager
async def migrated_session(settings: Settings) -> AsyncIterator[AsyncSession]:
    """A unit of work on the configured database, brought up to date first."""
    engine = create_engine(settings.database.url)
    try:
        await migrate.upgrade(engine)
        async with unit_of_work(create_sessionmaker(engine)) as unit:
            yield unit.session
    finally:
        await engine.dispose()


def check_petitions(settings: Settings, directory: str | None) -> int:
    core = build_core(settings.i18n.default_locale)
    folder = PROJECT_ROOT / (directory or settings.petitions.directory)
    problems = check_directory(
        folder, lambda message_id, locale, **kw: core.get(message_id, locale, **kw), LOCALES
    )
    for problem in problems:
        print(problem)
    if not problems:
        print(f"{len(load_catalog(folder))} petition(s) in {folder}: all valid")
    return 1 if problems else 0


def check_elections(settings: Settings, directory: str | None) -> int:
    """Every election file loads, its checks compile, their messages exist in both languages,
    and the configured active election is among them."""
    from services.elections import ElectionFileError, load_election

    core = build_core(settings.i18n.default_locale)
    folder = PROJECT_ROOT / (directory or "elections")
    problems: list[str] = []
    slugs = []
    invalid = set()
    for path in sorted(folder.glob("*.toml")):
        try:
            election = load_election(path)
        except ElectionFileError as error:
            problems.append(str(error))
            invalid.add(path.stem)
            continue
        slugs.append(election.slug)
        for check in election.checks:
            for locale in LOCALES:
                if check.message not in core.get_translator(locale)._messages:
                    problems.append(
                        f"{path.name}: check {check.id}: no {locale} text for {check.message}"
                    )
    if directory is None and settings.election.active in invalid:
        problems.append(
            f"election.active = {settings.election.active!r}: its file is invalid (above)"
        )
    elif directory is None and settings.election.active not in slugs:
        problems.append(
            f"election.active = {settings.election.active!r}, but there is no "
            f"elections/{settings.election.active}.toml"
        )
    for problem in problems:
        print(problem)
    if not problems:
        print(f"{len(slugs)} election(s) in {folder}: all valid")
    return 1 if problems else 0


async def import_precincts(settings: Settings, file: str) -> int:
    """All or nothing: with any bad line, every problem is printed and nothing is imported."""
    from services.precincts import parse_precincts_csv
    from storage.precincts import PrecinctRepository

    try:
        text = Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"cannot read {file}: {error}")
        return 1
    precincts, errors = parse_precincts_csv(text)
    if errors:
        for error in errors:
            print(f"{file}: {error}")
        print(f"nothing imported: {len(errors)} line(s) to fix")
        return 1
    async with migrated_session(settings) as session:
        added, updated = await PrecinctRepository(session).upsert_all(precincts)
    print(f"{added} precinct(s) added, {updated} updated")
    return 0


async def create_invites(settings: Settings, count: int, region: str | None, days: int) -> int:
    """Prints the codes and their deep links; hand each to one trusted observer."""
    from services.deep_links import observer_payload
    from services.observers import ObserverService
    from services.regions import REGIONS
    from storage.observers import ObserverRepository

    if region is not None and region not in REGIONS:
        print(f"unknown region {region!r}; one of: {', '.join(REGIONS)}")
        return 1
    async with migrated_session(settings) as session:
        service = ObserverService(
            ObserverRepository(session), PersonalDataCipher(encryption_key(settings))
        )
        codes = await service.create_invites(count, region, days)
    username = settings.emulator.bot_username if settings.uses_emulator else "<your_bot>"
    for code in codes:
        print(f"{code}  https://t.me/{username}?start={observer_payload(code)}")
    print(
        f"{len(codes)} single-use code(s), valid {days} day(s){f' for {region}' if region else ''}"
    )
    return 0


def tally_json(t: LevelTally) -> dict[str, Any]:
    def fraction(share: Fraction | None) -> dict[str, Any] | None:
        if share is None:
            return None
        return {"exact": f"{share.numerator}/{share.denominator}", "value": float(share)}

    return {
        "election": t.election,
        "level": t.level,
        "precincts": t.precincts,
        "precincts_total": t.precincts_total,
        "voters": t.voters,
        "received": t.received,
        "issued": t.issued,
        "unused": t.unused,
        "in_boxes": t.in_boxes,
        "invalid": t.invalid,
        "against_all": t.against_all,
        "votes": t.votes,
        "turnout": fraction(t.turnout),
        "unused_share": fraction(t.unused_share),
        "invalid_share": fraction(t.invalid_share),
        "against_all_share": fraction(t.against_all_share),
        "party_shares": {party: fraction(t.party_share(party)) for party in t.votes},
    }


async def print_tally(
    settings: Settings,
    election_slug: str | None,
    level: str | None,
    as_json: bool,
    regions: bool = False,
) -> int:
    """Current tallies per level: exact values with --json, the post text otherwise."""
    from publishing.posts import tally_post
    from publishing.tallies import tally_by_region, tally_for_level
    from services.elections import load_elections

    elections = load_elections(PROJECT_ROOT / "elections")
    election = elections.get(election_slug or settings.election.active)
    if election is None:
        print(f"no election {election_slug!r}; known: {', '.join(elections)}")
        return 1
    keys = [level] if level else [item.key for item in election.levels]
    if level and level not in {item.key for item in election.levels}:
        print(
            f"no level {level!r} in {election.slug}; known: "
            f"{', '.join(item.key for item in election.levels)}"
        )
        return 1
    async with migrated_session(settings) as session:
        tallies = [await tally_for_level(session, election, key) for key in keys]
        by_region = (
            {key: await tally_by_region(session, election, key) for key in keys} if regions else {}
        )
    if as_json:
        out = []
        for tally in tallies:
            item = tally_json(tally)
            if regions:
                item["regions"] = {
                    code: tally_json(part) for code, part in sorted(by_region[tally.level].items())
                }
            out.append(item)
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    core = build_core(settings.i18n.default_locale)
    now = datetime.now(ZoneInfo(settings.election.timezone))
    for tally in tallies:
        print(
            tally_post(
                election,
                tally,
                settings.i18n.default_locale,
                lambda mid, loc, **kw: core.get(mid, loc, **kw),
                now,
            )
        )
        print()
    return 0


async def post_to_channel(settings: Settings, dry_run: bool) -> int:
    """With --dry-run, prints what would be posted now (ignoring intervals, not the quiet
    period); otherwise writes it to the outbox, which the running bot sends."""
    from models.tables import utc_now
    from publishing.outbox import shown_length
    from runtime.app import build_publisher
    from services.elections import load_elections
    from services.incidents import load_incident_catalog

    election = load_elections(PROJECT_ROOT / "elections")[settings.election.active]
    catalog = load_incident_catalog(PROJECT_ROOT / "incidents" / "categories.toml")
    petitions = load_catalog(PROJECT_ROOT / settings.petitions.directory)
    publisher = build_publisher(
        settings, build_core(settings.i18n.default_locale), election, catalog, petitions
    )
    now = utc_now()
    async with migrated_session(settings) as session:
        outcome = await publisher.compose(session, now, force=True, dry_run=dry_run)
    if outcome.paused:
        print("the channel is paused (/resume_channel); nothing written")
        return 1
    print(
        f"phase: {outcome.phase}"
        + (" (no results before polls close)" if outcome.phase == "quiet" else "")
    )
    for draft in outcome.written:
        print(f"--- {draft.kind} → {draft.chat} ({shown_length(draft.text)} characters shown)")
        print(draft.text)
        print()
    verb = "would be posted" if dry_run else "written to the outbox; the running bot sends them"
    print(
        f"{len(outcome.written)} post(s) {verb}"
        + (f", {outcome.unchanged} unchanged" if not dry_run else "")
    )
    return 0


async def _known_petition(settings: Settings, slug: str) -> None:
    catalog = load_catalog(PROJECT_ROOT / settings.petitions.directory)
    if slug not in catalog:
        raise ConfigError(f"no petition {slug!r}; known: {', '.join(catalog) or 'none'}")


async def export_petition_signatures(
    settings: Settings, slug: str, export_format: ExportFormat, output: str | None
) -> int:
    await _known_petition(settings, slug)
    zone = ZoneInfo(settings.election.timezone)
    path = Path(output) if output else default_export_path(slug, export_format, datetime.now(zone))
    cipher = PersonalDataCipher(encryption_key(settings))
    async with migrated_session(settings) as session:
        result = await export_signatures(
            SignatureRepository(session),
            cipher,
            slug,
            export_format,
            path,
            actor=f"cli:{getpass.getuser()}",
            zone=zone,
        )
    print(
        f"{result.rows} signature(s) written to {result.path} (readable by you only; export logged)"
    )
    return 0


async def print_petition_stats(settings: Settings, slug: str, as_json: bool) -> int:
    await _known_petition(settings, slug)
    async with migrated_session(settings) as session:
        stats = await petition_stats(
            SignatureRepository(session), slug, ZoneInfo(settings.election.timezone)
        )
    if as_json:
        print(
            json.dumps(
                {
                    "petition": slug,
                    "total": stats.total,
                    "by_region": stats.by_region,
                    "by_day": {day.isoformat(): count for day, count in stats.by_day.items()},
                    "by_referral": stats.by_referral,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(f"{slug}: {stats.total} signature(s)")
    print("by region:")
    for region, count in stats.by_region.items():
        print(f"  {region or '-':<20} {count:>8}")
    print("by day:")
    for day, count in stats.by_day.items():
        print(f"  {day.isoformat():<20} {count:>8}")
    print("by referral code:")
    for code, count in stats.by_referral.items():
        print(f"  {code:<20} {count:>8}")
    return 0


def _election(settings: Settings, slug: str | None) -> Any:
    from services.elections import load_elections

    elections = load_elections(PROJECT_ROOT / "elections")
    chosen = slug or settings.election.active
    if chosen not in elections:
        raise ConfigError(f"no election {chosen!r}; known: {', '.join(elections)}")
    return elections[chosen]


async def import_official_results(
    settings: Settings, file: str, election_slug: str | None, level: str
) -> int:
    """All or nothing: with any bad line, every problem is printed and nothing is imported."""
    from services.official_results import ImportRefused, import_official

    election = _election(settings, election_slug)
    if level not in {lv.key for lv in election.levels}:
        print(
            f"no level {level!r} in {election.slug}; one of: "
            f"{', '.join(lv.key for lv in election.levels)}"
        )
        return 1
    try:
        content = Path(file).read_bytes()
    except OSError as error:
        print(f"cannot read {file}: {error}")
        return 1
    try:
        async with migrated_session(settings) as session:
            rows = await import_official(
                session, election, level, content, Path(file).name, f"cli:{getpass.getuser()}"
            )
    except ImportRefused as refused:
        for error in refused.errors:
            print(f"{file}: {error}")
        print(f"nothing imported: {len(refused.errors)} line(s) to fix")
        return 1
    print(
        f"official results of {rows} precinct(s) imported for {election.slug} / {level} (replacing "
        "any earlier import)"
    )
    return 0


async def export_for_coordinators(
    settings: Settings,
    what: str,
    export_format: ExportFormat,
    election_slug: str | None,
    output: str | None,
    personal: bool,
) -> int:
    """protocols | incidents | discrepancies to a 0600 file; personal fields only with
    --personal."""
    from services.coordinator_exports import export_bytes
    from services.exports import write_private
    from services.incidents import load_incident_catalog

    election = _election(settings, election_slug)
    catalog = load_incident_catalog(PROJECT_ROOT / "incidents" / "categories.toml")
    cipher = PersonalDataCipher(encryption_key(settings)) if personal else None
    now = datetime.now(ZoneInfo(settings.election.timezone))
    path = (
        Path(output)
        if output
        else PROJECT_ROOT
        / "data"
        / "exports"
        / f"{what}-{election.slug}-{now:%Y%m%d-%H%M%S}.{export_format}"
    )
    async with migrated_session(settings) as session:
        content, rows = await export_bytes(
            session,
            election,
            catalog,
            what,
            export_format,
            f"cli:{getpass.getuser()}",
            cipher,  # type: ignore[arg-type]
        )
    write_private(path, content)
    note = 'WITH PERSONAL DATA (columns marked "(personal)")' if personal else "no personal data"
    print(f"{rows} row(s) written to {path}: {note}; readable by you only; export logged")
    return 0


async def print_discrepancies(
    settings: Settings, election_slug: str | None, level: str, top: int, as_json: bool
) -> int:
    """The discrepancy report of one level: the largest gaps first, and the votes moved per
    party."""
    from services.official_results import discrepancy_report

    election = _election(settings, election_slug)
    if level not in {lv.key for lv in election.levels}:
        print(f"no level {level!r} in {election.slug}")
        return 1
    async with migrated_session(settings) as session:
        report = await discrepancy_report(session, election, level)
    if as_json:
        print(
            json.dumps(
                {
                    "election": report.election,
                    "level": report.level,
                    "compared": report.compared,
                    "differing": len(report.precincts),
                    "moved": report.moved,
                    "precincts": [
                        {
                            "region": p.region,
                            "number": p.number,
                            "gap": p.gap,
                            "lines": {
                                line.key: {
                                    "observed": line.observed,
                                    "official": line.official,
                                    "difference": line.difference,
                                }
                                for line in p.lines
                                if line.difference
                            },
                        }
                        for p in report.precincts[:top]
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(
        f"{election.slug} / {level}: {report.compared} precinct(s) compared, "
        f"{len(report.precincts)} differ"
    )
    for item in report.precincts[:top]:
        changed = ", ".join(
            f"{line.key} {line.observed}→{line.official}" for line in item.lines if line.difference
        )
        print(f"  {item.region} №{item.number}: gap {item.gap}: {changed}")
    print("votes, official minus observed, over the compared precincts:")
    for party, difference in report.moved.items():
        print(f"  {party:<20} {difference:>+10}")
    return 0


def describe_channel_phase(settings: Settings) -> str:
    from publishing.schedule import phase_explanation, polls_close_at

    try:
        election = _election(settings, None)
    except ConfigError as error:
        return f"channel phase: unknown ({error})"
    close_at = polls_close_at(
        election.date, settings.election.polls_close, settings.election.timezone
    )
    return phase_explanation(
        datetime.now(close_at.tzinfo),
        close_at,
        settings.schedule.election_night_hours,
        election.slug,
        settings.schedule.channel_posts,
    )


async def healthcheck(settings: Settings, http: bool) -> int:
    """0 when healthy; otherwise one line saying what is not."""
    import aiohttp

    engine = create_engine(settings.database.url)
    try:
        revision = await migrate.current_revision(engine)
    except Exception as error:
        print(f"unhealthy: database: {error.__class__.__name__}: {error}")
        return 1
    finally:
        await engine.dispose()
    if revision != migrate.revisions()[-1]:
        print(f"unhealthy: database at revision {revision}, expected {migrate.revisions()[-1]}")
        return 1
    if http:
        if settings.uses_emulator:
            url = f"http://127.0.0.1:{settings.emulator.port}/healthz"
        elif settings.telegram.mode == "webhook":
            url = f"http://127.0.0.1:{settings.telegram.webhook_listen_port}/healthz"
        else:
            url = None  # polling serves no HTTP: the process being alive is all Docker can see
        if url is not None:
            try:
                async with (
                    aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as client,
                    client.get(url) as answer,
                ):
                    if answer.status != 200:
                        print(f"unhealthy: {url} answered {answer.status}")
                        return 1
            except aiohttp.ClientError as error:
                print(f"unhealthy: {url}: {error}")
                return 1
    print("healthy")
    return 0


async def fill_demo(settings: Settings, precincts: int, signatures: int, incidents: int) -> int:
    """`bot.py demo`: the emulator's database filled with generated protocols, incidents and
    signatures. Refused when a real token is configured: demo data never reaches real users."""
    from services.demo import already_filled, fill_demo
    from services.elections import load_elections
    from services.incidents import load_incident_catalog

    if not settings.uses_emulator:
        print(
            "haqbot: demo data is for the local emulator only, and a Telegram token is "
            "configured. Nothing was written."
        )
        return 1
    election = load_elections(PROJECT_ROOT / "elections")[settings.election.active]
    catalog = load_incident_catalog(PROJECT_ROOT / "incidents" / "categories.toml")
    petitions = list(load_catalog(PROJECT_ROOT / settings.petitions.directory).values())
    async with migrated_session(settings) as session:
        if await already_filled(session):
            print("The demo data is already there (demo precincts from № 9001). Nothing written.")
            return 0
        # The eight precincts of the README's walk-through, as emulator mode loads them.
        from runtime.launcher import demo_directory
        from storage.precincts import PrecinctRepository

        await PrecinctRepository(session).upsert_all(demo_directory())
        summary = await fill_demo(
            session,
            PersonalDataCipher(encryption_key(settings)),
            election,
            catalog,
            petitions,
            precinct_count=precincts,
            signatures=signatures,
            incidents=incidents,
        )
    print(
        f"Demo data in {settings.database.url.split('://')[0]}: {summary.precincts} precincts "
        f"(№ 9001…), {summary.protocols} protocols ({summary.flagged} flagged, "
        f"{summary.conflicts} in conflict), {summary.incidents} incidents, "
        f"{summary.signatures} signatures.\nRun `make run` (or `python bot.py run`), open the web "
        "chat, press 'Play a coordinator' and send /coordinator to see the queues."
    )
    return 0
