#!/usr/bin/env bash
# build-ipmi-modules.sh RELEASE PATCH OUTDIR
#   Build Linux's IPMI modules (drivers/char/ipmi) out of tree for the Debian
#   kernel RELEASE with PATCH applied (a unified diff against
#   drivers/char/ipmi/, applied with -p1), and put the .ko files in OUTDIR.
#   Sources: Debian's linux-source-X.Y of the kernel's exact version.
#   Headers: a bookworm kernel (6.1.0-N-amd64) builds on this machine against
#   linux-headers-RELEASE; a trixie-built kernel (…+deb13-amd64) builds in a
#   Debian trixie chroot made with debootstrap under .cache/chroots/.
#   Debian publishes headers only for the 6.1, 6.12, 7.2 and 7.3 lines; for
#   the others, build the modules yourself and pass them with --modules DIR.
#
# build-ipmi-modules.sh --install IMAGE MODULES_DIR KO_DIR TREE
#   Make a bootable kernel tree TREE from the stock kernel (IMAGE, its
#   lib/modules/RELEASE directory MODULES_DIR) with the IPMI modules replaced
#   by the .ko files in KO_DIR; runs depmod.
#
# Needs root (apt, debootstrap, chroot). Progress lines start with
# "build-ipmi-modules:".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache="$root/.cache"
say() { echo "build-ipmi-modules: $*" >&2; }
die() { say "$*"; exit 1; }
# shellcheck source=apt-suite.sh
. "$(dirname "$0")/apt-suite.sh"

if [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0; fi

if [ "${1:-}" = "--install" ]; then
  [ $# -eq 5 ] || die "usage: build-ipmi-modules.sh --install IMAGE MODULES_DIR KO_DIR TREE"
  image=$2 mods=$3 kos=$4 tree=$5
  release=$(basename "$mods")
  ls "$kos"/*.ko >/dev/null 2>&1 || die "$kos holds no .ko files"
  rm -rf "$tree.tmp" && mkdir -p "$tree.tmp/boot" "$tree.tmp/lib/modules"
  ln -s "$image" "$tree.tmp/boot/vmlinuz-$release"
  cp -rs "$(cd "$mods" && pwd -P)" "$tree.tmp/lib/modules/$release"
  rm -f "$tree.tmp/lib/modules/$release"/modules.*
  ipmi="$tree.tmp/lib/modules/$release/kernel/drivers/char/ipmi"
  for ko in "$kos"/*.ko; do
    name=$(basename "$ko" .ko)
    rm -f "$ipmi/$name.ko" "$ipmi/$name.ko.xz" "$ipmi/$name.ko.zst"
    mkdir -p "$ipmi" && cp "$ko" "$ipmi/$name.ko"
  done
  /sbin/depmod -b "$tree.tmp" "$release"
  rm -rf "$tree" && mv "$tree.tmp" "$tree"
  say "kernel tree with $(ls "$kos"/*.ko | wc -l) replaced IPMI modules in $tree"
  exit 0
fi

[ $# -eq 3 ] || die "usage: build-ipmi-modules.sh RELEASE PATCH OUTDIR (or --install …; --help)"
release=$1 patch=$(realpath "$2") out=$3
[ -f "$patch" ] || die "no patch file $2"
outside=$(grep -E '^\+\+\+ ' "$patch" | grep -v -E '^\+\+\+ (b/)?drivers/char/ipmi/' || true)
[ -z "$outside" ] || die "the patch touches files outside drivers/char/ipmi/: $outside"
line=$(echo "$release" | grep -oE '^[0-9]+\.[0-9]+')
version=$(apt-cache policy "linux-image-$release" 2>/dev/null | awk '/Candidate:/ { print $2 }')
[ -n "$version" ] && [ "$version" != "(none)" ] ||
  die "linux-image-$release is not in the configured suites (run tools/fetch-kernel.sh $release first)"
apt-cache show "linux-headers-$release=$version" >/dev/null 2>&1 ||
  die "Debian publishes no linux-headers-$release (headers exist only for the 6.1, 6.12, 7.2 and 7.3 lines): build the modules against your own tree and use --modules DIR"

# Pristine drivers/char/ipmi of the kernel's exact source version.
src="$cache/ipmi-src/$version"
if [ ! -f "$src/drivers/char/ipmi/Makefile" ]; then
  say "fetching linux-source-$line=$version"
  work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT
  (cd "$work" && apt-get download -q "linux-source-$line=$version" >/dev/null 2>&1) ||
    die "cannot download linux-source-$line=$version"
  mkdir -p "$src.tmp"
  dpkg-deb --fsys-tarfile "$work"/linux-source-*.deb |
    tar -xO "./usr/src/linux-source-$line.tar.xz" |
    tar -xJ -C "$src.tmp" --strip-components=1 "linux-source-$line/drivers/char/ipmi"
  rm -rf "$src" && mv "$src.tmp" "$src"
fi

# Where to build: this machine for bookworm kernels, a trixie chroot for deb13.
case "$release" in
  *+deb13*) suite=trixie ;;
  *+deb*) die "$release was built for another Debian release than bookworm or trixie: not supported" ;;
  *) suite=host ;;
esac
if [ "$suite" = host ]; then
  sysroot=""
  [ -d "/usr/src/linux-headers-$release" ] || {
    say "installing linux-headers-$release"
    as_root apt-get install -y -q --no-install-recommends "linux-headers-$release=$version" >/dev/null
  }
else
  sysroot="$cache/chroots/$suite"
  debian_chroot "$suite" "$sysroot"
  if [ ! -x "$sysroot/usr/bin/make" ] || [ ! -x "$sysroot/usr/bin/as" ]; then
    chroot "$sysroot" apt-get update -q >/dev/null
    chroot "$sysroot" apt-get install -y -q --no-install-recommends make binutils >/dev/null
  fi
  if [ ! -d "$sysroot/usr/src/linux-headers-$release" ]; then
    say "installing linux-headers-$release in the chroot"
    chroot "$sysroot" apt-get update -q >/dev/null
    chroot "$sysroot" apt-get install -y -q --no-install-recommends "linux-headers-$release=$version" >/dev/null
  fi
fi

build="$sysroot/tmp/ipmi-build-$$"
rm -rf "$build" && mkdir -p "$build"
cp -r "$src/drivers" "$build/"
patch -d "$build" -p1 --forward --batch < "$patch" >&2 || die "the patch does not apply to $release's drivers/char/ipmi"
say "building the IPMI modules for $release ($suite)"
# objtool reads /proc (its stack limit): give the chroot one for the build.
in_build() {
  if [ -z "$sysroot" ]; then "$@"; return; fi
  mountpoint -q "$sysroot/proc" || as_root mount -t proc proc "$sysroot/proc"
  local rc=0
  chroot "$sysroot" "$@" || rc=$?
  as_root umount "$sysroot/proc" || true
  return $rc
}
in_build make -s -C "/usr/src/linux-headers-$release" M="/tmp/ipmi-build-$$/drivers/char/ipmi" \
  -j"$(nproc)" modules >&2
mkdir -p "$out"
rm -f "$out"/*.ko
find "$build/drivers/char/ipmi" -maxdepth 1 -name '*.ko' -exec cp {} "$out/" \;
rm -rf "$build"
say "$(ls "$out"/*.ko | wc -l) modules in $out"
