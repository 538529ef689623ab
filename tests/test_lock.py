"""Reproducible installs (issue 13): every dependency comes from a lock file with hashes, and
`make run`, `make test` and the Docker image install from it and from nothing else."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from settings import PROJECT_ROOT

RUNTIME_LOCK = PROJECT_ROOT / "requirements.lock"
TEST_LOCK = PROJECT_ROOT / "requirements-test.lock"


def all_pins(lock: Path) -> list[tuple[str, str, Marker | None, int]]:
    """(package, version, environment marker, number of hashes) of every pin of a lock file; a
    package may have one pin per Python version."""
    text = lock.read_text(encoding="utf-8")
    found = []
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        head = re.match(r"([A-Za-z0-9_.\-\[\]]+)==([^\s;]+)\s*(?:;\s*([^\\\n]+))?", block)
        if head:
            name = canonicalize_name(head.group(1).split("[")[0])
            marker = Marker(head.group(3).strip()) if head.group(3) else None
            hashes = len(re.findall(r"--hash=sha256:[0-9a-f]{64}", block))
            found.append((name, head.group(2), marker, hashes))
    return found


def pins(lock: Path) -> dict[str, tuple[str, int]]:
    """{package: (version, number of hashes)} of the pins that apply to this interpreter."""
    return {
        name: (version, hashes)
        for name, version, marker, hashes in all_pins(lock)
        if marker is None or marker.evaluate()
    }


def declared() -> tuple[list[Requirement], list[Requirement]]:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"
    ]
    runtime = [Requirement(text) for text in project["dependencies"]]
    test = [Requirement(text) for text in project["optional-dependencies"]["test"]]
    return runtime, test


@pytest.mark.parametrize(("lock", "which"), [(RUNTIME_LOCK, "runtime"), (TEST_LOCK, "test")])
def test_the_lock_pins_every_declared_dependency_in_its_range_with_hashes(
    lock: Path, which: str
) -> None:
    runtime, test = declared()
    locked = pins(lock)
    assert locked, f"{lock.name} pins nothing"
    wanted = runtime + (test if which == "test" else [])
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement} is not in {lock.name}: run `make lock`"
        for version in [v for n, v, _, _ in all_pins(lock) if n == name]:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{lock.name} pins {name}=={version}, outside pyproject's {requirement}: "
                "run `make lock`"
            )
    unhashed = [name for name, _, _, hashes in all_pins(lock) if hashes == 0]
    assert not unhashed, f"pins without a hash in {lock.name}: {unhashed}"


def test_the_test_lock_runs_the_versions_the_bot_runs() -> None:
    runtime, test = pins(RUNTIME_LOCK), pins(TEST_LOCK)
    differing = {
        name: (version, test[name][0])
        for name, (version, _) in runtime.items()
        if name in test and test[name][0] != version
    }
    missing = sorted(set(runtime) - set(test))
    assert not differing and not missing, (differing, missing)
    assert "pytest" not in runtime and "playwright" not in runtime, (
        "test tools stay out of the image"
    )


def test_this_environment_is_the_locked_one() -> None:
    """What the tests run on is what the lock says (so `make test` installed from it)."""
    differing = {}
    for name, (version, _) in pins(TEST_LOCK).items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            differing[name] = (version, None)
            continue
        if installed != version:
            differing[name] = (version, installed)
    assert not differing, f"installed versions differ from requirements-test.lock: {differing}"


def test_make_and_docker_install_from_the_locks_only() -> None:
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    installs = re.findall(r"pip install ([^\n]+)", makefile)
    assert installs, "the Makefile installs something"
    for line in installs:
        if line.split()[-1] == "uv":
            continue  # the `make lock` tool, not a dependency of the bot
        assert "--require-hashes" in line and re.search(r"-r requirements(-test)?\.lock", line), (
            line
        )
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8")
    docker_installs = re.findall(r"pip install ([^\n&]+)", dockerfile)
    assert docker_installs == ["--require-hashes -r requirements.lock"], docker_installs
    assert "make test" in (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
