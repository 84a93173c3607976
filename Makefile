# Premier Desk: `make run` starts the whole service with demo data; `make test` checks it all.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test lint typecheck pytest bench load load-scale-out clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11+ is needed: apt-get install python3 python3-venv"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is needed; $(PYTHON) is $$($(PYTHON) --version 2>&1). Set PYTHON=python3.11 or install a newer python3."; exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { echo "Python's venv module is missing: apt-get install python3-venv"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $(STAMP)

run: $(STAMP)
	@$(BIN)/premierdesk up

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy premierdesk tests bench

pytest: $(STAMP)
	@if [ -x "$(CHROMIUM)" ]; then \
		$(BIN)/pytest; \
	else \
		echo "Chromium not found at $(CHROMIUM): browser tests not run (apt-get install chromium to run them)."; \
		$(BIN)/pytest -m "not browser"; \
	fi

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python -m bench

# Locust, headless, with the JSM toolkit's mix, against the server running at PORT (default
# 8000); the people come from `premierdesk bench-data`. LOAD_ARGS passes more (--rates …).
load: $(STAMP)
	$(BIN)/premierdesk loadtest --host http://127.0.0.1:$${PORT:-8000} $(LOAD_ARGS)

# The same with two servers, two workers and two schedulers it starts on one PostgreSQL
# (DATABASE_URL), then the check that every handover, alert, survey and e-mail happened once.
load-scale-out: $(STAMP)
	$(BIN)/premierdesk loadtest --scale-out $(LOAD_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache
