# Two commands on a fresh machine: `make demo` and `make test`. Both create .venv themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO   ?= demo
SIZES  ?= 10000,100000,1000000

.PHONY: install demo test lint bench bench-reference clean

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/recon demo --dir $(DEMO)

# The dashboard's browser test drives headless Chromium. `make test` never installs anything system-wide:
# without chromium and chromedriver the browser test is skipped and pytest prints why (-rs). CI installs
# them first (.ci/run); on Debian: apt-get install chromium chromium-driver.
# ruff and mypy --strict first (lint): CI runs `make test`, so they gate it.
test: $(STAMP) lint
	$(BIN)/python -m pytest -n 2 -rs -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check recon tests fixtures dashboards bench
	$(BIN)/mypy --strict recon

# Generated data sets are cached in bench/data/ (about 2 GB for the 1M set). `make bench` rewrites
# bench/results.json and the results section of bench/README.md; `make bench SIZES=10000000` adds the 10M
# run and its linearity note; `make bench-reference` stores the exactness reference (before speed work).
REPEAT ?= 3
bench: $(STAMP)
	$(BIN)/python bench/run.py --sizes $(SIZES) --repeat $(REPEAT) --readme bench/README.md

bench-reference: $(STAMP)
	$(BIN)/python bench/run.py --sizes $(SIZES) --repeat 1 --write-reference --out bench/reference/results.json

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .mypy_cache .ruff_cache *.egg-info
