# Neural Playground. Quick start: `make run` (serve the app), `make test` (run every test).
# Every target installs what is missing first, so both work on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast bench prod-local worker-cpu worker-gpu install install-dev browser clean npm

# --- installs ---------------------------------------------------------------------------------
$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

# The browser packages (the graph editor), pinned in package-lock.json and served from node_modules/.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@
npm: node_modules/.installed

# Browser tests drive Debian's chromium (a browser download cannot work here); a CJK font makes the
# Chinese screenshots legible.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
browser:
	@command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi wqy || { \
	  echo "installing Debian's chromium and a CJK font for the browser tests"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; }

# --- the embedded default: SQLite, in-process worker, in-memory channel layer -------------------
run: install npm
	$(PY) manage.py migrate --noinput
	@echo "Neural Playground on http://$(HOST):$(PORT)/"
	exec $(VENV)/bin/daphne -b $(HOST) -p $(PORT) playground.asgi:application

# --- the production shape from local processes (Redis + PostgreSQL already running here) --------
prod-local: install
	exec scripts/prod_local.sh

worker-cpu: install
	exec $(VENV)/bin/celery -A playground worker -Q cpu --concurrency=2 -n cpu@%h --loglevel=INFO

# CUDA cannot be re-initialised in a forked child: the GPU worker uses the solo pool.
worker-gpu: install
	exec $(VENV)/bin/celery -A playground worker -Q gpu --pool=solo -n gpu@%h --loglevel=INFO

# --- tests and benchmarks ---------------------------------------------------------------------
test: install-dev browser npm
	$(PY) -m pytest

test-fast: install-dev
	$(PY) -m pytest -m "not browser and not production"

bench: install-dev npm
	$(PY) -m benchmarks.run

clean:
	rm -rf var test-output .pytest_cache
