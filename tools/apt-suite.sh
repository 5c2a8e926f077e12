# Sourced by tools/fetch-kernel.sh and tools/fetch-qemu.sh: add a Debian suite
# to apt with pin priority 1, so packages can be downloaded from it but nothing
# from it is ever installed over the system's packages; and ask apt which
# version a suite has.

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
