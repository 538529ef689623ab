"""Benchmark: OCR per layout family, on families held out of tuning.

    .venv/bin/python bench/ocr_layouts.py                      # 6 protocols per family and set
    .venv/bin/python bench/ocr_layouts.py --per-family 10 --workers 2

Every family of ocr/synthetic.py's LAYOUTS (other numbering, sub-numbered party rows under a
header, an extra row, a missing row, rows in another order, other wording, pages turned, an edge
cut off, folded in four, under glare, two tables side by side, figures in combs of digit boxes,
merged cells, a second table under the form's) is rendered for both elections and both
languages, as phone photos with printed digits and with handwriting-like digits, and read by the
real pipeline. A line is right when its value is the truth (or None for a line the page does not
print). Reported per family and set, then for the families tuned on and, apart, for those held
out of tuning: lines exact, lines wrong with confidence >= 0.9 (pre-filled and wrong) with the
upper bound of its 95% interval, lines the observer must confirm, pages refused, the precinct
number read from the header (right, and wrong), seconds per page. Figures: ocr/README.md.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import resource
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from ocr.recognition import CONFIDENT, protocol_form, recognize_sync
from ocr.synthetic import LAYOUTS, ProtocolSpec, generate
from services.elections import load_elections
from settings import PROJECT_ROOT

# The families the pipeline was looked at and tuned on; every other one is held out. edge-cut
# joined them on 2026-12-03, when the open last column of a cut table was fixed by looking at it;
# two-column and comb-cells on 2026-12-04, when they were made readable (merged-cells and
# second-table, added with them, were not looked at), and reordered the same day, when a row
# left over by the in-order alignment was given the line its label names; folded the same day,
# when the pale creases of a page folded and scanned flat were taken out of its ruled lines.
TUNED = (
    "standard",
    "numbered-dot",
    "extra-row",
    "edge-cut",
    "two-column",
    "comb-cells",
    "reordered",
    "folded",
)


@dataclass
class Tally:
    protocols: int = 0
    lines: int = 0
    exact: int = 0
    wrong_sure: int = 0
    asked: int = 0
    refused: int = 0
    precinct_read: int = 0  # the header's precinct number read, and right
    precinct_wrong: int = 0  # read, and not the number printed
    seconds: list[float] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.protocols += other.protocols
        self.lines += other.lines
        self.exact += other.exact
        self.wrong_sure += other.wrong_sure
        self.asked += other.asked
        self.refused += other.refused
        self.precinct_read += other.precinct_read
        self.precinct_wrong += other.precinct_wrong
        self.seconds += other.seconds


def upper_bound(wrong: int, total: int, level: float = 0.025) -> float:
    """Clopper-Pearson: the largest rate under which `wrong` or fewer in `total` has at least
    `level` probability (one side of a 95% interval)."""
    if total == 0:
        return 1.0

    def at_most(rate: float) -> float:
        return sum(
            math.comb(total, k) * rate**k * (1 - rate) ** (total - k) for k in range(wrong + 1)
        )

    low, high = wrong / total, 1.0
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if at_most(middle) > level else (low, middle)
    return high


def _cpu() -> float:
    """This process's CPU and its children's (Tesseract runs as a child process)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def read_one(spec: ProtocolSpec) -> tuple[ProtocolSpec, Tally, list[str]]:
    elections = load_elections(PROJECT_ROOT / "elections")
    election = elections[spec.election]
    image, truth = generate(election, spec)
    started = _cpu()
    result = recognize_sync([image], protocol_form(election, spec.level))
    tally = Tally(protocols=1, seconds=[_cpu() - started])
    tally.refused = len(result.problems)
    notes = []
    if result.precinct is not None:
        right = result.precinct == truth["precinct"]
        tally.precinct_read += right
        tally.precinct_wrong += not right
        if not right:
            notes.append(f"precinct: read {result.precinct}, is {truth['precinct']}")
    for line in result.lines:
        expected = truth["expected"][line.key]
        tally.lines += 1
        tally.exact += line.value == expected
        if line.confidence >= CONFIDENT:
            if line.value != expected:
                tally.wrong_sure += 1
                notes.append(f"{line.key}: read {line.value} at {line.confidence}, is {expected}")
        else:
            tally.asked += 1
    return spec, tally, notes


def specs(per_family: int, seed: int, families: tuple[str, ...]) -> list[ProtocolSpec]:
    chosen = []
    for layout in families:
        for handwriting in (False, True):
            for index in range(per_family):
                number = seed + len(chosen)
                chosen.append(
                    ProtocolSpec(
                        election=("2021-parliament", "2023-parliament")[index % 2],
                        level="mazhilis",
                        locale=("ru", "kk")[(index // 2) % 2],
                        handwriting=handwriting,
                        words=index % 3 != 2,
                        stamp=index % 4 != 3,
                        degradation="photo",
                        seed=number,
                        layout=layout,
                    )
                )
    return chosen


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def row(name: str, tally: Tally) -> str:
    p95 = statistics.quantiles(tally.seconds, n=20)[-1] if len(tally.seconds) > 1 else 0.0
    return (
        f"| {name} | {tally.protocols} | {tally.lines} | {percent(tally.exact, tally.lines)} | "
        f"{tally.wrong_sure} (≤ {100 * upper_bound(tally.wrong_sure, tally.lines):.2f}%) | "
        f"{percent(tally.asked, tally.lines)} | {tally.refused} | "
        f"{percent(tally.precinct_read, tally.protocols)} | {tally.precinct_wrong} | "
        f"{statistics.median(tally.seconds):.2f} | {p95:.2f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--per-family", type=int, default=6)
    parser.add_argument("--seed", type=int, default=7000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--families", nargs="+", default=list(LAYOUTS), choices=LAYOUTS, help="default: all"
    )
    args = parser.parse_args()
    by_group: dict[tuple[str, bool], Tally] = {}
    all_notes: list[str] = []
    with multiprocessing.Pool(args.workers) as pool:
        chosen = specs(args.per_family, args.seed, tuple(args.families))
        for spec, tally, notes in pool.imap_unordered(read_one, chosen):
            by_group.setdefault((spec.layout, spec.handwriting), Tally()).add(tally)
            all_notes += [f"{spec.layout} seed {spec.seed}: {note}" for note in notes]
    header = (
        "| family | protocols | lines | exact | wrong ≥ 0.9 (95% upper) | asked | pages refused "
        "| precinct read | precinct wrong | CPU s p50 | CPU s p95 |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    )
    for handwriting in (False, True):
        print(f"\n{'handwriting-like' if handwriting else 'printed'} digits, phone photos:\n")
        print(header)
        tuned, held_out = Tally(), Tally()
        for layout in args.families:
            tally = by_group[(layout, handwriting)]
            print(row(layout + (" (tuned)" if layout in TUNED else ""), tally))
            (tuned if layout in TUNED else held_out).add(tally)
        for name, tally in (("**tuned families**", tuned), ("**held-out families**", held_out)):
            if tally.protocols:
                print(row(name, tally))
    if all_notes:
        print("\npre-filled and wrong, or a precinct misread:")
        for note in all_notes:
            print(f"  {note}")


if __name__ == "__main__":
    main()
