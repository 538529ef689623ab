"""Elections the bot collects protocols for: loaded from `elections/*.toml` and validated,
including every control relation's expression."""

from __future__ import annotations

from pathlib import Path

from models.election import Election
from services.data_files import DataFileError, load_toml_model
from services.protocol_checks import CheckExpressionError, names_read

ElectionFileError = DataFileError


def load_election(path: Path) -> Election:
    election = load_toml_model(path, Election)
    # A check may name only lines the form has: a missing line would count as 0, and "received
    # = issued + unused + spoiled" on a form without a spoiled line fails every honest protocol
    # with spoiled ballots. The one exception: "against all" on a ballot without it is truly 0.
    on_form = {line.key for line in election.form} | {"votes", "against_all"}
    for check in election.checks:
        try:
            missing = sorted(names_read(check.holds) - on_form)
        except CheckExpressionError as error:
            raise DataFileError(f"{path.name}: check {check.id}: {error}") from None
        if missing:
            raise DataFileError(
                f"{path.name}: check {check.id} uses {', '.join(missing)}, which the form has no "
                "line for (add the line to [[form]] or leave it out of the check)"
            )
    return election


def load_elections(directory: Path) -> dict[str, Election]:
    elections = [load_election(path) for path in sorted(directory.glob("*.toml"))]
    return {election.slug: election for election in elections}
