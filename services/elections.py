"""Elections the bot collects protocols for: loaded from `elections/*.toml` and validated,
including every control relation's expression."""

from __future__ import annotations

from pathlib import Path

from models.election import Election
from services.data_files import DataFileError, load_toml_model
from services.protocol_checks import CheckExpressionError, compile_check

ElectionFileError = DataFileError


def load_election(path: Path) -> Election:
    election = load_toml_model(path, Election)
    for check in election.checks:
        try:
            compile_check(check.holds)
        except CheckExpressionError as error:
            raise DataFileError(f"{path.name}: check {check.id}: {error}") from None
    return election


def load_elections(directory: Path) -> dict[str, Election]:
    elections = [load_election(path) for path in sorted(directory.glob("*.toml"))]
    return {election.slug: election for election in elections}
