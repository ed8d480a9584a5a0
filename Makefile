# Two commands: `make run` serves the site, `make test` runs lint and tests.
# Both create .venv and install the pinned requirements on first use.

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test test-postgres bench lint format check-python clean

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
		{ echo "Python 3.11 or newer is needed; found: $$($(PYTHON) --version 2>&1). Set PYTHON=/path/to/python3.11."; exit 1; }

$(VENV)/.runtime: requirements.txt | check-python
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# axe-core for the accessibility checks of the browser tests. Without npm the
# browser tests that need it are skipped (and fail in CI).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: install Node.js and npm (sudo apt-get install npm) for the accessibility tests."; \
	fi

# Development mode unless DJANGO_DEBUG is set: debug pages and a local key.
run: export DJANGO_DEBUG ?= 1
run: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py first_admin_link --base-url http://127.0.0.1:$(PORT)
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: export DJANGO_DEBUG ?= 1
test: lint node_modules/.installed
	$(PY) -m pytest

$(VENV)/.bench: requirements-bench.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $@

# Load benchmark on 127.0.0.1; writes docs/benchmarks.md. See bench/run.py.
bench: $(VENV)/.bench
	$(PY) -m bench.run

# The test suite again, against the PostgreSQL database that DATABASE_URL
# names. Its role must be allowed to create the test database.
test-postgres: export DJANGO_DEBUG ?= 1
test-postgres: $(VENV)/.dev
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
		*) echo "Set DATABASE_URL=postgres://USER:PASSWORD@127.0.0.1:5432/NAME to run this."; exit 1;; esac
	$(PY) -m pytest

clean:
	rm -rf $(VENV) node_modules staticfiles test-artifacts .pytest_cache .ruff_cache
