"""Control relations of a protocol, written as data (`holds = "a == b + c"`) and evaluated here.

Only arithmetic and comparisons over the protocol's keys are allowed: `+ - * // %`,
`== != < <= > >=`, `and or not`, integers, `sum(votes)`, `abs(x)`. A relation about a line the
form does not have (e.g. `against_all` in 2021) counts that line as 0.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from models.election import PROTOCOL_KEYS, Check, Election, Severity

_BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
}
_COMPARE = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_NAMES = frozenset(PROTOCOL_KEYS) | {"votes"}


class CheckExpressionError(ValueError):
    """An expression in an election file that is not allowed, named with the reason."""


MAX_DEPTH = 40  # far deeper than any real relation; the evaluator recurses
MAX_LENGTH = 1000


@lru_cache(maxsize=512)
def compile_check(expression: str) -> ast.Expression:
    """Parse and vet an expression once (cached: every check of every protocol, and OCR's
    scoring, evaluate the same few expressions; the tree is only read, never changed). Vetted:
    only allowed nodes and names, no deeper than MAX_DEPTH, and of the right types, so that an
    expression that passes here can never crash when a protocol is checked."""
    if len(expression) > MAX_LENGTH:
        raise CheckExpressionError(f"{expression[:40]!r}…: longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(expression, mode="eval")
    except (SyntaxError, RecursionError, MemoryError) as error:
        raise CheckExpressionError(
            f"{expression!r}: {getattr(error, 'msg', 'too deeply nested')}"
        ) from None
    _check_depth(tree, expression)
    for node in ast.walk(tree):
        allowed = (
            ast.Expression,
            ast.BinOp,
            ast.Compare,
            ast.BoolOp,
            ast.UnaryOp,
            ast.Name,
            ast.Load,
            ast.Constant,
            ast.Call,
            ast.And,
            ast.Or,
            ast.Not,
            ast.USub,
            *_BINARY,
            *_COMPARE,
        )
        if not isinstance(node, allowed):
            raise CheckExpressionError(f"{expression!r}: {type(node).__name__} is not allowed")
        if isinstance(node, ast.Name) and node.id not in _NAMES | {"sum", "abs"}:
            raise CheckExpressionError(f"{expression!r}: unknown name {node.id!r}")
        if isinstance(node, ast.Constant) and not isinstance(node.value, int):
            raise CheckExpressionError(f"{expression!r}: only whole numbers are allowed")
        if isinstance(node, ast.Call) and (
            not (
                isinstance(node.func, ast.Name)
                and node.func.id in ("sum", "abs")
                and len(node.args) == 1
            )
            or node.keywords
        ):
            raise CheckExpressionError(f"{expression!r}: only sum(votes) and abs(x) may be called")
    if _type(tree.body, expression) != "bool":
        raise CheckExpressionError(
            f"{expression!r}: must be a relation that holds or not (a comparison)"
        )
    return tree


def _check_depth(tree: ast.AST, expression: str) -> None:
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise CheckExpressionError(f"{expression[:40]!r}…: nested deeper than {MAX_DEPTH}")
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


def _type(node: ast.AST, expression: str) -> str:
    """ "int", "bool" or "votes" (the party → votes mapping); a mismatch is refused here rather than
    crashing on the first protocol (`sum(ballots_issued)`, `abs(votes)`, `votes + 1`)."""

    def need(child: ast.AST, wanted: str, what: str) -> None:
        found = _type(child, expression)
        if found != wanted and not (wanted == "int" and found == "bool"):
            raise CheckExpressionError(f"{expression!r}: {what} needs {wanted}, got {found}")

    if isinstance(node, ast.Constant):
        return "int"
    if isinstance(node, ast.Name):
        return "votes" if node.id == "votes" else "int"
    if isinstance(node, ast.BinOp):
        need(node.left, "int", "arithmetic")
        need(node.right, "int", "arithmetic")
        return "int"
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Not):
            need(node.operand, "bool", "not")
            return "bool"
        need(node.operand, "int", "a minus sign")
        return "int"
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            need(value, "bool", "and/or")
        return "bool"
    if isinstance(node, ast.Compare):
        for operand in (node.left, *node.comparators):
            need(operand, "int", "a comparison")
        return "bool"
    if isinstance(node, ast.Call):
        name = node.func.id  # type: ignore[attr-defined]
        need(node.args[0], "votes" if name == "sum" else "int", f"{name}()")
        return "int"
    raise CheckExpressionError(f"{expression!r}: {type(node).__name__} is not allowed")


def evaluate(tree: ast.Expression, values: Mapping[str, int], votes: Mapping[str, int]) -> bool:
    return bool(_value(tree.body, values, votes))


def _value(node: ast.AST, values: Mapping[str, int], votes: Mapping[str, int]) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return votes if node.id == "votes" else values.get(node.id, 0)
    if isinstance(node, ast.BinOp):
        left, right = _value(node.left, values, votes), _value(node.right, values, votes)
        if isinstance(node.op, ast.FloorDiv | ast.Mod) and right == 0:
            return 0  # "turnout a whole percentage" of an empty list: nothing to say
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp):
        operand = _value(node.operand, values, votes)
        return -operand if isinstance(node.op, ast.USub) else not operand
    if isinstance(node, ast.BoolOp):
        results = (_value(value, values, votes) for value in node.values)
        return all(results) if isinstance(node.op, ast.And) else any(results)
    if isinstance(node, ast.Compare):
        left = _value(node.left, values, votes)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = _value(comparator, values, votes)
            if not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True
    if isinstance(node, ast.Call):
        argument = _value(node.args[0], values, votes)
        name = node.func.id  # type: ignore[attr-defined]
        return sum(argument.values()) if name == "sum" else abs(argument)
    raise CheckExpressionError(f"cannot evaluate {type(node).__name__}")  # vetted at load time


@dataclass(frozen=True)
class CheckResult:
    id: str
    severity: Severity
    ok: bool
    message: str


def split_votes(figures: Mapping[str, int]) -> tuple[dict[str, int], dict[str, int]]:
    """Protocol figures as the checks see them: plain keys, and `votes.<party>` as party → votes."""
    values = {key: value for key, value in figures.items() if not key.startswith("votes.")}
    votes = {
        key[len("votes.") :]: value for key, value in figures.items() if key.startswith("votes.")
    }
    return values, votes


def run_checks(
    checks: tuple[Check, ...], values: Mapping[str, int], votes: Mapping[str, int]
) -> list[CheckResult]:
    """Every check against one protocol. Never fixes anything: it only says what does not hold."""
    return [
        CheckResult(
            check.id,
            check.severity,
            evaluate(compile_check(check.holds), values, votes),
            check.message,
        )
        for check in checks
    ]


def names_read(expression: str) -> set[str]:
    """The protocol keys (and `votes`) an expression reads; the functions it calls are not."""
    tree = compile_check(expression)
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    return {
        node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and id(node) not in called
    }


def referenced_keys(expression: str, form_keys: list[str]) -> set[str]:
    """The form lines an expression is about (`votes` means every vote line): the lines to mark
    when it does not hold."""
    names = names_read(expression)
    keys = {key for key in form_keys if key in names}
    if "votes" in names:
        keys |= {key for key in form_keys if key.startswith("votes.")}
    return keys


def check_figures(election: Election, figures: Mapping[str, int]) -> list[CheckResult]:
    """Every control relation of the election, on a protocol's figures."""
    return run_checks(election.checks, *split_votes(figures))
