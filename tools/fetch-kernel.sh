#!/usr/bin/env bash
# fetch-kernel.sh SUITE [DEST]: download the amd64 kernel of a Debian suite
# (trixie, bookworm-backports, sid, ...) without installing it, and unpack
# it into DEST/<version>/ (default .cache/kernels/) as a tree the e2e harness
# boots with BMC_EMU_KERNEL=DEST/<version>: boot/vmlinuz-* + lib/modules/.
#
# The suite is added to apt with pin priority 1, so nothing from it is ever
# installed over the system's packages. Needs root (apt sources) unless the
# suite is already configured. Prints the tree's path on the last line.
set -euo pipefail
suite=${1:?usage: fetch-kernel.sh SUITE [DEST]}
dest=${2:-$(cd "$(dirname "$0")/.." && pwd)/.cache/kernels}
sources=/etc/apt/sources.list.d/bmc-emu-${suite}.sources
pin=/etc/apt/preferences.d/bmc-emu-${suite}
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! apt-cache policy linux-image-amd64 | grep -q " ${suite}/main"; then
  as_root tee "$sources" >/dev/null <<S
Types: deb
URIs: http://deb.debian.org/debian
Suites: ${suite}
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
S
  as_root tee "$pin" >/dev/null <<P
Package: *
Pin: release n=${suite}
Pin-Priority: 1
P
  as_root apt-get update -q >/dev/null
fi

# The version of linux-image-amd64 in that suite, and what it depends on.
meta_version=$(apt-cache policy linux-image-amd64 | awk -v s=" ${suite}/main" '
  /http|\/var\/lib/ { if (index($0, s)) { print v; exit } ; next }
  /^ +(\*\*\* )?[0-9]/ { v = $1 == "***" ? $2 : $1 }')
[ -n "$meta_version" ] || { echo "fetch-kernel: no linux-image-amd64 in ${suite}" >&2; exit 1; }
image=$(apt-cache show "linux-image-amd64=${meta_version}" | sed -n 's/^Depends:.*\(linux-image-[^ ,]*-amd64\).*/\1/p' | head -1)
[ -n "$image" ] || { echo "fetch-kernel: cannot resolve the image package of ${meta_version}" >&2; exit 1; }
release=${image#linux-image-}
tree="${dest}/${release}"
if [ -f "${tree}/lib/modules/${release}/modules.dep" ] && ls "${tree}/boot/vmlinuz-${release}" >/dev/null 2>&1; then
  echo "fetch-kernel: ${release} already in ${tree}" >&2
  echo "$tree"
  exit 0
fi

# 6.x: the image package holds vmlinuz and modules. 7.x: the image package
# is a metapackage over linux-binary-* (vmlinuz) and linux-modules-*.
packages=("$image")
deps=$(apt-cache show "${image}=${meta_version}" | sed -n 's/^Depends: //p' | head -1)
for dep in $(echo "$deps" | tr ',' '\n' | sed 's/(.*//; s/|.*//' | tr -d ' '); do
  case "$dep" in
    linux-binary-*|linux-modules-*) packages+=("$dep") ;;
  esac
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -q "${packages[@]/%/=${meta_version}}" >&2)
mkdir -p "$tree"
for deb in "$work"/*.deb; do dpkg -x "$deb" "$tree"; done
# Normalise usr-merged trees so boot/ and lib/modules/ are where the harness looks.
if [ ! -d "$tree/lib/modules" ] && [ -d "$tree/usr/lib/modules" ]; then
  mkdir -p "$tree/lib" && ln -s ../usr/lib/modules "$tree/lib/modules"
fi
# 7.x packages the bzImage as /usr/lib/modules/<release>/vmlinuz.
if [ ! -e "$tree/boot/vmlinuz-${release}" ] && [ -f "$tree/lib/modules/${release}/vmlinuz" ]; then
  mkdir -p "$tree/boot" && ln -s "../lib/modules/${release}/vmlinuz" "$tree/boot/vmlinuz-${release}"
fi
ls "$tree/boot/vmlinuz-${release}" >/dev/null
# Packages generate modules.dep at install time; we unpack only, so run depmod.
[ -f "$tree/lib/modules/${release}/modules.dep" ] || /sbin/depmod -b "$tree" "$release"
echo "fetch-kernel: ${release} (${suite}) unpacked in ${tree}" >&2
echo "$tree"
