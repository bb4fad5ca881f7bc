# Two commands for a newcomer: `make run` and `make test`. Everything they
# need (the virtualenv, the packages) is made on the way.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test bench clean

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
test: $(VENV)/.dev-installed
	@$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: no tests were collected" >&2; exit 1; fi; exit $$rc

bench: $(VENV)/.dev-installed
	$(BIN)/python -m bench.roundtrip

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis test-artifacts
