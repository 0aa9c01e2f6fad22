VENV ?= .venv
PY := $(VENV)/bin/python
LW := $(VENV)/bin/lurewatch

.PHONY: setup run test test-fast lint bench bench-scale eval train contract fuzz

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

run: setup  ## the main job on the bundled sample data, in a SQLite file
	$(LW) demo

test: setup  ## the whole suite: fast tests plus the slow and service-backed ones (those skip when their service is absent)
	$(PY) -m pytest -m "" -p no:cacheprovider

test-fast: setup  ## the fast tests only (the default `pytest` selection)
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/mypy src/lurewatch

bench: setup  ## every benchmark; each rewrites its table in docs/benchmarks/
	$(PY) -m benchmarks

bench-scale: setup  ## only the scaling (ingest + analyze) and templates end-to-end tables
	$(PY) -m benchmarks scale templates_e2e

eval: setup
	$(LW) eval

train: setup
	$(LW) train

contract: setup
	../shared/tools/contract-check $(LW)

fuzz: setup  ## the long fuzz run: 100,000 hostile inputs per reader, 0 crashes expected; writes docs/benchmarks/fuzz.md
	PYTHONPATH=$(CURDIR)/src $(PY) tests/fuzz/run.py $(FUZZ_ARGS)
