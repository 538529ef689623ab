"""Synthetic precinct protocols, for OCR tests and the benchmark: a printed form from an election
file (kk or ru labels), figures that satisfy its control relations, printed or handwriting-like
digits, an optional words column, a stamp and a signature over the table; then degraded like a
phone photo (perspective, rotation, shadow, blur, noise, JPEG, 1280 px). Fixed seeds: the same
spec gives the same image."""

from __future__ import annotations

import io
import itertools
import math
import random
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import matplotlib
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from models.election import Election
from ocr.number_words import to_words
from services.demo import consistent_figures  # re-exported: the generator's figures

PAGE = (1240, 1754)  # A4 at 150 dpi
INK = (25, 40, 120)
Degradation = Literal["clean", "scan", "photo", "photo_file"]
# How a printed form may differ from the election file's while being the same protocol: other
# numbering, other rows, other wording, other ways of holding the camera. The OCR benchmark
# reports each family apart; most are held out of tuning (bench/ocr_layouts.py says which).
LAYOUTS = (
    "standard",
    "numbered-dot",  # 1. 2. 3.
    "numbered-paren",  # 1) 2) 3)
    "roman",  # I II III
    "unnumbered",
    "party-header",  # 7. Votes for the parties (no value), then 7.1, 7.2 …
    "extra-row",  # a line the form does not have (spoiled ballots), numbers after it shifted
    "missing-row",  # a line of the form not printed
    "reordered",  # two lines in the other order, numbered in the page's order
    "other-wording",  # the same lines in other words
    "rotated",  # photographed sideways or upside down (no EXIF)
    "edge-cut",  # 5% of the page cut off at the right edge
    "folded",  # folded in four: creases across the table, one side of each a little shaded
    "glare",  # a lamp's reflection washing out part of the table
    "two-column",  # general lines in one table, the parties' votes in another beside it
    "comb-cells",  # each figure in a comb of digit boxes
    "merged-cells",  # a party header row across the label and figure columns, merged headers
    "second-table",  # a table of the members who signed under the protocol's
)
Layout = Literal[
    "standard",
    "numbered-dot",
    "numbered-paren",
    "roman",
    "unnumbered",
    "party-header",
    "extra-row",
    "missing-row",
    "reordered",
    "other-wording",
    "rotated",
    "edge-cut",
    "folded",
    "glare",
    "two-column",
    "comb-cells",
    "merged-cells",
    "second-table",
]
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV",
          "XV", "XVI")  # fmt: skip
# Other people's wording of the general lines (not the election file's labels).
_OTHER_WORDING = {
    "voters_on_list": (
        "Количество избирателей, внесённых в список на момент окончания голосования",
        "Дауыс беру аяқталған кезде тізімге енгізілген сайлаушылар саны",
    ),
    "ballots_received": (
        "Получено участковой комиссией избирательных бюллетеней",
        "Учаскелік комиссия алған бюллетеньдер",
    ),
    "ballots_issued": (
        "Выдано бюллетеней избирателям в помещении и вне помещения",
        "Сайлаушыларға үй-жайда және одан тыс жерде берілген бюллетеньдер",
    ),
    "ballots_unused": (
        "Погашено неиспользованных избирательных бюллетеней",
        "Жойылған пайдаланылмаған сайлау бюллетеньдері",
    ),
    "ballots_in_boxes": (
        "Обнаружено бюллетеней в стационарных и переносных ящиках",
        "Тұрақты және жылжымалы жәшіктерден табылған бюллетеньдер",
    ),
    "ballots_invalid": (
        "Количество недействительных бюллетеней",
        "Жарамсыз бюллетеньдердің саны",
    ),
}
_SPOILED = ("Число испорченных избирательных бюллетеней", "Бүлінген сайлау бюллетеньдерінің саны")
_PARTY_HEADER = (
    "Число голосов избирателей, поданных за политические партии:",
    "Саяси партияларға берілген сайлаушылар дауыстарының саны:",
)


@dataclass(frozen=True)
class Row:
    """One printed row: its number as printed, its label, its value (None: a header row)."""

    number: str
    label: str
    value: int | None
    key: str | None  # the form line it is, or None (a header, a line the form lacks)


@dataclass(frozen=True)
class ProtocolSpec:
    election: str
    level: str
    locale: str = "ru"
    handwriting: bool = False
    words: bool = True
    stamp: bool = True
    signature: bool = True
    degradation: Degradation = "photo"
    seed: int = 0
    layout: Layout = "standard"


