#!/usr/bin/env bash
# fetch-qemu.sh SUITE [DEST]: download the QEMU (x86) of a Debian suite whose
# dependencies this machine already has — bookworm-backports' 10.0 on
# bookworm — without installing it, unpack it into DEST/<version>/ (default
# .cache/qemu/) and write a wrapper DEST/<version>/qemu-system-x86_64 that
# runs it with its own firmware directory (-L). Prints the wrapper's path on
# the last line. The suite is added with apt pin priority 1 (as for kernels).
set -euo pipefail
suite=${1:?usage: fetch-qemu.sh SUITE [DEST]}
dest=${2:-$(cd "$(dirname "$0")/.." && pwd)/.cache/qemu}
say() { echo "fetch-qemu: $*" >&2; }
# shellcheck source=apt-suite.sh
. "$(dirname "$0")/apt-suite.sh"

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
