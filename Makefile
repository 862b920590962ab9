# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint bench clean system-deps prices

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

run: $(VENV)/.runtime
	$(BIN)/streamlit run streamlit_app.py --server.port $(PORT)

# Re-read the catalogue's prices from the newest litellm wheel (pip download, no install).
prices: $(VENV)/.runtime
	$(BIN)/python -m estimators.price_refresh

# Debian's chromium drives the end-to-end tests (no browser download).
system-deps:
	@command -v chromium >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium and poppler-utils for the browser and PDF tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; }

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: $(VENV)/.dev system-deps lint
	$(BIN)/python -m pytest

# Every bench script prints its own figures and records the headline ones; then one table.
bench: $(VENV)/.dev
	@mkdir -p artifacts && rm -f artifacts/bench-figures.jsonl
	@for script in bench/[a-z]*.py; do \
	  [ "$$script" = bench/summary.py ] && continue; \
	  echo "== $$script"; \
	  BENCH_FIGURES=artifacts/bench-figures.jsonl PYTHONPATH=. $(BIN)/python $$script || exit 1; \
	done
	@PYTHONPATH=. $(BIN)/python bench/summary.py artifacts/bench-figures.jsonl

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis artifacts
