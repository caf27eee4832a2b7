# govgraph: `make run` and `make test` work on a fresh machine with python3.
VENV    ?= .venv
PY      := $(VENV)/bin/python
GG      := $(VENV)/bin/govgraph
STORE   ?= govgraph-store
HOST    ?= 127.0.0.1
PORT    ?= 8000
STAMP   := $(VENV)/.installed

.PHONY: setup run ingest test bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

## Ingest the bundled papers into the embedded store and say what was found.
ingest: setup
	$(GG) ingest examples/coventry --store $(STORE)

## Ingest, then serve the API and views on http://$(HOST):$(PORT)/
run: ingest
	$(GG) serve --store $(STORE) --host $(HOST) --port $(PORT)

## The whole suite, with the layers contract.
test: setup
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest -q

bench: setup
	$(PY) bench/run.py $(if $(QUICK),--quick,)

clean:
	rm -rf $(STORE) build *.egg-info .pytest_cache
