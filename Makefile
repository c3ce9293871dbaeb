# Two commands on a fresh machine: `make demo` and `make test`. Both create .venv themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO   ?= demo
SIZES  ?= 10000,100000,1000000

.PHONY: install demo test browser lint bench clean

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/recon demo --dir $(DEMO)

# Chromium for the dashboard's browser test (Debian packages, as in CI). Never fails the build: without it
# the browser test skips and says why.
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) \
			|| echo "make: could not install chromium; the browser test will skip"; \
	else echo "make: chromium is not installed and apt-get is not available as root; the browser test will skip"; fi

# ruff and mypy --strict (pyproject's [tool.mypy] strict = true) first: CI runs `make test`, so they gate it.
test: $(STAMP) browser lint
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check recon tests fixtures dashboards bench
	$(BIN)/mypy --strict recon

# Generated data sets are cached in bench/data/ (about 2 GB and 10+ minutes for the 1M set the first time).
bench: $(STAMP)
	$(BIN)/python bench/run.py --sizes $(SIZES)

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .mypy_cache .ruff_cache *.egg-info
