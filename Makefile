# Parley: `make run` starts the app, `make test` runs every check. Both set everything up first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup bytecode run test lint typecheck layers pytest bench screenshots golden clean system-deps

setup: system-deps $(STAMP) bytecode

# The editable install leaves our own modules uncompiled, and with PYTHONDONTWRITEBYTECODE set
# (as on this machine kind) every start compiled them again: about 8 ms of the start-up.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q clinical db desktop reports ui > /dev/null

system-deps:
	@sh scripts/system-deps.sh

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

run: setup
	$(BIN)/parley

test: setup lint typecheck layers pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy

layers:
	$(BIN)/lint-imports

pytest:
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

bench: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

# The demo vault's passphrase is public on purpose: it holds fictional couples only.
DEMO_PASSPHRASE := fictional demo practice
screenshots: setup
	PARLEY_PASSPHRASE="$(DEMO_PASSPHRASE)" $(BIN)/parley demo /tmp/parley-demo/demo.parley --replace
	PARLEY_PASSPHRASE="$(DEMO_PASSPHRASE)" QT_QPA_PLATFORM=offscreen $(BIN)/parley screenshots \
		--vault /tmp/parley-demo/demo.parley --out docs/screenshots

golden: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.reports.regenerate_golden

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache
