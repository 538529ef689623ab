"""What a dialog has gathered so far, one typed model per journey, stored with the dialog state.

A draft outlives a deploy: a user halfway through a protocol when a new version starts must go on
where they were. So each draft is stored with its kind and schema version, and read through the
migrations from whatever version wrote it; what cannot be migrated (a field the step needs is
missing, a newer version wrote it, another journey's draft) is a `StaleDraft`, which the bot
answers by telling the user the dialog restarted, never with a KeyError.

Version 1 is the untyped dict the handlers wrote before drafts were typed (no version stored):
its keys are the fields' names, so migrating it is validating it.

Personal fields (names, phone numbers, descriptions) are stored sealed (services.personal_data),
never in clear: the draft holds the sealed text and the handler unseals it to show it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError

VERSION_KEY = "version"
KIND_KEY = "draft"

Migration = Callable[[dict[str, Any]], dict[str, Any]]


class StaleDraft(Exception):
    """A stored draft this version of the bot cannot continue."""

    def __init__(self, kind: str, why: str) -> None:
        super().__init__(f"{kind} draft: {why}")
        self.kind = kind
        self.why = why


class Draft(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    KIND: ClassVar[str]
    VERSION: ClassVar[int]
    # MIGRATIONS[n] turns a version-n dict into a version-(n + 1) dict.
    MIGRATIONS: ClassVar[dict[int, Migration]] = {}
    # The dialog (aiogram's states group, by name) the draft belongs to, and the fields each of
    # its steps cannot go on without.
    DIALOG: ClassVar[str]
    NEEDED: ClassVar[dict[str, tuple[str, ...]]] = {}

    def stored(self) -> dict[str, Any]:
        return {KIND_KEY: self.KIND, VERSION_KEY: self.VERSION, **self.model_dump(mode="json")}

    @classmethod
    def from_stored(cls, raw: Mapping[str, Any], state: str | None = None) -> Self:
        """The draft as this version knows it; `state`: the dialog state it is read in
        ("ProtocolSubmission:review")."""
        data = dict(raw)
        kind = data.pop(KIND_KEY, cls.KIND)
        if kind != cls.KIND:
            raise StaleDraft(cls.KIND, f"the stored draft is a {kind!r} one")
        version = data.pop(VERSION_KEY, 1)
        if not isinstance(version, int) or version > cls.VERSION:
            raise StaleDraft(cls.KIND, f"written by a newer version ({version!r})")
        while version < cls.VERSION:
            data = cls.MIGRATIONS.get(version, _same)(data)
            version += 1
        try:
            draft = cls.model_validate(data)
        except ValidationError as error:
            raise StaleDraft(cls.KIND, f"does not fit version {cls.VERSION}: {error}") from error
        dialog, _, step = (state or "").partition(":")
        if dialog == cls.DIALOG:
            missing = [name for name in cls.NEEDED.get(step, ()) if getattr(draft, name) is None]
            if missing:
                raise StaleDraft(cls.KIND, f"step {step!r} needs {', '.join(missing)}")
        return draft


def _same(data: dict[str, Any]) -> dict[str, Any]:
    return data


_AFTER_LEVEL = ("photos", "checking", "typing", "column", "review", "reason")


class AlbumNote(BaseModel):
    """The message acknowledging an album's pages, edited as they come."""

    model_config = ConfigDict(extra="forbid")

    group: str
    message_id: int
    first: int


class ProtocolDraft(Draft):
    KIND = "protocol"
    DIALOG = "ProtocolSubmission"
    VERSION = 2
    NEEDED = {
        "level": ("precinct",),
        **{step: ("precinct", "level") for step in _AFTER_LEVEL},
        "checking": ("precinct", "level", "recognition"),
    }

    precinct: int | None = None
    level: str | None = None
    photos: list[dict[str, str]] = Field(default_factory=list)  # file_id and where it came from
    album: AlbumNote | None = None
    recognition: dict[str, Any] | None = None  # ocr.recognition.Recognition, dumped
    figures: dict[str, int] = Field(default_factory=dict)
    typed: list[str] = Field(default_factory=list)  # lines the observer typed or confirmed
    position: int = 0  # the line asked when typing line by line
    editing: bool = False  # one line changed from the review: back to the review after it
    doubtful: list[str] = Field(default_factory=list)
    doubt_position: int = 0
    other_row: list[str] = Field(default_factory=list)  # values that may be another line's
    crops: dict[str, str] = Field(default_factory=dict)  # base64 PNG of a doubtful line's row
    crop_pages: dict[str, int] = Field(default_factory=dict)  # no crop: the page it is on
    column_from: str | None = None  # the state '⬅ Line by line' returns to


class IncidentDraft(Draft):
    KIND = "incident"
    DIALOG = "IncidentReport"
    VERSION = 2
    NEEDED = {
        "stage": ("precinct",),
        "category": ("precinct",),
        "time": ("precinct", "category"),
        "description": ("precinct", "category", "occurred_at"),
        "evidence": ("precinct", "category", "occurred_at", "description"),
        "location": ("precinct", "category", "occurred_at", "description"),
        "review": ("precinct", "category", "occurred_at", "description"),
        "repeat": ("precinct", "category", "occurred_at", "description", "repeat_of"),
    }

    precinct: int | None = None
    category: str | None = None
    occurred_at: str | None = None  # ISO time with its zone
    description: str | None = None  # sealed
    evidence: list[dict[str, Any]] = Field(default_factory=list)
    location: list[float] | None = None  # latitude, longitude
    reviewing: bool = False
    repeat_of: int | None = None


class RegistrationDraft(Draft):
    KIND = "registration"
    DIALOG = "ObserverRegistration"
    VERSION = 2
    NEEDED = {
        "phone": ("name",),
        "region": ("name", "phone"),
        "precinct": ("name", "phone", "region"),
        "more": ("name", "phone"),
        "review": ("name", "phone"),
    }

    code: str | None = None
    name: str | None = None  # sealed
    phone: str | None = None  # sealed
    region: str | None = None
    bound: bool = False  # the invite names the region: no other is offered
    precincts: list[int] = Field(default_factory=list)
    reviewing: bool = False


class SignatureDraft(Draft):
    KIND = "signature"
    DIALOG = "PetitionSigning"
    VERSION = 2
    NEEDED = {
        "reading": ("slug",),
        "name": ("slug",),
        "region": ("slug", "name"),
        "phone": ("slug", "name", "region"),
        "confirm": ("slug", "name", "region"),
    }

    slug: str | None = None
    referral: str | None = None
    agreed: int = 0  # demands agreed to, in order
    name: str | None = None  # sealed
    region: str | None = None
    phone_hash: str | None = None


class CoordinatorDraft(Draft):
    KIND = "coordinator"
    DIALOG = "CoordinatorInput"
    VERSION = 2
    NEEDED = {
        "reject_reason": ("level", "precinct", "protocol"),
        "figure_value": ("level", "precinct", "key"),
        "figure_reason": ("level", "precinct", "key", "value"),
        "message_to_observer": ("level", "precinct", "protocol"),
        "broadcast_text": ("audience",),
        "broadcast_confirm": ("audience", "text"),
        "official_file": ("level",),
    }

    level: str | None = None
    precinct: int | None = None
    protocol: int | None = None
    key: str | None = None
    value: int | None = None
    audience: dict[str, Any] | None = None  # services' Audience.as_json()
    text: str | None = None


class CorrectionDraft(Draft):
    """An observer's correction to an incident report they sent."""

    KIND = "correction"
    DIALOG = "IncidentCorrection"
    VERSION = 2
    NEEDED = {"text": ("incident",)}

    incident: int | None = None
