# Two commands on a fresh machine: `make run` and `make test`.
# Each creates .venv and installs what it needs on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Demo respondents per questionnaire that `make run` puts in a new database.
DEMO_RESPONDENTS ?= 200
# Demonstration sign-ins that `make run` creates once and prints (local use only).
DEMO_ANALYST ?= analyste@demo.vigie.test
DEMO_ANALYST_PASSWORD ?= analyste-demo-2026
DEMO_PARTNER ?= locataires@demo.vigie.test
DEMO_PARTNER_PASSWORD ?= partenaire-demo-2026

PHONY_WEB := run demo screenshots bench-web
.PHONY: $(PHONY_WEB) test lint typecheck format pytest bench clean catalogs catalogs-extract catalogs-update

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: serve the residents' web form on http://127.0.0.1:5000 (migrates; demo database on first run only)
run: $(STAMP) catalogs instance/secret_key
	@echo "== Migrating the database (DATABASE_URL, else sqlite:///instance/vigie.db)"
	VIGIE_SECRET_KEY="$$(cat instance/secret_key)" $(BIN)/vigie db upgrade
	@if [ -f instance/.demo-built ]; then echo "== Demonstration database already built (instance/.demo-built): reused"; \
	else echo "== First run: registering the questionnaires and building the demonstration database" && \
	  VIGIE_SECRET_KEY="$$(cat instance/secret_key)" $(BIN)/vigie demo populate --respondents $(DEMO_RESPONDENTS) && touch instance/.demo-built; fi
	@if [ ! -f instance/.demo-accounts ]; then echo "== Demonstration accounts: an analyst and a partner organisation" && \
	  { echo "$(DEMO_ANALYST_PASSWORD)" | $(BIN)/vigie users create $(DEMO_ANALYST) --role analyst --password-stdin || true; } && \
	  { echo "$(DEMO_PARTNER_PASSWORD)" | $(BIN)/vigie users create $(DEMO_PARTNER) --role partner --password-stdin \
	    --organisation "Association des locataires de Sherbrooke (démo)" || true; } && touch instance/.demo-accounts; fi
	@echo "== Serving the web form (Ctrl+C to stop)"
	@echo "   Open      http://127.0.0.1:5000/"
	@echo "   Campaign  http://127.0.0.1:5000/c/demo-perceived-safety-locataires  (a community organisation's link, Sherbrooke preset)"
	@echo "   Analyst   http://127.0.0.1:5000/analyst/  $(DEMO_ANALYST) / $(DEMO_ANALYST_PASSWORD)"
	@echo "   Partner   http://127.0.0.1:5000/analyst/  $(DEMO_PARTNER) / $(DEMO_PARTNER_PASSWORD)"
	@echo "   Public    http://127.0.0.1:5000/results/"
	@VIGIE_SECRET_KEY="$$(cat instance/secret_key)" $(BIN)/vigie worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  VIGIE_SECRET_KEY="$$(cat instance/secret_key)" VIGIE_SECURE_COOKIES=0 $(BIN)/vigie run --host 127.0.0.1 --port 5000

# A random development secret for `make run`, made once (never used in production).
instance/secret_key:
	mkdir -p instance
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(32))" > $@

## demo: check and simulate the questionnaires, then fill a demonstration database and estimate from it
demo: $(STAMP)
	@echo "== 1/5 Checking the shipped questionnaires (survey_defs/*.yaml)"
	$(BIN)/vigie survey check survey_defs/*.yaml
	@echo "== 2/5 Walking random respondents through each questionnaire"
	$(BIN)/vigie survey simulate survey_defs/perceived_safety.yaml --paths 2000
	$(BIN)/vigie survey simulate survey_defs/victimisation.yaml --paths 2000
	@echo "== 3/5 Migrating the database (DATABASE_URL, else sqlite:///instance/vigie.db) and filling it with demonstration respondents"
	$(BIN)/vigie db upgrade
	$(BIN)/vigie demo populate
	@echo "== 4/5 Weighted municipal estimates (200 bootstrap replicates)"
	mkdir -p instance
	$(BIN)/vigie estimate --survey perceived_safety --replicates 200 --out instance/results_perceived_safety.csv
	$(BIN)/vigie estimate --survey victimisation --replicates 200 --out instance/results_victimisation.csv
	@echo "== 5/5 A few of the estimates"
	$(BIN)/vigie demo summary instance/results_perceived_safety.csv instance/results_victimisation.csv

## screenshots: phone-width pictures of the running web form for the README (start `make run` first)
screenshots: $(STAMP)
	$(BIN)/python tools/web_screenshots.py --url http://127.0.0.1:5000

## bench-web: answer posts per second under gunicorn (SQLite, PostgreSQL, bare Flask); writes docs/benchmarks.md
bench-web: $(STAMP)
	$(BIN)/python bench/web.py --seconds 10 --write docs/benchmarks.md

## test: lint (with the import contracts of .importlinter), type-check and run the whole test suite
test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

typecheck: $(STAMP)
	$(BIN)/mypy

# Two processes (pytest-xdist), a test file per process at a time: every test has its own
# database (a SQLite file, a PostgreSQL schema) and its own ports, so files never meet.
PYTEST_WORKERS ?= 2
pytest: $(STAMP) catalogs
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadfile

## catalogs: compile the gettext catalogs (i18n/locale/*/LC_MESSAGES/vigie.po -> .mo)
catalogs: $(STAMP)
	$(BIN)/pybabel --quiet compile -d i18n/locale -D vigie
	$(BIN)/pybabel --quiet compile -d i18n/locale -D click

## catalogs-extract: collect every message id from the code into i18n/vigie.pot
# (tests/i18n/test_catalogs.py extracts with the same keywords and folders: keep them in step)
catalogs-extract: $(STAMP)
	$(BIN)/pybabel --quiet extract -F i18n/babel.cfg --no-default-keywords -k translate:2 -k translate_plural:2,3 -k help_text -k N_ -k _ -k t --no-location --sort-output -o i18n/vigie.pot questionnaire storage intake analysis i18n $(wildcard observatory webapp bot vigie_cli demo)

## catalogs-update: merge new message ids into the French and English catalogs (and drop unused ones)
catalogs-update: catalogs-extract
	$(BIN)/pybabel --quiet update --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date -i i18n/vigie.pot -d i18n/locale -D vigie

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
