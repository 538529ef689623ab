"""OCR benchmark: synthetic protocols (ocr/synthetic.py, fixed seeds) read by the real pipeline.

Prints, per group (printed photos, handwriting-like photos, scans): lines read exactly, protocols
with every line right, lines wrong with confidence ≥ 0.9 (the dangerous error: pre-filled and not
asked about), lines the observer is asked to confirm, and seconds per page (p50/p95). Runs on one
core by default (pinned), as the issue's latency target is stated.

    .venv/bin/python bench/ocr_accuracy.py --count 96
    .venv/bin/python bench/ocr_accuracy.py --count 24 --keep /tmp/ocr-bench   # keep images + truth
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ocr.recognition import CONFIDENT, protocol_form, recognize_sync
from ocr.synthetic import ProtocolSpec, generate
from services.elections import load_elections
from settings import PROJECT_ROOT


def specs(count: int, seed: int) -> list[ProtocolSpec]:
    elections = {
        "2021-parliament": ("mazhilis", "oblast_maslikhat"),
        "2023-parliament": ("mazhilis", "local_maslikhat"),
    }
    combos = list(
        itertools.product(elections, ("kk", "ru"), (False, True), ("photo", "photo_file", "scan"))
    )
    out = []
    for index in range(count):
        election, locale, handwriting, degradation = combos[index % len(combos)]
        level = elections[election][(index // len(combos)) % 2]
        out.append(
            ProtocolSpec(
                election,
                level,
                locale,
                handwriting,
                words=index % 3 != 2,
                stamp=index % 4 != 3,
                signature=True,
                degradation=degradation,
                seed=seed + index,
            )
        )
    return out


def group(spec: ProtocolSpec) -> str:
    if spec.degradation == "scan":
        return "scan, " + ("handwriting" if spec.handwriting else "printed")
    return "photo, handwriting" if spec.handwriting else "photo, printed"


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "   n/a"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=96, help="protocols (default 96)")
    parser.add_argument("--seed", type=int, default=1000)
    parser.add_argument(
        "--keep", type=Path, help="folder to write the images and their ground truth to"
    )
    parser.add_argument("--all-cores", action="store_true", help="do not pin to one core")
    args = parser.parse_args()
    if not args.all_cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    elections = load_elections(PROJECT_ROOT / "elections")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)

    # Warm-up: the ONNX model loads once per process.
    warm_image, _ = generate(
        elections["2021-parliament"], ProtocolSpec("2021-parliament", "mazhilis", seed=1)
    )
    recognize_sync([warm_image], protocol_form(elections["2021-parliament"], "mazhilis"))

    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    seconds: dict[str, list[float]] = defaultdict(list)
    failures = []
    for number, spec in enumerate(specs(args.count, args.seed), 1):
        election = elections[spec.election]
        image, truth = generate(election, spec)
        if args.keep:
            kind = "hw" if spec.handwriting else "pr"
            stem = (
                f"{number:03d}-{spec.election}-{spec.level}-{spec.locale}-{kind}-{spec.degradation}"
            )
            (args.keep / f"{stem}.jpg").write_bytes(image)
            (args.keep / f"{stem}.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1))
        started = time.perf_counter()
        result = recognize_sync([image], protocol_form(election, spec.level))
        elapsed = time.perf_counter() - started
        name = group(spec)
        stats = totals[name]
        right = [line.value == truth["figures"][line.key] for line in result.lines]
        stats["protocols"] += 1
        stats["lines"] += len(right)
        stats["exact"] += sum(right)
        stats["all_right"] += all(right)
        stats["dangerous"] += sum(
            1
            for line, ok in zip(result.lines, right, strict=True)
            if not ok and line.confidence >= CONFIDENT
        )
        stats["asked"] += sum(1 for line in result.lines if line.confidence < CONFIDENT)
        seconds[name].append(elapsed)
        wrong = [
            (line.key, line.value, truth["figures"][line.key], line.confidence)
            for line, ok in zip(result.lines, right, strict=True)
            if not ok
        ]
        if wrong:
            failures.append((number, spec, wrong, result.problems))
        print(
            f"{number:3d} {name:20s} {sum(right):2d}/{len(right):2d} {elapsed:5.2f}s",
            file=sys.stderr,
        )

    print(
        f"{'group':22s} {'pages':>5s} {'lines exact':>11s} {'all right':>9s} {'wrong ≥0.9':>10s} "
        f"{'asked':>7s} {'p50 s':>6s} {'p95 s':>6s}"
    )
    everything: dict[str, float] = defaultdict(float)
    all_seconds: list[float] = []
    for name in sorted(totals):
        stats = totals[name]
        for key, value in stats.items():
            everything[key] += value
        all_seconds += seconds[name]
        times = sorted(seconds[name])
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        print(
            f"{name:22s} {int(stats['protocols']):5d} "
            f"{percent(int(stats['exact']), int(stats['lines'])):>11s} "
            f"{percent(int(stats['all_right']), int(stats['protocols'])):>9s} "
            f"{percent(int(stats['dangerous']), int(stats['lines'])):>10s} "
            f"{percent(int(stats['asked']), int(stats['lines'])):>7s} "
            f"{statistics.median(times):6.2f} {p95:6.2f}"
        )
    times = sorted(all_seconds)
    print(
        f"{'all':22s} {int(everything['protocols']):5d} "
        f"{percent(int(everything['exact']), int(everything['lines'])):>11s} "
        f"{percent(int(everything['all_right']), int(everything['protocols'])):>9s} "
        f"{percent(int(everything['dangerous']), int(everything['lines'])):>10s} "
        f"{percent(int(everything['asked']), int(everything['lines'])):>7s} "
        f"{statistics.median(times):6.2f} {times[min(len(times) - 1, int(0.95 * len(times)))]:6.2f}"
    )
    for number, spec, wrong, problems in failures[:40]:
        print(
            f"  #{number} {spec.election} {spec.level} {spec.locale} hw={spec.handwriting} "
            f"{spec.degradation} "
            f"words={spec.words} stamp={spec.stamp}: {wrong} "
            f"{[str(problem) for problem in problems]}",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
