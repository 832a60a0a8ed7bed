#!/usr/bin/env bash
# The unit tests under AddressSanitizer and the tests that run threads under ThreadSanitizer.
#
#   scripts/sanitize.sh [address] [thread]   (both when none is named)
#
# Each sanitizer builds into a scratch folder of its own (.build/asan, .build/tsan), so the
# normal build's cache stays as it is, and prints how long its build and its tests took.
# Tests that need the release binary, tmux or PostgreSQL (EndToEndTests, the Postgres and
# Sync classes of OnionsStoreTests) do not run here; `make test` runs them.
#
# What runs where was chosen to keep `.ci/run` on a fresh clone well under 20 minutes on two
# cores (docs/BENCHMARKS.md, "Fuzzing and CI times", has the figures):
# address: the unit tests of the libraries (crypto, core, SQLite store, terminal UI), where the
#   unsafe pointer code is (secret memory, OpenSSL, SQLite, payload readers), and the app
#   tests that draw secret fields, copy to the clipboard and wipe on lock. The other app
#   screen tests (three quarters of the time) run pure Swift and run under TSan or not at all.
#   Leaks are not reported (detect_leaks=0): a leak is not a memory error. Left out: the four
#   tests that build vaults or backups of hundreds of thousands of records to reach a count
#   limit (a minute and a half under ASan; `make test` runs them).
# thread: the tests where two threads meet: the app loop against its effect runner thread
#   (AppLoopTests, IdleAndSignalTests, InterfaceSyncTests, LockTests) and the sync and merge
#   tests of OnionsCoreTests. Any report fails the run (halt_on_error).
set -euo pipefail
cd "$(dirname "$0")/.."

SWIFT=${SWIFT:-swift}

asan_tests=(--filter 'OnionsCryptoTests\.' --filter 'OnionsCoreTests\.' --filter 'TerminalUITests\.'
            --filter 'OnionsStoreTests\.(SQLite|Vault)'
            --filter 'OnionsAppTests\.(ScreenSnapshotTests|LockTests|ClipboardStateTests)'
            --skip 'ManifestBindingTests/testOneSave|RowLimitTests/testAVaultOfMore|BackupFileTests/testA(Backup|Blob)')
tsan_tests=(--filter 'OnionsAppTests\.(AppLoopTests|InterfaceSyncTests|IdleAndSignalTests|LockTests)'
             --filter 'OnionsCoreTests\.(Sync|Merge)')

# Seconds since the epoch (bash's own clock: no date parsing).
now() { echo "$EPOCHSECONDS"; }

# pass NAME SANITIZER ENVIRONMENT TEST-SELECTION...
pass() {
    local name=$1 sanitizer=$2 options=$3 scratch=.build/$1 start built done status
    shift 3
    start=$(now)
    echo "== $name: building with --sanitize=$sanitizer into $scratch"
    # The linker's notes about the sanitizer runtime's own symbols are not about this code.
    "$SWIFT" build --build-tests --scratch-path "$scratch" --sanitize="$sanitizer" 2>&1 \
        | grep -v "Cannot export local symbol '__[at]san"
    built=$(now)
    echo "== $name: testing"
    set +e
    env "$options" "$SWIFT" test --skip-build --scratch-path "$scratch" --sanitize="$sanitizer" "$@"
    status=$?
    set -e
    done=$(now)
    echo "== $name: build $((built - start)) s, tests $((done - built)) s, exit $status"
    return "$status"
}

chosen=("$@")
[ ${#chosen[@]} -gt 0 ] || chosen=(address thread)
failed=0
for sanitizer in "${chosen[@]}"; do
    case "$sanitizer" in
        address) pass asan address ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 "${asan_tests[@]}" || failed=1 ;;
        thread) pass tsan thread TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 "${tsan_tests[@]}" || failed=1 ;;
        *) echo "usage: scripts/sanitize.sh [address] [thread]" >&2; exit 2 ;;
    esac
done
[ "$failed" = 0 ] || { echo "sanitize: a sanitizer found a fault or a test failed (see above)" >&2; exit 1; }
