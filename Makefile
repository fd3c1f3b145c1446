# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EVENT ?= data/gcm2020-unece
OUT ?= out

.PHONY: run test lint system-packages bench bench-quick clean

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

# Programs the tests run from Debian's packages: LibreOffice prints the run-of-show to count its pages; headless
# Chromium and its driver open the public programme page (Selenium is pointed at them: nothing is downloaded).
# Installed when missing (as root, as on CI); otherwise the command to run is printed and make stops.
SYSTEM_PACKAGES := libreoffice-calc-nogui fonts-dejavu-core chromium chromium-driver
system-packages:
	@{ command -v soffice && test -x /usr/bin/chromium && test -x /usr/bin/chromedriver; } >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES); \
	  else \
	    echo "The tests need LibreOffice and Chromium: run  sudo apt-get install $(SYSTEM_PACKAGES)" >&2; exit 1; \
	  fi; }

test: lint system-packages
	$(BIN)/pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks.run --sizes S M L XL
	$(BIN)/python -m benchmarks.race --runs 5

bench-quick: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks.run --sizes S M

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache
