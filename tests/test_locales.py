"""Both languages complete: the same Fluent ids in kk and ru, every id the code uses defined,
every message renders in both."""

from __future__ import annotations

import ast

import pytest
from fluent.syntax import FluentParser
from fluent.syntax import ast as fluent_ast
from fluent.syntax.visitor import Visitor

from runtime.i18n import build_core
from settings import LOCALES, PROJECT_ROOT

CODE_DIRS = ("handlers", "runtime", "services", "storage", "models", "emulator", "publishing")


def ftl_messages(locale: str) -> dict[str, fluent_ast.Message]:
    messages: dict[str, fluent_ast.Message] = {}
    for path in sorted((PROJECT_ROOT / "locales" / locale).glob("*.ftl")):
        resource = FluentParser().parse(path.read_text(encoding="utf-8"))
        junk = [entry for entry in resource.body if isinstance(entry, fluent_ast.Junk)]
        assert not junk, f"{path}: syntax error near {junk[0].content[:60]!r}"
        for entry in resource.body:
            if isinstance(entry, fluent_ast.Message):
                assert entry.id.name not in messages, f"{path}: {entry.id.name} defined twice"
                messages[entry.id.name] = entry
    return messages


def _literals(node: ast.AST | None) -> set[str]:
    """The id a node names, or both ids of `"a" if condition else "b"`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _literals(node.body) | _literals(node.orelse)
    return set()


def ids_used_in_code() -> set[str]:
    """Message ids the code names literally: i18n.get/core.get("id"), translate("id", …),
    _button(builder, i18n, "id", …), and arguments or defaults called *_id; plus the families
    the code composes (regions, name problems) and the bot's commands."""
    used: set[str] = set()
    for directory in CODE_DIRS:
        for path in (PROJECT_ROOT / directory).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    function = node.func
                    name = (
                        function.attr
                        if isinstance(function, ast.Attribute)
                        else getattr(function, "id", "")
                    )
                    receiver = getattr(getattr(function, "value", None), "id", None)
                    if (name == "get" and receiver in ("i18n", "core") and node.args) or (
                        name == "translate" and node.args
                    ):
                        used |= _literals(node.args[0])
                    elif name in ("_button", "_step") and len(node.args) > 2:
                        used |= _literals(node.args[2])
                    for keyword in node.keywords:
                        if keyword.arg and keyword.arg.endswith("_id"):
                            used |= _literals(keyword.value)
                elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    arguments = node.args.args + node.args.kwonlyargs
                    defaults = [None] * (
                        len(node.args.args) - len(node.args.defaults)
                    ) + node.args.defaults
                    defaults += node.args.kw_defaults
                    for argument, default in zip(arguments, defaults, strict=True):
                        if argument.arg.endswith("_id"):
                            used |= _literals(default)
    from runtime.app import COMMANDS, COORDINATOR_COMMANDS
    from services.regions import all_region_message_ids
    from services.signatures import NameProblem

    used.update(text_id for _, text_id in (*COMMANDS, *COORDINATOR_COMMANDS))
    used.update(all_region_message_ids())
    used.update(f"petition-name-{problem.value}" for problem in NameProblem)
    from models.observer import ObserverStatus
    from services.observers import InviteProblem

    used.update(
        f"observer-code-{problem.value}"
        for problem in InviteProblem
        if problem is not InviteProblem.WRONG_REGION
    )
    used.update(f"observer-state-{status.value}" for status in ObserverStatus)
    from services.protocols import CountProblem

    used.update(f"protocol-count-{problem.value}" for problem in CountProblem)
    used.update({"incident-time-format", "incident-time-future"})  # f"incident-time-{TimeRejected}"
    from ocr.result import PROBLEM_CODES

    used.update(f"protocol-problem-{code}" for code in PROBLEM_CODES)
    from services.protocols import ProtocolStatus

    used.update(f"report-status-{status.value}" for status in ProtocolStatus)
    from handlers.coordinator import REJECT_REASONS
    from models.incident import IncidentSeverity
    from services.precinct_results import ResultStatus

    used.update(REJECT_REASONS.values())
    from services.official_results import PROBLEM_CODES as OFFICIAL_PROBLEMS

    used.update(f"official-error-{code}" for code in OFFICIAL_PROBLEMS)
    used.update(f"case-status-{status.value}" for status in ResultStatus)
    used.update(f"incident-severity-{severity.value}" for severity in IncidentSeverity)
    from services.elections import load_elections

    for election in load_elections(PROJECT_ROOT / "elections").values():
        used.update(check.message for check in election.checks)
    return used


def variables(message: fluent_ast.Message) -> set[str]:
    found: set[str] = set()

    class Collector(Visitor):
        def visit_VariableReference(self, node: fluent_ast.VariableReference) -> None:
            found.add(node.id.name)
            self.generic_visit(node)

    Collector().visit(message)
    return found


def test_same_ids_in_every_locale() -> None:
    kazakh, russian = set(ftl_messages("kk")), set(ftl_messages("ru"))
    assert kazakh - russian == set(), "in kk but missing from ru"
    assert russian - kazakh == set(), "in ru but missing from kk"


def test_every_id_used_in_code_is_defined() -> None:
    used = ids_used_in_code()
    assert len(used) > 10, "the scan found the ids the handlers use"
    for locale in LOCALES:
        missing = used - set(ftl_messages(locale))
        assert not missing, f"used in code, not defined in {locale}: {sorted(missing)}"


def test_no_unused_ids() -> None:
    defined = set(ftl_messages("ru"))
    unused = defined - ids_used_in_code()
    assert not unused, f"defined but never used (dead strings): {sorted(unused)}"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_renders(locale: str) -> None:
    core = build_core()
    for message_id, message in ftl_messages(locale).items():
        arguments = {name: 2 for name in variables(message)}
        text = core.get(message_id, locale, **arguments)
        assert text.strip(), f"{locale}/{message_id} is empty"
        assert "{" not in text, f"{locale}/{message_id} has an unresolved placeable: {text!r}"


def test_russian_plurals_have_three_forms_kazakh_none() -> None:
    core = build_core()
    args = {"kazakh": 0, "russian": 0, "undecided": 0, "observers": 0}
    assert "1 пользователь\n" in core.get("coordinator-overview", "ru", total=1, **args)
    assert "3 пользователя\n" in core.get("coordinator-overview", "ru", total=3, **args)
    assert "5 пользователей\n" in core.get("coordinator-overview", "ru", total=5, **args)
    assert "21 пользователь\n" in core.get("coordinator-overview", "ru", total=21, **args)
    for count in (1, 3, 5):
        assert f"{count} пайдаланушы\n" in core.get(
            "coordinator-overview", "kk", total=count, **args
        )


def test_large_numbers_are_grouped_per_locale() -> None:
    core = build_core()
    args = {"kazakh": 0, "russian": 0, "undecided": 0, "observers": 0}
    text = core.get("coordinator-overview", "ru", total=433325, **args)
    assert "433\u00a0325" in text or "433 325" in text


def test_no_kazakh_ordinal_suffix_is_glued_to_a_number() -> None:
    """Issue 14: "8 талаптың 6-сі" is wrong for 6, 9, 10 (the suffix follows the number's last
    sound: 6-сы, 9-ы, 10-ы). Kazakh texts say "N / M" instead of a fixed suffix after a number."""
    import re

    glued = re.compile(r"\{\s*\$[a-z_]+\s*\}-(?:сі|сы|ші|шы|і|ы|нші|ншы)\b")
    found = [
        f"{path.name}: {line.strip()}"
        for path in sorted((PROJECT_ROOT / "locales" / "kk").glob("*.ftl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if glued.search(line)
    ]
    assert not found, found


@pytest.mark.parametrize("number", [0, 1, 2, 5, 6, 9, 10, 11, 21, 100, 1000, 10_000])
def test_kazakh_numbers_render_for_every_count(number: int) -> None:
    """Every kk message that takes a count renders for 0 … 10 000 with the number in it."""
    from runtime.i18n import build_core

    core = build_core()
    for message_id, text in [
        (
            "petition-demand-heading",
            core.get("petition-demand-heading", "kk", number=number, total=number),
        ),
        (
            "petition-progress",
            core.get("petition-progress", "kk", count=number, goal=10_000, percent=0),
        ),
    ]:
        shown = f"{number:,}".replace(",", "\u00a0")
        assert shown in text.replace("\u2068", "").replace("\u2069", ""), (message_id, text)
