"""Finding the protocol's table in a page image: the page, its perspective, the light, the ruled
lines, the rows and the columns (OpenCV)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import cv2
import numpy as np

TABLE_WIDTH = 1400
PALE = 180  # the table is warped to this width; rows come out 50-80 px high


@dataclass(frozen=True)
class Table:
    image: np.ndarray  # the table, flattened, light-normalised, grey
    rows: list[tuple[int, int]]  # y ranges between ruled lines
    columns: list[tuple[int, int]]  # x ranges between ruled lines
    # The page above the table, as wide as the table (where a protocol prints its precinct);
    # None when the table starts at the photo's top edge.
    above: np.ndarray | None = None


class NoTable(Exception):
    """No ruled table was found: not a protocol, or too blurred or cut off to read."""


def normalise_light(grey: np.ndarray) -> np.ndarray:
    """Divides out the background (shadows, uneven light): paper becomes white everywhere."""
    size = max(31, (min(grey.shape) // 20) | 1)
    background = cv2.morphologyEx(
        grey, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    )
    background = cv2.GaussianBlur(background, (0, 0), size / 4)
    return cv2.divide(grey, np.maximum(background, 1), scale=255)


def _line_masks(grey: np.ndarray, fraction: int = 25) -> tuple[np.ndarray, np.ndarray]:
    binary = cv2.adaptiveThreshold(
        grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 12
    )
    height, width = grey.shape
    horizontal = cv2.morphologyEx(
        binary,
        cv2.MORPH_OPEN,
        cv2.getStructuringElement(cv2.MORPH_RECT, (max(width // fraction, 10), 1)),
    )
    vertical = cv2.morphologyEx(
        binary,
        cv2.MORPH_OPEN,
        cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(height // fraction, 10))),
    )
    return horizontal, vertical


def _order(points: np.ndarray) -> np.ndarray:
    """Top-left, top-right, bottom-right, bottom-left."""
    points = points.reshape(4, 2).astype(np.float32)
    sums, differences = points.sum(axis=1), np.diff(points, axis=1).ravel()
    return np.array(
        [
            points[np.argmin(sums)],
            points[np.argmin(differences)],
            points[np.argmax(sums)],
            points[np.argmax(differences)],
        ]
    )


def _grid_corners(grey: np.ndarray, creases: bool = False) -> list[np.ndarray]:
    """The four corners of the largest ruled grid, then of each other grid at least a third its
    size (a form printed as two tables side by side), largest first. Looked for at a fixed
    scale with short line kernels, so a grid photographed at an angle (its lines not quite
    horizontal) still joins up. `creases`: pale lines are left out first (a page folded and
    scanned flat)."""
    scale = 1000 / grey.shape[1]
    small = cv2.resize(
        grey, (1000, max(int(grey.shape[0] * scale), 1)), interpolation=cv2.INTER_AREA
    )
    binary = cv2.adaptiveThreshold(
        small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 21, 10
    )
    horizontal = cv2.morphologyEx(
        binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (25, 1))
    )
    vertical = cv2.morphologyEx(
        binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 25))
    )
    if creases:
        horizontal = _without_creases(horizontal, small)
        vertical = _without_creases(vertical, small)
    grid = cv2.dilate(cv2.bitwise_or(horizontal, vertical), np.ones((5, 5), np.uint8))
    contours, _ = cv2.findContours(grid, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    contours = sorted(contours, key=cv2.contourArea, reverse=True)
    if not contours or cv2.contourArea(contours[0]) < MIN_GRID * small.shape[0] * small.shape[1]:
        return []
    largest = cv2.contourArea(contours[0])
    return [
        _corners(contour) / scale
        for contour in contours
        if cv2.contourArea(contour) >= OTHER_GRID * largest
    ]


CREASE_PALE = 150  # mean grey of a ruled line's pixels at or above which it is a fold, not print


def _without_creases(lines: np.ndarray, grey: np.ndarray) -> np.ndarray:
    """The line mask without the creases of a page folded and scanned flat: pale lines that run
    on past the table and, joined to its rules, made one shape with no table's corners. Judged
    per line found (a printed rule under glare is pale only in part)."""
    count, labels = cv2.connectedComponents((lines > 0).astype(np.uint8))
    if count <= 1:
        return lines
    flat = labels.ravel()
    sizes = np.bincount(flat, minlength=count)
    darkness = np.bincount(flat, weights=grey.ravel().astype(np.float64), minlength=count)
    pale = darkness / np.maximum(sizes, 1) >= CREASE_PALE
    pale[0] = False
    if not pale.any():
        return lines
    cleaned = lines.copy()
    cleaned[pale[labels]] = 0
    return cleaned


MIN_GRID = 0.08  # of the image: a smaller largest grid is no table
OTHER_GRID = 0.35  # of the largest grid: another table of the form beside it


def _corners(contour: np.ndarray) -> np.ndarray:
    hull = cv2.convexHull(contour)
    for epsilon in (0.02, 0.03, 0.05, 0.08):
        approx = cv2.approxPolyDP(hull, epsilon * cv2.arcLength(hull, True), True)
        if len(approx) == 4:
            return _order(approx)
    return _order(cv2.boxPoints(cv2.minAreaRect(contour)))


def _positions(profile: np.ndarray, threshold: float, min_gap: int) -> list[int]:
    """Centres of the runs where a projection profile is above threshold."""
    above = profile > threshold
    positions, start = [], None
    for index, flag in enumerate(above):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            positions.append((start + index - 1) // 2)
            start = None
    if start is not None:
        positions.append((start + len(above) - 1) // 2)
    merged: list[int] = []
    for position in positions:
        if merged and position - merged[-1] < min_gap:
            merged[-1] = (merged[-1] + position) // 2
        else:
            merged.append(position)
    return merged


def _flatten(grey: np.ndarray, corners: np.ndarray) -> np.ndarray:
    top_width = np.linalg.norm(corners[1] - corners[0])
    side_height = np.linalg.norm(corners[3] - corners[0])
    if top_width < 200 or side_height < 150:
        raise NoTable("table too small")
    height = int(TABLE_WIDTH * side_height / top_width)
    margin = 6
    target = np.array(
        [
            [margin, margin],
            [TABLE_WIDTH - margin, margin],
            [TABLE_WIDTH - margin, height - margin],
            [margin, height - margin],
        ],
        np.float32,
    )
    warp = cv2.getPerspectiveTransform(corners, target)
    return cv2.warpPerspective(
        grey, warp, (TABLE_WIDTH, height), flags=cv2.INTER_CUBIC, borderValue=255
    )


OPEN_COLUMN = 60  # px of row lines past the last column line that make one more column


def _open_ends(column_lines: list[int], horizontal: np.ndarray, row_lines: int) -> list[int]:
    """A table cut off at the photo's edge has no ruled line on that side, but its rows' lines
    run on past the last column line: where they end is that column's edge."""
    if not column_lines or row_lines < 3:
        return column_lines
    # x positions where the row lines' pixels are at least half as many as the row lines (a
    # line is a few pixels thick): a stray stroke or a single line does not count
    crossed = np.flatnonzero((horizontal > 0).sum(axis=0) >= row_lines // 2)
    if crossed.size == 0:
        return column_lines
    left, right = int(crossed[0]), int(crossed[-1])
    ends = list(column_lines)
    if right - ends[-1] >= OPEN_COLUMN:
        ends.append(right)
    if ends[0] - left >= OPEN_COLUMN:
        ends.insert(0, left)
    return ends


def find_tables(grey: np.ndarray) -> list[Table]:
    """The page's ruled tables, largest first: one, or the form's two side by side, or the form's
    and another (the members who signed). Raises NoTable when there is none. Only when none is
    found are pale lines left out and the page looked at again: a photo's rules can be as pale
    as a crease, and leaving them out always lost tables that were there."""
    light = normalise_light(grey)
    try:
        return _tables(light, creases=False)
    except NoTable as error:
        try:
            return _tables(light, creases=True)
        except NoTable:
            raise error from None


def _tables(light: np.ndarray, creases: bool) -> list[Table]:
    found = _grid_corners(light, creases)
    if not found:
        raise NoTable("no ruled table")
    pieces: list[tuple[np.ndarray, np.ndarray | None]] = []
    for corners in found:
        flat = _flatten(light, corners)
        # The largest grid may have been the page's own edge against the desk: look again
        # inside it.
        inner = flat.copy()
        # Wide enough to drop the page's own edge, which a table cut off at that edge would join.
        border = max(12, flat.shape[1] // 50)
        inner[:border, :] = inner[-border:, :] = 255
        inner[:, :border] = inner[:, -border:] = 255
        inside = _grid_corners(inner, creases)
        area = inner.shape[0] * inner.shape[1]
        # Tables fill most of what was flattened; a page leaves its header and signatures
        # around them.
        covered = sum(cv2.contourArea(c.reshape(-1, 1, 2)) for c in inside)
        if inside and 0.2 * area < covered < 0.7 * area and not _rows_edge_to_edge(flat):
            pieces += [(_flatten(flat, c), _above(flat, c)) for c in inside]
        else:
            pieces.append((flat, _above(light, corners)))
    tables, first_error = [], None
    for image, above in pieces:
        try:
            tables.append(_ruled(image, above))
        except NoTable as error:
            first_error = first_error or error
    if not tables:
        raise first_error or NoTable("no ruled table")
    return tables


def _rows_edge_to_edge(flat: np.ndarray) -> bool:
    """Whether what was flattened is a table itself: three or more of its row lines run from its
    left edge to its right edge (a page's margins stop them short). A small table's own grid,
    its border cleared, can cover as little of it as a page's table covers the page."""
    horizontal, _ = _line_masks(flat, fraction=6)
    edge = max(8, flat.shape[1] // 30)
    rows = _positions(horizontal.sum(axis=1) / 255, flat.shape[1] * 0.35, min_gap=18)
    reaching = 0
    for y in rows:
        band = horizontal[max(0, y - 3) : y + 4]
        if band[:, :edge].any() and band[:, -edge:].any():
            reaching += 1
    return reaching >= 3


def _ruled(table: np.ndarray, above: np.ndarray | None) -> Table:
    """A flattened table's rows and columns, from its ruled lines."""
    # After the light is normalised, print and pen are darker than this and a stamp's blue (pale
    # in the brightest channel) is lighter: the stamp goes, the figures under it stay.
    table = np.where(table > PALE, 255, table).astype(np.uint8)
    height = table.shape[0]
    horizontal, vertical = _line_masks(table, fraction=6)
    row_lines = _positions(horizontal.sum(axis=1) / 255, TABLE_WIDTH * 0.35, min_gap=18)
    column_lines = _positions(vertical.sum(axis=0) / 255, height * 0.35, min_gap=25)
    column_lines = _open_ends(column_lines, horizontal, len(row_lines))
    rows = [(a, b) for a, b in itertools.pairwise(row_lines) if b - a >= 20]
    columns = [(a, b) for a, b in itertools.pairwise(column_lines) if b - a >= 25]
    if len(rows) < 3 or len(columns) < 2:
        raise NoTable(f"{len(rows)} rows, {len(columns)} columns")
    return Table(table, rows, columns, above)


ABOVE = 0.3  # how far above the table the header is looked for, in table widths


def _above(image: np.ndarray, corners: np.ndarray) -> np.ndarray | None:
    """The band of the page just above the table's top edge, across the whole image (a header
    is centred on the page, over one table or between two). A photo at a slight angle is read
    as it is: Tesseract takes a few degrees."""
    width = max(corners[1][0], corners[2][0]) - min(corners[0][0], corners[3][0])
    bottom = int(min(corners[0][1], corners[1][1])) - 4
    top = max(0, bottom - int(ABOVE * width))
    if bottom - top < 20 or width < 200:
        return None
    return image[top:bottom, :]


def cell(table: Table, row: tuple[int, int], column: tuple[int, int], inset: int = 5) -> np.ndarray:
    (top, bottom), (left, right) = row, column
    return table.image[top + inset : bottom - inset + 1, left + inset : right - inset + 1]
