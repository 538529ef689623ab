"""A petition as its data file describes it, and a signature as the bot keeps it."""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# Short enough that `p-<slug>-r<8-character code>` fits Telegram's 64-character payload, and not
# ending in "-r<code>", which would read as a referral.
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$")
_LOOKS_LIKE_REFERRAL = re.compile(r"-r[A-Za-z0-9_]{3,}$")


class PetitionText(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    # For buttons and lists, where the full title would be cut off.
    short_title: str = Field(min_length=1, max_length=40)
    preamble: str = Field(min_length=1)
    demands: tuple[str, ...] = Field(min_length=1)
    closing: str = Field(min_length=1)
    # Set when this language is the team's translation, e.g. "kk".
    translated_from: str | None = None

    @field_validator("title", "preamble", "closing")
    @classmethod
    def _stripped(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be empty")
        return value

    @field_validator("demands")
    @classmethod
    def _demands_not_empty(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        stripped = tuple(demand.strip() for demand in value)
        for number, demand in enumerate(stripped, 1):
            if not demand:
                raise ValueError(f"demand {number} is empty")
        return stripped


class Petition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    slug: str
    goal: int = Field(gt=0)
    opens: date
    closes: date | None = None
    phone_verification: bool = False
    kk: PetitionText
    ru: PetitionText

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG.match(value) or _LOOKS_LIKE_REFERRAL.search(value):
            raise ValueError("must be 3-32 of a-z, 0-9 and '-', not ending in -r<letters>")
        return value

    @model_validator(mode="after")
    def _languages_agree(self) -> Petition:
        if len(self.kk.demands) != len(self.ru.demands):
            raise ValueError(
                f"kk has {len(self.kk.demands)} demands and ru has {len(self.ru.demands)}"
            )
        if self.closes is not None and self.closes < self.opens:
            raise ValueError("closes before it opens")
        return self

    def text(self, locale: str) -> PetitionText:
        return self.kk if locale == "kk" else self.ru

    @property
    def demand_count(self) -> int:
        return len(self.kk.demands)

    def is_open(self, today: date) -> bool:
        return self.opens <= today and (self.closes is None or today <= self.closes)


class SignatureStatus(StrEnum):
    SIGNED = "signed"
    WITHDRAWN = "withdrawn"


class Signature(BaseModel):
    """A signature as its signer sees it (decrypted name)."""

    model_config = ConfigDict(frozen=True)

    petition_slug: str
    status: SignatureStatus
    name: str | None
    region: str | None
    phone_verified: bool
    signed_at: datetime
    withdrawn_at: datetime | None
