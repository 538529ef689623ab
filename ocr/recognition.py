"""Recognition itself (`recognize_sync`), run by ocr.tasks in a pool thread or a worker process;
the dialog's interface and the result types are in ocr.result, which loads none of this.

Per page: decode (ocr.images) → find and flatten the table (ocr.table) → read each row's line
number and label with Tesseract and match it to the form by number and fuzzy label (either
language; party names for vote lines) → read each value cell three ways (RapidOCR's recogniser
on the cell, Tesseract with a digit whitelist on the column, the amount in words where the form
has it) → a value and a confidence from their agreement → the control relations raise or lower
confidence and choose only between values a reader saw. Pages are merged; a line read differently
on two pages is doubtful. Nothing here raises for a bad image: the result says what went wrong
instead.
"""

from __future__ import annotations

import ast
import itertools
import logging
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import cv2
import numpy as np
from rapidfuzz import fuzz

from models.election import FormLine, Severity
from ocr.images import ImageRejected, decode_cost, load_grey
from ocr.number_words import parse_words
from ocr.readers import Reading, rapid_lines, tesseract_cell, tesseract_rows, tesseract_words
from ocr.result import (
    CONFIDENT,
    PROBLEM_CODES,
    PROTOCOL_DECODE_BUDGET,
    PROTOCOL_PAGES,
    PageProblem,
    ProtocolForm,
    RecognizedLine,
    RecognizedProtocol,
    protocol_form,
)
from ocr.table import NoTable, Table, cell, find_tables
from services.protocol_checks import compile_check, evaluate, referenced_keys, split_votes

log = logging.getLogger(__name__)

__all__ = [
    "CONFIDENT",
    "PROBLEM_CODES",
    "PageProblem",
    "ProtocolForm",
    "RecognizedLine",
    "RecognizedProtocol",
    "protocol_form",
    "recognize_sync",
]

# Cells per page that Tesseract reads on their own when it found nothing there in the column
# (about 60 ms each).
MAX_SECOND_LOOKS = 4


@dataclass
class _Candidate:
    value: int | None
    confidence: float
    crop: bytes | None
    options: tuple[int, ...] = ()  # every distinct value a reader saw, most supported first
    # Whether the row's own label says it is this line. A printed number alone is not enough:
    # on a form with one extra row every number after it points at the wrong line.
    row_sure: bool = True
    page: int | None = None  # which page the value was read on (1-based)


# --- one page --------------------------------------------------------------------------------


def _columns(
    table: Table,
) -> tuple[tuple[int, int] | None, tuple[int, int], tuple[int, int] | None, tuple[int, int] | None]:
    """(number, label, value, words) columns by their shape: the label column is the widest,
    the line number the narrow one before it, then the value, then the amount in words."""
    widths = [right - left for left, right in table.columns]
    label_index = int(np.argmax(widths))
    number = table.columns[label_index - 1] if label_index > 0 else None
    value = table.columns[label_index + 1] if label_index + 1 < len(table.columns) else None
    words = None
    if label_index + 2 < len(table.columns) and widths[label_index + 2] > 0.12 * sum(widths):
        words = table.columns[label_index + 2]
    return number, table.columns[label_index], value, words


def _strip(table: Table, column: tuple[int, int]) -> np.ndarray:
    return table.image[:, column[0] + 5 : column[1] - 4]


# Party names are often in Latin letters (AMANAT, Respublica), which Tesseract's Cyrillic
# models read as look-alikes: both sides are compared in Cyrillic.
_LATIN = str.maketrans("abcdefghijklmnopqrstuvwxyz", "абсдефгхийклмнопкрстуввхуз")


def _fold(text: str) -> str:
    return re.sub(r"[^\w\s]", " ", text.lower()).replace("ё", "е").translate(_LATIN)


_NUMBERED = re.compile(r"(\d{1,2})\s*[.)]")  # "3." or "3)"
_SUB_NUMBER = re.compile(r"\d{1,2}\s*[.,\-]\s*\d{1,2}\s*[.)]?")  # "7.1", "7-1"


def _line_number(reading: Reading) -> int | None:
    numbered = _NUMBERED.fullmatch(reading.text.strip())
    return int(numbered.group(1)) if numbered else reading.digits


# How a row is scored as a form line. The printed number is a hint, not proof: forms number
# differently (7.1 under a header, roman numerals, an extra row shifting every number after
# it), so a number that differs costs less than a label that matches gains.
NUMBER_AGREES = 35.0
NUMBER_DIFFERS = -10.0