def layout_rows(
    election: Election, spec: ProtocolSpec, figures: dict[str, int], rng: random.Random
) -> list[Row]:
    """The rows as this layout prints them."""
    form = election.form_for(spec.level)
    russian = spec.locale != "kk"
    rows = [
        Row(str(line.line), election.label(line, spec.locale), figures[line.key], line.key)
        for line in form
    ]
    general = [index for index, row in enumerate(rows) if not str(row.key).startswith("votes.")]
    if spec.layout == "other-wording":
        rows = [
            Row(row.number, _OTHER_WORDING[row.key][0 if russian else 1], row.value, row.key)
            if row.key in _OTHER_WORDING
            else row
            for row in rows
        ]
    elif spec.layout == "extra-row":
        at = next(i for i, row in enumerate(rows) if row.key == "ballots_unused") + 1
        spoiled = Row("", _SPOILED[0 if russian else 1], rng.randint(0, 12), None)
        rows = rows[:at] + [spoiled] + rows[at:]
        rows = [Row(str(i + 1), row.label, row.value, row.key) for i, row in enumerate(rows)]
    elif spec.layout == "missing-row":
        gone = rng.choice([i for i in general if rows[i].key != "voters_on_list"])
        rows = [row for i, row in enumerate(rows) if i != gone]
        rows = [Row(str(i + 1), row.label, row.value, row.key) for i, row in enumerate(rows)]
    elif spec.layout == "reordered":
        first = next(i for i, row in enumerate(rows) if row.key == "ballots_issued")
        second = next(i for i, row in enumerate(rows) if row.key == "ballots_unused")
        rows[first], rows[second] = rows[second], rows[first]
        rows = [Row(str(i + 1), row.label, row.value, row.key) for i, row in enumerate(rows)]
    elif spec.layout in ("party-header", "merged-cells"):
        votes = [i for i, row in enumerate(rows) if str(row.key).startswith("votes.")]
        head = len(general) - (1 if rows[-1].key == "against_all" else 0) + 1
        header = Row(f"{head}.", _PARTY_HEADER[0 if russian else 1], None, None)
        numbered = [
            Row(f"{head}.{n}", rows[i].label, rows[i].value, rows[i].key)
            for n, i in enumerate(votes, 1)
        ]
        tail = [
            Row(f"{head + 1}.", row.label, row.value, row.key)
            for row in rows
            if row.key == "against_all"
        ]
        front = [Row(f"{i + 1}.", rows[i].label, rows[i].value, rows[i].key) for i in general]
        front = [row for row in front if row.key != "against_all"]
        rows = [*front, header, *numbered, *tail]
    if spec.layout == "numbered-dot":
        rows = [Row(f"{row.number}.", row.label, row.value, row.key) for row in rows]
    elif spec.layout == "numbered-paren":
        rows = [Row(f"{row.number})", row.label, row.value, row.key) for row in rows]
    elif spec.layout == "roman":
        rows = [Row(_ROMAN[i], row.label, row.value, row.key) for i, row in enumerate(rows)]
    elif spec.layout == "unnumbered":
        rows = [Row("", row.label, row.value, row.key) for row in rows]
    return rows


@lru_cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name), size)


