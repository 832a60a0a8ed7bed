#!/bin/sh
# Builds the commit checked out here twice, in two fresh clones at paths of different lengths
# and at different times, and compares the release binaries and Debian packages byte for byte.
#
#   scripts/reproduce.sh [COMMIT]     (default HEAD; uncommitted changes are not included)
#
# With REPRODUCE_AGAINST_TREE=1 (`make test` sets it, right after it built this tree's binary
# and package), this tree's own build is the first one when the tree is clean at COMMIT: one
# fresh clone, at another path and a later time, is built and compared with it. Otherwise (a
# changed tree, another commit, no build here) both builds are fresh clones as above.
#
# Prints the SHA-256 of each file; exits 1 unless both builds agree.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
commit=$(git -C "$top" rev-parse "${1:-HEAD}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

build() {
    dir=$1
    git clone -q --no-hardlinks "$top" "$dir"
    git -C "$dir" checkout -q "$commit"
    echo "reproduce: building $commit in $dir" >&2
    make -C "$dir" --no-print-directory build >"$dir.log" 2>&1 || { tail -n 30 "$dir.log" >&2; exit 1; }
    rm -f "$dir"/.build/deb/onions_*.deb
    (cd "$dir" && scripts/build-deb.sh .build/dist/onions .build/deb) >>"$dir.log" 2>&1 \
        || { tail -n 30 "$dir.log" >&2; exit 1; }
}

first="$work/a"
if [ "${REPRODUCE_AGAINST_TREE:-}" = 1 ] && [ "$(git -C "$top" rev-parse HEAD)" = "$commit" ] \
    && [ -z "$(git -C "$top" status --porcelain --untracked-files=no)" ] \
    && [ -f "$top/.build/dist/onions" ] && ls "$top"/.build/deb/onions_*.deb >/dev/null 2>&1; then
    first=$top
    echo "reproduce: the first build is this tree's own ($top)" >&2
else
    build "$first"
fi
sleep 2
build "$work/second/checkout/at/another/depth"

status=0
for file in .build/dist/onions ".build/deb/onions_*.deb"; do
    one=$(cd "$first" && sha256sum $file)
    two=$(cd "$work/second/checkout/at/another/depth" && sha256sum $file)
    echo "first:  $one"
    echo "second: $two"
    if [ "${one%% *}" != "${two%% *}" ]; then
        echo "reproduce: $file differs between the two builds" >&2
        status=1
    fi
done
[ $status -eq 0 ] && echo "reproduce: both builds of $commit are byte-identical"
exit $status