def _pair_score(form: ProtocolForm, line: FormLine, number: int | None, label: str) -> float:
    score = 20.0  # rows follow the form's order: a row in the right place is likely the line
    if number is not None:
        score += NUMBER_AGREES if number == line.line else NUMBER_DIFFERS
    if label.strip():
        likeness = max(fuzz.token_set_ratio(label, _fold(text)) for text in form.labels[line.key])
        # A label misread beyond recognition (a Latin party name) costs no more than a number
        # that differs; one that reads as the line's own gains the most.
        score += max(1.2 * likeness - 90, -20.0)
    return score


ROW_LABEL_AGREES = 60  # rapidfuzz token_sort_ratio of the label read and the form's label
ROW_LABEL_MARGIN = 6  # … and by this much more than any other line's label
ROW_UNSURE_CONFIDENCE = 0.5
# A page is not this election's protocol when at least this many row labels were read and at
# most one in five of them looks like a line of the form.
NOT_A_PROTOCOL_READABLE = 4


class NotAProtocol(NoTable):
    """A table whose labels, read well enough, are not the form's: refused, not guessed at."""


def _label_scores(form: ProtocolForm, label: str) -> dict[str, float]:
    """How much a label read on the page looks like each line's label (either language), by
    whole-label likeness: sharing "число бюллетеней" is not enough to be the same line."""
    folded = _fold(label)
    if not folded.strip():
        return {}
    return {
        line.key: max(fuzz.token_sort_ratio(folded, _fold(text)) for text in form.labels[line.key])
        for line in form.lines
    }


def _clear_line(form: ProtocolForm, scores: dict[str, float]) -> FormLine | None:
    """The line a label clearly names (the most like it, by a margin), or None when it was not
    read or resembles nothing well enough."""
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    if not ranked or ranked[0][1] < ROW_LABEL_AGREES:
        return None
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < ROW_LABEL_MARGIN:
        return None
    return form.line(ranked[0][0])


def _label_verdict(line: FormLine, named: FormLine | None) -> str:
    """ "agrees" when the row's label clearly names this line, "other" when it clearly names
    another, "unknown" when it was not read or resembles nothing well enough."""
    if named is None:
        return "unknown"
    return "agrees" if named.key == line.key else "other"


def _rows_sure(
    form: ProtocolForm, matched: dict[int, FormLine], named: list[FormLine | None]
) -> dict[int, bool]:
    """A row is surely its line when its label says so, or when its label could not be read (a
    party's Latin name) but the rows just above and below are surely the lines just above and
    below. A row whose label names another line is never sure, whatever its number says."""
    index = {line.key: position for position, line in enumerate(form.lines)}
    verdict = {row: _label_verdict(line, named[row]) for row, line in matched.items()}
    sure = {row: verdict[row] == "agrees" for row in matched}
    for row, line in matched.items():
        if verdict[row] != "unknown":
            continue
        above, below = matched.get(row - 1), matched.get(row + 1)
        position = index[line.key]
        sure[row] = (
            (above is None and position == 0)
            or (
                above is not None
                and verdict[row - 1] == "agrees"
                and index[above.key] == position - 1
            )
        ) and (
            (below is None and position == len(form.lines) - 1)
            or (
                below is not None
                and verdict[row + 1] == "agrees"
                and index[below.key] == position + 1
            )
        )
    return sure


def _refuse_another_table(labels: list[Reading], like_form: list[bool]) -> None:
    """Raises NotAProtocol when the labels were read and are not the form's. Labels that could
    not be read (blur, a Latin party name) prove nothing: those pages go on, and each line is
    asked. `like_form`: per row, whether its label looks like a line of the form."""
    readable = [
        alike
        for label, alike in zip(labels, like_form, strict=True)
        if len(re.sub(r"\W", "", label.text)) >= 6
    ]
    if len(readable) >= NOT_A_PROTOCOL_READABLE and sum(readable) * 5 <= len(readable):
        raise NotAProtocol(
            f"{sum(readable)} of {len(readable)} row labels read are lines of the form"
        )


