# Development tasks for conflictmodel. Needs only python3 and make; everything
# else is installed into $(VENV) from PyPI on first use.

PYTHON ?= python3
VENV = .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed

.DEFAULT_GOAL := test
.PHONY: demo test lint typecheck pytest docs docs-html docs-doctest bench clean

# (Re)install the virtualenv whenever pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e '.[dev,arrow,spark,plot,linkage]'
	touch $@

# The demo needs only the library: its own venv, no test, docs or lint tools.
DEMO_VENV = .venv-demo

demo:
	test -x $(DEMO_VENV)/bin/python || $(PYTHON) -m venv $(DEMO_VENV)
	$(DEMO_VENV)/bin/python -m pip install --quiet .
	$(DEMO_VENV)/bin/conflictmodel demo

# The full check that CI runs (.ci/run): lint, types, tests, docs and doctests. Lint and types
# run side by side, as do the two Sphinx builds: one per core.
test: $(STAMP)
	$(MAKE) -j2 --output-sync=target lint typecheck
	$(MAKE) pytest
	$(MAKE) docs

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy --strict src tests benchmarks

# Spark tests share one session: they run in one xdist group (--dist loadgroup).
# pytest exits 5 when no test was collected; make treats that as a failure.
# The examples in every module's docstrings run too; the two slow Hypothesis searches of
# conflictmodel.testing run in the Sphinx doctest build (the API page shows them).
SPHINX_RUNS = src/conflictmodel/testing/records.py::conflictmodel.testing.records
pytest: $(STAMP)
	HYPOTHESIS_PROFILE=ci $(BIN)/pytest -n 2 --dist loadgroup -p no:cacheprovider \
		--doctest-modules tests src/conflictmodel \
		--deselect $(SPHINX_RUNS).registered_events --deselect $(SPHINX_RUNS).records_of

docs: $(STAMP)
	$(MAKE) -j2 --output-sync=target docs-html docs-doctest

docs-html: $(STAMP)
	$(BIN)/sphinx-build -W --keep-going -b html docs docs/_build/html

docs-doctest: $(STAMP)
	$(BIN)/sphinx-build -W --keep-going -b doctest docs docs/_build/doctest

# Writes docs/performance.md; options in benchmarks/__main__.py, e.g. make bench BENCH="--sizes 10k".
bench: $(STAMP)
	$(BIN)/python -m benchmarks $(BENCH)

clean:
	rm -rf docs/_build build dist .hypothesis .mypy_cache .ruff_cache .pytest_cache
	rm -rf src/*.egg-info $(DEMO_VENV)
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
