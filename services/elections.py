"""Elections the bot collects protocols for: loaded from `elections/*.toml` and validated,
including every control relation's expression."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import ValidationError

from models.election import Election
from services.protocol_checks import CheckExpressionError, compile_check


class ElectionFileError(Exception):
    """An election file that must not be used; the message names the file and the problem."""


def load_election(path: Path) -> Election:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        election = Election.model_validate(data)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ElectionFileError(f"{path.name}: {error}") from None
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc']) or 'file'}: {problem['msg']}"
            for problem in error.errors()
        )
        raise ElectionFileError(f"{path.name}: {problems}") from None
    if path.stem != election.slug:
        raise ElectionFileError(f"{path.name}: the file must be named {election.slug}.toml")
    for check in election.checks:
        try:
            compile_check(check.holds)
        except CheckExpressionError as error:
            raise ElectionFileError(f"{path.name}: check {check.id}: {error}") from None
    return election


def load_elections(directory: Path) -> dict[str, Election]:
    elections = [load_election(path) for path in sorted(directory.glob("*.toml"))]
    return {election.slug: election for election in elections}
