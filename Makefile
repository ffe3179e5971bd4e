# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Reinstall whenever the dependencies in pyproject.toml change.
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install run test publish clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("newsetl needs Python 3.11 or newer" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

## Load seeds/ into the embedded PostgreSQL and serve it with Datasette on http://127.0.0.1:8001/
run: install
	$(BIN)/newsetl load --newspaper 焦作日报 seeds/
	$(BIN)/newsetl serve

## Run the test suite (embedded PostgreSQL, or $$DATABASE_URL when set)
test: install
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .newsetl .pytest_cache test-artifacts
