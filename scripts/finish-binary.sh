#!/bin/sh
# Copies linked binaries into DIR with what differs between two checkouts of one commit
# zeroed: the Swift module-hash section (only debuggers read it). Zeroing in place keeps the
# file's layout, so program headers (RELRO among them) stay as the linker wrote them. A copy is
# made only when its source is newer, so SwiftPM's outputs stay untouched and nothing relinks.
#
#   scripts/finish-binary.sh DIR BINARY...
set -eu
dir=$1
shift
mkdir -p "$dir"
for binary in "$@"; do
    out="$dir/$(basename "$binary")"
    [ -f "$out" ] && [ ! "$binary" -nt "$out" ] && continue
    cp "$binary" "$out.new"
    # "  [NN] .swift_modhash PROGBITS ADDRESS OFFSET SIZE ..." (readelf -S -W)
    readelf -S -W "$out.new" | sed -n 's/^ *\[ *[0-9]*\] \.swift_modhash *[A-Z_]* *[0-9a-f]* \([0-9a-f]*\) \([0-9a-f]*\).*/\1 \2/p' |
    while read -r offset size; do
        dd if=/dev/zero of="$out.new" bs=1 seek=$((0x$offset)) count=$((0x$size)) conv=notrunc status=none
    done
    mv "$out.new" "$out"
done
