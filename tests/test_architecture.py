"""The layout the brief and docs/architecture.md promise, checked on the code itself: domain
logic never imports aiogram; handlers share code only through the shared handler modules."""

from __future__ import annotations

import ast
from pathlib import Path

from settings import PROJECT_ROOT

# Shared by every journey: callback data, dialog states, keyboards, how a reply is shown.
# Deep links reach their journeys through handlers/entries.py.
SHARED_HANDLER_MODULES = {
    "callbacks",
    "states",
    "keyboards",
    "replies",
    "errors",
    "drafts",
    "entries",
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_domain_logic_never_imports_aiogram() -> None:
    for directory in ("services", "models", "publishing", "ocr"):
        for path in (PROJECT_ROOT / directory).rglob("*.py"):
            aiogram = {m for m in _imports(path) if m.split(".")[0].startswith("aiogram")}
            assert not aiogram, f"{path.relative_to(PROJECT_ROOT)} imports {aiogram}"


def test_handlers_import_no_other_journey() -> None:
    crossings = set()
    for path in (PROJECT_ROOT / "handlers").glob("*.py"):
        for module in _imports(path):
            parts = module.split(".")
            if parts[0] == "handlers" and len(parts) > 1 and parts[1] not in SHARED_HANDLER_MODULES:
                crossings.add((path.stem, parts[1]))
    assert crossings == set(), sorted(crossings)


def test_handlers_touch_no_session_and_build_no_row() -> None:
    """A handler parses, calls a service and renders: it never reaches into a repository's
    session, never builds a table row (an audit row, say), and is never handed a session."""
    reaching, building, handed = [], [], set()
    for path in (PROJECT_ROOT / "handlers").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "session":
                reaching.append(f"{path.stem}:{node.lineno}")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id.endswith("Row")
            ):
                building.append(f"{path.stem}:{node.lineno} {node.func.id}")
            if isinstance(node, ast.arg) and node.arg == "session":
                handed.add(path.stem)
            if isinstance(node, ast.Call) and any(
                isinstance(arg, ast.Name) and arg.id == "session" for arg in node.args
            ):
                handed.add(path.stem)
    assert reaching == [] and building == [] and handed == set()