# Handwriting-like digits: strokes in a unit box, smoothed, jittered and slanted per digit.
_STROKES: dict[str, list[tuple[float, float]]] = {
    "0": [
        (0.5, 0.0),
        (0.15, 0.2),
        (0.1, 0.55),
        (0.25, 0.92),
        (0.55, 1.0),
        (0.85, 0.75),
        (0.88, 0.35),
        (0.7, 0.05),
        (0.48, 0.02),
    ],
    "1": [(0.25, 0.25), (0.6, 0.0), (0.58, 1.0)],
    "2": [
        (0.12, 0.25),
        (0.35, 0.02),
        (0.7, 0.04),
        (0.85, 0.3),
        (0.6, 0.6),
        (0.1, 1.0),
        (0.92, 0.98),
    ],
    "3": [
        (0.15, 0.1),
        (0.5, 0.0),
        (0.8, 0.15),
        (0.75, 0.4),
        (0.4, 0.5),
        (0.8, 0.6),
        (0.85, 0.85),
        (0.5, 1.0),
        (0.1, 0.9),
    ],
    "4": [(0.7, 1.0), (0.68, 0.0), (0.08, 0.68), (0.92, 0.68)],
    "5": [
        (0.85, 0.0),
        (0.28, 0.02),
        (0.22, 0.45),
        (0.6, 0.38),
        (0.85, 0.6),
        (0.8, 0.9),
        (0.45, 1.0),
        (0.12, 0.88),
    ],
    "6": [
        (0.75, 0.03),
        (0.4, 0.12),
        (0.18, 0.5),
        (0.2, 0.85),
        (0.5, 1.0),
        (0.8, 0.85),
        (0.8, 0.6),
        (0.5, 0.48),
        (0.2, 0.65),
    ],
    "7": [(0.08, 0.02), (0.9, 0.0), (0.4, 1.0)],
    "8": [
        (0.5, 0.48),
        (0.2, 0.28),
        (0.28, 0.04),
        (0.55, 0.0),
        (0.78, 0.1),
        (0.75, 0.32),
        (0.5, 0.48),
        (0.18, 0.7),
        (0.25, 0.95),
        (0.52, 1.0),
        (0.82, 0.9),
        (0.8, 0.68),
        (0.5, 0.48),
    ],
    "9": [
        (0.8, 0.32),
        (0.5, 0.48),
        (0.2, 0.32),
        (0.28, 0.06),
        (0.55, 0.0),
        (0.82, 0.12),
        (0.8, 0.45),
        (0.68, 0.78),
        (0.4, 1.0),
    ],
}


def _smooth(points: list[tuple[float, float]], steps: int = 6) -> list[tuple[float, float]]:
    """Catmull-Rom through the points: a pen's curve instead of a polyline's corners."""
    if len(points) < 3:
        return points
    padded = [points[0], *points, points[-1]]
    curve = []
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1], padded[i], padded[i + 1], padded[i + 2]
        for step in range(steps):
            t = step / steps
            curve.append(
                tuple(
                    0.5
                    * (
                        2 * p1[k]
                        + (-p0[k] + p2[k]) * t
                        + (2 * p0[k] - 5 * p1[k] + 4 * p2[k] - p3[k]) * t * t
                        + (-p0[k] + 3 * p1[k] - 3 * p2[k] + p3[k]) * t**3
                    )
                    for k in (0, 1)
                )
            )  # type: ignore[arg-type]
    curve.append(points[-1])
    return curve


def _handwritten(
    draw: ImageDraw.ImageDraw, text: str, box: tuple[int, int, int, int], rng: random.Random
) -> None:
    left, top, _right, bottom = box
    height = (bottom - top) * rng.uniform(0.5, 0.68)
    width = height * rng.uniform(0.5, 0.62)
    slant = rng.uniform(0.05, 0.3)
    x = left + rng.uniform(8, 20)
    baseline = top + (bottom - top + height) / 2 + rng.uniform(-4, 4)
    pen = rng.randint(3, 5)
    for char in text:
        scale = rng.uniform(0.9, 1.1)
        points = [(px + rng.gauss(0, 0.035), py + rng.gauss(0, 0.035)) for px, py in _STROKES[char]]
        path = [
            (
                x + (px * width + (1 - py) * height * slant) * scale,
                baseline - (1 - py) * height * scale,
            )
            for px, py in _smooth(points)
        ]
        draw.line(path, fill=INK, width=pen, joint="curve")
        x += width * scale * rng.uniform(1.05, 1.3)
        baseline += rng.uniform(-1.5, 1.5)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if font.getlength(trial) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    return [*lines, current] if current else lines


