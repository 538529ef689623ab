"""The chart sent with each tally post: party shares as horizontal bars with their percentages
written on them, turnout and the invalid share beside. Sized for a phone screen (1200×800 px,
large type); drawn with matplotlib's Agg backend, no display needed."""

from __future__ import annotations

import io
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from publishing.posts import whole_percent

if TYPE_CHECKING:
    from matplotlib.figure import Figure

BAR = "#1f5fa8"
SIDE = "#c0392b"
GREY = "#e6e6e6"


@dataclass(frozen=True)
class ChartLabels:
    """Texts already in the post's language(s)."""

    title: str
    subtitle: str
    turnout: str
    invalid: str
    against_all: str | None = None


def tally_chart(
    labels: ChartLabels,
    parties: list[tuple[str, Fraction]],
    turnout: Fraction,
    invalid: Fraction,
    against_all: Fraction | None = None,
) -> bytes:
    """PNG bytes. `parties`: (name, share of the ballots in the boxes), in ballot order."""
    # matplotlib (~30 MB) loads with the first chart, not with every bot process.
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    rows = list(parties)
    if against_all is not None and labels.against_all:
        rows.append((labels.against_all, against_all))
    title_lines = labels.title.count("\n") + 1
    subtitle_lines = labels.subtitle.count("\n") + 1
    header = 0.42 * title_lines + 0.3 * subtitle_lines + 0.25  # inches
    height = header + 0.62 * len(rows) + 0.3
    figure: Figure = pyplot.figure(figsize=(8, max(height, 5.0)), dpi=150)
    try:
        inch = 1 / figure.get_figheight()
        top = 1 - header * inch
        grid = figure.add_gridspec(
            1,
            2,
            width_ratios=(3.2, 1),
            wspace=0.06,
            left=0.04,
            right=0.98,
            top=top,
            bottom=0.3 * inch,
        )
        bars = figure.add_subplot(grid[0, 0])
        side = figure.add_subplot(grid[0, 1])
        figure.text(
            0.04,
            1 - 0.15 * inch,
            labels.title,
            ha="left",
            va="top",
            fontsize=16,
            fontweight="bold",
            linespacing=1.3,
        )
        figure.text(
            0.04,
            1 - (0.2 + 0.42 * title_lines) * inch,
            labels.subtitle,
            ha="left",
            va="top",
            fontsize=11,
            color="#555555",
            linespacing=1.4,
        )

        # Each party: its name on a line of its own, the bar under it, the share at the bar's end;
        # long names (both languages) never collide with the figures.
        positions = list(range(len(rows)))[::-1]  # ballot order from the top
        values = [float(share) * 100 for _, share in rows]
        bars.barh(positions, [100] * len(rows), color=GREY, height=0.36)
        bars.barh(positions, values, color=BAR, height=0.36)
        for position, value, (name, share) in zip(positions, values, rows, strict=True):
            bars.text(
                0, position + 0.24, name, va="bottom", ha="left", fontsize=12.5, color="#111111"
            )
            inside = value > 85
            bars.text(
                value - 1 if inside else value + 1,
                position,
                f"{whole_percent(share)}%",
                va="center",
                ha="right" if inside else "left",
                fontsize=14,
                fontweight="bold",
                color="white" if inside else "#111111",
            )
        bars.set_xlim(0, 100)
        bars.set_ylim(-0.4, len(rows) - 0.1)
        bars.axis("off")

        side.set_xlim(0, 1)
        side.set_ylim(0, 1)
        side.axis("off")
        for y, caption, share in ((0.75, labels.turnout, turnout), (0.3, labels.invalid, invalid)):
            side.text(
                0.5,
                y,
                f"{whole_percent(share)}%",
                ha="center",
                va="center",
                fontsize=28,
                fontweight="bold",
                color=SIDE,
            )
            side.text(
                0.5,
                y - 0.09,
                caption.replace(" / ", "\n"),
                ha="center",
                va="top",
                fontsize=11.5,
                linespacing=1.3,
            )

        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", facecolor="white")
        return buffer.getvalue()
    finally:
        pyplot.close(figure)


OFFICIAL = "#c0392b"


def comparison_chart(
    title: str, legend: tuple[str, str], parties: list[tuple[str, Fraction, Fraction]]
) -> bytes:
    """PNG bytes: per party, the observers' share and the official share as two bars, with the
    percentages (one decimal) at their ends. `parties`: (name, observed, official), ballot order."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    from publishing.posts import one_decimal

    title_lines = title.count("\n") + 1
    header = 0.42 * title_lines + 0.85
    height = header + 0.95 * len(parties) + 0.3
    figure: Figure = pyplot.figure(figsize=(8, max(height, 5.0)), dpi=150)
    try:
        inch = 1 / figure.get_figheight()
        axes = figure.add_axes((0.04, 0.3 * inch, 0.92, 1 - (header + 0.3) * inch))
        figure.text(
            0.04,
            1 - 0.15 * inch,
            title,
            ha="left",
            va="top",
            fontsize=16,
            fontweight="bold",
            linespacing=1.3,
        )
        legend_y = 1 - (0.2 + 0.42 * title_lines) * inch
        figure.text(
            0.04,
            legend_y,
            "■ " + legend[0],
            color=BAR,
            ha="left",
            va="top",
            fontsize=12,
            fontweight="bold",
        )
        figure.text(
            0.04,
            legend_y - 0.3 * inch,
            "■ " + legend[1],
            color=OFFICIAL,
            ha="left",
            va="top",
            fontsize=12,
            fontweight="bold",
        )
        top = max(
            [float(max(observed, official)) * 100 for _, observed, official in parties] + [1.0]
        )
        limit = min(100.0, top * 1.25 + 2)
        for index, (name, observed, official) in enumerate(parties):
            y = (len(parties) - 1 - index) * 1.0
            axes.text(0, y + 0.32, name, va="bottom", ha="left", fontsize=12.5, color="#111111")
            for offset, share, color in ((0.1, observed, BAR), (-0.18, official, OFFICIAL)):
                value = float(share) * 100
                axes.barh(y + offset, value, color=color, height=0.24)
                axes.text(
                    value + limit * 0.01,
                    y + offset,
                    f"{one_decimal(share)}%",
                    va="center",
                    ha="left",
                    fontsize=12,
                    fontweight="bold",
                    color=color,
                )
        axes.set_xlim(0, limit * 1.15)
        axes.set_ylim(-0.5, len(parties) - 0.2)
        axes.axis("off")
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", facecolor="white")
        return buffer.getvalue()
    finally:
        pyplot.close(figure)
