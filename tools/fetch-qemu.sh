#!/usr/bin/env bash
# fetch-qemu.sh SUITE [DEST]: a QEMU (x86) of another Debian suite beside the
# system's, never installed over it; prints the path of a wrapper that runs it
# on the last line.
#   - bookworm-backports (QEMU 10.0: its dependencies are all in bookworm): the
#     packages are downloaded and unpacked into DEST/<version>/ (default
#     .cache/qemu/); the wrapper runs it with its own firmware directory (-L).
#     The suite is added with apt pin priority 1 (as for kernels).
#   - trixie, trixie-backports (QEMU 10.1, 11.x), sid: these need trixie's
#     libraries, so QEMU is installed inside a Debian chroot made with
#     debootstrap under .cache/chroots/ and the wrapper runs it with that
#     chroot's dynamic loader and libraries, outside the chroot (so the
#     kernels, initramfs and sockets of the host are where the caller says).
set -euo pipefail
suite=${1:?usage: fetch-qemu.sh SUITE [DEST]}
root=$(cd "$(dirname "$0")/.." && pwd)
dest=${2:-$root/.cache/qemu}
say() { echo "fetch-qemu: $*" >&2; }
# shellcheck source=apt-suite.sh
. "$(dirname "$0")/apt-suite.sh"

base=${suite%-backports}
if [ "$base" != bookworm ]; then
  sysroot="$root/.cache/chroots/$base"
  debian_chroot "$base" "$sysroot"
  say "installing qemu-system-x86 from $suite in the $base chroot"
  chroot "$sysroot" apt-get update -q >/dev/null
  chroot "$sysroot" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -t "$suite" qemu-system-x86 >/dev/null
  version=$(chroot "$sysroot" dpkg-query -W -f '${Version}' qemu-system-x86)
  upstream=${version#*:}
  upstream=${upstream%%+*}
  tree="${dest}/${upstream}"
  wrapper="${tree}/qemu-system-x86_64"
  mkdir -p "$tree"
  libs="$sysroot/lib/x86_64-linux-gnu:$sysroot/usr/lib/x86_64-linux-gnu"
  cat > "$wrapper" <<W
#!/bin/sh
# QEMU ${version} (${suite}) from the chroot ${sysroot}, run with its loader and libraries.
export QEMU_MODULE_DIR="${sysroot}/usr/lib/x86_64-linux-gnu/qemu"
exec "${sysroot}/lib64/ld-linux-x86-64.so.2" --library-path "${libs}" \
  "${sysroot}/usr/bin/qemu-system-x86_64" -L "${sysroot}/usr/share/qemu" "\$@"
W
  chmod +x "$wrapper"
  "$wrapper" --version | head -1 >&2 || { say "QEMU ${upstream} does not run here"; exit 1; }
  echo "$wrapper"
  exit 0
fi

if add_suite "$suite"; then as_root apt-get update -q >/dev/null; fi
version=$(version_of qemu-system-x86 "$suite")
[ -n "$version" ] || { say "no qemu-system-x86 in ${suite}"; exit 1; }
upstream=${version#*:}
upstream=${upstream%%+*}
tree="${dest}/${upstream}"
wrapper="${tree}/qemu-system-x86_64"
if [ -x "$wrapper" ]; then say "QEMU ${upstream} already in ${tree}"; echo "$wrapper"; exit 0; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say "downloading QEMU ${version} (${suite})"
(cd "$work" && apt-get download -q "qemu-system-x86=${version}" "qemu-system-common=${version}" \
  "qemu-system-data=${version}" >&2)
mkdir -p "$tree/root"
for deb in "$work"/*.deb; do dpkg -x "$deb" "$tree/root"; done
cat > "$wrapper" <<W
#!/bin/sh
exec "${tree}/root/usr/bin/qemu-system-x86_64" -L "${tree}/root/usr/share/qemu" "\$@"
W
chmod +x "$wrapper"
"$wrapper" --version | head -1 >&2 || { say "QEMU ${upstream} does not run here (missing libraries?)"; exit 1; }
echo "$wrapper"
