"""The precinct directory: importing it from CSV, all or nothing, with every bad line reported."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from services.regions import REGIONS

COLUMNS = (
    "number",
    "region",
    "district_kk",
    "district_ru",
    "address_kk",
    "address_ru",
    "voters_on_list",
)
MAX_NUMBER = 99999


class Precinct(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    number: int = Field(ge=1, le=MAX_NUMBER)
    region: str
    district_kk: str = Field(min_length=1, max_length=200)
    district_ru: str = Field(min_length=1, max_length=200)
    address_kk: str = Field(min_length=1, max_length=500)
    address_ru: str = Field(min_length=1, max_length=500)
    voters_on_list: int | None = Field(default=None, ge=0)

    @field_validator("region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        if value not in REGIONS:
            raise ValueError(f"unknown region {value!r} (one of: {', '.join(REGIONS)})")
        return value

    @field_validator("voters_on_list", mode="before")
    @classmethod
    def _blank_is_unknown(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value


@dataclass(frozen=True)
class LineError:
    line: int
    problem: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.problem}"


def parse_precincts_csv(text: str) -> tuple[list[Precinct], list[LineError]]:
    """Every precinct of the file, or every problem with it (line numbers as a spreadsheet
    shows them, the header being line 1)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = set(COLUMNS) - set(reader.fieldnames or ()) - {"voters_on_list"}
    if missing:
        return [], [
            LineError(
                1, f"missing columns: {', '.join(sorted(missing))} (expected {', '.join(COLUMNS)})"
            )
        ]
    precincts: list[Precinct] = []
    errors: list[LineError] = []
    seen: dict[tuple[str, int], int] = {}
    for line_number, row in enumerate(reader, start=2):
        unknown = [key for key in row if key not in COLUMNS]
        if unknown or None in row:
            errors.append(
                LineError(line_number, f"unexpected columns {unknown or 'beyond the header'}")
            )
            continue
        try:
            precinct = Precinct.model_validate(row)
        except ValidationError as error:
            problems = "; ".join(
                f"{problem['loc'][0]}: {problem['msg']}" for problem in error.errors()
            )
            errors.append(LineError(line_number, problems))
            continue
        key = (precinct.region, precinct.number)
        if key in seen:
            errors.append(
                LineError(
                    line_number,
                    f"precinct {precinct.number} in {precinct.region} is also on line {seen[key]}",
                )
            )
            continue
        seen[key] = line_number
        precincts.append(precinct)
    return precincts, errors
