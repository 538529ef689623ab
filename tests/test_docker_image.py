"""The Docker image's file tree, built here from the Dockerfile's COPY lines and .dockerignore
(no Docker engine runs on these machines): the bot must start from it. Issue 13: the image
crashed at start because its COPY list missed publishing/ and the content folders."""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from settings import PROJECT_ROOT
from tests.conftest import TEST_ENCRYPTION_KEY


def _ignored(relative: str, patterns: list[str]) -> bool:
    """Docker's rules, as far as our .dockerignore uses them: a pattern matches the path or any
    of its leading folders; `**/` matches at any depth."""
    parts = relative.split("/")
    for pattern in patterns:
        for depth in range(1, len(parts) + 1):
            prefix = "/".join(parts[:depth])
            if fnmatch.fnmatch(prefix, pattern) or (
                pattern.startswith("**/") and fnmatch.fnmatch(parts[depth - 1], pattern[3:])
            ):
                return True
    return False


def build_tree(target: Path) -> list[str]:
    """Copies what the Dockerfile's COPY lines bring in, less .dockerignore; returns the RUN
    lines."""
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    patterns = [
        line.strip()
        for line in (PROJECT_ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    tracked = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    copies = re.findall(r"^COPY\s+(.+?)\s+(\S+)\s*$", dockerfile, flags=re.MULTILINE)
    assert copies, "the Dockerfile copies something"
    for sources, destination in copies:
        for source in sources.split():
            for relative in tracked:
                if source not in (".", "./") and not (
                    relative == source or relative.startswith(source.rstrip("/") + "/")
                ):
                    continue
                if _ignored(relative, patterns) or not (PROJECT_ROOT / relative).is_file():
                    continue
                path = target / relative
                path.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(PROJECT_ROOT / relative, path)
        assert destination in ("/app", "/app/", "."), destination
    return re.findall(r"^RUN\s+(.+)$", dockerfile, flags=re.MULTILINE)


def run(tree: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("HAQBOT_")
    } | {
        "HAQBOT_SECURITY__ENCRYPTION_KEY": TEST_ENCRYPTION_KEY,
        "PYTHONPATH": str(tree),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=tree,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_image_tree_starts(tmp_path: Path) -> None:
    tree = tmp_path / "app"
    runs = build_tree(tree)
    assert any("libgl1" in line and "libglib2.0-0" in line for line in runs), (
        "OpenCV's libraries are installed"
    )
    assert (
        not (tree / "tests").exists()
        and not (tree / ".venv").exists()
        and not (tree / "data").exists()
    )
    for folder in (
        "publishing",
        "elections",
        "petitions",
        "incidents",
        "locales",
        "ocr",
        "storage",
    ):
        assert (tree / folder).is_dir(), f"{folder}/ is in the image"
    checks = [
        ("bot.py", "check-config"),
        ("bot.py", "elections", "check"),
        ("bot.py", "petitions", "check"),
        ("bot.py", "db", "upgrade"),
        ("bot.py", "healthcheck"),
    ]
    for arguments in checks:
        result = run(tree, *arguments)
        assert result.returncode == 0, (arguments, result.stdout[-2000:], result.stderr[-2000:])
    modules = sorted(
        str(path.relative_to(tree).with_suffix("")).replace("/", ".")
        for path in tree.rglob("*.py")
        if "migrations" not in path.parts and path.name != "__init__.py"
    )
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "from ocr.recognition import recognize_sync, protocol_form\n"
        "from ocr.synthetic import ProtocolSpec, generate\n"
        "from services.elections import load_elections\n"
        "from settings import PROJECT_ROOT\n"
        "election = load_elections(PROJECT_ROOT / 'elections')['2023-parliament']\n"
        "spec = ProtocolSpec('2023-parliament', 'mazhilis', 'ru', stamp=False, "
        "degradation='clean', seed=3)\n"
        "image, truth = generate(election, spec)\n"
        "result = recognize_sync([image], protocol_form(election, 'mazhilis'))\n"
        "assert str(PROJECT_ROOT) == sys.argv[1], PROJECT_ROOT\n"
        "print(sum(line.value == truth['figures'][line.key] for line in result.lines), "
        "len(result.lines))\n"
    )
    result = run(tree, "-c", script, str(tree))
    assert result.returncode == 0, result.stderr[-3000:]
    read, total = map(int, result.stdout.split()[-2:])
    assert total == 14 and read >= 13, result.stdout
