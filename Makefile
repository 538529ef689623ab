# The two commands of the README:
#   make run    install everything and run the bot (local Telegram emulator when no token is set)
#   make test   install everything and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint lock system-packages system-packages-test emulator migrate check-config clean

run: system-packages $(VENV)/.installed
	$(BIN)/python bot.py run

test: system-packages-test $(VENV)/.installed-test lint
	$(BIN)/python -m pytest

# The rule set and the 100-character lines are in pyproject.toml ([tool.ruff]).
lint: $(VENV)/.installed-test
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .

system-packages:
	@scripts/install-system-packages.sh

system-packages-test:
	@scripts/install-system-packages.sh --test

# Exactly the versions and files of the lock (every file checked against its hash); reinstalled
# whenever the lock changes. The code runs from this tree: nothing of it is installed.
# requirements.lock: what the bot runs on (also the Docker image's); requirements-test.lock: the
# same versions plus the test tools.
$(VENV)/.installed: requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	@touch $@

$(VENV)/.installed-test: requirements-test.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-test.lock
	@touch $@

# Refreshes both locks from the ranges in pyproject.toml, for every platform, with the hashes of
# every file; the test lock is held to the runtime lock's versions. Run it after changing a
# dependency in pyproject.toml, then `make test`, and commit the two lock files.
LOCK_FLAGS := --generate-hashes --universal --python-version 3.11 --quiet
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/python -m uv pip compile pyproject.toml $(LOCK_FLAGS) -o requirements.lock
	$(BIN)/python -m uv pip compile pyproject.toml --extra test -c requirements.lock $(LOCK_FLAGS) \
		-o requirements-test.lock

emulator: $(VENV)/.installed
	$(BIN)/python bot.py emulator

migrate: $(VENV)/.installed
	$(BIN)/python bot.py db upgrade

check-config: $(VENV)/.installed
	$(BIN)/python bot.py check-config

clean:
	rm -rf $(VENV) build *.egg-info test-output .pytest_cache .ruff_cache
