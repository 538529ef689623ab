"""An election as its file describes it: levels on the ballot, parties, the protocol form and
the control relations between its lines (data, not code: they differ by election and year)."""

from __future__ import annotations

import re
from datetime import date, time
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# The canonical keys of a protocol's lines (brief, section 3); party votes are `votes.<party>`.
PROTOCOL_KEYS = (
    "voters_on_list",
    "ballots_received",
    "ballots_issued",
    "ballots_unused",
    "ballots_spoiled",
    "ballots_in_boxes",
    "ballots_invalid",
    "against_all",
)
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class Names(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kk: str = Field(min_length=1)
    ru: str = Field(min_length=1)

    def in_(self, locale: str) -> str:
        return self.kk if locale == "kk" else self.ru


class Party(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    name: Names
    # What a chart shows where the full name would not fit a phone ("ОСДП" for the
    # Nationwide Social Democratic Party); the full name everywhere else.
    short: Names | None = None

    def short_name(self, locale: str) -> str:
        return (self.short or self.name).in_(locale)

    @field_validator("key")
    @classmethod
    def _key(cls, value: str) -> str:
        if not _KEY.match(value):
            raise ValueError("must be lower-case letters, digits and _")
        return value


class FormLine(BaseModel):
    """One numbered line of the protocol form."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str  # a PROTOCOL_KEYS entry, or votes.<party>
    # None for lines placed after the party lines ("against all"), whose number depends on how
    # many parties the level has.
    line: int | None = Field(default=None, ge=1)
    label: Names | None = None  # vote lines default to the party's name


class Severity(StrEnum):
    HARD = "hard"  # the observer must confirm a deliberate mismatch with a reason; flagged
    SOFT = "soft"  # a note


class Check(BaseModel):
    """A control relation: `holds` must be true of a correct protocol."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    severity: Severity
    holds: str
    message: str  # Fluent id of the explanation shown to the observer and coordinators


class Level(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    name: Names
    short: Names | None = None  # a table's column heading on a phone ("Мажилис")
    parties: tuple[str, ...] = Field(min_length=1)  # in ballot order
    # Regions without this level (Astana, Almaty, Shymkent have no district maslikhat).
    not_in_regions: tuple[str, ...] = ()

    def short_name(self, locale: str) -> str:
        return (self.short or self.name).in_(locale)

    # The share of the vote a party needs for seats (7% in 2021, 5% in 2023); None: no threshold.
    threshold_percent: int | None = Field(default=None, ge=1, le=50)


class Election(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    slug: str
    name: Names
    date: date
    polls_close: time
    timezone: str
    against_all: bool
    parties: tuple[Party, ...] = Field(min_length=1)
    levels: tuple[Level, ...] = Field(min_length=1)
    form: tuple[FormLine, ...] = Field(min_length=1)
    checks: tuple[Check, ...] = ()

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from settings import known_timezone

        return known_timezone(value)

    @model_validator(mode="after")
    def _consistent(self) -> Election:
        party_keys = {party.key for party in self.parties}
        for level in self.levels:
            unknown = set(level.parties) - party_keys
            if unknown:
                raise ValueError(f"level {level.key} lists unknown parties {sorted(unknown)}")
        for line in self.form:
            if line.key.startswith("votes."):
                if line.key[len("votes.") :] not in party_keys:
                    raise ValueError(f"form line {line.line}: unknown party in {line.key}")
            elif line.key not in PROTOCOL_KEYS:
                raise ValueError(f"form line {line.line}: unknown key {line.key}")
            elif line.label is None:
                raise ValueError(f"form line {line.line} ({line.key}) needs a label")
            elif (line.line is None) != (line.key == "against_all"):
                raise ValueError(f"form line {line.key}: every line but against_all needs a number")
        keys = [line.key for line in self.form]
        if len(keys) != len(set(keys)):
            raise ValueError("a key appears twice in the form")
        if ("against_all" in keys) != self.against_all:
            raise ValueError("against_all must match whether the form has an against_all line")
        return self

    def level(self, key: str) -> Level:
        for level in self.levels:
            if level.key == key:
                return level
        raise KeyError(key)

    def party(self, key: str) -> Party:
        return next(party for party in self.parties if party.key == key)

    def form_for(self, level_key: str) -> list[FormLine]:
        """The lines an observer fills for this level: the general lines, then one vote line per
        party on this level's ballot, numbered after the general ones."""
        level = self.level(level_key)
        general = [line for line in self.form if not line.key.startswith("votes.")]
        lines = sorted(
            (line for line in general if line.key != "against_all"), key=lambda line: line.line or 0
        )
        next_number = max(line.line or 0 for line in lines) + 1
        for party in level.parties:
            lines.append(FormLine(key=f"votes.{party}", line=next_number))
            next_number += 1
        if self.against_all:
            lines.append(
                FormLine(key="against_all", line=next_number, label=self._label("against_all"))
            )
        return lines

    def label(self, line: FormLine, locale: str) -> str:
        if line.label is not None:
            return line.label.in_(locale)
        return self.party(line.key[len("votes.") :]).name.in_(locale)

    def _label(self, key: str) -> Names | None:
        return next((line.label for line in self.form if line.key == key), None)
