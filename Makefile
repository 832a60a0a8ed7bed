# The two commands a newcomer needs: `make run` and `make test`.

# Debian packages the build needs, those the tests need on top, and those of packaging.
BUILD_PACKAGES := pkg-config libssl-dev libncurses-dev libsqlite3-dev libpq-dev libzxcvbn-dev libargon2-dev libxml2-dev zlib1g-dev binutils
TEST_PACKAGES  := tmux gdb postgresql python3-venv zsh fish sqlite3 pass gnupg keepassxc fzf
DEB_PACKAGES   := dpkg-dev binutils xz-utils lintian

SWIFT  ?= swift
VENV   := .build/peer-venv
PYTHON := $(VENV)/bin/python3
# The finished release binaries (scripts/finish-binary.sh copies them out of SwiftPM's folder).
DIST   := .build/dist
BIN    := $(DIST)/onions
DEBDIR := .build/deb
PREFIX ?= /usr/local

# A release build needs no Swift toolchain to run (the Swift runtime is linked in) and is
# reproducible: no build paths (mapped to "."), no build id, no symbols, and the module-hash
# section that differs between checkouts is left out of the finished copy in $(DIST)
# (scripts/finish-binary.sh). Linked with full RELRO, as Debian's hardening asks. libpq and
# libxml2 are not linked but opened when first needed (Sources/CLazyLoad).
# The commit goes in through Sources/CBuildInfo/commit.h, written only when it changes.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH
RELEASE_FLAGS := -c release --static-swift-stdlib \
	-Xswiftc -file-prefix-map -Xswiftc $(CURDIR)=. -Xcc -ffile-prefix-map=$(CURDIR)=. \
	-Xlinker --build-id=none -Xlinker -s -Xlinker -z -Xlinker relro -Xlinker -z -Xlinker now

.PHONY: run test build deps test-deps deb-deps peer-venv install deb reproduce bench fuzz sanitize clean

run: build
	$(BIN)

build: deps
	@scripts/build-commit.sh Sources/CBuildInfo/commit.h
	$(SWIFT) build $(RELEASE_FLAGS)
	@scripts/finish-binary.sh $(DIST) .build/release/onions .build/release/onions-bench .build/release/crash-save-loop \
		.build/release/start-floor-swift

deps:
	@scripts/install-deps.sh $(BUILD_PACKAGES)

test-deps: deps
	@scripts/install-deps.sh $(TEST_PACKAGES)

deb-deps:
	@scripts/install-deps.sh $(DEB_PACKAGES)

# Independent peers for interop tests and the bench's comparisons (never used by the product).
peer-venv: test-deps
	@test -x $(PYTHON) || python3 -m venv $(VENV)
	@$(PYTHON) -c 'import rncryptor, cryptography, jrnl, pykeepass' 2>/dev/null || \
		$(PYTHON) -m pip install -q rncryptor cryptography jrnl pykeepass

# Every test: unit, screen and vector tests, and end-to-end tests of the release binary and
# its Debian package (tmux, gdb, zsh, fish, a throwaway PostgreSQL server on 127.0.0.1,
# Python peers), after the reproducibility check of the commit. scripts/run-tests.sh runs the
# in-process classes, the memory proofs and the other end-to-end classes of one test build in
# three processes side by side.
test: build deb peer-venv
	@REPRODUCE_AGAINST_TREE=1 scripts/reproduce.sh
	@scripts/pg-test-server.sh start >/dev/null
	@set +e; \
	ONIONS_TEST_PG_URL="$$(scripts/pg-test-server.sh url)" \
	ONIONS_TEST_PG_LOG="$$(scripts/pg-test-server.sh log)" \
	ONIONS_BIN=$(CURDIR)/$(BIN) ONIONS_PEER_PYTHON=$(CURDIR)/$(PYTHON) \
	ONIONS_DEB="$$(ls $(CURDIR)/$(DEBDIR)/onions_*.deb)" \
		SWIFT=$(SWIFT) scripts/run-tests.sh; \
	status=$$?; scripts/pg-test-server.sh stop >/dev/null; exit $$status

# The Debian package of the release build, checked by lintian (packaging/lintian-overrides
# explains every tag left).
deb: build deb-deps
	@rm -f $(DEBDIR)/onions_*.deb
	@scripts/build-deb.sh $(BIN) $(DEBDIR)
	lintian --fail-on error,warning --suppress-tags-from-file packaging/lintian-overrides $(DEBDIR)/onions_*.deb

# Two builds of this commit in two fresh clones at different paths and times; prints the
# SHA-256 of each binary and package and fails unless they are equal.
reproduce: deps deb-deps
	@scripts/reproduce.sh

# The command-line scenarios compare onions with jrnl (peer-venv) and pass (test-deps).
bench: build peer-venv
	ONIONS_PEER_VENV=$(CURDIR)/$(VENV) $(DIST)/onions-bench

# libFuzzer on every decoder of outside bytes (Fuzz/, scripts/fuzz.sh): FUZZ_SECONDS each
# (default 600), two targets at once; prints the executions of each and fails on a crash.
FUZZ_SECONDS ?= 600
fuzz: deps
	@scripts/fuzz.sh build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh run

# The unit tests under AddressSanitizer, the threaded app-loop and sync tests under
# ThreadSanitizer (scripts/sanitize.sh), each in a build folder of its own; the importers'
# tests read files the Python peers make (peer-venv).
sanitize: deps peer-venv
	@ONIONS_PEER_PYTHON=$(CURDIR)/$(PYTHON) scripts/sanitize.sh

install: build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/zsh/vendor-completions $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/onions
	install -m 0644 Resources/onions.1 $(DESTDIR)$(PREFIX)/share/man/man1/onions.1
	$(BIN) completion bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/onions
	$(BIN) completion zsh > $(DESTDIR)$(PREFIX)/share/zsh/vendor-completions/_onions
	$(BIN) completion fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/onions.fish

clean:
	rm -rf .build Sources/CBuildInfo/commit.h
