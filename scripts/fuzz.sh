#!/usr/bin/env bash
# libFuzzer targets for every decoder of bytes from outside the process (Fuzz/, a package of
# its own: the normal build never compiles it).
#
#   scripts/fuzz.sh build            builds every target with -sanitize=fuzzer,address
#   scripts/fuzz.sh run [TARGET...]  runs each target for FUZZ_SECONDS (default 600) from its
#                                    seed corpus, FUZZ_JOBS (default 2) at once; prints the
#                                    executions of each and every crash, and fails on a crash
#   scripts/fuzz.sh seeds            writes the seed corpus again with the real encoders
#   scripts/fuzz.sh list             names the targets
#
# The checked-in seeds in Fuzz/Corpus/TARGET are read, never written: inputs found on the way
# go to .build/fuzz-corpus/TARGET (kept between runs), crashing inputs to
# .build/fuzz-crashes/TARGET, and each run's log to .build/fuzz-logs/TARGET.log. Replay a
# crash with `.build/fuzz/release/TARGET FILE`.
set -euo pipefail
cd "$(dirname "$0")/.."

SWIFT=${SWIFT:-swift}
FUZZ_SECONDS=${FUZZ_SECONDS:-600}
FUZZ_JOBS=${FUZZ_JOBS:-2}
scratch=.build/fuzz
bin=$scratch/release
targets=(FuzzSealedRecord FuzzManifest FuzzVaultParameters FuzzBackupFile FuzzOnionsAppFile
         FuzzConfigFile FuzzRNCryptor FuzzKeys FuzzImport FuzzTerminalText FuzzPostgresRows)

fail() { echo "fuzz: $*" >&2; exit 1; }

build() {
    # The linker's notes about ASan's spill area are not about this code.
    "$SWIFT" build --package-path Fuzz --scratch-path "$scratch" -c release \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing -Xswiftc -assert-config -Xswiftc Debug 2>&1 \
        | grep -v "Cannot export local symbol '__asan_extra_spill_area'"
}

known() {
    local t
    for t in "${targets[@]}"; do [ "$t" = "$1" ] && return 0; done
    fail "no fuzz target '$1' (scripts/fuzz.sh list names them)"
}

# Runs one target; its log ends with libFuzzer's final statistics.
run_one() {
    local target=$1 log=.build/fuzz-logs/$1.log
    mkdir -p ".build/fuzz-corpus/$target" ".build/fuzz-crashes/$target" .build/fuzz-logs
    set +e
    SWIFT_BACKTRACE=enable=no "$bin/$target" -max_total_time="$FUZZ_SECONDS" -timeout=10 -print_final_stats=1 \
        -artifact_prefix=".build/fuzz-crashes/$target/" \
        ".build/fuzz-corpus/$target" "Fuzz/Corpus/$target" >"$log" 2>&1
    echo "exit $?" >>"$log"
}

report() {
    local target=$1 log=.build/fuzz-logs/$1.log status runs seconds crashes
    status=$(sed -n 's/^exit //p' "$log")
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    seconds=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
    crashes=$(find ".build/fuzz-crashes/$target" -type f | wc -l)
    if [ "$status" = 0 ] && [ -n "$runs" ]; then
        printf '%-20s %12s executions in %4s s (%s/s), %s crashing inputs kept\n' "$target" "$runs" \
            "${seconds:-?}" "$(( runs / (seconds > 0 ? seconds : 1) ))" "$crashes"
        return 0
    fi
    printf '%-20s CRASHED (exit %s); log: %s\n' "$target" "$status" "$log"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*Fatal error|artifact_prefix|Test unit written)' "$log" | sed 's/^/    /' || true
    return 1
}

run() {
    local chosen=("$@") t failed=0
    [ ${#chosen[@]} -gt 0 ] || chosen=("${targets[@]}")
    for t in "${chosen[@]}"; do known "$t"; [ -x "$bin/$t" ] || fail "$bin/$t is not built (scripts/fuzz.sh build)"; done
    echo "fuzzing ${#chosen[@]} targets for $FUZZ_SECONDS s each, $FUZZ_JOBS at once"
    local running=0
    for t in "${chosen[@]}"; do
        if [ "$running" -ge "$FUZZ_JOBS" ]; then wait -n || true; running=$((running - 1)); fi
        run_one "$t" &
        running=$((running + 1))
    done
    wait
    for t in "${chosen[@]}"; do report "$t" || failed=1; done
    [ "$failed" = 0 ] || fail "a target crashed (inputs in .build/fuzz-crashes)"
}

seeds() {
    local t
    for t in "${targets[@]}"; do
        rm -rf "Fuzz/Corpus/$t"
        mkdir -p "Fuzz/Corpus/$t"
        ONIONS_FUZZ_WRITE_SEEDS="Fuzz/Corpus/$t" "$bin/$t"
    done
}

case "${1:-}" in
    build) build ;;
    run) shift; run "$@" ;;
    seeds) seeds ;;
    list) printf '%s\n' "${targets[@]}" ;;
    *) echo "usage: scripts/fuzz.sh build | run [TARGET...] | seeds | list" >&2; exit 2 ;;
esac