def _match_rows(
    form: ProtocolForm, numbers: list[int | None], labels: list[Reading]
) -> dict[int, FormLine]:
    """Row index → form line. An alignment that keeps both in order (the table's rows are the
    form's lines, top to bottom, with a header and perhaps other rows between), scored by the
    line number read and the label's likeness in either language: one misread number or a
    label that resembles its neighbour's does not shuffle the lines."""
    folded = [_fold(label.text) for label in labels]
    rows, lines = len(numbers), len(form.lines)
    score = [
        [_pair_score(form, line, numbers[r], folded[r]) for line in form.lines] for r in range(rows)
    ]
    best = [[0.0] * (lines + 1) for _ in range(rows + 1)]
    step = [[""] * (lines + 1) for _ in range(rows + 1)]
    for r in range(rows + 1):
        for j in range(lines + 1):
            if r == 0 and j == 0:
                continue
            options = []
            if r > 0:
                options.append((best[r - 1][j], "row"))  # this row is not a form line
            if j > 0:
                options.append((best[r][j - 1], "line"))  # this line is not on the page
            if r > 0 and j > 0 and score[r - 1][j - 1] >= 25:
                options.append((best[r - 1][j - 1] + score[r - 1][j - 1], "match"))
            best[r][j], step[r][j] = max(options)
    pairs: list[tuple[int, int]] = []
    r, j = rows, lines
    while r > 0 or j > 0:
        move = step[r][j]
        if move == "match":
            pairs.append((r - 1, j - 1))
            r, j = r - 1, j - 1
        elif move == "row":
            r -= 1
        else:
            j -= 1
    pairs.reverse()
    # Between two matched rows, as many rows as lines: those rows are those lines, in order,
    # unless what was read there contradicts it.
    filled = list(pairs)
    for (r1, j1), (r2, j2) in itertools.pairwise(pairs):
        if r2 - r1 == j2 - j1 > 1:
            filled += [(r1 + k, j1 + k) for k in range(1, r2 - r1) if score[r1 + k][j1 + k] > -15]
    return {row: form.lines[line] for row, line in filled}


# A row is shown at least this high: its digits, about half of it, come out 45 px or more,
# readable on a phone. Telegram refuses photos more than 20 times wider than high.
CROP_ROW_HEIGHT = 90
CROP_MAX_RATIO = 12
INK_LEVEL = 128
MIN_INK_SHARE = 0.002  # of a value cell's pixels: less, and no figure was found there


