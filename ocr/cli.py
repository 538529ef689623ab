"""`bot.py ocr` and `bot.py worker`: recognition from the command line and the Redis worker.
Kept apart from runtime/commands.py so that neither imports Telegram code: a start costs the
OCR libraries only (about 2 s of CPU instead of 9)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from settings import PROJECT_ROOT, Settings


def read_protocols(
    settings: Settings, paths: list[str], election_slug: str | None, level: str, as_json: bool
) -> int:
    """`bot.py ocr`: each image read on its own, in this process."""
    from ocr.recognition import protocol_form, recognize_sync
    from services.elections import load_elections
    from services.protocol_checks import check_figures  # not services.protocols: no database code

    elections = load_elections(PROJECT_ROOT / "elections")
    election = elections.get(election_slug or settings.election.active)
    if election is None:
        print(f"no election {election_slug!r}; known: {', '.join(elections)}", file=sys.stderr)
        return 1
    if level not in {item.key for item in election.levels}:
        print(
            f"no level {level!r} in {election.slug}; known: "
            f"{', '.join(i.key for i in election.levels)}",
            file=sys.stderr,
        )
        return 1
    form = protocol_form(election, level)
    by_key = {line.key: line for line in form.lines}
    failed = 0
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            print(f"{path}: {error.strerror}", file=sys.stderr)
            failed += 1
            continue
        result = recognize_sync([data], form)
        figures = {line.key: line.value for line in result.lines if line.value is not None}
        complete = len(figures) == len(result.lines)
        checks = [
            {"id": check.id, "severity": check.severity.value, "ok": check.ok if complete else None}
            for check in check_figures(election, figures)
        ]
        if as_json:
            print(
                json.dumps(
                    {
                        "image": path,
                        "election": election.slug,
                        "level": level,
                        "precinct": result.precinct,
                        "lines": [
                            {
                                "key": line.key,
                                "line": line.line,
                                **(
                                    {"party": line.key.removeprefix("votes.")}
                                    if line.key.startswith("votes.")
                                    else {}
                                ),
                                "value": line.value,
                                "confidence": line.confidence,
                            }
                            for line in result.lines
                        ],
                        "checks": checks,
                        "problems": [str(problem) for problem in result.problems],
                        "seconds": result.seconds,
                    },
                    ensure_ascii=False,
                )
            )
            continue
        print(
            f"{path} ({result.seconds:.1f} "
            f"s){': ' + '; '.join(map(str, result.problems)) if result.problems else ''}"
        )
        if result.precinct is not None:
            print(f"  precinct № {result.precinct} (as its header prints it)")
        for line in result.lines:
            label = election.label(by_key[line.key], settings.i18n.default_locale)
            value = "—" if line.value is None else str(line.value)
            mark = "" if line.confidence >= 0.9 else "  ?"
            print(
                f"  {line.line or '':>3} {label[:60]:<60} {value:>7}  {line.confidence:.2f}{mark}"
            )
        for check in checks:
            state = "n/a" if check["ok"] is None else "ok" if check["ok"] else "FAILS"
            print(f"  check {check['id']} ({check['severity']}): {state}")
    return 1 if failed else 0


async def run_ocr_worker(settings: Settings) -> int:
    from ocr import tasks

    if settings.ocr.broker != "redis":
        print(
            'the worker takes tasks from Redis: set ocr.broker = "redis" and redis.url',
            file=sys.stderr,
        )
        return 1
    workers = settings.ocr.workers or os.cpu_count() or 1
    tasks.configure("redis", settings.redis.url, workers, settings.ocr.timeout_seconds)
    await tasks.run_worker(workers)
    return 0
