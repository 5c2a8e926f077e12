#!/usr/bin/env bash
# Installs the Debian packages the end-to-end tests need: QEMU (TCG is enough),
# the distribution kernel with its IPMI modules, busybox-static and ipmitool
# for the guest image, openipmi (ipmi_sim, the peer for comparisons), the
# decompressors for other kernels' modules, the out-of-band clients the LAN
# and Redfish tests drive (FreeIPMI, sushy, redfishtool), and what the kernel
# matrix needs to build patched modules (debootstrap, patch), and the headless
# browsers the dashboard's browser test drives (chromium, firefox-esr).
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
  echo "install-e2e-deps.sh: run as root (sudo $0)" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends \
  qemu-system-x86 linux-image-amd64 busybox-static ipmitool openipmi \
  xz-utils zstd ca-certificates \
  freeipmi-tools python3-sushy redfishtool debootstrap patch chromium firefox-esr
