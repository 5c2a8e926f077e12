/**
 * Help text of `bmc-emu ctl`.
 *
 * @module
 */

import { DEFAULT_API_URL } from "../runtime/config_plan.ts";

/** `ctl --help`. */
export const CTL_HELP = `Usage: bmc-emu ctl [options] <command> [arguments]

Drive and observe a running bmc-emu over its HTTP API.

Commands:
  list                           the BMCs of the process
  status                         full state of one BMC
  bmc add ENTRY-JSON | --file FILE
                                 start a BMC (a config-file entry), e.g.
                                 '{"id": "n2", "vm": {"listen": "tcp:127.0.0.1:9102"}}'
  bmc remove ID                  stop a BMC and take it out of the process
                                 (its state file stays)
  sel list                       SEL records, decoded
  sel add --sensor-type T [--sensor-number N] [--event-type 0x6f]
          [--data D1[,D2[,D3]]] [--direction assertion|deassertion]
          | --raw HEX16          add a SEL record
  sel get ID | sel delete ID | sel clear
  power on|off|cycle|reset|nmi|soft-off
                                 Chassis Control through the power backend
  events [--follow] [--type T[,T...]] [--after ID] [--reconnect-for 10s]
                                 retained events; with --follow, live ones too
                                 (types may be a group: watchdog.*); a lost
                                 stream is reopened with Last-Event-ID for
                                 --reconnect-for, then ctl exits 4
  wait TYPE [--timeout 60s] [--after ID]
                                 wait for the first matching event
  fault add RULE-JSON | --file FILE
                                 add a fault rule, e.g.
                                 '{"match": {"netfn": "app", "cmd": "get-device-id"},
                                   "action": {"type": "error", "cc": "0xC0"}, "count": 3}'
  fault list | fault remove ID | fault clear
  reset [--mode disconnect|busy|silent] [--duration 10s] [--cc 0xC0]
        [--watchdog forget|keep] [--after spec|0xD5]
                                 reboot the BMC; --after 0xD5 leaves firmware
                                 that answers Reset Watchdog Timer with 0xD5
  hang start silent|wedge|sticky-event-buffer|sticky-receive-queue [--duration 30s]
        [--message response|request] [--channel system|lan]
                                 stall the interface or the flag loop until
                                 released (--message: what a sticky receive
                                 queue delivers; --channel: hang only the
                                 host's interface or only IPMI over LAN)
  hang release [--cc 0xFF]       end a hang; a wedge sends its held reply (or --cc)
  scenario run FILE [--junit REPORT.xml] [--html REPORT.html]
                                 run a scenario, printing each step as it
                                 completes (JSON lines with --json); exit 0
                                 only if it passed; --junit writes a JUnit
                                 XML report for CI, --html a self-contained
                                 page with the time line chart and the steps
  qemu-args [--iface kcs|bt|ssif] [--qemu PATH]
                                 QEMU arguments that attach a guest to the
                                 BMC, spelled for that QEMU's version
  sensors                        every sensor: reading, thresholds, asserted events
  sensor set NAME VALUE          set a reading (logs threshold events like a BMC)
  sensor set NAME --state 0,1    set a discrete sensor's asserted offsets
  sensor set NAME resume         hand the sensor back to the profile's dynamics

Options:
  --api URL        bmc-emu API (default ${DEFAULT_API_URL}, or BMC_EMU_API)
  --token TOKEN    bearer token (or BMC_EMU_API_TOKEN)
  --bmc ID         BMC to act on (default bmc0)
  --json           print JSON for scripts
  -h, --help       show this help

Exit codes: 0 ok; 1 the operation failed (a refusal such as 404 or 409, a
failed scenario); 2 usage or invalid input (bad arguments, an invalid scenario
file, a 400 from the server); 3 timeout (wait); 4 bmc-emu unreachable or lost
mid-stream. With --json, errors are also JSON on stderr:
{"error": "...", "exitCode": N, "status": HTTP}.`;
