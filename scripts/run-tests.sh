#!/usr/bin/env bash
# The test run of `make test`: one debug build of every test target, then three test processes
# side by side on the same build: the in-process classes (which mostly compute), the memory
# proofs (which mostly wait for gdb's core dumps and the idle timer) and the other end-to-end
# classes (which mostly wait for tmux and the release binary). Each line is prefixed with its
# group; the exit status is non-zero when any group fails. The environment
# (ONIONS_BIN, ONIONS_TEST_PG_URL, ...) is the Makefile's, as for `swift test`.
#
#   scripts/run-tests.sh [--serial]   (--serial: one process after the other, for bisecting)
set -uo pipefail
cd "$(dirname "$0")/.."

SWIFT=${SWIFT:-swift}
"$SWIFT" build --build-tests || exit 1
bundle=$("$SWIFT" build --show-bin-path)/onionsPackageTests.xctest

# Test classes as Module.Class, from the bundle's own list.
classes=$("$bundle" --list-tests | sed -n 's|^\([A-Za-z0-9_]*\.[A-Za-z0-9_]*\)/.*|\1|p' | sort -u)
# Classes that run beside the memory proofs, so that the three groups take about as long (in
# the fresh-clone CI of 2026-11-27 the in-process group took 693 s, the other end-to-end tests
# 646 s and the memory proofs 353 s; these classes took 129 s and 88 s of the first two). None
# needs PostgreSQL, so none runs beside a test that counts the server's connections.
beside_proofs='^(OnionsAppTests\.EditorLimitTests|OnionsCoreTests\.(ManifestBindingTests|KDBXReaderTests|BackupFileTests)|EndToEndTests\.(RNCryptorInteropTests|ExportBackupTests|ExitCodeTests))$'
end_to_end=$(grep '^EndToEndTests\.' <<<"$classes" | grep -v 'MemoryProof' | grep -Ev "$beside_proofs" | paste -sd, -)
memory_proofs=$({ grep '^EndToEndTests\..*MemoryProof' <<<"$classes"; grep -E "$beside_proofs" <<<"$classes"; } | paste -sd, -)
in_process=$(grep -v '^EndToEndTests\.' <<<"$classes" | grep -Ev "$beside_proofs" | paste -sd, -)
[ -n "$end_to_end" ] && [ -n "$memory_proofs" ] && [ -n "$in_process" ] \
    || { echo "run-tests: no test classes listed" >&2; exit 1; }

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# group NAME FILTER: runs the classes of FILTER, prefixing each line, and keeps its status.
group() {
    "$bundle" "$2" 2>&1 | tee "$logs/$1.log" | sed -u "s/^/[$1] /"
    echo "${PIPESTATUS[0]}" >"$logs/$1.status"
}

if [ "${1:-}" = --serial ]; then
    group in-process "$in_process"
    group memory-proofs "$memory_proofs"
    group end-to-end "$end_to_end"
else
    group in-process "$in_process" &
    group memory-proofs "$memory_proofs" &
    group end-to-end "$end_to_end" &
    wait
fi

status=0
for name in in-process memory-proofs end-to-end; do
    echo "== $name: $(grep -E 'Executed [0-9]+ tests?,' "$logs/$name.log" | tail -1 | sed 's/^[[:space:]]*//')"
    grep -E "^Test Case '.*' failed" "$logs/$name.log" | sed "s/^/== failed: /"
    # What each failure said (the summary is often all a CI log keeps), path cut to the file.
    grep -E ": error: " "$logs/$name.log" | sed -E 's|^.*/([^/]+\.swift:)|\1|; s/^/== error: /' | cut -c1-400 | head -40
    [ "$(cat "$logs/$name.status" 2>/dev/null)" = 0 ] || status=1
done
exit $status
