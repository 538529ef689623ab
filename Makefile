# The two commands of the README:
#   make run    install everything and run the bot (local Telegram emulator when no token is set)
#   make test   install everything and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test system-packages system-packages-test emulator migrate check-config clean

run: system-packages $(VENV)/.installed
	$(BIN)/python bot.py run

test: system-packages-test $(VENV)/.installed
	$(BIN)/python -m pytest

system-packages:
	@scripts/install-system-packages.sh

system-packages-test:
	@scripts/install-system-packages.sh --test

# Reinstalled whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

emulator: $(VENV)/.installed
	$(BIN)/python bot.py emulator

migrate: $(VENV)/.installed
	$(BIN)/python bot.py db upgrade

check-config: $(VENV)/.installed
	$(BIN)/python bot.py check-config

clean:
	rm -rf $(VENV) build *.egg-info test-output .pytest_cache
