# One entry point for every task; `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
LOCK := requirements/lock.txt
PORT ?= 8000
COMPOSE := docker compose -f compose/docker-compose.yml
# `make run` is the embedded default: SQLite, in-memory channels, in-process tasks.
RUN_ENV := DEBUG=$${DEBUG:-true}

.PHONY: help setup run test test-cov test-e2e fuzz up down migrate lint lint-fix typecheck \
	import-check contract-check contract format shell logs bench bench-live messages \
	compilemessages lock lock-check test-timetravel security

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

# Installs exactly the lock (every pin hashed, nothing resolved: the same packages on
# any date), then the project itself with no dependencies and no build isolation
# (setuptools, its build backend, is in the lock too; -qq hides its editable-install
# notice, errors still show).
$(STAMP): pyproject.toml $(LOCK)
	@PYTHON=$$(scripts/find-python.sh) || exit 1; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$PYTHON"; "$$PYTHON" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(PY) -m pip install -qq --no-deps --no-build-isolation -e .
	@touch $(STAMP)

setup: $(STAMP) ## Create the virtualenv and install everything from the lock

# The lock is made by uv (in the dev extra, so it comes from the lock too): it resolves
# one universal lock, with hashes, for Python 3.12 and 3.13 on every platform at once;
# pip-tools resolves only for the interpreter it runs on. The build backend is locked too.
lock: $(STAMP) ## Re-resolve requirements/lock.txt from pyproject.toml (LOCK_ARGS=--upgrade)
	set -o pipefail; $(PY) scripts/check_lock.py --build-requires \
		| $(BIN)/uv pip compile --quiet --universal --generate-hashes --python-version 3.12 \
			--extra dev --custom-compile-command 'make lock' $(LOCK_ARGS) \
			-o $(LOCK) pyproject.toml -

security: setup ## bandit (medium and above) and a dependency audit of the lock
	$(BIN)/bandit -q -ll -c pyproject.toml -r modules config contracts
	$(PY) scripts/audit_dependencies.py

lock-check: setup ## Fail when requirements/lock.txt and pyproject.toml disagree (offline)
	@$(PY) scripts/check_lock.py

migrate: setup ## Apply database migrations
	$(RUN_ENV) $(PY) manage.py migrate --noinput

# run_demo checks the database and Redis, migrates, seeds, starts Daphne, and prints
# the demo credentials and the URL once the server answers.
run: setup ## Set up, migrate, seed the demo user and serve on 127.0.0.1:$(PORT)
	@$(RUN_ENV) SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} \
		$(PY) manage.py run_demo --host 127.0.0.1 --port $(PORT)

test: setup ## Run the whole test suite (unit, integration, browser) with coverage
	$(BIN)/pytest --cov --cov-report=term --cov-report=xml:var/coverage.xml $(PYTEST_ARGS)

test-cov: test ## Same as test; the coverage report is in var/coverage.xml

# Unit and integration tests again with the clock moved (time-machine; see TEST_CLOCK in
# tests/conftest.py): to a leap-day month end over a year ahead, then to a minute before
# Europe/Madrid springs forward (01:00 UTC). No coverage, for speed.
TIMETRAVEL_CLOCKS := 2028-02-29T23:30:00+00:00 2028-03-26T00:59:00+00:00

test-timetravel: setup ## Unit and integration tests under moved clocks (month end, DST)
	@for clock in $(TIMETRAVEL_CLOCKS); do \
		echo "--- TEST_CLOCK=$$clock"; \
		TEST_CLOCK=$$clock $(BIN)/pytest tests/unit tests/integration -q $(PYTEST_ARGS) \
			|| exit 1; \
	done

test-e2e: setup ## Only the browser journeys
	$(BIN)/pytest tests/e2e -m e2e $(PYTEST_ARGS)

fuzz: setup ## The OpenAPI contract fuzzer (schemathesis), every operation, fixed budget and seed (a CI step)
	DEBUG=true FUZZ=1 $(BIN)/pytest tests/fuzz -p no:randomly $(PYTEST_ARGS)

lint: setup ## Ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lint-fix: setup ## Ruff with fixes
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

format: setup ## Format the code
	$(BIN)/ruff format .

typecheck: setup ## mypy on domain/ and application/
	$(BIN)/mypy

import-check: setup ## Layer and module boundaries (import-linter)
	$(BIN)/lint-imports

contract: setup ## Regenerate contracts/openapi.yaml and the event schemas from the code
	DEBUG=true $(PY) manage.py spectacular --file contracts/openapi.yaml --validate --fail-on-warn
	$(PY) -m contracts.events.schemas

contract-check: setup ## Fail when contracts/ (OpenAPI, event schemas) differ from the code
	@DEBUG=true $(PY) manage.py spectacular --file var/openapi.yaml --validate --fail-on-warn
	@diff -u contracts/openapi.yaml var/openapi.yaml \
		|| (echo "contracts/openapi.yaml is stale: run 'make contract' and commit it" && exit 1)
	@$(PY) -m contracts.events.schemas --check
	@echo "OpenAPI contract and event schemas are valid and up to date."

messages: setup ## Extract translatable strings into locale/*/LC_MESSAGES/django.po
	DEBUG=true $(PY) manage.py makemessages -l en -l es --ignore=.venv --ignore=var --ignore=tests --ignore=bench
	@# msgmerge guesses a translation for a new string from a similar old one (fuzzy):
	@# a wrong guess is worse than none, so new strings start empty.
	@for po in locale/*/LC_MESSAGES/django.po; do \
		msgattrib --clear-fuzzy --empty --clear-previous -o $$po $$po || exit 1; done

compilemessages: setup ## Compile the .po catalogues into .mo
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv

shell: setup ## A Django shell
	$(RUN_ENV) $(PY) manage.py shell

bench: setup ## The benchmark on the production shape (PostgreSQL, Redis): one results file per run
	$(PY) bench/run.py

bench-live: setup ## Only its live-updates part (PostgreSQL and Redis): bench/results/*-live-*.json
	$(PY) bench/live.py

# The production shape on this machine, no Docker (compose/stack.py, the Procfile, ADR
# 0009): proxy on 127.0.0.1:$(PORT), gunicorn, Daphne, Celery worker and beat, against
# DATABASE_URL and REDIS_URL. The containers: $(COMPOSE) up --build -d.
up: ## Start the full stack here in the background (needs DATABASE_URL and REDIS_URL)
	@PYTHON=$$(scripts/find-python.sh) && "$$PYTHON" compose/stack.py check
	@$(MAKE) -q --no-print-directory setup || $(MAKE) --no-print-directory setup
	@PORT=$(PORT) $(PY) compose/stack.py up

down: ## Stop the stack `make up` started
	@PYTHON=$$(scripts/find-python.sh) && "$$PYTHON" compose/stack.py down

logs: ## Follow the logs of the stack `make up` started
	@PYTHON=$$(scripts/find-python.sh) && "$$PYTHON" compose/stack.py logs
