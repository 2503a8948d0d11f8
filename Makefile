# Quick start: `make run` opens the app, `make test` runs the whole suite headless.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench lint format screenshot clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/annotator

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

bench: $(STAMP)
	@if ls benchmarks/bench_*.py >/dev/null 2>&1; then \
		QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks; \
	else echo "no benchmarks yet"; fi

lint: $(STAMP)
	$(BIN)/ruff check annotator tests benchmarks
	$(BIN)/ruff format --check annotator tests benchmarks

format: $(STAMP)
	$(BIN)/ruff format annotator tests benchmarks
	$(BIN)/ruff check --fix annotator tests benchmarks

screenshot: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/make_screenshot.py docs/screenshot.png

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .hypothesis
