"""haqbot: entry point and command line (`python bot.py …`, or `haqbot …` once installed)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from settings import ConfigError, Settings, load_settings

log = logging.getLogger("haqbot")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="haqbot",
        description="Telegram bot of the HAQ movement. With no command: run the bot.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser(
        "run",
        help="run the bot (the default); with no token configured, against the local emulator",
        description="Run the bot: long polling or webhook with a token; with no token, start the "
        "local Telegram emulator too and print the address of its web chat.",
    )
    run.add_argument(
        "--emulator", action="store_true", help="use the local emulator even with a token"
    )

    emulator = commands.add_parser(
        "emulator",
        help="run the local Telegram emulator alone, for a bot started elsewhere",
        description="Run only the Bot API emulator and its web chat page.",
    )
    emulator.add_argument(
        "--host", help="address to listen on (default from config: emulator.host)"
    )
    emulator.add_argument("--port", type=int, help="port (default from config: emulator.port)")

    db = commands.add_parser(
        "db", help="database migrations", description="Database migrations (Alembic)."
    )
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = db_commands.add_parser(
        "upgrade", help="apply migrations up to REVISION (default: head)"
    )
    upgrade.add_argument("revision", nargs="?", default="head")
    downgrade = db_commands.add_parser("downgrade", help="revert migrations down to REVISION")
    downgrade.add_argument("revision")
    db_commands.add_parser("current", help="print the database's current revision")

    petitions = commands.add_parser(
        "petitions", help="petition files", description="Petition files."
    )
    petition_commands = petitions.add_subparsers(
        dest="petitions_command", metavar="ACTION", required=True
    )
    check = petition_commands.add_parser(
        "check", help="validate every petition file (languages agree, texts fit Telegram's limits)"
    )
    check.add_argument("--directory", help="folder of petition files (default from config)")

    elections = commands.add_parser(
        "elections", help="election files", description="Election files."
    )
    election_commands = elections.add_subparsers(
        dest="elections_command", metavar="ACTION", required=True
    )
    check_elections = election_commands.add_parser(
        "check",
        help="validate every election file: levels, parties, the form, the control relations",
    )
    check_elections.add_argument(
        "--directory", help="folder of election files (default: elections)"
    )

    observers = commands.add_parser("observers", help="observers", description="Observers.")
    observer_commands = observers.add_subparsers(
        dest="observers_command", metavar="ACTION", required=True
    )
    invite = observer_commands.add_parser("invite", help="create single-use, expiring invite codes")
    invite.add_argument("--count", type=int, default=1, help="how many codes (default 1)")
    invite.add_argument(
        "--region", help="only for precincts of this region (code, e.g. almaty_city)"
    )
    invite.add_argument(
        "--days", type=int, default=14, help="valid for this many days (default 14)"
    )

    imports = commands.add_parser("import", help="imports", description="Imports for coordinators.")
    import_commands = imports.add_subparsers(dest="import_command", metavar="WHAT", required=True)
    precincts = import_commands.add_parser(
        "precincts", help="the precinct directory from CSV (all lines valid, or nothing imported)"
    )
    precincts.add_argument(
        "file",
        help="CSV with columns number, region, district_kk, district_ru, address_kk, address_ru, "
        "voters_on_list (see elections/demo-precincts.csv)",
    )

    official = import_commands.add_parser(
        "official",
        help=(
            "official per-precinct results of one level (CSV or XLSX; all lines valid, or nothing"
            " imported)"
        ),
    )
    official.add_argument(
        "file",
        help="CSV or XLSX with columns region, number and one per line of the level's form "
        "(voters_on_list, …, votes.<party>, against_all where the ballot has it)",
    )
    official.add_argument("--election", help="election slug (default: election.active)")
    official.add_argument("--level", required=True, help="election level, e.g. mazhilis")

    tally = commands.add_parser(
        "tally",
        help="current tallies per level (exact values with --json)",
        description=(
            "Tallies over observers' protocols: latest version per precinct, passing the hard "
            "checks or verified."
        ),
    )
    tally.add_argument("--election", help="election slug (default: election.active)")
    tally.add_argument("--level", help="one level (default: every level)")
    tally.add_argument("--json", action="store_true", help="exact values as JSON")
    tally.add_argument("--regions", action="store_true", help="per region as well (with --json)")

    ocr = commands.add_parser(
        "ocr",
        help="read protocol photos: each line's figure and how sure the reading is",
        description="Read the figures of a protocol from photos or scans, one result per image.",
    )
    ocr.add_argument("images", nargs="+", metavar="IMAGE", help="JPEG, PNG or WebP files")
    ocr.add_argument("--election", help="election slug (default: election.active)")
    ocr.add_argument("--level", required=True, help="election level, e.g. mazhilis")
    ocr.add_argument("--json", action="store_true", help="one JSON object per image")

    commands.add_parser(
        "worker",
        help='run OCR tasks queued in Redis (ocr.broker = "redis")',
        description="A worker process for protocol recognition, taking tasks from Redis.",
    )

    post = commands.add_parser(
        "post",
        help="compose the channel's posts now: print them (--dry-run) or queue them",
        description=(
            "Compose what the channel would get now (tallies only after polls close, incident "
            "summary, petition milestones). --dry-run prints it; otherwise it goes to the outbox "
            "and the running bot sends it."
        ),
    )
    post.add_argument("--dry-run", action="store_true", help="print, write nothing")

    export = commands.add_parser(
        "export",
        help="coordinator exports",
        description="Coordinator exports (logged in the audit log).",
    )
    export_commands = export.add_subparsers(dest="export_command", metavar="WHAT", required=True)
    signatures = export_commands.add_parser(
        "signatures", help="a petition's signatures with names, to a file only you can read"
    )
    signatures.add_argument("--petition", required=True, help="petition slug, e.g. petition-2021")
    signatures.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    signatures.add_argument("--output", help="file to write (default: data/exports/…)")
    stats = export_commands.add_parser(
        "petition-stats", help="counts by region, by day and by referral code (no personal data)"
    )
    stats.add_argument("--petition", required=True, help="petition slug")
    stats.add_argument("--json", action="store_true", help="print JSON instead of a table")
    for what, help_text in (
        ("protocols", "every protocol version with its status, checks and coordinators' figures"),
        ("incidents", "every incident with its category, precinct, time and status"),
        (
            "observers",
            "every observer: status, precincts, what they sent (names and phones with --personal)",
        ),
        ("discrepancies", "observers' figures against the official ones, per precinct and level"),
    ):
        table = export_commands.add_parser(what, help=help_text)
        table.add_argument("--format", choices=("csv", "xlsx"), default="csv")
        table.add_argument("--election", help="election slug (default: election.active)")
        table.add_argument("--output", help="file to write (default: data/exports/…)")
        if what != "discrepancies":
            table.add_argument(
                "--personal",
                action="store_true",
                help="include personal fields (logged; marked in the columns)",
            )

    discrepancies = commands.add_parser(
        "discrepancies",
        help="the discrepancy report of one level: largest gaps first, votes moved per party",
        description="Observers' counted figures against the current official import, per precinct.",
    )
    discrepancies.add_argument("--election", help="election slug (default: election.active)")
    discrepancies.add_argument("--level", required=True, help="election level, e.g. mazhilis")
    discrepancies.add_argument(
        "--top", type=int, default=20, help="how many precincts to list (default 20)"
    )
    discrepancies.add_argument("--json", action="store_true", help="print JSON")

    demo = commands.add_parser(
        "demo",
        help="fill the emulator's database with generated protocols, incidents and signatures",
        description=(
            "For a first look without real data: a few hundred generated protocols (some "
            "flagged, some in conflict), incidents and signatures, so the channel, tallies and "
            "coordinators' queues show something. Only without a Telegram token (emulator mode)."
        ),
    )
    demo.add_argument("--precincts", type=int, default=120, help="demo precincts (default 120)")
    demo.add_argument("--signatures", type=int, default=300, help="signatures (default 300)")
    demo.add_argument("--incidents", type=int, default=60, help="incidents (default 60)")

    commands.add_parser(
        "keygen",
        help="print a new encryption key for HAQBOT_SECURITY__ENCRYPTION_KEY",
        description="Print a new Fernet key. Keep it secret and backed up: without it the "
        "encrypted names cannot be read.",
    )

    health = commands.add_parser(
        "healthcheck",
        help="exit 0 when the database answers (and, with --http, the bot's HTTP listener)",
        description=(
            "For Docker's HEALTHCHECK: the database answers and is migrated; with --http, the "
            "webhook server (webhook mode) or the emulator (no token) answers /healthz."
        ),
    )
    health.add_argument("--http", action="store_true", help="also ask the running bot's /healthz")

    commands.add_parser(
        "check-config",
        help="validate the configuration and print it (secrets hidden)",
        description=(
            "Validate config.toml and HAQBOT_* variables; exit 1 with the reason if invalid."
        ),
    )
    return parser


async def _db(settings: Settings, args: argparse.Namespace) -> None:
    from storage import migrate
    from storage.database import create_engine

    engine = create_engine(settings.database.url)
    try:
        if args.db_command == "upgrade":
            await migrate.upgrade(engine, args.revision)
        elif args.db_command == "downgrade":
            await migrate.downgrade(engine, args.revision)
        print(f"database at revision {await migrate.current_revision(engine) or 'base (empty)'}")
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # APScheduler logs every run of every job at INFO: several lines a minute of noise.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    # aiogram logs every callback answer at INFO, a second line per button tap beside "Update
    # id=… is handled".
    logging.getLogger("aiogram.middlewares").setLevel(logging.WARNING)
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"haqbot: {error}", file=sys.stderr)
        return 1

    command = args.command or "run"
    if command == "keygen":
        from services.personal_data import PersonalDataCipher

        print(PersonalDataCipher.generate_key())
        return 0
    if command == "petitions":
        from runtime.commands import check_petitions

        return check_petitions(settings, args.directory)
    if command == "observers":
        from runtime.commands import create_invites

        return asyncio.run(create_invites(settings, args.count, args.region, args.days))
    if command == "tally":
        from runtime.commands import print_tally

        return asyncio.run(
            print_tally(settings, args.election, args.level, args.json, args.regions)
        )
    if command == "ocr":
        from ocr.cli import read_protocols

        return read_protocols(settings, args.images, args.election, args.level, args.json)
    if command == "worker":
        from ocr.cli import run_ocr_worker

        return asyncio.run(run_ocr_worker(settings))
    if command == "demo":
        from runtime.commands import fill_demo

        return asyncio.run(fill_demo(settings, args.precincts, args.signatures, args.incidents))
    if command == "post":
        from runtime.commands import post_to_channel

        return asyncio.run(post_to_channel(settings, args.dry_run))
    if command == "import":
        from runtime import commands as imports

        if args.import_command == "official":
            try:
                return asyncio.run(
                    imports.import_official_results(settings, args.file, args.election, args.level)
                )
            except ConfigError as error:
                print(f"haqbot: {error}", file=sys.stderr)
                return 1
        return asyncio.run(imports.import_precincts(settings, args.file))
    if command == "discrepancies":
        from runtime.commands import print_discrepancies

        try:
            return asyncio.run(
                print_discrepancies(settings, args.election, args.level, args.top, args.json)
            )
        except ConfigError as error:
            print(f"haqbot: {error}", file=sys.stderr)
            return 1
    if command == "elections":
        from runtime.commands import check_elections

        return check_elections(settings, args.directory)
    if command == "export":
        from runtime import commands as exports

        try:
            if args.export_command == "signatures":
                return asyncio.run(
                    exports.export_petition_signatures(
                        settings, args.petition, args.format, args.output
                    )
                )
            if args.export_command in ("protocols", "incidents", "observers", "discrepancies"):
                return asyncio.run(
                    exports.export_for_coordinators(
                        settings,
                        args.export_command,
                        args.format,
                        args.election,
                        args.output,
                        getattr(args, "personal", False),
                    )
                )
            return asyncio.run(exports.print_petition_stats(settings, args.petition, args.json))
        except ConfigError as error:
            print(f"haqbot: {error}", file=sys.stderr)
            return 1
    if command == "healthcheck":
        from runtime.commands import healthcheck

        return asyncio.run(healthcheck(settings, args.http))
    if command == "check-config":
        from runtime.commands import describe_channel_phase

        print(settings.printable_json())
        print(describe_channel_phase(settings))
        print("configuration is valid", file=sys.stderr)
        return 0
    if command == "db":
        asyncio.run(_db(settings, args))
        return 0
    if command == "emulator":
        from runtime.launcher import run_emulator_only

        updates = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
        settings.emulator = settings.emulator.model_copy(update=updates)
        asyncio.run(run_emulator_only(settings))
        return 0

    from runtime.launcher import run_bot
    from storage.database import DatabaseInUse, hold_single_process_lock

    try:
        lock = hold_single_process_lock(settings.database.url)  # noqa: F841 (held until exit)
    except DatabaseInUse as error:
        print(f"haqbot: {error}", file=sys.stderr)
        return 1
    try:
        asyncio.run(run_bot(settings, force_emulator=getattr(args, "emulator", False)))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
