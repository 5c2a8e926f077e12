/**
 * Help text of `bmc-emu serve`.
 *
 * @module
 */

import { DEFAULT_API_LISTEN } from "../runtime/config_plan.ts";

/** `serve --help`. */
export const SERVE_HELP = `Usage: bmc-emu serve [options]

Run emulated BMCs that QEMU guests attach to (ipmi-bmc-extern, VM protocol).

VM endpoint (one BMC, id bmc0 unless --id):
  --vm-listen tcp:HOST:PORT|unix:PATH   bmc-emu listens, QEMU dials with reconnect=
                                        (default tcp:127.0.0.1:9002)
  --vm-connect tcp:HOST:PORT|unix:PATH  QEMU listens (server=on,wait=off); bmc-emu dials
                                        and retries with backoff until it appears
  --id ID                               BMC id (default bmc0)
  --profile NAME|PATH                   firmware profile (default generic); shipped:
                                        see firmware-profiles/
  --check-profile NAME|PATH             validate a profile, print every problem, and
                                        exit (0 valid, 1 invalid); starts nothing
  --check-config FILE                   the same for a --config file (every problem
                                        with its path, and the profiles it names)

Power backend (what Chassis Control and watchdog actions do to the VM):
  (default)              vm: VM protocol commands only. Power off ends QEMU
                         (or pauses it with -action shutdown=pause); power on
                         is impossible (0xD5); power cycle is a reset
  --qmp tcp:HOST:PORT|unix:PATH
                         qmp: QEMU's monitor (start QEMU with -qmp … and
                         -action shutdown=pause). Power off pauses the VM,
                         power on resets and continues it, power cycle does
                         both; QEMU's own reset/shutdown events update the power
                         state and a guest reboot stops the watchdog

Many BMCs:
  --config FILE          declare BMCs in JSON (ids, profiles, VM endpoints, qmp,
                         state files; see README); excludes the single-BMC
                         options --id --profile --vm-listen --vm-connect --qmp
  --workers N            shard the BMCs over N worker isolates, one API in front
                         (1-64; default: one per CPU, at most 8 and at most one
                         per 500 BMCs at start-up, so up to 999 BMCs run in one
                         isolate); a scenario must keep to one shard's BMCs

HTTP API:
  --api-listen HOST:PORT|off
                         control API address (default ${DEFAULT_API_LISTEN})
  --api-token TOKEN      require "Authorization: Bearer TOKEN" on every request
                         (or set BMC_EMU_API_TOKEN); mandatory when the API is
                         bound to a non-loopback address
  --ui on|off            serve the live dashboard at / on the API listener
                         (default on; same token rules: open /?token=TOKEN
                         once and the browser keeps it in a cookie)

Redfish (one service per BMC; in a config file: bmcs[].redfish.listen):
  --redfish-listen HOST:PORT
                         serve this BMC as a Redfish service (off by default);
                         its users are the BMC's (bmcs[].users; default
                         admin/admin, which may only be served on loopback)
  --redfish-tls CERT,KEY|self-signed
                         serve HTTPS (and plain HTTP on the same port) with
                         these PEM files, or a self-signed certificate made at
                         start with openssl

IPMI over LAN and Serial over LAN (one BMC; in a config file: bmcs[].lan,
bmcs[].users, bmcs[].console):
  --lan-listen HOST:PORT answer RMCP/RMCP+ (ipmitool -I lanplus, FreeIPMI
                         LAN_2_0) on this UDP address (real BMCs: port 623);
                         off by default; cipher suites 1, 2, 3, 15, 16, 17
                         (and 0, no authentication, only where the profile's
                         lan.cipherSuites lists it)
  --lan-user NAME:PASSWORD[:PRIVILEGE]
                         a LAN user (repeatable; ids 2, 3, …; privilege
                         callback|user|operator|administrator, default
                         administrator). Without one: admin/admin, and then
                         only loopback; other addresses need users whose
                         passwords are not well known
  --console-listen tcp:HOST:PORT|unix:PATH
                         the guest's serial console: QEMU's -serial chardev
                         connects here (the banner prints the arguments); SOL
                         carries it; logged to <state-dir>/<id>-console.log

State:

  --state-dir DIR        where SEL and other non-volatile state live, one SQLite
                         file per BMC (default .bmc-state)
  --ephemeral            keep all state in memory; nothing is written to disk
  --reset-state          empty the BMCs' state files before starting (the way
                         to reuse a state file under another profile: one
                         written under a different profile is refused)

Logging:
  --log-level LEVEL      debug|info|warn|error (default info); debug logs every
                         request and response, decoded
  --log-format FORMAT    text|json (default text), to standard error

  -h, --help             show this help

On start, bmc-emu prints the QEMU arguments that attach a guest to it (KCS, BT
and SSIF). Stop it with Ctrl-C (SIGINT) or SIGTERM.

Exit codes: 0 clean shutdown, 1 start-up failure (bad profile, unusable state
file, address in use), 2 usage error.`;
