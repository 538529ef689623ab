"""What the protocol dialog asks of OCR and gets back: `recognize(images, form)` and the
result types. Light on purpose: OpenCV, ONNX Runtime and Tesseract load only where recognition
runs (ocr.recognition, in the pool thread or the worker process), not in every bot process."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from models.election import Check, Election, FormLine

# At or above this, the dialog pre-fills the line without asking about it.
CONFIDENT = 0.9
# Pages one protocol may have: a final protocol is one to four pages; the dialog takes no more.
PROTOCOL_PAGES = 10
# Pixels all of a protocol's pages may cost to decode together (six pages at the per-page
# limit of ocr.images, or ten 12 MP photos sent as files): the pages after it are not read.
PROTOCOL_DECODE_BUDGET = 150_000_000


@dataclass(frozen=True)
class ProtocolForm:
    """What recognition needs of an election's form for one level."""

    election: str
    level: str
    lines: tuple[FormLine, ...]
    labels: dict[str, tuple[str, ...]]  # key → its label in each language
    checks: tuple[Check, ...] = ()

    def line(self, key: str) -> FormLine:
        return next(line for line in self.lines if line.key == key)


def protocol_form(election: Election, level: str) -> ProtocolForm:
    lines = tuple(election.form_for(level))
    labels = {
        line.key: tuple(dict.fromkeys(election.label(line, locale) for locale in ("kk", "ru")))
        for line in lines
    }
    return ProtocolForm(election.slug, level, lines, labels, tuple(election.checks))


class RecognizedLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    line: int | None = None
    value: int | None = None
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    # Whether the row this value came from is this line by its label (not by its number alone).
    # When it is not, the observer is never offered a one-tap "✅ that's right": the figure may
    # belong to another line.
    row_sure: bool = True
    # The row (label and value) as JPEG, for the observer to compare with what was read; None
    # when no figure was found in its cell. Not stored.
    crop: bytes | None = Field(default=None, exclude=True, repr=False)
    page: int | None = None  # the page (1-based) it was read on: shown when there is no crop


# Every PageProblem code; the dialog explains each in the observer's language.
PROBLEM_CODES = (
    "not-an-image",
    "damaged",
    "too-small",
    "too-large",
    "over-budget",
    "no-table",
    "not-a-protocol",
    "pages-disagree",
    "failed",
    "timeout",
)


class PageProblem(BaseModel):
    """Why a page (or the whole reading) gave nothing: not-an-image, damaged, too-small,
    too-large, over-budget (the protocol's earlier pages used up what a protocol may cost, or it
    has more pages than a protocol has), no-table, not-a-protocol, pages-disagree (this page and
    an earlier one cannot be the same protocol), failed; or, with no page, timeout or failed."""

    model_config = ConfigDict(frozen=True)

    page: int | None
    code: str
    detail: str = ""

    def __str__(self) -> str:
        where = f"page {self.page}: " if self.page is not None else ""
        return where + self.code + (f" ({self.detail})" if self.detail else "")


class RecognizedProtocol(BaseModel):
    model_config = ConfigDict(frozen=True)

    lines: tuple[RecognizedLine, ...]
    engine: str
    # Why a page could not be read (not an image, no table found), one per page that failed.
    problems: tuple[PageProblem, ...] = ()
    # The precinct number printed in the header, when two readers agreed on it (the dialog
    # warns when it is not the precinct the observer chose).
    precinct: int | None = None
    seconds: float = 0.0

    @property
    def anything_read(self) -> bool:
        return any(line.value is not None for line in self.lines)

    def line(self, key: str) -> RecognizedLine:
        return next(line for line in self.lines if line.key == key)


async def recognize(images: Sequence[bytes], form: ProtocolForm) -> RecognizedProtocol:
    """Off the event loop, through the OCR task queue (ocr.tasks)."""
    from ocr.tasks import run_recognition

    return await run_recognition(list(images), form)
