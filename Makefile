# Two commands for a newcomer: `make run` and `make test`. Everything they
# need (the virtualenv, the packages) is made on the way.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test bench bench-10k bench-restart bench-roundtrip clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(VENV)/.installed $@

# Starts the server; with no REDIS_URL it runs an embedded Redis whose data
# lives in instance/, so rooms survive a restart.
run: $(VENV)/.installed
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python -m server

# pytest exits 5 when it collected no test: that is a failure here, not a pass.
# The browser tests need Chromium: tests/e2e/ensure_browser.sh installs it where
# it can, or stops with one line saying what to install (SKIP_BROWSER=1: run
# without it; the last line then says the browser tests were skipped).
test: $(VENV)/.dev-installed
	@SKIP_BROWSER=$(SKIP_BROWSER) bash tests/e2e/ensure_browser.sh
	@SKIP_BROWSER=$(SKIP_BROWSER) $(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: no tests were collected" >&2; exit 1; fi; exit $$rc

# The load bench (bench/README.md): Node clients against a fresh `python -m
# server`: a closed loop, an open loop and a small restart (kill -9). Knobs:
# BENCH_ARGS (python -m bench.run --help), BENCH_SERVER_ENV ("NAME=value ..."
# for the server), REDIS_URL.
BENCH_LOAD := bench/load
$(BENCH_LOAD)/node_modules/.package-lock.json: $(BENCH_LOAD)/package-lock.json
	cd $(BENCH_LOAD) && npm ci --no-audit --no-fund

bench: $(VENV)/.installed $(BENCH_LOAD)/node_modules/.package-lock.json
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# 10,000 sockets: 5,000 couples, one move per couple every 10 s, ulimit -n raised.
bench-10k: $(VENV)/.installed $(BENCH_LOAD)/node_modules/.package-lock.json
	ulimit -n "$$(ulimit -Hn)"; $(BIN)/python -m bench.run --preset 10k $(BENCH_ARGS)

# Scenario R: 1,000 couples (2,000 sockets) mid-exercise, kill -9 of the server, started again on the same
# port and Redis; the time until every socket is back on its view, and a check that nothing was lost.
bench-restart: $(VENV)/.installed $(BENCH_LOAD)/node_modules/.package-lock.json
	ulimit -n "$$(ulimit -Hn)"; $(BIN)/python -m bench.run --preset restart $(BENCH_ARGS)

# create -> join -> presence, one couple at a time (Python clients).
bench-roundtrip: $(VENV)/.dev-installed
	$(BIN)/python -m bench.roundtrip

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis test-artifacts $(BENCH_LOAD)/node_modules tests/e2e/node_modules