def _row_crop(
    table: Table,
    row: tuple[int, int],
    label_column: tuple[int, int],
    value_column: tuple[int, int],
    value_cell: np.ndarray,
) -> bytes | None:
    """The whole row, its label and its value, as a JPEG the observer can read on a phone.
    None when the value cell holds no ink: the cell was not found, and a blank box would say
    nothing (the dialog shows the page instead)."""
    if value_cell.size == 0 or float((value_cell < INK_LEVEL).mean()) < MIN_INK_SHARE:
        return None
    top, bottom = row
    region = table.image[top : bottom + 1, label_column[0] : value_column[1] + 1]
    if region.size == 0:
        return None
    height, width = region.shape[:2]
    if height < CROP_ROW_HEIGHT:
        factor = CROP_ROW_HEIGHT / height
        region = cv2.resize(region, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
        height, width = region.shape[:2]
    if width > CROP_MAX_RATIO * height:
        margin = (width // CROP_MAX_RATIO - height) // 2 + 1
        region = cv2.copyMakeBorder(region, margin, margin, 0, 0, cv2.BORDER_CONSTANT, value=255)
    ok, encoded = cv2.imencode(".jpg", region, [cv2.IMWRITE_JPEG_QUALITY, 85])
    return encoded.tobytes() if ok else None


def _options(readings: list[tuple[str, int | None, float]]) -> tuple[int, ...]:
    votes = Counter(value for _, value, _ in readings if value is not None)
    return tuple(value for value, _ in votes.most_common())


# The digit two readers misread together: every figure RapidOCR and Tesseract's digits agreed on
# wrongly on the tuned families was a handwritten 1 read as 7 by both (12 of 12 at seeds 35000,
# 36000 and 37000, and every one in the runs before).
SHARED_MISREAD = "7"
# RapidOCR's own confidence from which two readers agreeing on a figure with a 7 are believed.
# Same seeds, sure rows, two readers agreeing with RapidOCR one of them: on a figure with a 7,
# 12 of 175 handwriting-like lines were wrong below 0.99 (two of them at 0.96), none of 466 from
# 0.99; on a figure without one, none of 2,971 whatever RapidOCR's confidence (1,033 of them
# below 0.95, which were all asked before). At a fourth seed, 38000, two of 999 such were
# wrong, both in a comb (below).
RAPID_SURE_OF_A_SEVEN = 0.99
# In a comb: the lost 1s came with RapidOCR at 0.73-0.80 (seed 38000); the rule before this one.
RAPID_SURE_IN_A_COMB = 0.95


def _agreement_believed(values: list[tuple[str, int | None, float]], best: int, comb: bool) -> bool:
    """Two readers agree, RapidOCR one of them, on a figure their shared mistake cannot have
    made, or on which RapidOCR is very sure of itself. In a comb both readers lose a 1 beside a
    rule painted out (1634 read as 634 by both, seed 38000): there, RapidOCR sure as before."""
    if SHARED_MISREAD in str(best):
        needed = RAPID_SURE_OF_A_SEVEN
    else:
        needed = RAPID_SURE_IN_A_COMB if comb else 0.0
    return any(
        reader == "rapid" and value == best and confidence >= needed
        for reader, value, confidence in values
    )


# RapidOCR's own confidence at which it never misread a cell on the tuned families, alone or
# against Tesseract (three seeds, 2,622 lines on sure rows at or above it, none wrong; between
# 0.95 and 0.995 it was wrong on 16 of 919 handwriting-like lines). Tesseract's digits are the
# weaker reader on handwriting (a 7 read as 1, a 9 as 5): its dissent alone does not outweigh
# this. A row that is not surely its line stays capped whatever is read in it.
RAPID_CERTAIN = 0.995


def _rapid_certain(values: list[tuple[str, int | None, float]]) -> int | None:
    """RapidOCR's figure when it is certain of it and no reader but Tesseract's digits says
    otherwise (the amount in words, when read, must agree)."""
    certain = [value for reader, value, c in values if reader == "rapid" and c >= RAPID_CERTAIN]
    if not certain:
        return None
    figure = certain[0]
    contradicted = any(reader == "words" and value != figure for reader, value, _ in values)
    return None if contradicted else figure


def _combine(
    readings: list[tuple[str, int | None, float]], comb: bool = False
) -> tuple[int | None, float]:
    """A value and a confidence from independent readings (reader, value, its confidence), of a
    cell in a comb or not."""
    values = [
        (reader, value, confidence) for reader, value, confidence in readings if value is not None
    ]
    if not values:
        return None, 0.0
    certain = _rapid_certain(values)
    if certain is not None and sum(value == certain for _, value, _ in values) == 1:
        return certain, 0.91
    votes = Counter(value for _, value, _ in values)
    best, support = max(
        votes.items(), key=lambda item: (item[1], sum(c for _, v, c in values if v == item[0]))
    )
    dissent = len(values) - support
    best_confidence = max(c for _, v, c in values if v == best)
    if support >= 3:
        confidence = 0.99
    elif support == 2 and not dissent and _agreement_believed(values, best, comb):
        # Pre-filled, yet below UNSHAKEN: a relation that fails still asks about it.
        confidence = 0.93
    elif support == 2:
        # Two readers can share a mistake (a handwritten 1 read as 7 by both): without the third,
        # the line stays below the pre-fill mark unless an exact equation also holds.
        confidence = 0.75 if dissent else 0.88
    elif len(values) == 1:
        confidence = min(0.7, 0.75 * best_confidence)
    else:
        confidence = 0.3  # the readers disagree
    return best, confidence


def _ink_only(region: np.ndarray) -> None:
    """Keeps the darkest strokes of a cell: the figure, in print or pen. What is much lighter than
    them (a stamp's ink over the cell, a shadow's edge) becomes paper. In place."""
    darkest = float(np.percentile(region, 1)) if region.size else 0.0
    region[region > darkest + 0.5 * (255 - darkest)] = 255


PAGES_DISAGREE_LINES = 2  # lines read surely on two pages, with different values
ORIENTED_ROWS = 3  # row labels like the form's that show a page is the right way up


@dataclass
class _Layout:
    """A page's table, the right way up, with its rows' labels; before any value is read."""

    table: Table
    number_column: tuple[int, int] | None
    label_column: tuple[int, int]
    value_column: tuple[int, int]
    words_column: tuple[int, int] | None
    labels: list[Reading]
    named: list[FormLine | None]  # per row: the line its label clearly names, if any
    like_form: int  # row labels that look like a line of the form
    refusal: NotAProtocol | None
    # The page's other tables whose rows are lines of the form (a form printed as two tables
    # side by side); a table that is not the form's (the members who signed) is left out.
    others: list[_Layout] = field(default_factory=list)
    # Its figures were printed in combs, whose rules were painted out of the image: a 1 beside
    # a rule can go with it, for every reader alike.
    comb: bool = False

    @property
    def page_like_form(self) -> int:
        return self.like_form + sum(other.like_form for other in self.others)


class UpsideDown(NoTable):
    """The page's table is there, but its columns run the wrong way (the label column has more
    columns after it than before it in the form, fewer here): turned by a half, it reads."""


def _looks_upside_down(table: Table) -> bool:
    """A form has its line number (or nothing) before the label and the figures after it; turned
    by a half, the figures come first. Two tables side by side with one column on each side of
    the label say nothing: their labels are read. (A comb's boxes, after the label upright and
    before it turned, count as columns here: joining them changes no verdict.)"""
    columns = table.columns
    label = max(range(len(columns)), key=lambda index: columns[index][1] - columns[index][0])
    return label > len(columns) - 1 - label


def _layout(grey: np.ndarray, form: ProtocolForm, upside_down: bool = False) -> _Layout:
    """The page's table that reads most like the form, with the others that are the form's too;
    the largest table (and why it is not the form's) when none is. Raises UpsideDown, before
    any label is read, when the table's columns say it is turned by a half (unless
    `upside_down`: read it anyway)."""
    tables = find_tables(grey)
    if not upside_down and _looks_upside_down(tables[0]):
        raise UpsideDown("columns in the reverse order")
    layouts = [layout for table in tables if (layout := _table_layout(table, form)) is not None]
    if not layouts:
        raise NoTable("no value column")
    kept = [layout for layout in layouts if layout.refusal is None and layout.like_form > 0]
    if not kept:
        return layouts[0]
    primary = max(kept, key=lambda layout: layout.like_form)
    primary.others = [layout for layout in kept if layout is not primary]
    return primary


COMB_BOXES = 3  # narrow columns of one width in a row after the label: a comb of digit boxes
COMB_NARROW = 0.08  # of the table's width: a digit box is narrower than this


def _comb_joined(table: Table) -> Table:
    """A figure printed in a comb (one box per digit) is one value column: the boxes' rules are
    taken out of the image, which they would otherwise be read into ("2|8|5|1" as 218151), and
    the boxes become one column."""
    columns = table.columns
    width = sum(right - left for left, right in columns)
    label = max(range(len(columns)), key=lambda index: columns[index][1] - columns[index][0])
    start = label + 1
    end = start
    while end < len(columns) and columns[end][1] - columns[end][0] < COMB_NARROW * width:
        end += 1
    boxes = columns[start:end]
    if len(boxes) < COMB_BOXES:
        return table
    widths = [right - left for left, right in boxes]
    if max(widths) > 1.3 * min(widths):
        return table
    image = table.image.copy()
    for _, rule in boxes[:-1]:
        image[:, rule - 3 : rule + 4] = 255
    joined = [*columns[:start], (boxes[0][0], boxes[-1][1]), *columns[end:]]
    return replace(table, image=image, columns=joined)


def _table_layout(table: Table, form: ProtocolForm) -> _Layout | None:
    joined = _comb_joined(table)
    comb, table = joined is not table, joined
    number_column, label_column, value_column, words_column = _columns(table)
    if value_column is None:
        return None
    labels = tesseract_rows(_strip(table, label_column), table.rows, read="text")
    scores = [_label_scores(form, label.text) for label in labels]
    alike = [max(row.values(), default=0.0) >= ROW_LABEL_AGREES for row in scores]
    refusal = None
    try:
        _refuse_another_table(labels, alike)
    except NotAProtocol as error:
        refusal = error
    return _Layout(
        table,
        number_column,
        label_column,
        value_column,
        words_column,
        labels,
        [_clear_line(form, row) for row in scores],
        sum(alike),
        refusal,
        comb=comb,
    )


def _rows_to_lines(layout: _Layout, form: ProtocolForm) -> dict[int, FormLine]:
    """Row index → form line. A row whose label clearly names a line gets that line's number as
    its hint; the printed number is read only for the other rows (a header, a party's Latin
    name, a line the form lacks), by two readers that must agree: reading every number cost a
    third of a page's CPU and added nothing where the label had already said which line."""
    table, rows = layout.table, layout.table.rows
    numbers: list[int | None] = [None] * len(rows)
    unclear = []
    for index, line in enumerate(layout.named):
        if line is None:
            unclear.append(index)
        else:
            numbers[index] = line.line
    if layout.number_column and unclear:
        cells = [cell(table, rows[index], layout.number_column) for index in unclear]
        for index, number_cell, by_rapid in zip(unclear, cells, rapid_lines(cells), strict=True):
            if _SUB_NUMBER.fullmatch(by_rapid.text.strip()):
                continue  # "7.1": the digits alone ("71") would name another line
            # A number counts only when the two readers agree, or one read it and the other
            # nothing. (Tesseract reads a narrow number cell far better alone than in its column.)
            read = {
                value
                for value in (tesseract_cell(number_cell).digits, _line_number(by_rapid))
                if value is not None
            }
            numbers[index] = read.pop() if len(read) == 1 else None
    matched = _match_rows(form, numbers, layout.labels)
    # The alignment keeps rows in the form's order, so of two lines printed in the other order
    # only one is matched. A row left over whose label clearly names a line left over is that
    # line: by its label, as sure as any row matched in order.
    taken = {line.key for line in matched.values()}
    for index, line in enumerate(layout.named):
        if index not in matched and line is not None and line.key not in taken:
            matched[index] = line
            taken.add(line.key)
    return matched


def _upright_layout(grey: np.ndarray, form: ProtocolForm) -> _Layout:
    """The page as sent, or turned by a quarter, a half or three quarters when that is how its
    labels read as the form's (a photo taken sideways or upside down, with no EXIF to say so).
    Only the page as sent can be refused as not a protocol: turned, any page's text makes some
    table whose labels are not the form's. Raises NoTable when no way up shows the table."""
    as_sent: _Layout | None = None
    first_error: NoTable | None = None
    turned: list[_Layout] = []
    # A way up whose columns run in reverse has its labels read last, if at all: the half turn
    # from it is tried next (reading a page's labels upside down cost half a second for nothing).
    ways = [0, 1, 2, 3]
    reversed_ways: list[int] = []
    while ways or reversed_ways:
        anyway = not ways
        quarter_turns = ways.pop(0) if ways else reversed_ways.pop(0)
        image = np.ascontiguousarray(np.rot90(grey, quarter_turns)) if quarter_turns else grey
        try:
            layout = _layout(image, form, upside_down=anyway)
        except UpsideDown:
            reversed_ways.append(quarter_turns)
            opposite = (quarter_turns + 2) % 4
            if opposite in ways:
                ways.remove(opposite)
                ways.insert(0, opposite)
            continue
        except NoTable as error:
            first_error = first_error or error
            continue
        if layout.page_like_form >= ORIENTED_ROWS and layout.refusal is None:
            return layout
        if quarter_turns == 0:
            as_sent = layout
        elif layout.page_like_form > 0 and layout.refusal is None:
            turned.append(layout)
    # No way up reads clearly as the form: the page as sent, unless a turn reads more like it.
    choices = ([as_sent] if as_sent else []) + turned
    if not choices:
        raise first_error or NoTable("no table the right way up")
    return max(choices, key=lambda layout: layout.page_like_form)


# "Избирательный участок № 185", "Участковая избирательная комиссия № 185", "№ 185 сайлау
# учаскесі", "№ 185 учаскелік сайлау комиссиясы": a word starting "учас" names the precinct.
_PRECINCT_WORD = re.compile(r"^[уy]ч[аa][сc]", re.IGNORECASE)
_PRECINCT_NUMBER = re.compile(r"\D{0,3}?(\d{1,5})")  # "185", "№185", "N°185"


def _precinct_in_header(above: np.ndarray | None) -> int | None:
    """The precinct's number printed above the table, when two readers agree on it: Tesseract
    reads the header, and the one number on the line that names the precinct is read again by
    RapidOCR. None when no such line, or the readers differ: the precinct is only a warning."""
    if above is None:
        return None
    words = tesseract_words(above)
    lines: list[list[tuple[str, tuple[int, int, int, int]]]] = []
    for text, _, box in words:  # words in reading order; a new line when one starts below
        if not lines or box[1] > (lines[-1][-1][1][1] + lines[-1][-1][1][3]) / 2:
            lines.append([])
        lines[-1].append((text, box))
    for line in lines:
        if not any(_PRECINCT_WORD.match(text) for text, _ in line):
            continue
        numbers = [
            (int(match.group(1)), box)
            for text, box in line
            if (match := _PRECINCT_NUMBER.fullmatch(text))
        ]
        if len(numbers) != 1:
            return None
        number, (left, top, right, bottom) = numbers[0]
        pad = max(4, (bottom - top) // 3)
        crop = above[max(0, top - pad) : bottom + pad, max(0, left - pad) : right + pad]
        [again] = rapid_lines([crop])
        match = _PRECINCT_NUMBER.fullmatch(again.text.replace(" ", ""))
        return number if match and int(match.group(1)) == number else None
    return None


def read_page(image: bytes, form: ProtocolForm) -> tuple[dict[str, _Candidate], int | None]:
    """Key → candidate for the lines found on this page, and the precinct number its header
    prints (None when not read). Raises ImageRejected or NoTable."""
    layout = _upright_layout(load_grey(image), form)
    if layout.refusal is not None:
        raise layout.refusal
    precinct = _precinct_in_header(layout.table.above)
    found: dict[str, _Candidate] = {}
    for part in (layout, *layout.others):  # the form's tables on this page
        _merge(found, _read_table(part, form))
    if not found:
        raise NoTable("no line of the form recognised")
    return found, precinct


def _merge(found: dict[str, _Candidate], more: dict[str, _Candidate]) -> None:
    """Lines read again (on another page, or in another table of the page) join those read
    before: a line read two ways gets at most 0.3, one read the same way keeps the surer."""
    for key, candidate in more.items():
        earlier = found.get(key)
        if earlier is None or earlier.value is None:
            found[key] = candidate
        elif candidate.value is not None and candidate.value != earlier.value:
            earlier.confidence = min(earlier.confidence, candidate.confidence, 0.3)
        elif candidate.value == earlier.value:
            earlier.confidence = max(earlier.confidence, candidate.confidence)


def _read_table(layout: _Layout, form: ProtocolForm) -> dict[str, _Candidate]:
    """Key → candidate for the lines found in one table of the page."""
    table, value_column, words_column = layout.table, layout.value_column, layout.words_column
    matched = _rows_to_lines(layout, form)
    for row in table.rows:
        _ink_only(table.image[row[0] : row[1], value_column[0] : value_column[1]])
    rows = table.rows
    if not matched:
        return {}
    wanted = sorted(matched)
    sure_rows = _rows_sure(form, matched, layout.named)
    cells = [cell(table, rows[row], value_column) for row in wanted]
    rapid = dict(zip(wanted, rapid_lines(cells), strict=True))
    column_digits = tesseract_rows(_strip(table, value_column), rows, read="digits")
    words = tesseract_rows(_strip(table, words_column), rows, read="text") if words_column else None
    found: dict[str, _Candidate] = {}
    second_looks = 0
    for row, value_cell in zip(wanted, cells, strict=True):
        readings = [
            ("rapid", rapid[row].digits, rapid[row].confidence),
            ("tesseract", column_digits[row].digits, max(column_digits[row].confidence, 0.5)),
        ]
        if words is not None:
            readings.append(("words", parse_words(words[row].text), 0.8))
        value, confidence = _combine(readings, comb=layout.comb)
        if confidence < CONFIDENT and readings[1][1] is None and second_looks < MAX_SECOND_LOOKS:
            # Tesseract found nothing in this row of the column: it reads the cell alone. Still
            # one reader (the same engine twice would agree with itself, not with the truth).
            second_looks += 1
            single = tesseract_cell(value_cell)
            readings[1] = ("tesseract", single.digits, max(single.confidence, 0.5))
            value, confidence = _combine(readings, comb=layout.comb)
        if not sure_rows[row]:
            # A line's confidence is at most the confidence that its row is that line.
            confidence = min(confidence, ROW_UNSURE_CONFIDENCE)
        found[matched[row].key] = _Candidate(
            value,
            confidence,
            _row_crop(table, rows[row], layout.label_column, value_column, value_cell),
            _options(readings),
            sure_rows[row],
        )
    return found


# --- the control relations -------------------------------------------------------------------


def _choose_among_readings(form: ProtocolForm, candidates: dict[str, _Candidate]) -> None:
    """Where the readers disagree on one line of an exact relation whose other lines are sure,
    the reading that makes the relation hold is the one taken. Only values some reader saw are
    considered: the arithmetic picks between readings, it never supplies a figure."""
    keys = [line.key for line in form.lines]
    for check in form.checks:
        if check.severity is not Severity.HARD or not _is_equation(check.holds):
            continue
        involved = referenced_keys(check.holds, keys)
        weak = [
            key for key in involved if key in candidates and candidates[key].confidence < CONFIDENT
        ]
        if len(weak) != 1 or not involved <= set(candidates):
            continue
        doubtful = candidates[weak[0]]
        if (
            len(doubtful.options) < 2
            or not doubtful.row_sure
            or any(candidates[key].value is None for key in involved - {weak[0]})
        ):
            continue
        fitting = []
        for option in doubtful.options:
            values = {
                key: (option if key == weak[0] else candidates[key].value) for key in involved
            }
            if evaluate(compile_check(check.holds), *split_votes(values)):  # type: ignore[arg-type]
                fitting.append(option)
        if len(fitting) == 1:
            doubtful.value, doubtful.confidence = fitting[0], 0.92


def _is_equation(expression: str) -> bool:
    """`a + b == c`: a relation that pins figures exactly (not `<=`, not an `or` of cases)."""
    body = compile_check(expression).body
    return isinstance(body, ast.Compare) and len(body.ops) == 1 and isinstance(body.ops[0], ast.Eq)


# Three readers agreeing, or two and an exact relation that holds: a failing relation that has
# doubtful lines leaves these as they are.
UNSHAKEN = 0.95


def _score_with_checks(form: ProtocolForm, candidates: dict[str, _Candidate]) -> None:
    """Hard relations that hold as exact equations raise their lines' confidence; hard relations
    that fail then lower it for their suspect lines (failure wins). Soft relations say nothing."""
    _choose_among_readings(form, candidates)
    keys = [line.key for line in form.lines]
    values = {key: c.value for key, c in candidates.items() if c.value is not None}
    plain, votes = split_votes(values)  # type: ignore[arg-type]
    holding, failing = [], []
    for check in form.checks:
        involved = referenced_keys(check.holds, keys)
        if check.severity is not Severity.HARD or not involved or not involved <= set(values):
            continue
        if evaluate(compile_check(check.holds), plain, votes):
            if _is_equation(check.holds):
                holding.append(involved)
        else:
            failing.append(involved)
    for involved in holding:
        if not all(candidates[key].row_sure for key in involved):
            continue  # figures that add up but may sit on the wrong lines prove nothing
        for key in involved:
            candidate = candidates[key]
            candidate.confidence = min(
                0.99, candidate.confidence + (1 - candidate.confidence) * 0.6
            )
    unshaken = {key for key, found in candidates.items() if found.confidence >= UNSHAKEN}
    for involved in failing:
        doubtful = involved - unshaken
        for key in doubtful:
            candidates[key].confidence = min(candidates[key].confidence * 0.6, 0.6)
        if not doubtful:
            # Every line of the relation was read surely and still it fails (a handwritten 1
            # read as 7 by all readers): any of them may be the wrong one, all are asked about.
            for key in involved:
                candidates[key].confidence = min(candidates[key].confidence, 0.85)
        # Otherwise the doubtful lines explain the failure: the lines that three readers agreed
        # on (or two, and an exact relation that holds) stay; the observer types the doubtful
        # ones and the review re-checks the relation with what was typed. Two readers alone,
        # however sure, are doubtful here: both can lose a leading "1" to a crease or a rule.


# --- the interface ---------------------------------------------------------------------------


def recognize_sync(images: Sequence[bytes], form: ProtocolForm) -> RecognizedProtocol:
    """Every line of the form with a value (or None), a confidence and the crop of its cell."""
    started = time.perf_counter()
    merged: dict[str, _Candidate] = {}
    problems: list[PageProblem] = []
    pages_disagree = False
    precinct: int | None = None  # as the first page whose header was read prints it
    decoded = 0  # pixels the pages read so far cost to decode
    for number, image in enumerate(images, 1):
        cost = decode_cost(image)
        if number > PROTOCOL_PAGES or decoded + cost > PROTOCOL_DECODE_BUDGET:
            problems.append(PageProblem(page=number, code="over-budget"))
            continue
        decoded += cost
        try:
            page, page_precinct = read_page(image, form)
        except ImageRejected as rejection:
            problems.append(PageProblem(page=number, code=rejection.problem.value))
            continue
        except NotAProtocol as error:
            problems.append(PageProblem(page=number, code="not-a-protocol", detail=str(error)))
            continue
        except NoTable as error:
            problems.append(PageProblem(page=number, code="no-table", detail=str(error)))
            continue
        except Exception:  # a reader crashing on a strange image must not reach the observer
            log.exception("page %s: recognition failed", number)
            problems.append(PageProblem(page=number, code="failed"))
            continue
        differing = [
            key
            for key, candidate in page.items()
            if key in merged
            and min(candidate.confidence, merged[key].confidence) >= CONFIDENT
            and candidate.value != merged[key].value
        ]
        if page_precinct is not None and precinct is not None and page_precinct != precinct:
            # Two headers naming two precincts: two protocols, whatever the figures say.
            problems.append(
                PageProblem(
                    page=number,
                    code="pages-disagree",
                    detail=f"precinct {precinct}, then {page_precinct}",
                )
            )
            pages_disagree = True
        elif len(differing) >= PAGES_DISAGREE_LINES:
            # Two lines read surely and differently: not two photos of one protocol.
            problems.append(
                PageProblem(page=number, code="pages-disagree", detail=", ".join(sorted(differing)))
            )
            pages_disagree = True
        precinct = precinct if precinct is not None else page_precinct
        for candidate in page.values():
            candidate.page = number
        _merge(merged, page)
    _score_with_checks(form, merged)
    if pages_disagree:
        # Which protocol a figure came from is unknown: every line is typed by the observer.
        for candidate in merged.values():
            candidate.confidence = min(candidate.confidence, ROW_UNSURE_CONFIDENCE)
            candidate.row_sure = False
    lines = []
    for line in form.lines:
        candidate = merged.get(line.key)
        if candidate is None:
            lines.append(RecognizedLine(key=line.key, line=line.line))
        else:
            lines.append(
                RecognizedLine(
                    key=line.key,
                    line=line.line,
                    value=candidate.value,
                    confidence=round(candidate.confidence, 3),
                    crop=candidate.crop,
                    row_sure=candidate.row_sure,
                    page=candidate.page,
                )
            )
    return RecognizedProtocol(
        lines=tuple(lines),
        engine="tesseract+rapidocr",
        problems=tuple(problems),
        precinct=precinct,
        seconds=round(time.perf_counter() - started, 3),
    )
