"""The two readers: Tesseract (rus+kaz text; digits with a whitelist) and RapidOCR's recogniser
(PP-OCRv4, its ONNX model inside the pinned wheel: nothing is downloaded at run time).

Tesseract runs in this process through its library (tesserocr), each language model loaded once
per thread: a `tesseract` process per call loaded the model again every time, about a fifth of
a page's CPU."""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import cv2
import numpy as np

# Tesseract's own threads made it 2-10x slower on 2 cores; parallelism comes from the pool.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import tesserocr

from ocr.engine import tessdata_path

TEXT_LANGUAGES = "rus+kaz"
DIGITS = "0123456789"
# What a column holds: words (labels, amounts in words) or figures.
ColumnKind = Literal["text", "digits"]
_NOT_LATIN_OR_CYRILLIC = re.compile(r"[^\x20-\x7e\u0400-\u04ff]")


# Marks around a figure that are never a digit's shape: a full stop or a colon after it, a dash
# or a speck before it (RapidOCR reads a pen's full stop and a rule's remnant as such). A stroke
# that may be a 1 or a 7 (/ | ! ( ) l) is not one of them: such a figure stays unread rather than
# short of a digit.
_AROUND_A_FIGURE = ".,:;*-\u2013\u2014'\"`_~\u00b0"


@dataclass(frozen=True)
class Reading:
    text: str
    confidence: float  # 0..1, the reader's own

    @property
    def digits(self) -> int | None:
        """The number, when the text is digits only (spaces allowed, as in "1 234"; marks that
        are never digits allowed around it, as in "97." or "-120", never inside: "4.58")."""
        compact = re.sub(r"\s+", "", self.text).strip(_AROUND_A_FIGURE)
        return (
            int(compact) if compact.isascii() and compact.isdigit() and len(compact) <= 7 else None
        )


@lru_cache(maxsize=1)
def _rapid():
    """RapidOCR's recogniser alone: its text detector and angle classifier (two more ONNX
    sessions that RapidOCR() builds) are never used here, since the cells are already cut."""
    from rapidocr_onnxruntime.ch_ppocr_rec import TextRecognizer
    from rapidocr_onnxruntime.main import (
        DEFAULT_CFG_PATH,
        UpdateParameters,
        read_yaml,
        update_model_path,
    )

    config = update_model_path(read_yaml(DEFAULT_CFG_PATH))
    # One intra-op thread per recogniser: the pool runs pages side by side instead.
    config = UpdateParameters()(
        config, intra_op_num_threads=1, inter_op_num_threads=1, rec_batch_num=32
    )
    return TextRecognizer(config["Rec"])


def rapid_lines(images: list[np.ndarray]) -> list[Reading]:
    """One line of text per image (cells), recognised in one batch."""
    if not images:
        return []
    batch = [
        cv2.cvtColor(image, cv2.COLOR_GRAY2BGR) if image.ndim == 2 else image for image in images
    ]
    results, _ = _rapid()(batch)
    # The model reads Chinese too: a stamp's edge or a stroke may come out as 個 or 。
    return [
        Reading(_NOT_LATIN_OR_CYRILLIC.sub("", str(text)).strip(), float(score))
        for text, score in results
    ]


_engines = threading.local()


def _tesseract(languages: str, mode: tesserocr.PSM, whitelist: str = "") -> tesserocr.PyTessBaseAPI:
    """This thread's Tesseract for these languages and page mode (an engine is not thread-safe;
    the OCR pool runs one page per thread)."""
    cache = _engines.__dict__.setdefault("by_kind", {})
    key = (languages, mode, whitelist)
    if key not in cache:
        engine = tesserocr.PyTessBaseAPI(path=tessdata_path(), lang=languages, psm=mode)
        if whitelist:
            engine.SetVariable("tessedit_char_whitelist", whitelist)
        cache[key] = engine
    return cache[key]


def _words(
    engine: tesserocr.PyTessBaseAPI, image: np.ndarray
) -> list[tuple[str, float, tuple[int, int, int, int]]]:
    """(text, confidence 0..1, box) of every word Tesseract reads in a grey image, in reading
    order."""
    image = np.ascontiguousarray(image)
    height, width = image.shape[:2]
    engine.SetImageBytes(image.tobytes(), width, height, 1, width)
    engine.Recognize()
    words: list[tuple[str, float, tuple[int, int, int, int]]] = []
    iterator = engine.GetIterator()
    if iterator is None:  # nothing on the image
        return words
    for word in tesserocr.iterate_level(iterator, tesserocr.RIL.WORD):
        try:
            text = (word.GetUTF8Text(tesserocr.RIL.WORD) or "").strip()
        except RuntimeError:  # an empty word: tesserocr raises instead of returning ""
            continue
        confidence = word.Confidence(tesserocr.RIL.WORD)
        if text and confidence >= 0:
            words.append((text, confidence / 100, word.BoundingBox(tesserocr.RIL.WORD)))
    return words


def tesseract_words(image: np.ndarray) -> list[tuple[str, float, tuple[int, int, int, int]]]:
    """(text, confidence 0..1, box) of each word of a block of Russian or Kazakh text (a page's
    header), in reading order."""
    return _words(_tesseract(TEXT_LANGUAGES, tesserocr.PSM.SINGLE_BLOCK), image)


def tesseract_cell(image: np.ndarray) -> Reading:
    """One cell as a single line of digits: slower per cell than a column, so kept for the cells
    the other readers disagree on."""
    padded = cv2.copyMakeBorder(image, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=255)
    words = _words(_tesseract("eng", tesserocr.PSM.SINGLE_LINE, DIGITS), padded)
    if not words:
        return Reading("", 0.0)
    return Reading(" ".join(text for text, _, _ in words), min(conf for _, conf, _ in words))


def tesseract_rows(
    strip: np.ndarray, rows: list[tuple[int, int]], *, read: ColumnKind
) -> list[Reading]:
    """Reads a column strip once and gives each row the words whose centre falls in it, in
    reading order (a label or a words cell may wrap onto a second line)."""
    engine = (
        _tesseract(TEXT_LANGUAGES, tesserocr.PSM.SINGLE_BLOCK)
        if read == "text"
        else _tesseract("eng", tesserocr.PSM.SINGLE_BLOCK, DIGITS)
    )
    by_row: list[list[tuple[str, float]]] = [[] for _ in rows]
    for text, confidence, (_, top, _, bottom) in _words(engine, strip):
        centre = (top + bottom) / 2
        for row, (y0, y1) in enumerate(rows):
            if y0 <= centre < y1:
                by_row[row].append((text, confidence))
                break
    return [
        Reading(
            " ".join(text for text, _ in row_words),
            min((confidence for _, confidence in row_words), default=0.0),
        )
        for row_words in by_row
    ]
