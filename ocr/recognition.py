"""The one interface the protocol dialog uses to read a protocol's figures from its pages.

Until the OCR engine lands (the OCR issue: Tesseract and a second digit reader, off the event
loop), nothing is recognised: every line comes back without a value and with confidence 0, and
the observer types each line. The dialog, the storage of the raw result and the review are
already wired to this interface, so the engine only has to fill it in.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from models.election import FormLine


class RecognizedLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    value: int | None = None
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)


class RecognizedProtocol(BaseModel):
    model_config = ConfigDict(frozen=True)

    lines: tuple[RecognizedLine, ...]
    engine: str

    @property
    def anything_read(self) -> bool:
        return any(line.value is not None for line in self.lines)


async def recognize(images: Sequence[bytes], form: Sequence[FormLine]) -> RecognizedProtocol:
    """A value and a confidence for every line of the form, read from the page images."""
    return RecognizedProtocol(lines=tuple(RecognizedLine(key=line.key) for line in form), engine="none")
