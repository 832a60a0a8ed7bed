#!/bin/sh
# Builds onions_VERSION_ARCH.deb from a built release binary, without debhelper:
#
#   scripts/build-deb.sh BINARY OUTDIR
#
# The package holds the binary, the man page, shell completions and the copyright
# file; Depends is computed by dpkg-shlibdeps from the libraries the binary links. Every file
# gets SOURCE_DATE_EPOCH (default: the commit time) as its time, owner root, and a fixed
# order, so two builds of one commit give the same bytes.
set -eu
binary=$1
outdir=$2
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

: "${SOURCE_DATE_EPOCH:=$(git log -1 --format=%ct 2>/dev/null || echo 0)}"
export SOURCE_DATE_EPOCH
# "onions 0.2.0 (commit ...)": the version is the binary's own.
version=$("$binary" --version | sed -n 's/^onions \([^ ]*\) .*/\1/p')
[ -n "$version" ] || { echo "build-deb: $binary --version names no version" >&2; exit 1; }
arch=$(dpkg --print-architecture)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
root="$work/root"

install -d "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/man/man1" "$root/usr/share/doc/onions" \
    "$root/usr/share/bash-completion/completions" "$root/usr/share/zsh/vendor-completions" \
    "$root/usr/share/fish/vendor_completions.d"
# The binary as `make build` finished it (linked without symbols), byte for byte, so the one
# installed can be compared with a build of the same commit.
install -m 0755 "$binary" "$root/usr/bin/onions"
gzip -9n < Resources/onions.1 > "$root/usr/share/man/man1/onions.1.gz"
install -m 0644 packaging/copyright "$root/usr/share/doc/onions/copyright"
gzip -9n < packaging/changelog > "$root/usr/share/doc/onions/changelog.gz"
"$binary" completion bash > "$root/usr/share/bash-completion/completions/onions"
"$binary" completion zsh > "$root/usr/share/zsh/vendor-completions/_onions"
"$binary" completion fish > "$root/usr/share/fish/vendor_completions.d/onions.fish"
chmod 0644 "$root/usr/share/bash-completion/completions/onions" "$root/usr/share/zsh/vendor-completions/_onions" \
    "$root/usr/share/fish/vendor_completions.d/onions.fish"

# dpkg-shlibdeps reads a debian/control; give it a minimal one in the scratch folder.
mkdir -p "$work/src/debian"
printf 'Source: onions\n\nPackage: onions\nArchitecture: any\n' > "$work/src/debian/control"
depends=$(cd "$work/src" && dpkg-shlibdeps -O "$root/usr/bin/onions" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "build-deb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
# libpq and libxml2 are opened at run time (dlopen, Sources/CLazyLoad), so dpkg-shlibdeps cannot see them.
depends="$depends, libpq5, libxml2"

size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@DEPENDS@/$depends/" -e "s/@SIZE@/$size/" \
    packaging/control > "$root/DEBIAN/control"
(cd "$root" && find usr -type f | LC_ALL=C sort | xargs md5sum > DEBIAN/md5sums)
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"
find "$root" -type d -exec chmod 0755 {} +
find "$root" -exec touch --no-dereference --date="@$SOURCE_DATE_EPOCH" {} +

mkdir -p "$outdir"
deb="$outdir/onions_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
