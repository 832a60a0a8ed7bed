# The two commands a newcomer needs: `make run` and `make test`.

# Debian packages the build needs, and those the tests need on top.
BUILD_PACKAGES := pkg-config libssl-dev libncurses-dev libsqlite3-dev libpq-dev
TEST_PACKAGES  := tmux gdb postgresql python3-venv

SWIFT  ?= swift
VENV   := .build/peer-venv
PYTHON := $(VENV)/bin/python3
BIN    := .build/release/onions
PREFIX ?= /usr/local

.PHONY: run test build deps test-deps peer-venv install bench clean

run: build
	$(BIN)

build: deps
	$(SWIFT) build -c release

deps:
	@scripts/install-deps.sh $(BUILD_PACKAGES)

test-deps: deps
	@scripts/install-deps.sh $(TEST_PACKAGES)

# Independent peers for interop tests (never used by the product).
peer-venv: test-deps
	@test -x $(PYTHON) || python3 -m venv $(VENV)
	@$(PYTHON) -c 'import rncryptor, cryptography' 2>/dev/null || \
		$(PYTHON) -m pip install -q rncryptor cryptography

# Every test: unit, screen and vector tests, and end-to-end tests of the release binary
# (tmux, gdb, a throwaway PostgreSQL server on 127.0.0.1, Python peers), in one `swift test`.
test: build peer-venv
	@scripts/pg-test-server.sh start >/dev/null
	@set +e; \
	ONIONS_TEST_PG_URL="$$(scripts/pg-test-server.sh url)" \
	ONIONS_TEST_PG_LOG="$$(scripts/pg-test-server.sh log)" \
	ONIONS_BIN=$(CURDIR)/$(BIN) ONIONS_PEER_PYTHON=$(CURDIR)/$(PYTHON) \
		$(SWIFT) test; \
	status=$$?; scripts/pg-test-server.sh stop >/dev/null; exit $$status

bench: build
	.build/release/onions-bench

install: build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/onions
	@if [ -f Resources/onions.1 ]; then install -m 0644 Resources/onions.1 $(DESTDIR)$(PREFIX)/share/man/man1/onions.1; fi

clean:
	rm -rf .build
