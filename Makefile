# One command sets up and runs the demo, one sets up and runs the tests (see README).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
DEMO_PORT ?= 8000
WORLD_ATLAS := newstrace/web/static/vendor/world-atlas

.PHONY: demo test lint schema eval bench bench-ingest bench-link load fuzz vendor-map clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,eval]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/newstrace analyze examples/*.txt --format text --timings
	rm -f demo.duckdb
	$(VENV)/bin/newstrace ingest examples tests/data/kirkuk_reports.jsonl --db demo.duckdb
	$(VENV)/bin/newstrace events --db demo.duckdb --limit 15
	$(VENV)/bin/newstrace stats --db demo.duckdb
	$(VENV)/bin/newstrace link --db demo.duckdb
	$(VENV)/bin/newstrace stories --db demo.duckdb --limit 10
# Last: the web app on the demo store; it prints its URL and runs until Ctrl-C.
	$(VENV)/bin/newstrace serve --db demo.duckdb --port $(DEMO_PORT)

test: $(STAMP)
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check newstrace tests bench fuzz

# Every fuzz target for FUZZ_SECONDS each (docs/reliability.md): atheris where the `fuzz` extra installs,
# hypothesis otherwise. Crashing inputs land in build/fuzz/crashes/, the figures in build/fuzz/summary.json.
FUZZ_SECONDS ?= 60
fuzz: $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,eval,fuzz]' || echo "atheris did not install on this platform: fuzzing with hypothesis only"
	$(PY) -m fuzz.run --seconds $(FUZZ_SECONDS)

eval: $(STAMP)
	$(VENV)/bin/newstrace eval all --json docs/accuracy.json

bench: $(STAMP)
	$(PY) bench/stage_overhead.py
	$(PY) bench/query_events.py
	$(PY) bench/performance.py

bench-ingest: $(STAMP)
	$(PY) bench/ingest.py

# Linking cost at 10k and 100k synthetic events (see docs/stories.md).
bench-link: $(STAMP)
	$(PY) bench/link.py

# A bounded load test of `newstrace serve` (about 3 minutes; see docs/reliability.md).
load: $(STAMP)
	mkdir -p build && $(PY) bench/load.py --json build/load.json

schema: $(STAMP)
	$(VENV)/bin/newstrace schema --output docs/schema.json

# Re-fetch the vendored world map (committed; see its README.md) from the npm registry.
vendor-map:
	rm -rf build/world-atlas && mkdir -p build/world-atlas
	cd build/world-atlas && npm pack --silent world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
	cp build/world-atlas/package/countries-110m.json build/world-atlas/package/LICENSE $(WORLD_ATLAS)/

clean:
	rm -rf $(VENV) build *.egg-info
