/**
 * The guest command's boot script: load the IPMI stack for the interface,
 * write a shell profile with short aliases and print what to try (on the
 * interactive console, where the image's init keeps a login shell).
 *
 * @module
 */

/** What the boot script needs to know. */
export interface GuestBootOptions {
  /** Interface type. */
  readonly iface: "kcs" | "bt" | "ssif";
  /** The BMC's API, for the host-side commands in the banner. */
  readonly apiUrl: string;
  /** The BMC's id. */
  readonly bmc: string;
  /** Whether the console is interactive (the banner is printed on it). */
  readonly interactive: boolean;
}

/**
 * The script run at every boot of the guest.
 *
 * @param o Interface, API, console mode.
 * @returns Shell script text.
 */
export function guestBootScript(o: GuestBootOptions): string {
  const ctl = `deno task ctl --api ${o.apiUrl}`;
  const banner = [
    "",
    `bmc-emu guest: Linux $(uname -r), IPMI over ${o.iface.toUpperCase()} ($( [ -e /dev/ipmi0 ] && echo /dev/ipmi0 || echo 'no /dev/ipmi0: see dmesg'))`,
    "Try, in the guest:",
    "  ipmitool mc info                 the BMC's identity",
    "  ipmitool sel elist               its event log",
    "  ipmitool sdr                     sensors",
    "  arm-watchdog 60 && wdfeed 10 &   load ipmi_watchdog (60 s, reset) and feed it every 10 s",
    `On the host (BMC ${o.bmc}):`,
    `  ${ctl} status`,
    `  ${ctl} events --follow`,
    `  ${ctl} reset --watchdog forget --after 0xD5    reboot the BMC into broken firmware`,
    ...(o.interactive ? ["Quit: Ctrl-a x", ""] : [""]),
  ];
  return [
    `load-ipmi ${o.iface}`,
    "cat > /bin/arm-watchdog <<'EOF'",
    "#!/bin/sh",
    "# arm-watchdog [TIMEOUT] [ACTION]: load ipmi_watchdog (default 60 s, reset)",
    'insmod /lib/modules/e2e/ipmi_watchdog.ko timeout="${1:-60}" action="${2:-reset}"',
    "EOF",
    "chmod +x /bin/arm-watchdog",
    "cat > /etc/profile <<'EOF'",
    "export PS1='guest# '",
    "alias mcinfo='ipmitool mc info' sel='ipmitool sel elist' wd='cat /sys/class/watchdog/watchdog0/timeout 2>/dev/null'",
    "EOF",
    `cat > /etc/motd <<EOF\n${banner.join("\n")}\nEOF`,
    // The image's init keeps the login shell on the console (ttyS0).
    ...(o.interactive ? ["cat /etc/motd > /dev/ttyS0"] : []),
  ].join("\n");
}
