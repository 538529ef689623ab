"""The two readers: Tesseract (rus+kaz text; digits with a whitelist) and RapidOCR's recogniser
(PP-OCRv4, its ONNX model inside the pinned wheel: nothing is downloaded at run time)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

# Tesseract's own threads made it 2-10x slower on 2 cores; parallelism comes from the pool.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import pytesseract

TEXT_LANGUAGES = "rus+kaz"
_NOT_LATIN_OR_CYRILLIC = re.compile(r"[^\x20-\x7e\u0400-\u04ff]")


@dataclass(frozen=True)
class Reading:
    text: str
    confidence: float  # 0..1, the reader's own

    @property
    def digits(self) -> int | None:
        """The number, when the text is digits only (spaces allowed, as in "1 234")."""
        compact = re.sub(r"\s+", "", self.text)
        return (
            int(compact) if compact.isascii() and compact.isdigit() and len(compact) <= 7 else None
        )


@lru_cache(maxsize=1)
def _rapid():
    from rapidocr_onnxruntime import RapidOCR

    # One intra-op thread per recogniser: the pool runs pages side by side instead.
    return RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1, rec_batch_num=32)


def rapid_lines(images: list[np.ndarray]) -> list[Reading]:
    """One line of text per image (cells), recognised in one batch."""
    if not images:
        return []
    batch = [
        cv2.cvtColor(image, cv2.COLOR_GRAY2BGR) if image.ndim == 2 else image for image in images
    ]
    results, _ = _rapid().text_rec(batch)
    # The model reads Chinese too: a stamp's edge or a stroke may come out as 個 or 。
    return [
        Reading(_NOT_LATIN_OR_CYRILLIC.sub("", str(text)).strip(), float(score))
        for text, score in results
    ]


def tesseract_cell(image: np.ndarray) -> Reading:
    """One cell as a single line of digits: slower per cell than a column, so kept for the cells
    the other readers disagree on."""
    padded = cv2.copyMakeBorder(image, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=255)
    data = pytesseract.image_to_data(
        padded,
        lang="eng",
        config="--psm 7 -c tessedit_char_whitelist=0123456789",
        output_type=pytesseract.Output.DICT,
    )
    words = [
        (str(text).strip(), float(conf))
        for text, conf in zip(data["text"], data["conf"], strict=True)
        if str(text).strip()
    ]
    if not words:
        return Reading("", 0.0)
    return Reading(" ".join(text for text, _ in words), min(conf for _, conf in words) / 100)


def tesseract_rows(
    strip: np.ndarray, rows: list[tuple[int, int]], *, digits: bool
) -> list[Reading]:
    """Reads a column strip once and gives each row the words whose centre falls in it."""
    config = "--psm 6 -c tessedit_char_whitelist=0123456789" if digits else "--psm 6"
    data = pytesseract.image_to_data(
        strip,
        lang="eng" if digits else TEXT_LANGUAGES,
        config=config,
        output_type=pytesseract.Output.DICT,
    )
    words: list[list[tuple[tuple[int, ...], str, float]]] = [[] for _ in rows]
    for index in range(len(data["text"])):
        text, confidence = str(data["text"][index]).strip(), float(data["conf"][index])
        if not text or confidence < 0:
            continue
        centre = data["top"][index] + data["height"][index] / 2
        # Reading order: a label or a words cell may wrap onto a second line.
        order = (
            data["block_num"][index],
            data["par_num"][index],
            data["line_num"][index],
            data["word_num"][index],
        )
        for row, (y0, y1) in enumerate(rows):
            if y0 <= centre < y1:
                words[row].append((order, text, confidence / 100))
                break
    readings = []
    for row_words in words:
        row_words.sort()
        text = " ".join(word for _, word, _ in row_words)
        confidence = min((conf for _, _, conf in row_words), default=0.0)
        readings.append(Reading(text, confidence))
    return readings
