# The two commands a newcomer needs: `make deck` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: deck test lint bench golden clean setup

setup: $(STAMP)

# Re-install only when the project's dependency list changes.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

deck: $(STAMP)
	$(BIN)/flashcards build source

test: $(STAMP)
	$(BIN)/python -m pytest

# After an intended change in what becomes a card: write the golden files again, review the diff.
golden: $(STAMP)
	$(BIN)/python -m pytest tests/test_golden.py --update-golden -q

lint: $(STAMP)
	$(BIN)/ruff check flashcards tests benchmarks
	$(BIN)/mypy

bench: $(VENV)/.bench-installed
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/stages.py

$(VENV)/.bench-installed: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $@

clean:
	rm -rf build "$${XDG_CACHE_HOME:-$$HOME/.cache}/flashcards"
