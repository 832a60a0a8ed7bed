#!/bin/sh
# Writes the header that tells the build which commit it is made from (Sources/CBuildInfo):
# the commit id, with "-modified" when tracked files differ from it. The file is rewritten
# only when its text changes, so an unchanged tree rebuilds nothing.
set -eu
out=$1
commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
if [ "$commit" != unknown ] && [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    commit="$commit-modified"
fi
text="#define ONIONS_BUILD_COMMIT \"$commit\""
if [ ! -f "$out" ] || [ "$(cat "$out")" != "$text" ]; then
    printf '%s\n' "$text" > "$out"
fi
