# Cam kết developer commands. Every target installs the project into .venv first when needed
# (once per version of pyproject.toml), so a fresh machine needs only Python 3.11+.
#
#   make run [DEMO=1]         the whole stack in the foreground (Ctrl-C stops it); DEMO=1: the training sandbox
#   make test [ARGS=...]      pytest against PostgreSQL + NATS (started if not reachable)
#   make chaos [CHAOS_ROUNDS=n CHAOS_TIMEOUT=s]  the whole system under kills and restarts (own servers)
#   make lint | bench | ensure | status | stop | clean
#   make soak [SOAK_SECONDS=600]  the whole stack at a steady mixed load: memory, lags, latencies (not in CI)
#
# Settings (environment): CAMKET_DATABASE_URL, CAMKET_TEST_DATABASE_URL, CAMKET_NATS_URL,
# CAMKET_STATE_DIR (default .camket), PYTHON (the interpreter that creates .venv).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ARGS ?=
export CAMKET_STATE_DIR ?= .camket
# devstack lives outside the installed packages; the install step also adds a .pth for it.
export PYTHONPATH := $(CURDIR)/deploy/local$(if $(PYTHONPATH),:$(PYTHONPATH))

# The stamp's name carries a hash of pyproject.toml: a changed dependency list means a new stamp
# target, so the install re-runs; an unchanged one makes every later run instant.
PYPROJECT_HASH := $(shell $(PYTHON) -c "import hashlib; print(hashlib.sha256(open('pyproject.toml', 'rb').read()).hexdigest()[:16])" 2>/dev/null || cksum pyproject.toml | cut -d' ' -f1)
STAMP := $(VENV)/.installed-$(PYPROJECT_HASH)
DEVSTACK := $(BIN)/python -m devstack
# Only directories that hold Python yet: mypy fails on an empty one.
TYPED_DIRS = $(foreach dir,shared services deploy/local/devstack,$(if $(shell find $(dir) -name '*.py' 2>/dev/null | head -n 1),$(dir)))

.PHONY: help install run test chaos ensure status stop clean lint bench soak chromium wrk golang office oidc-provider

help:
	@sed -n '1,11p' Makefile

install: $(STAMP)

