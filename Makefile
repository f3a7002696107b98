# Two commands on a fresh machine: `make preview` and `make test`. Both create the virtualenv
# when it is missing or older than pyproject.toml, so no separate setup step exists.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
STACK  ?= demo

.PHONY: preview test lint typecheck unit bench schema report golden pack-contracts clean

# --no-compile: pip would byte-compile every installed module (the SDKs hold thousands) for about a
# minute of CPU; Python compiles the few hundred a run imports, once, when it first imports them.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-compile -e '.[dev]'
	@touch $(STAMP)

preview: $(STAMP)
	$(BIN)/frontdoor preview --stack $(STACK)

report: $(STAMP)
	$(BIN)/frontdoor access-report --stack $(STACK)

schema: $(STAMP)
	$(BIN)/frontdoor schema

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy components frontdoor __main__.py
	$(BIN)/mypy policy

unit: $(STAMP)
	$(BIN)/python -m pytest

# The linters, both type checks and the suite run at once: mypy's first run in a fresh clone takes a
# core for over a minute, which the suite's own time covers on a 2-core machine. Each target's output
# is printed whole when it ends; make exits non-zero if any of them failed.
test: $(STAMP)
	@$(MAKE) --no-print-directory --jobs=3 --output-sync=target lint typecheck unit

# Accept a change of resource identities deliberately (see README "Identity is a contract").
# Judged on the day the test suite pins (tests/conftest.py), or a dated grant drops out of the snapshot.
GOLDEN_TODAY := 2026-11-28
golden: $(STAMP)
	FRONTDOOR_TODAY=$(GOLDEN_TODAY) $(BIN)/frontdoor identities --stack demo > tests/golden/demo-identities.tsv
	FRONTDOOR_TODAY=$(GOLDEN_TODAY) $(BIN)/frontdoor identities --stack monitoring \
		> tests/golden/monitoring-identities.tsv

# The pack's copy of the program's contract module (policy/rules/_contracts.py) and its table of IAM
# actions (policy/rules/_iam_actions.json, from parliament's iam_definition.json): generated, never edited.
pack-contracts: $(STAMP)
	$(BIN)/python -m frontdoor.offline.pack_contracts
	$(BIN)/python -m frontdoor.offline.pack_iam_actions

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache build *.egg-info
