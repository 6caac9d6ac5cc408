# Two commands on a fresh machine: `make run` and `make test`.
# Each creates .venv and installs what it needs on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck format pytest bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: check the shipped questionnaires and walk random paths through them
run: $(STAMP)
	@echo "Checking the shipped questionnaires (survey_defs/*.yaml)..."
	$(BIN)/vigie survey check survey_defs/*.yaml
	@echo "Walking 2000 random respondents through each questionnaire..."
	@for f in survey_defs/*.yaml; do $(BIN)/vigie survey simulate $$f --paths 2000 || exit 1; done

## test: lint, type-check and run the whole test suite
test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## bench: measure intake, raking (beside its peers) and the full pipeline; writes docs/benchmarks.md
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	test -x .venv-balance/bin/python || ($(PYTHON) -m venv .venv-balance && .venv-balance/bin/python -m pip install --quiet balance)
	$(BIN)/python bench/intake.py
	$(BIN)/python bench/weighting.py --balance-python .venv-balance/bin/python --write docs/benchmarks.md
	$(BIN)/python bench/pipeline.py

clean:
	rm -rf $(VENV) .venv-balance .pytest_cache .mypy_cache .ruff_cache
