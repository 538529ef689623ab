"""Election files and the control relations of a protocol."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.election import Severity
from services.elections import ElectionFileError, load_election, load_elections
from services.protocol_checks import CheckExpressionError, compile_check, evaluate, run_checks
from settings import PROJECT_ROOT

ELECTIONS = load_elections(PROJECT_ROOT / "elections")
E2023 = ELECTIONS["2023-parliament"]
E2021 = ELECTIONS["2021-parliament"]


def good_2023() -> tuple[dict[str, int], dict[str, int]]:
    votes = {
        "amanat": 300,
        "auyl": 60,
        "respublica": 50,
        "ak_zhol": 40,
        "qhp": 30,
        "jsdp": 20,
        "baytaq": 10,
    }
    values = {
        "voters_on_list": 1500,
        "ballots_received": 1500,
        "ballots_issued": 547,
        "ballots_unused": 953,
        "ballots_in_boxes": 545,
        "ballots_invalid": 15,
        "against_all": 20,
    }
    return values, votes


def failed(values: dict[str, int], votes: dict[str, int], election=E2023) -> set[str]:
    return {result.id for result in run_checks(election.checks, values, votes) if not result.ok}


def test_shipped_elections() -> None:
    assert list(ELECTIONS) == ["2021-parliament", "2023-parliament"]
    assert [party.key for party in E2021.parties] == ["nur_otan", "ak_zhol", "auyl", "adal", "qhp"]
    assert not E2021.against_all and E2023.against_all
    assert [level.key for level in E2023.levels] == [
        "mazhilis",
        "oblast_maslikhat",
        "local_maslikhat",
    ]
    assert "astana" in E2023.level("local_maslikhat").not_in_regions
    form = E2023.form_for("mazhilis")
    assert [line.line for line in form] == list(range(1, 15))
    assert form[-1].key == "against_all" and E2023.label(form[-1], "kk") == "Барлығына қарсымын"
    assert E2023.label(form[6], "ru") == "AMANAT" and form[6].key == "votes.amanat"
    assert all(line.key != "against_all" for line in E2021.form_for("mazhilis"))


def test_a_consistent_protocol_passes_every_check() -> None:
    values, votes = good_2023()
    assert failed(values, votes) == set()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"ballots_unused": 950}, {"received-balance"}),
        ({"ballots_invalid": 16}, {"boxes-balance"}),
        ({"ballots_in_boxes": 560, "ballots_invalid": 30}, {"boxes-not-over-issued"}),
        ({"voters_on_list": 500}, {"issued-not-over-voters"}),
        ({"ballots_issued": 557, "ballots_unused": 943}, {"few-ballots-missing"}),
        (
            {
                "ballots_issued": 555,
                "ballots_unused": 945,
                "voters_on_list": 1110,
                "ballots_received": 1500,
            },
            {"turnout-not-round", "few-ballots-missing"},
        ),
    ],
)
def test_each_relation_catches_its_mismatch(change: dict[str, int], expected: set[str]) -> None:
    values, votes = good_2023()
    assert failed({**values, **change}, votes) == expected


def test_severities_and_a_missing_line_counts_as_zero() -> None:
    checks = {check.id: check.severity for check in E2021.checks}
    assert (
        checks["received-balance"] is Severity.HARD and checks["turnout-not-round"] is Severity.SOFT
    )
    values = {
        "voters_on_list": 1000,
        "ballots_received": 1000,
        "ballots_issued": 401,
        "ballots_unused": 599,
        "ballots_in_boxes": 401,
        "ballots_invalid": 10,
    }
    votes = {"nur_otan": 201, "ak_zhol": 70, "auyl": 60, "adal": 40, "qhp": 20}
    assert failed(values, votes, E2021) == set(), "2021 has no against_all line: it counts as 0"


@pytest.mark.parametrize(
    "expression",
    [
        "__import__('os').system('id')",
        "voters_on_list.real",
        "open('x')",
        "lambda: 1",
        "'a' == 'a'",
        "secret_key == 1",
        "[1 for x in votes]",
        "voters_on_list if 1 else 2",
        "1.5 < 2",
        # Issue 13: these passed and then crashed on the first protocol (or the evaluator recursed).
        "sum(ballots_issued) == 1",
        "abs(votes) == 1",
        "votes + 1 == 2",
        "ballots_issued",
        "votes == 1",
        "-votes < 0",
        "not ballots_issued",
        "sum(votes=1) == 1",
        " + ".join(["1"] * 5000) + " == 5000",
        "-" * 60 + "1 == 1",
    ],
    ids=lambda expression: expression[:30],
)
def test_only_arithmetic_over_protocol_lines_is_allowed(expression: str) -> None:
    with pytest.raises(CheckExpressionError):
        compile_check(expression)


def test_evaluator_arithmetic() -> None:
    tree = compile_check("abs(ballots_issued - ballots_in_boxes) <= 2 and not sum(votes) == 0")
    assert evaluate(tree, {"ballots_issued": 10, "ballots_in_boxes": 12}, {"a": 1})
    assert not evaluate(tree, {"ballots_issued": 10, "ballots_in_boxes": 13}, {"a": 1})
    assert evaluate(compile_check("voters_on_list == 0 or 100 % voters_on_list == 0"), {}, {})


def test_bad_election_files_are_refused_with_the_reason(tmp_path: Path) -> None:
    text = (PROJECT_ROOT / "elections" / "2021-parliament.toml").read_text(encoding="utf-8")
    cases = {
        "unknown parties": text.replace('parties = ["nur_otan",', 'parties = ["nurotan",', 1),
        "check": text.replace(
            'holds = "ballots_in_boxes <= ballots_issued"', 'holds = "__import__(1)"'
        ),
        "against_all": text.replace("against_all = false", "against_all = true"),
        "unknown time zone": text.replace(
            'timezone = "Asia/Almaty"', 'timezone = "Mars/Olympus_Mons"'
        ),
    }
    for reason, broken in cases.items():
        path = tmp_path / "2021-parliament.toml"
        path.write_text(broken, encoding="utf-8")
        with pytest.raises(ElectionFileError, match=reason):
            load_election(path)


def test_cli_elections_check(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot

    assert bot.main(["elections", "check"]) == 0
    assert "2 election(s)" in capsys.readouterr().out
    monkeypatch.setenv("HAQBOT_ELECTION__ACTIVE", "2099-nothing")
    assert bot.main(["elections", "check"]) == 1
    assert "2099-nothing" in capsys.readouterr().out


def test_a_check_may_name_only_lines_the_form_has(tmp_path: Path) -> None:
    """Issue 12: the forms had no spoiled line, yet the hard check added `ballots_spoiled` (as 0):
    every honest protocol with spoiled ballots failed it. A check naming a missing line is now
    refused at load; a form that has the line declares it and its check uses it."""
    text = (PROJECT_ROOT / "elections" / "2021-parliament.toml").read_text(encoding="utf-8")
    honest = 'holds = "ballots_received == ballots_issued + ballots_unused"'
    assert honest in text
    path = tmp_path / "2021-parliament.toml"
    path.write_text(text.replace(honest, honest[:-1] + ' + ballots_spoiled"'), encoding="utf-8")
    with pytest.raises(ElectionFileError, match="received-balance uses ballots_spoiled"):
        load_election(path)

    spoiled_line = (
        '[[form]]\nkey = "ballots_spoiled"\nline = 7\n'
        'label = { kk = "Бүлінген бюллетеньдер саны", ru = "Число испорченных бюллетеней" }\n\n'
    )
    with_line = text.replace("[[checks]]", spoiled_line + "[[checks]]", 1).replace(
        honest, honest[:-1] + ' + ballots_spoiled"'
    )
    path.write_text(with_line, encoding="utf-8")
    election = load_election(path)
    assert "ballots_spoiled" in [line.key for line in election.form_for("mazhilis")]
    values = {
        "voters_on_list": 1000,
        "ballots_received": 1000,
        "ballots_issued": 401,
        "ballots_unused": 594,
        "ballots_spoiled": 5,
        "ballots_in_boxes": 401,
        "ballots_invalid": 10,
    }
    votes = {"nur_otan": 201, "ak_zhol": 70, "auyl": 60, "adal": 40, "qhp": 20}
    assert failed(values, votes, election) == set()
    assert failed({**values, "ballots_spoiled": 0}, votes, election) == {"received-balance"}


def test_cli_says_the_active_election_file_is_invalid_not_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import runtime.commands
    from tests.conftest import make_settings

    folder = tmp_path / "elections"
    folder.mkdir()
    text = (PROJECT_ROOT / "elections" / "2023-parliament.toml").read_text(encoding="utf-8")
    (folder / "2023-parliament.toml").write_text(
        text.replace('severity = "hard"', 'severity = "fatal"', 1), encoding="utf-8"
    )
    monkeypatch.setattr(runtime.commands, "PROJECT_ROOT", tmp_path)
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}")
    assert runtime.commands.check_elections(settings, None) == 1
    out = capsys.readouterr().out
    assert "'2023-parliament': its file is invalid" in out and "there is no" not in out, out
