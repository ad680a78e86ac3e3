# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
DATA ?= data

.PHONY: install run test browser bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@# An editable install leaves the lab's own modules uncompiled: compiled here, `lab up` is ready
	@# 0.2 s sooner even where PYTHONDONTWRITEBYTECODE is set (bench/README.md).
	$(PY) -m compileall -q simcore lab okta_sim cybozu_sim
	touch $(STAMP)

# The virtualenv with the lab and its test tools (what CI jobs start with, docs/ci.md).
install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/lab up --data-dir $(DATA)

browser: $(STAMP)
	$(PY) -m lab.browser --install

# Every test, and every scenario through both drivers with their end states compared (the UI
# driver clicks the consoles in Chromium), in one run: one start-up, the workers share the work,
# and each keeps one browser for its UI scenarios.
test: $(STAMP) browser
	$(PY) -m pytest -n auto --dist worksteal --scenario-driver both

# W1-W4 and `make test` on a clean clone, each figure met or not (bench/README.md);
# `make bench BENCH_ARGS=--no-make-test` leaves the clean clone out. pyinstrument (the bench
# extra) serves `python -m bench.profile`.
bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) -m bench $(BENCH_ARGS)

# ruff, and the architecture's import-linter contracts (pyproject.toml, docs/architecture.md).
lint: $(STAMP)
	$(VENV)/bin/ruff check simcore lab okta_sim cybozu_sim tests bench
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) build *.egg-info
