# Sourced by tools/fetch-kernel.sh, tools/fetch-qemu.sh,
# tools/build-ipmi-modules.sh and tools/build-image.sh: add a Debian suite to apt with pin priority 1,
# so packages can be downloaded from it but nothing from it is ever installed
# over the system's packages; ask apt which version a suite has; and make a
# chroot of another Debian release (with its backports) to run its programs.

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# add_suite SUITE: add it unless some source already serves it.
# Returns 0 if apt's sources changed (the caller runs apt-get update).
add_suite() {
  local suite=$1
  grep -rqsE "^(Suites:.*[[:space:]]${suite}([[:space:]]|$)|deb .* ${suite} )" \
    /etc/apt/sources.list /etc/apt/sources.list.d/ && return 1
  as_root tee "/etc/apt/sources.list.d/bmc-emu-${suite}.sources" >/dev/null <<S
Types: deb
URIs: http://deb.debian.org/debian
Suites: ${suite}
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
S
  as_root tee "/etc/apt/preferences.d/bmc-emu-${suite}" >/dev/null <<P
Package: *
Pin: release n=${suite}
Pin-Priority: 1
P
  return 0
}

# Highest available version of PACKAGE (optionally only from SUITE).
version_of() {
  local package=$1 suite=${2:-}
  apt-cache policy "$package" 2>/dev/null | awk -v s="${suite:+ ${suite}/main}" '
    /^  Version table:/ { table = 1; next }
    !table { next }
    /http|\/var\/lib/ { if (s == "" || index($0, s)) { print v; exit } ; next }
    /^ +(\*\*\* )?[0-9~]/ { v = $1 == "***" ? $2 : $1 }'
}

# debian_chroot SUITE DIR: a minimal Debian SUITE in DIR (debootstrap, once),
# with SUITE-backports in its sources. Nothing on the host is installed.
debian_chroot() {
  local suite=$1 dir=$2
  [ -x "$dir/usr/bin/apt-get" ] && return 0
  command -v debootstrap >/dev/null || as_root apt-get install -y -q debootstrap >/dev/null
  echo "apt-suite: creating a Debian $suite chroot in $dir (debootstrap --variant=minbase)" >&2
  rm -rf "$dir"
  as_root debootstrap --variant=minbase "$suite" "$dir" http://deb.debian.org/debian >/dev/null
  echo "deb http://deb.debian.org/debian $suite-backports main" |
    as_root tee "$dir/etc/apt/sources.list.d/backports.list" >/dev/null
}