$(STAMP):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed, found " + sys.version.split()[0] + ": run make PYTHON=python3.11 ...")'
	@test -x $(BIN)/python || { echo "Creating $(VENV)"; $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	@$(BIN)/python -c "import pathlib, sysconfig; pathlib.Path(sysconfig.get_path('purelib'), 'camket-devstack.pth').write_text('$(CURDIR)/deploy/local\n')"
	@rm -f $(VENV)/.installed-*
	@touch $@

run: install
	$(if $(DEMO),CAMKET_DEMO=1 )$(DEVSTACK) run $(ARGS)

ensure: install
	@$(DEVSTACK) ensure

status: install
	@$(DEVSTACK) status

test: install chromium golang office oidc-provider ensure
	@. "$(CAMKET_STATE_DIR)/env"; rc=0; $(BIN)/pytest $(ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 0; fi; exit $$rc

# The chaos suite starts its own PostgreSQL and NATS; CAMKET_CHAOS_SEED replays a seed,
# CAMKET_CHAOS_SEEDS=1,2,3 runs several; each test is bounded by CHAOS_TIMEOUT seconds.
CHAOS_ROUNDS ?= 1
CHAOS_TIMEOUT ?= 600
chaos: install
	@CAMKET_CHAOS=1 CAMKET_CHAOS_ROUNDS=$(CHAOS_ROUNDS) $(BIN)/pytest tests/chaos -s --timeout $(CHAOS_TIMEOUT) $(ARGS)

bench: install ensure wrk
	@. "$(CAMKET_STATE_DIR)/env"; $(BIN)/python -m bench $(ARGS)

# On scratch state (own state dir, schemas, subject prefix, ports) against the machine's servers; bench/soak.
SOAK_SECONDS ?= 600
soak: install ensure
	@. "$(CAMKET_STATE_DIR)/env"; SOAK_SECONDS=$(SOAK_SECONDS) $(BIN)/python -m bench.soak

# The HTTP benchmarks load the services with wrk (a C client costs little of the machine's cores).
wrk:
	@if command -v wrk >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's wrk for the HTTP benchmarks"; \
	  { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null \
	    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }; } \
	    || echo "WARNING: could not install wrk; the HTTP benchmarks will fail"; \
	else \
	  echo "WARNING: wrk is missing; the HTTP benchmarks need it: sudo apt-get install -y wrk"; \
	fi

# Both checkers always run, so one report shows every problem; either failing fails lint.
lint: install
	@rc=0; echo "ruff check ."; $(BIN)/ruff check . || rc=1; \
	echo "mypy --strict $(TYPED_DIRS)"; $(BIN)/mypy --strict $(TYPED_DIRS) || rc=1; exit $$rc

# The sign-in tests run a real OpenID provider (npm's oidc-provider, tests/e2e/oidc) on Node.js.
oidc-provider:
	@if [ -f tests/e2e/oidc/node_modules/oidc-provider/package.json ]; then exit 0; fi; \
	if command -v npm >/dev/null; then echo "Installing the test OpenID provider (npm oidc-provider)"; \
	  (cd tests/e2e/oidc && npm install --no-audit --no-fund --silent) \
	    || echo "WARNING: npm install failed; the sign-in tests will fail"; \
	else echo "WARNING: npm is missing; the sign-in tests need Node.js 20+: sudo apt-get install -y nodejs npm"; fi

# Browser tests drive Debian's Chromium (Playwright's own browser download cannot work here).
chromium:
	@if [ -x /usr/bin/chromium ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } \
	    || echo "WARNING: could not install chromium; the browser tests will fail"; \
	else \
	  echo "WARNING: /usr/bin/chromium is missing; the browser tests need it:"; \
	  echo "         sudo apt-get install -y chromium"; \
	fi

# The official reports are rendered to PDF by LibreOffice headless (reporting.exports.pdf) with Times New
# Roman's metric-compatible Liberation Serif; the tests read the PDF back with poppler (pdftoppm, pdftotext).
OFFICE_PACKAGES = libreoffice-writer-nogui fonts-liberation poppler-utils
office:
	@if command -v soffice >/dev/null && command -v pdftoppm >/dev/null && fc-list | grep -q LiberationSerif; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's $(OFFICE_PACKAGES) for the PDF reports"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  { apt-get install -y -qq --no-install-recommends $(OFFICE_PACKAGES) >/dev/null \
	    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends $(OFFICE_PACKAGES) >/dev/null; }; } \
	    || echo "WARNING: could not install LibreOffice; the PDF reports and their tests will fail"; \
	else \
	  echo "WARNING: the PDF reports need: sudo apt-get install -y $(OFFICE_PACKAGES)"; \
	fi

# The transparency-log tests check the log with Go's reference implementation (sumdb/note, sumdb/tlog),
# Debian's packages built offline (GO111MODULE=off GOPATH=/usr/share/gocode).
golang:
	@if command -v go >/dev/null && [ -d /usr/share/gocode/src/golang.org/x/mod/sumdb/tlog ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's golang-go and golang-golang-x-mod-dev for the transparency-log tests"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  { apt-get install -y -qq golang-go golang-golang-x-mod-dev >/dev/null \
	    || { apt-get update -qq && apt-get install -y -qq golang-go golang-golang-x-mod-dev >/dev/null; }; } \
	    || echo "WARNING: could not install Go; the transparency-log tests will fail"; \
	else \
	  echo "WARNING: Go is missing; the transparency-log tests need: sudo apt-get install -y golang-go golang-golang-x-mod-dev"; \
	fi

# stop and clean work without the venv too: stopping needs only the standard library.
stop:
	@$(if $(wildcard $(BIN)/python),$(BIN)/python,$(PYTHON)) -m devstack stop

clean: stop
	rm -rf "$(CAMKET_STATE_DIR)"
