#!/usr/bin/env bash
# fetch-kernel.sh SUITE|RELEASE [DEST]: download an amd64 kernel from Debian
# without installing it, and unpack it into DEST/<release>/ (default
# .cache/kernels/) as a tree the e2e harness boots (BMC_EMU_KERNEL=DIR,
# tools/run_scenario.ts --kernel DIR): boot/vmlinuz-<release> + lib/modules/.
#
#   SUITE    bookworm, bookworm-backports, trixie, trixie-backports, sid, ...:
#            the kernel linux-image-amd64 points at in that suite
#   RELEASE  an exact kernel release such as 6.18.9+deb13-amd64 or
#            6.1.0-56-amd64: taken from whichever configured suite has
#            linux-image-RELEASE (all of the suites above are configured)
#
# Suites are added to apt with pin priority 1, so nothing from them is ever
# installed over the system's packages. Needs root to add a suite (apt
# sources) unless it is already configured. Prints the tree's path on the
# last line. Exit 1 if the kernel is not in the archive (or has no modules).
set -euo pipefail
usage="usage: fetch-kernel.sh SUITE|RELEASE [DEST]"
what=${1:?$usage}
[ "$what" != "-h" ] && [ "$what" != "--help" ] || { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0; }
dest=${2:-$(cd "$(dirname "$0")/.." && pwd)/.cache/kernels}
SUITES=(bookworm bookworm-backports trixie trixie-backports sid)
say() { echo "fetch-kernel: $*" >&2; }

# shellcheck source=apt-suite.sh
. "$(dirname "$0")/apt-suite.sh"

# The first "Depends:" of PACKAGE=VERSION, one name per line, alternatives dropped.
depends_of() {
  apt-cache show "$1=$2" | sed -n 's/^Depends: //p' | head -1 |
    tr ',' '\n' | sed 's/(.*//; s/|.*//' | tr -d ' '
}

changed=0
if [[ "$what" =~ ^[0-9] ]]; then
  for s in "${SUITES[@]}"; do add_suite "$s" && changed=1 || true; done
else
  add_suite "$what" && changed=1 || true
fi
if [ "$changed" = 1 ] || ! apt-cache policy linux-image-amd64 >/dev/null 2>&1; then
  say "updating apt lists"
  as_root apt-get update -q >/dev/null
fi

if [[ "$what" =~ ^[0-9] ]]; then
  release=$what
  image="linux-image-${release}"
  version=$(version_of "$image")
  if [ -z "$version" ]; then
    say "no ${image} in ${SUITES[*]} (is the release spelt as in 'uname -r', e.g. 6.18.9+deb13-amd64?)"
    exit 1
  fi
else
  meta_version=$(version_of linux-image-amd64 "$what")
  [ -n "$meta_version" ] || { say "no linux-image-amd64 in ${what}"; exit 1; }
  image=$(depends_of linux-image-amd64 "$meta_version" | grep -m1 '^linux-image-.*-amd64$' || true)
  [ -n "$image" ] || { say "cannot resolve the image package of ${meta_version}"; exit 1; }
  release=${image#linux-image-}
  version=$(version_of "$image" "$what")
fi
tree="${dest}/${release}"
if [ -f "${tree}/lib/modules/${release}/modules.dep" ] && [ -e "${tree}/boot/vmlinuz-${release}" ]; then
  say "${release} already in ${tree}"
  echo "$tree"
  exit 0
fi

# 6.x: the image package holds vmlinuz and modules. From 6.19 on the image
# package is a metapackage over linux-binary-* (vmlinuz) and linux-modules-*.
packages=("${image}=${version}")
for dep in $(depends_of "$image" "$version"); do
  case "$dep" in
    linux-binary-*|linux-modules-*)
      v=$(version_of "$dep")
      [ -n "$v" ] || { say "${dep} (needed by ${image}) is not in the archive: no modules, not usable"; exit 1; }
      packages+=("${dep}=${v}") ;;
  esac
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say "downloading ${packages[*]}"
(cd "$work" && apt-get download -q "${packages[@]}" >&2)
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
[ -e "$tree/boot/vmlinuz-${release}" ] || { say "${image} has no vmlinuz"; exit 1; }
[ -d "$tree/lib/modules/${release}/kernel/drivers/char/ipmi" ] ||
  { say "${release} has no IPMI modules"; exit 1; }
# Packages generate modules.dep at install time; we unpack only, so run depmod.
[ -f "$tree/lib/modules/${release}/modules.dep" ] || /sbin/depmod -b "$tree" "$release"
say "${release} (${version}) unpacked in ${tree}"
echo "$tree"
