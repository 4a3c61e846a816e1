# signoff: the first two targets are the README's first two commands.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
AXE := tests/browser/node_modules/axe-core/axe.min.js

.PHONY: demo test lint unit bench serve browser clean

demo: $(STAMP) ## run the product on its embedded defaults, with a demo sign-off
	$(BIN)/signoff demo

test: $(STAMP) browser lint ## every check and every test
	$(BIN)/pytest

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

browser: $(AXE) ## Debian's Chromium for the browser tests (never a downloaded browser), and axe-core
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
		else echo "Browser tests need Debian's chromium: sudo apt-get install chromium"; exit 1; fi; }

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --loglevel=error
	touch $(AXE)

lint: $(STAMP)
	$(BIN)/ruff check governance flows notifications tests
	$(BIN)/ruff format --check governance flows notifications tests
	$(BIN)/mypy
	$(BIN)/lint-imports

unit: $(STAMP)
	$(BIN)/pytest tests/unit -q

bench: $(STAMP)
	$(BIN)/signoff bench

serve: $(STAMP)
	$(BIN)/signoff serve

clean:
	rm -rf $(VENV) .signoff .pytest_cache .mypy_cache .ruff_cache tests/browser/node_modules
