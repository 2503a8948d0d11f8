# Quick start: `make run` opens the app, `make test` runs the whole suite headless.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# `make run` needs only what running needs; `make test` and friends add the dev tools.
RUN_STAMP := $(VENV)/.installed-run

.PHONY: run test bench lint format screenshot clean dist dist-smoke icons validate-desktop \
	install-desktop uninstall-desktop

# Desktop integration (packaging/linux): `make install-desktop PREFIX=/usr/local EXEC=/opt/...`
PREFIX ?= $(HOME)/.local
EXEC   ?= annotator

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP) $(RUN_STAMP)

$(RUN_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUN_STAMP)

run: $(RUN_STAMP)
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

# The one-folder bundle dist/annotator/ and dist/annotator-VERSION-linux-ARCH.tar.gz, built in
# its own venv (build/dist-venv) and smoke-tested as the last step (packaging/build.sh).
dist:
	PYTHON=$(PYTHON) bash packaging/build.sh

dist-smoke:
	bash packaging/smoke.sh $(firstword $(wildcard dist/annotator-*.tar.gz) dist/annotator)

icons: $(STAMP)
	$(BIN)/python packaging/make_icons.py

validate-desktop:
	sh packaging/linux/validate.sh

install-desktop:
	sh packaging/linux/install-desktop.sh --prefix $(PREFIX) --exec $(EXEC)

uninstall-desktop:
	sh packaging/linux/install-desktop.sh --prefix $(PREFIX) --uninstall

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .hypothesis
