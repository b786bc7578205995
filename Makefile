# make run   set up .venv, serve the bundled replica sites, crawl them all into output/crawl.db,
#            write output/articles.jsonl and print a per-site summary (offline; nothing leaves 127.0.0.1)
# make test  set up .venv with the test dependencies and run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8800

.PHONY: install install-test run test clean

# The venv's own pip, not upgraded: `make` installs the way a user's `pip install .` does.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	PORT=$(PORT) BIN=$(BIN) bash scripts/run_replica_crawl.sh

test: install-test
	$(BIN)/python -m pytest

clean:
	rm -rf output/*.db output/*.db-* output/*.jsonl output/*.log .pytest_cache
