# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Stamps: reinstall whenever the dependencies in pyproject.toml change. `make run` needs the runtime
# dependencies only; `make test` (and `make install`, for developers) adds the test extras.
DEPS      := $(shell cksum pyproject.toml | cut -d' ' -f1)
STAMP_RUN := $(VENV)/.installed-run-$(DEPS)
STAMP_DEV := $(VENV)/.installed-dev-$(DEPS)

.PHONY: install install-run run test publish clean

$(STAMP_RUN): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("newsetl needs Python 3.11 or newer" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	rm -f $(VENV)/.installed-*
	touch $@

$(STAMP_DEV): $(STAMP_RUN)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

## Runtime dependencies only (what `make run` needs)
install-run: $(STAMP_RUN)

## Runtime dependencies and the test extras (pytest, hypothesis, playwright)
install: $(STAMP_DEV)

## Load seeds/ into the embedded PostgreSQL and serve it with Datasette on http://127.0.0.1:8001/
run: install-run
	$(BIN)/newsetl load --newspaper 焦作日报 seeds/
	$(BIN)/newsetl serve

## Run the test suite (embedded PostgreSQL, or $$DATABASE_URL when set)
test: install
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .newsetl .pytest_cache test-artifacts
