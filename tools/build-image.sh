#!/usr/bin/env bash
# build-image.sh [--local-base] [TAG]: build the container image of
# Containerfile (default tag localhost/bmc-emu) with buildah, or podman if
# buildah is missing.
#   --local-base  make the base image docker.io/library/debian:bookworm-slim
#                 locally from a debootstrap bookworm (under .cache/chroots/),
#                 for machines that reach Debian's archive but no container
#                 registry; the build then never pulls.
# Behind a TLS-intercepting proxy, put its CA (*.crt) in packaging/ca/ first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
say() { echo "build-image: $*" >&2; }
# shellcheck source=apt-suite.sh
. "$(dirname "$0")/apt-suite.sh"
local_base=false
if [ "${1:-}" = "--local-base" ]; then local_base=true; shift; fi
tag=${1:-localhost/bmc-emu}
base=docker.io/library/debian:bookworm-slim
if command -v buildah >/dev/null; then tool=buildah; elif command -v podman >/dev/null; then tool=podman; else
  say "needs buildah or podman (apt-get install buildah)"; exit 1
fi
pull=()
if $local_base; then
  pull=(--pull=never)
  if ! "$tool" images --format '{{.Name}}:{{.Tag}}' | grep -qx "$base"; then
    rootfs="$root/.cache/chroots/bookworm-image"
    debian_chroot bookworm "$rootfs"
    say "importing $rootfs as $base"
    if [ "$tool" = buildah ]; then
      ctr=$(buildah from scratch)
      cp -a "$rootfs/." "$(buildah mount "$ctr")/"
      buildah umount "$ctr" >/dev/null
      buildah config --cmd /bin/bash "$ctr"
      buildah commit -q "$ctr" "$base" >/dev/null
      buildah rm "$ctr" >/dev/null
    else
      tar -C "$rootfs" -c . | podman import - "$base" >/dev/null
    fi
  fi
fi
say "building $tag with $tool"
if [ "$tool" = buildah ]; then
  buildah bud "${pull[@]}" --isolation chroot -t "$tag" -f "$root/Containerfile" "$root" >&2
else
  podman build "${pull[@]}" -t "$tag" -f "$root/Containerfile" "$root" >&2
fi
echo "$tag"
