# Q2O Forge: `make run` sets up and runs the main job; `make test` sets up and runs the tests.
VENV ?= .venv
PYTHON ?= python3
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
TASK ?= CRUD API for Customer records
STACK ?= python,fastapi

.PHONY: setup run test bench lint

$(STAMP): pyproject.toml
	@bash scripts/system-deps
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	@rm -f $(VENV)/.installed-*; touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/q2o generate "$(TASK)" --stack $(STACK)

test: $(STAMP)
	@bash scripts/browser-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest -q

bench: $(STAMP)
	$(VENV)/bin/python bench/overhead.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
