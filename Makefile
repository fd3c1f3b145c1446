# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EVENT ?= data/gcm2020-unece
OUT ?= out

.PHONY: run test lint bench bench-quick clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

$(VENV)/.installed-notebook: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[notebook]'
	touch $(VENV)/.installed $@

.PHONY: notebook
# Installs JupyterLab into .venv and opens the organiser walkthrough in the browser.
notebook: $(VENV)/.installed-notebook
	$(BIN)/jupyter lab notebooks/organiser_walkthrough.ipynb

run: $(VENV)/.installed
	$(BIN)/scheduler plan $(EVENT) --out $(OUT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check scheduler tests data $(wildcard benchmarks)
	$(BIN)/mypy scheduler

test: lint
	$(BIN)/pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks.run --sizes S M L XL

bench-quick: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks.run --sizes S M

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache
