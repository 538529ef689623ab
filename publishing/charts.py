"""Charts for the channel, drawn for a phone. Telegram shows a photo about 390 px wide, a third
of these 1200 px: every text here is at least 17 pt at 150 dpi (over 11 px on the phone), long
names wrap instead of running off the image, and nothing is drawn outside it. Laid out top to
bottom in inches, then drawn with matplotlib's Agg backend (no display needed), which loads with
the first chart, not with every bot process."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from publishing.posts import whole_percent

if TYPE_CHECKING:
    from matplotlib.figure import Figure

BAR = "#1f5fa8"
SIDE = "#c0392b"
GREY = "#e6e6e6"
OFFICIAL = "#c0392b"

WIDTH = 8.0  # inches
DPI = 150
MARGIN = 0.35
PHONE_WIDTH_PX = 390  # what a photo in a Telegram channel is shown at on a phone
# Point sizes: the smallest, 17 pt, is 35 px here and 11.5 px on the phone.
TITLE, SUBTITLE, NAME, PERCENT, BIG, CAPTION = 24, 17, 20, 21, 40, 17
# DejaVu Sans's mean character width, in ems, with room for wide Cyrillic and Kazakh letters.
_EM_PER_CHAR = 0.62


def _wrap(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    """Lines of `text` that fit `width` inches at `size` points (bold letters are wider)."""
    per_line = max(6, int(width / (_EM_PER_CHAR * (1.12 if bold else 1) * size / 72)))
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += textwrap.wrap(paragraph, per_line, break_on_hyphens=False) or [""]
    return lines


def _line_height(size: float) -> float:
    return size / 72 * 1.32


@dataclass
class _Layout:
    """Things to draw, placed top-down in inches from the top-left corner."""

    y: float = MARGIN
    texts: list[tuple[float, float, str, dict[str, Any]]] = field(default_factory=list)
    boxes: list[tuple[float, float, float, float, str]] = field(default_factory=list)

    def text(self, x: float, y: float, text: str, **style: Any) -> None:
        self.texts.append((x, y, text, style))

    def paragraph(
        self, text: str, size: float, x: float = MARGIN, width: float | None = None, **style: Any
    ) -> float:
        """Wrapped text at the current height; moves down past it; returns its height."""
        lines = _wrap(text, size, width or WIDTH - x - MARGIN, style.get("fontweight") == "bold")
        self.text(x, self.y, "\n".join(lines), fontsize=size, linespacing=1.32, **style)
        height = _line_height(size) * len(lines)
        self.y += height
        return height

    def box(self, x: float, y: float, width: float, height: float, color: str) -> None:
        self.boxes.append((x, y, width, height, color))

    @contextmanager
    def figure(self) -> Iterator[Figure]:
        from matplotlib import pyplot
        from matplotlib.patches import Rectangle

        height = self.y + MARGIN
        figure: Figure = pyplot.figure(figsize=(WIDTH, height), dpi=DPI)
        try:
            for x, y, width, box_height, color in self.boxes:
                figure.patches.append(
                    Rectangle(
                        (x / WIDTH, 1 - (y + box_height) / height),
                        width / WIDTH,
                        box_height / height,
                        transform=figure.transFigure,
                        color=color,
                    )
                )
            for x, y, text, style in self.texts:
                style = {"ha": "left", "va": "top", "color": "#111111", **style}
                figure.text(x / WIDTH, 1 - y / height, text, **style)
            yield figure
        finally:
            pyplot.close(figure)


def _png(layout: _Layout) -> bytes:
    with layout.figure() as figure:
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", facecolor="white")
        return buffer.getvalue()


def _agg() -> None:
    import matplotlib

    matplotlib.use("Agg")


@dataclass(frozen=True)
class ChartLabels:
    """Texts already in the post's language(s)."""

    title: str
    subtitle: str
    turnout: str
    invalid: str
    against_all: str | None = None


def _bars(
    layout: _Layout,
    rows: list[tuple[str, list[tuple[Fraction, str, str]]]],
    scale: float = 1.0,
) -> None:
    """Per row: its name on its own lines, then one bar per figure with the percentage at the
    bar's end. A figure: (share, its text, its colour); a full bar is `scale` (a share)."""
    label_room = 1.25  # inches right of the longest possible bar, for "100%"
    full = WIDTH - 2 * MARGIN - label_room
    bar_height = 0.3
    for name, figures in rows:
        layout.y += 0.12
        layout.paragraph(name, NAME)
        layout.y += 0.05
        for share, shown, color in figures:
            layout.box(MARGIN, layout.y, full, bar_height, GREY)
            length = full * min(float(share) / scale, 1.0)
            if length > 0:
                layout.box(MARGIN, layout.y, length, bar_height, color)
            layout.text(
                MARGIN + length + 0.1,
                layout.y + bar_height / 2,
                shown,
                fontsize=PERCENT,
                fontweight="bold",
                va="center",
                color=color if color != BAR else "#111111",
            )
            layout.y += bar_height + 0.1


def tally_layout(
    labels: ChartLabels,
    parties: list[tuple[str, Fraction]],
    turnout: Fraction,
    invalid: Fraction,
    against_all: Fraction | None = None,
) -> _Layout:
    """Title, the precincts counted, turnout and invalid ballots as two big figures, then one
    bar per party (and against all) in ballot order."""
    layout = _Layout()
    layout.paragraph(labels.title, TITLE, fontweight="bold")
    layout.y += 0.08
    layout.paragraph(labels.subtitle, SUBTITLE, color="#555555")
    layout.y += 0.25
    column = (WIDTH - 2 * MARGIN) / 2
    top = layout.y
    heights = []
    for index, (caption, share) in enumerate(
        ((labels.turnout, turnout), (labels.invalid, invalid))
    ):
        x = MARGIN + index * column
        layout.y = top
        layout.text(
            x, layout.y, f"{whole_percent(share)}%", fontsize=BIG, fontweight="bold", color=SIDE
        )
        layout.y += _line_height(BIG)
        heights.append(
            _line_height(BIG) + layout.paragraph(caption, CAPTION, x=x, width=column - 0.2)
        )
    layout.y = top + max(heights) + 0.15
    rows = list(parties)
    if against_all is not None and labels.against_all:
        rows.append((labels.against_all, against_all))
    _bars(layout, [(name, [(share, f"{whole_percent(share)}%", BAR)]) for name, share in rows])
    return layout


def tally_chart(
    labels: ChartLabels,
    parties: list[tuple[str, Fraction]],
    turnout: Fraction,
    invalid: Fraction,
    against_all: Fraction | None = None,
) -> bytes:
    """PNG bytes. `parties`: (name, share of the ballots in the boxes), in ballot order."""
    _agg()
    return _png(tally_layout(labels, parties, turnout, invalid, against_all))


OFFICIAL = "#c0392b"


def table_layout(
    title: str, subtitle: str, columns: list[str], rows: list[tuple[str, list[str]]]
) -> _Layout:
    """Seed 002's table: one column per election level, side by side; one row per figure
    (precincts, voters, turnout, unused, each party, invalid). Values are already written."""
    layout = _Layout()
    layout.paragraph(title, TITLE, fontweight="bold")
    layout.y += 0.08
    layout.paragraph(subtitle, SUBTITLE, color="#555555")
    layout.y += 0.2
    label_width = 2.45
    column_width = (WIDTH - 2 * MARGIN - label_width) / max(len(columns), 1)
    top, tallest = layout.y, 0.0
    for index, name in enumerate(columns):
        layout.y = top
        x = MARGIN + label_width + index * column_width
        tallest = max(
            tallest,
            layout.paragraph(
                name, CAPTION, x=x + 0.08, width=column_width - 0.12, fontweight="bold"
            ),
        )
    layout.y = top + tallest + 0.08
    layout.box(MARGIN, layout.y, WIDTH - 2 * MARGIN, 0.03, "#999999")
    layout.y += 0.08
    for number, (label, values) in enumerate(rows):
        row_top = layout.y + 0.06
        layout.y = row_top
        height = layout.paragraph(label, CAPTION, width=label_width - 0.1)
        height = max(height, _line_height(PERCENT))
        if number % 2 == 0:  # stripes guide the eye along a row on a small screen
            layout.boxes.insert(
                0, (MARGIN, row_top - 0.06, WIDTH - 2 * MARGIN, height + 0.12, "#f1f3f6")
            )
        for index, value in enumerate(values):
            layout.text(
                MARGIN + label_width + (index + 1) * column_width - 0.1,
                row_top,
                value,
                fontsize=PERCENT,
                fontweight="bold",
                ha="right",
            )
        layout.y = row_top + height + 0.06
    return layout


def table_chart(
    title: str, subtitle: str, columns: list[str], rows: list[tuple[str, list[str]]]
) -> bytes:
    """PNG bytes of `table_layout`."""
    _agg()
    return _png(table_layout(title, subtitle, columns, rows))


def comparison_layout(
    title: str, legend: tuple[str, str], parties: list[tuple[str, Fraction, Fraction]]
) -> _Layout:
    from publishing.posts import one_decimal

    layout = _Layout()
    layout.paragraph(title, TITLE, fontweight="bold")
    layout.y += 0.12
    layout.paragraph("■ " + legend[0], CAPTION, color=BAR, fontweight="bold")
    layout.paragraph("■ " + legend[1], CAPTION, color=OFFICIAL, fontweight="bold")
    layout.y += 0.1
    _bars(
        layout,
        [
            (
                name,
                [
                    (observed, f"{one_decimal(observed)}%", BAR),
                    (official, f"{one_decimal(official)}%", OFFICIAL),
                ],
            )
            for name, observed, official in parties
        ],
        # Shares of a few per cent side by side: the longest bar spans most of the width.
        scale=min(1.0, max([float(max(o, f)) for _, o, f in parties] + [0.01]) * 1.1),
    )
    return layout


def comparison_chart(
    title: str, legend: tuple[str, str], parties: list[tuple[str, Fraction, Fraction]]
) -> bytes:
    """PNG bytes: per party, the observers' share and the official share as two bars, with the
    percentages (one decimal) at their ends. `parties`: (name, observed, official), ballot order."""
    _agg()
    return _png(comparison_layout(title, legend, parties))