def render_page(
    election: Election, spec: ProtocolSpec, figures: dict[str, int], precinct: int
) -> Image.Image:
    rng = random.Random(spec.seed * 7919 + 1)
    page = Image.new("RGB", PAGE, (252, 252, 248))
    draw = ImageDraw.Draw(page)
    title = "ХАТТАМА" if spec.locale == "kk" else "ПРОТОКОЛ"
    draw.text((PAGE[0] // 2, 70), title, font=_font(34, bold=True), fill="black", anchor="mm")
    subtitle = election.name.in_(spec.locale)
    for index, line in enumerate(_wrap(subtitle, _font(20), 1000)):
        draw.text((PAGE[0] // 2, 120 + 28 * index), line, font=_font(20), fill="black", anchor="mm")
    precinct_label = (
        f"№ {precinct} сайлау учаскесі"
        if spec.locale == "kk"
        else f"Избирательный участок № {precinct}"
    )
    if spec.layout == "other-wording":  # the commission named instead of the precinct
        precinct_label = (
            f"№ {precinct} учаскелік сайлау комиссиясы"
            if spec.locale == "kk"
            else f"Участковая избирательная комиссия № {precinct}"
        )
    draw.text((PAGE[0] // 2, 195), precinct_label, font=_font(20), fill="black", anchor="mm")

    rows = layout_rows(election, spec, figures, random.Random(spec.seed * 31 + 5))
    left, top = 60, 250
    widths = [70, 560, 210, 300] if spec.words else [70, 800, 250]
    if spec.layout == "two-column":
        # General lines on the left, the parties' votes on the right, no words column.
        votes = [row for row in rows if str(row.key).startswith("votes.")]
        general = [row for row in rows if row not in votes]
        narrow = replace(spec, words=False)
        bottom = max(
            _draw_table(draw, general, narrow, (40, top), [56, 300, 184], rng),
            _draw_table(draw, votes, narrow, (640, top), [56, 300, 184], rng),
        )
    else:
        bottom = _draw_table(draw, rows, spec, (left, top), widths, rng)
    if spec.layout == "second-table":
        bottom = _members_table(draw, spec, (left, bottom + 40), sum(widths))
    signatures_y = bottom + 60
    draw.text(
        (left, signatures_y),
        "Төраға" if spec.locale == "kk" else "Председатель УИК",
        font=_font(18),
        fill="black",
    )
    draw.line(
        [(left + 260, signatures_y + 22), (left + 600, signatures_y + 22)], fill="black", width=1
    )
    if spec.signature:
        _signature(draw, (left + 280, signatures_y - 50, left + 620, signatures_y + 30), rng)
    if spec.stamp:
        page = _stamp(
            page,
            (left + widths[0] + widths[1] + rng.randint(-60, 120), bottom - rng.randint(20, 160)),
            rng,
            precinct,
            spec.locale,
        )
    return page


def _draw_table(
    draw: ImageDraw.ImageDraw,
    rows: list[Row],
    spec: ProtocolSpec,
    origin: tuple[int, int],
    widths: list[int],
    rng: random.Random,
) -> int:
    """One ruled table of the protocol's rows under a header row; its bottom edge. `comb-cells`
    prints each value in a comb of digit boxes; `merged-cells` joins the header's figure columns
    and the party header row's cells."""
    left, top = origin
    row_height = 64
    edges = [left]
    for width in widths:
        edges.append(edges[-1] + width)
    header = (
        "№",
        "Көрсеткіш" if spec.locale == "kk" else "Показатель",
        "Саны" if spec.locale == "kk" else "Число",
    )
    header += (("Жазбаша" if spec.locale == "kk" else "Прописью"),) if spec.words else ()
    merged = spec.layout == "merged-cells"
    if merged and spec.words:
        header = (
            *header[:2],
            "Саны (цифрмен және жазбаша)" if spec.locale == "kk" else "Число (цифрами и прописью)",
        )
    bottom = top + row_height * (len(rows) + 1)
    for band in range(len(rows) + 1):
        y0, y1 = top + band * row_height, top + (band + 1) * row_height
        spans_all = merged and band > 0 and rows[band - 1].value is None
        for index, x in enumerate(edges):
            inner = 0 < index < len(edges) - 1
            if inner and spans_all and index >= 2:
                continue  # a header row across the label and figure columns
            if inner and merged and band == 0 and spec.words and index == 3:
                continue  # "Число (цифрами и прописью)" over both figure columns
            draw.line([(x, y0), (x, y1)], fill="black", width=2)
    for row in range(len(rows) + 2):
        y = top + row * row_height
        draw.line([(edges[0], y), (edges[-1], y)], fill="black", width=2)
    titles = (
        [(edges[0], edges[1]), (edges[1], edges[2]), (edges[2], edges[-1])]
        if len(header) < len(edges) - 1
        else list(itertools.pairwise(edges))
    )
    for (x0, x1), text in zip(titles, header, strict=False):
        draw.text(
            ((x0 + x1) // 2, top + row_height // 2),
            text,
            font=_font(18 if len(text) < 20 else 15, bold=True),
            fill="black",
            anchor="mm",
        )
    label_font, words_font, digit_font = _font(17), _font(15), _font(32)
    for index, printed in enumerate(rows):
        y = top + (index + 1) * row_height
        draw.text(
            ((edges[0] + edges[1]) // 2, y + row_height // 2),
            printed.number,
            font=_font(20 if len(printed.number) < 4 else 16),
            fill="black",
            anchor="mm",
        )
        label_width = widths[1] - 16
        if merged and printed.value is None:
            label_width = edges[-1] - edges[1] - 16
        wrapped = _wrap(printed.label, label_font, label_width)[:3]
        for number, text in enumerate(wrapped):
            offset = (number - (len(wrapped) - 1) / 2) * 19
            draw.text(
                (edges[1] + 8, y + row_height / 2 + offset),
                text,
                font=label_font,
                fill="black",
                anchor="lm",
            )
        value = printed.value
        if value is None:  # a header row: nothing in its value cells
            continue
        cell = (edges[2], y, edges[3], y + row_height)
        if spec.layout == "comb-cells":
            _comb(draw, str(value), cell, spec.handwriting, digit_font, rng)
        elif spec.handwriting:
            _handwritten(draw, str(value), cell, rng)
        else:
            draw.text(
                (edges[2] + 14 + rng.uniform(-4, 10), y + row_height / 2 + rng.uniform(-3, 3)),
                str(value),
                font=digit_font,
                fill="black",
                anchor="lm",
            )
        if spec.words:
            words = _wrap(to_words(value, spec.locale), words_font, widths[3] - 14)[:3]
            for number, text in enumerate(words):
                offset = (number - (len(words) - 1) / 2) * 17
                draw.text(
                    (edges[3] + 7, y + row_height / 2 + offset),
                    text,
                    font=words_font,
                    fill=INK if spec.handwriting else "black",
                    anchor="lm",
                )
    return bottom


COMB_BOXES = 6


def _comb(
    draw: ImageDraw.ImageDraw,
    digits: str,
    cell: tuple[int, int, int, int],
    handwriting: bool,
    font: ImageFont.FreeTypeFont,
    rng: random.Random,
) -> None:
    """A value in a comb: one box per digit, right-aligned, thin rules between the boxes."""
    left, top, right, bottom = cell
    box = (right - left) / COMB_BOXES
    for index in range(1, COMB_BOXES):
        x = round(left + index * box)
        draw.line([(x, top), (x, bottom)], fill="black", width=1)
    first = COMB_BOXES - len(digits)
    for index, digit in enumerate(digits):
        x0 = left + (first + index) * box
        if handwriting:
            _handwritten(draw, digit, (round(x0) - 6, top, round(x0 + box), bottom), rng)
        else:
            draw.text(
                (x0 + box / 2, (top + bottom) / 2 + rng.uniform(-2, 2)),
                digit,
                font=font,
                fill="black",
                anchor="mm",
            )


_MEMBERS = (
    ("№", "Ф.И.О. члена комиссии", "Подпись"),
    ("№", "Комиссия мүшесінің аты-жөні", "Қолы"),
)
_NAMES = (
    "Абенова А. К.",
    "Жумабеков Н. С.",
    "Ким О. В.",
    "Садыкова Г. Т.",
    "Петренко И. А.",
)


def _members_table(
    draw: ImageDraw.ImageDraw, spec: ProtocolSpec, origin: tuple[int, int], width: int
) -> int:
    """A second ruled table under the protocol's: the commission members who signed."""
    left, top = origin
    widths = [70, width - 70 - 260, 260]
    edges = [left, left + widths[0], left + widths[0] + widths[1], left + width]
    row_height = 44
    rows = [
        _MEMBERS[0 if spec.locale != "kk" else 1],
        *[(str(n), name, "") for n, name in enumerate(_NAMES, 1)],
    ]
    bottom = top + row_height * len(rows)
    for x in edges:
        draw.line([(x, top), (x, bottom)], fill="black", width=2)
    for index, row in enumerate(rows):
        y = top + index * row_height
        draw.line([(left, y), (left + width, y)], fill="black", width=2)
        for column, text in enumerate(row):
            draw.text(
                (edges[column] + 10, y + row_height // 2),
                text,
                font=_font(17, bold=index == 0),
                fill="black",
                anchor="lm",
            )
    draw.line([(left, bottom), (left + width, bottom)], fill="black", width=2)
    return bottom


def _signature(
    draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], rng: random.Random
) -> None:
    left, top, right, bottom = box
    points = [
        (left + (right - left) * i / 12 + rng.uniform(-15, 15), rng.uniform(top, bottom))
        for i in range(13)
    ]
    draw.line(_smooth(points, 8), fill=INK, width=3, joint="curve")


def _stamp(
    page: Image.Image, centre: tuple[int, int], rng: random.Random, precinct: int, locale: str
) -> Image.Image:
    """A round blue stamp, half transparent, over whatever is under it."""
    layer = Image.new("RGBA", page.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    x, y = centre
    colour = (40, 70, 170, rng.randint(110, 170))
    for radius, width in ((120, 5), (100, 2)):
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], outline=colour, width=width)
    draw.text(
        (x, y - 20),
        "УСК" if locale == "kk" else "УИК",
        font=_font(30, bold=True),
        fill=colour,
        anchor="mm",
    )
    draw.text((x, y + 22), f"№ {precinct}", font=_font(28, bold=True), fill=colour, anchor="mm")
    layer = layer.rotate(rng.uniform(-30, 30), center=centre)
    return Image.alpha_composite(page.convert("RGBA"), layer).convert("RGB")


def degrade(page: Image.Image, how: Degradation, seed: int) -> bytes:
    """The page as an observer's phone (or a scanner) would deliver it, as JPEG bytes."""
    rng = random.Random(seed * 104729 + 7)
    if how == "clean":
        return _jpeg(page, 95)
    if how == "scan":
        rotated = page.rotate(
            rng.uniform(-1.5, 1.5), expand=True, fillcolor=(250, 250, 250), resample=Image.BICUBIC
        )
        return _jpeg(_noise(rotated, rng, 3), 88)
    # A photo: the page on a desk, at an angle, under uneven light.
    width, height = page.size
    canvas_size = (int(width * 1.25), int(height * 1.2))
    desk = Image.new("RGB", canvas_size, tuple(rng.randint(60, 140) for _ in range(3)))  # type: ignore[arg-type]
    scale = rng.uniform(0.85, 0.95)
    scaled = page.resize((int(width * scale), int(height * scale)), Image.LANCZOS)
    offset = (
        (canvas_size[0] - scaled.width) // 2 + rng.randint(-30, 30),
        (canvas_size[1] - scaled.height) // 2 + rng.randint(-30, 30),
    )
    desk.paste(scaled, offset)
    # Perspective: the four page corners moved by up to 4% of the page, plus a small rotation.
    angle = math.radians(rng.uniform(-5, 5))
    cx, cy = canvas_size[0] / 2, canvas_size[1] / 2
    corners = [
        (offset[0], offset[1]),
        (offset[0] + scaled.width, offset[1]),
        (offset[0] + scaled.width, offset[1] + scaled.height),
        (offset[0], offset[1] + scaled.height),
    ]
    moved = []
    for x, y in corners:
        x += rng.uniform(-0.04, 0.04) * scaled.width
        y += rng.uniform(-0.03, 0.03) * scaled.height
        dx, dy = x - cx, y - cy
        moved.append(
            (
                cx + dx * math.cos(angle) - dy * math.sin(angle),
                cy + dx * math.sin(angle) + dy * math.cos(angle),
            )
        )
    coefficients = _perspective_coefficients(moved, corners)
    photo = desk.transform(
        canvas_size, Image.PERSPECTIVE, coefficients, Image.BICUBIC, fillcolor=(70, 70, 70)
    )
    photo = _shadow(photo, rng)
    photo = photo.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.1)))
    photo = _noise(photo, rng, rng.uniform(3, 7))
    if how == "photo":  # sent as a photo: Telegram recompresses it to 1280 px
        photo.thumbnail((1280, 1280), Image.LANCZOS)
        return _jpeg(photo, rng.randint(70, 87))
    return _jpeg(photo, rng.randint(80, 92))


def _perspective_coefficients(
    source: list[tuple[float, float]], target: list[tuple[float, float]]
) -> list[float]:
    """PIL's PERSPECTIVE maps output (target) points to input (source) points."""
    matrix, vector = [], []
    for (x, y), (u, v) in zip(source, target, strict=True):
        matrix.append([u, v, 1, 0, 0, 0, -x * u, -x * v])
        matrix.append([0, 0, 0, u, v, 1, -y * u, -y * v])
        vector += [x, y]
    # Solve for the map from the page's own corners (target) to where they land (source), then
    # PIL needs the inverse: output pixel → input pixel, i.e. source → target.
    forward = np.linalg.solve(np.array(matrix, dtype=float), np.array(vector, dtype=float))
    homography = np.append(forward, 1).reshape(3, 3)
    inverse = np.linalg.inv(homography)
    inverse /= inverse[2, 2]
    return list(inverse.flatten()[:8])


def _shadow(image: Image.Image, rng: random.Random) -> Image.Image:
    array = np.asarray(image).astype(np.float32)
    height, width = array.shape[:2]
    angle = rng.uniform(0, 2 * math.pi)
    ys, xs = np.mgrid[0:height, 0:width]
    ramp = (xs * math.cos(angle) + ys * math.sin(angle)) / math.hypot(width, height)
    ramp = (ramp - ramp.min()) / (ramp.max() - ramp.min() + 1e-6)
    light = rng.uniform(0.55, 0.75) + (1 - rng.uniform(0.55, 0.75)) * ramp
    return Image.fromarray(np.clip(array * light[..., None], 0, 255).astype(np.uint8))


def _folded(page: Image.Image, rng: random.Random) -> Image.Image:
    """Creases where the page was folded in four (across the table's middle and down through its
    labels): a thin grey line, the paper on one side of it a little darker."""
    array = np.asarray(page).astype(np.float32)
    height, width = array.shape[:2]
    y = int(height * rng.uniform(0.45, 0.55))
    x = int(width * rng.uniform(0.45, 0.55))
    array[y:, :] *= rng.uniform(0.88, 0.95)
    array[:, x:] *= rng.uniform(0.9, 0.97)
    crease = rng.uniform(150, 200)
    array[y - 1 : y + 2, :] = np.minimum(array[y - 1 : y + 2, :], crease)
    array[:, x - 1 : x + 2] = np.minimum(array[:, x - 1 : x + 2], crease)
    return Image.fromarray(np.clip(array, 0, 255).astype(np.uint8))


def _glare(page: Image.Image, rng: random.Random) -> Image.Image:
    """A bright reflection over part of the table: everything under it fades towards white,
    most at its centre."""
    array = np.asarray(page).astype(np.float32)
    height, width = array.shape[:2]
    cx, cy = width * rng.uniform(0.3, 0.8), height * rng.uniform(0.25, 0.6)
    rx, ry = width * rng.uniform(0.12, 0.22), height * rng.uniform(0.06, 0.12)
    ys, xs = np.mgrid[0:height, 0:width]
    distance = ((xs - cx) / rx) ** 2 + ((ys - cy) / ry) ** 2
    strength = rng.uniform(0.6, 0.8) * np.exp(-distance)
    array += (255 - array) * strength[..., None]
    return Image.fromarray(np.clip(array, 0, 255).astype(np.uint8))


def _noise(image: Image.Image, rng: random.Random, sigma: float) -> Image.Image:
    generator = np.random.default_rng(rng.randint(0, 2**31))
    array = np.asarray(image).astype(np.float32)
    array += generator.normal(0, sigma, array.shape)
    return Image.fromarray(np.clip(array, 0, 255).astype(np.uint8))


def _jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def generate(election: Election, spec: ProtocolSpec) -> tuple[bytes, dict[str, Any]]:
    """The image bytes and the ground truth."""
    rng = random.Random(spec.seed)
    figures = consistent_figures(election, spec.level, rng)
    precinct = rng.randint(1, 999)
    page = render_page(election, spec, figures, precinct)
    printed = {
        row.key for row in layout_rows(election, spec, figures, random.Random(spec.seed * 31 + 5))
    }
    # What a reader should find: a line the page does not print has no value to read.
    expected = {key: (value if key in printed else None) for key, value in figures.items()}
    if spec.layout == "rotated":
        page = page.rotate(90 * rng.choice((1, 2, 3)), expand=True)
    elif spec.layout == "edge-cut":
        page = page.crop((0, 0, int(page.width * 0.95), page.height))
    elif spec.layout == "folded":
        page = _folded(page, rng)
    elif spec.layout == "glare":
        page = _glare(page, rng)
    truth = {"spec": asdict(spec), "precinct": precinct, "figures": figures, "expected": expected}
    return degrade(page, spec.degradation, spec.seed), truth
