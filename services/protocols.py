"""Protocols: reading typed figures, checking them, storing versions."""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models.election import Election, Severity
from models.tables import ProtocolRow
from ocr.result import CONFIDENT, RecognizedProtocol
from services.personal_data import PersonalDataCipher
from services.precinct_results import ResultStatus, refresh_precinct_result
from services.protocol_checks import check_figures

VERSION_ATTEMPTS = 5
# More than any precinct's protocol can hold (8 digits): a slip of the finger, not a figure.
MAX_COUNT = 9_999_999
# Spaces people and phones put between thousands: ordinary, no-break, thin, narrow no-break.
_GROUPING = re.compile(r"[ \u00a0\u2009\u202f]")


class CountProblem(StrEnum):
    NOT_A_NUMBER = "not-a-number"
    NEGATIVE = "negative"
    TOO_LARGE = "too-large"


class CountRejected(ValueError):
    def __init__(self, problem: CountProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


_ASCII_DIGITS = re.compile(r"[0-9]+")


def parse_count(typed: str) -> int:
    """A figure as an observer types it: '1 234', '1234' or with thin spaces; ASCII digits only
    ('²' or '①' are digits to Python, not to a protocol). A figure that breaks a control relation
    (more issued than voters: ballot stuffing) is taken: the review shows the failing check and the
    protocol is flagged. A violation is recorded, never prevented."""
    text = _GROUPING.sub("", typed.strip())
    if text.startswith("-") and _ASCII_DIGITS.fullmatch(text[1:]):
        raise CountRejected(CountProblem.NEGATIVE)
    if not _ASCII_DIGITS.fullmatch(text):
        raise CountRejected(CountProblem.NOT_A_NUMBER)
    value = int(text)
    if value > MAX_COUNT:
        raise CountRejected(CountProblem.TOO_LARGE)
    return value


class ColumnRejected(ValueError):
    """All figures typed at once, refused: how many were found (when the count is wrong), or
    which line holds something that is not a figure."""

    def __init__(
        self, found: int, line: int | None = None, problem: CountProblem | None = None
    ) -> None:
        super().__init__(f"{found} figures" if line is None else f"line {line}: {problem}")
        self.found = found
        self.line = line
        self.problem = problem


# "7. 300", "7) 300", "7: 300": the line's number typed before its figure.
_NUMBERED = re.compile(r"^\s*\d{1,2}\s*[.):]\s+(\S.*)$")
_SEPARATORS = re.compile(r"[\s,;]+")


def parse_column(typed: str, expected: int) -> list[int]:
    """A protocol's figures typed in one message, in the order of its lines: one per line of the
    message (where a figure may group its thousands, '1 234', and follow its line's number,
    '7. 300'), or all on one line separated by spaces, commas or semicolons. The count must be
    exactly the form's: a figure missing or extra would shift every line after it."""
    lines = [line.strip() for line in typed.splitlines() if line.strip()]
    if len(lines) == 1 and expected > 1:
        tokens = [token for token in _SEPARATORS.split(lines[0]) if token]
    else:
        tokens = [(_NUMBERED.match(line) or [line, line])[1] for line in lines]
    if len(tokens) != expected:
        raise ColumnRejected(len(tokens))
    figures = []
    for index, token in enumerate(tokens):
        try:
            figures.append(parse_count(token))
        except CountRejected as rejection:
            raise ColumnRejected(len(tokens), index + 1, rejection.problem) from None
    return figures


@dataclass(frozen=True)
class ToConfirm:
    """What the observer is asked after a reading: the figures read, and which lines they must
    confirm or type, in the form's order."""

    figures: dict[str, int]
    doubtful: list[str]  # unread, unsure, or from a row that may be another line's
    other_row: list[str]  # of those, the read ones whose row may be another line's
    crops: dict[str, str]  # base64 JPEG of a doubtful line's row, as the dialog keeps it
    crop_pages: dict[str, int]  # a doubtful line with no crop: the page it is on
    read: int
    unread: int

    @property
    def unsure(self) -> int:
        """Read, but asked."""
        return len(self.doubtful) - self.unread


def to_confirm(recognized: RecognizedProtocol) -> ToConfirm:
    """A figure is pre-filled only when it was read surely from a row that is its line by its
    label; every other line is asked. A figure from a row that may be another line's is never
    offered for a one-tap "that's right": the observer types it."""
    lines = recognized.lines
    doubtful = [
        line.key
        for line in lines
        if line.value is None or line.confidence < CONFIDENT or not line.row_sure
    ]
    read = sum(1 for line in lines if line.value is not None)
    return ToConfirm(
        figures={line.key: line.value for line in lines if line.value is not None},
        doubtful=doubtful,
        other_row=[line.key for line in lines if line.value is not None and not line.row_sure],
        # Only the doubtful lines' crops go into the dialog state (a few KB each).
        crops={
            line.key: base64.b64encode(line.crop).decode()
            for line in lines
            if line.key in doubtful and line.crop
        },
        crop_pages={
            line.key: line.page
            for line in lines
            if line.key in doubtful and not line.crop and line.page is not None
        },
        read=read,
        unread=len(lines) - read,
    )


def header_precinct_differs(recognition: Mapping[str, Any] | None, chosen: int) -> int | None:
    """The precinct number the protocol's header prints, as OCR read it, when it is not the
    precinct the observer chose (a neighbour's protocol photographed by mistake); else None.
    Only a warning: a misread header must not stop an honest protocol."""
    read = (recognition or {}).get("precinct")
    return read if isinstance(read, int) and read != chosen else None


class ProtocolStatus(StrEnum):
    RECEIVED = "received"
    FLAGGED = "flagged"  # fails a hard check or differs from an earlier version: coordinators look
    VERIFIED = "verified"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Submitted:
    version: int
    status: ProtocolStatus
    differences: list[tuple[str, int | None, int | None]]  # (key, earlier, now)
    # The precinct's master record after this copy: "conflict" when another observer's differs.
    result: ResultStatus = ResultStatus.COUNTED

    @property
    def needs_coordinator(self) -> bool:
        return self.status is ProtocolStatus.FLAGGED or self.result is ResultStatus.CONFLICT


class ProtocolService:
    def __init__(self, session: AsyncSession, cipher: PersonalDataCipher) -> None:
        self.session = session
        self.cipher = cipher

    async def latest(
        self, election: str, level: str, precinct_id: int, observer_id: int | None = None
    ) -> ProtocolRow | None:
        """The newest version of a precinct's protocol (by one observer, if named)."""
        query = select(ProtocolRow).where(
            ProtocolRow.election == election,
            ProtocolRow.level == level,
            ProtocolRow.precinct_id == precinct_id,
        )
        if observer_id is not None:
            query = query.where(ProtocolRow.observer_id == observer_id)
        result = await self.session.execute(query.order_by(ProtocolRow.version.desc()).limit(1))
        return result.scalar_one_or_none()

    async def submit(
        self,
        election: Election,
        level: str,
        precinct_id: int,
        observer_id: int,
        figures: dict[str, int],
        photos: list[dict[str, str]],
        typed: list[str],
        reason: str | None,
        recognition: dict | None = None,
    ) -> Submitted:
        """Stores a new version. Never fixes a figure: failed hard checks need a reason and flag
        the protocol for coordinators; so does a difference from the previous version."""
        results = check_figures(election, figures)
        hard = [r.id for r in results if not r.ok and r.severity is Severity.HARD]
        soft = [r.id for r in results if not r.ok and r.severity is Severity.SOFT]
        if hard and not (reason and reason.strip()):
            raise ValueError("figures failing a hard check need the observer's reason")
        # Differences from this observer's own earlier copy; another observer's differing copy
        # puts the precinct in conflict instead (services.precinct_results).
        previous = await self.latest(election.slug, level, precinct_id, observer_id=observer_id)
        differences = []
        if previous is not None:
            for key in sorted(set(previous.figures) | set(figures)):
                if previous.figures.get(key) != figures.get(key):
                    differences.append((key, previous.figures.get(key), figures.get(key)))
        status = ProtocolStatus.FLAGGED if hard or differences else ProtocolStatus.RECEIVED
        for attempt in range(VERSION_ATTEMPTS):
            latest = await self.latest(election.slug, level, precinct_id)
            version = (latest.version if latest else 0) + 1
            row = ProtocolRow(
                election=election.slug,
                level=level,
                precinct_id=precinct_id,
                observer_id=observer_id,
                version=version,
                figures=dict(figures),
                photos=list(photos),
                recognition=recognition,
                typed=list(typed),
                hard_failures=hard,
                hard_checks_pass=not hard,
                soft_failures=soft,
                reason_encrypted=self.cipher.encrypt(reason.strip()) if hard and reason else None,
                status=status.value,
            )
            try:
                async with self.session.begin_nested():
                    self.session.add(row)
            except IntegrityError:
                # Another observer of this precinct took this version number a moment ago (on
                # PostgreSQL, where two updates run at once): the next number is ours.
                if attempt == VERSION_ATTEMPTS - 1:
                    raise
                continue
            break
        result = await refresh_precinct_result(self.session, election.slug, level, precinct_id)
        return Submitted(version, status, differences, ResultStatus(result.status))

    async def of_observer(self, observer_id: int) -> list[ProtocolRow]:
        result = await self.session.execute(
            select(ProtocolRow)
            .where(ProtocolRow.observer_id == observer_id)
            .order_by(ProtocolRow.created_at)
        )
        return list(result.scalars())
