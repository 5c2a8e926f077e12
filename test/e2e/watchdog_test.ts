/**
 * Issue 3 end to end: Linux's ipmi_watchdog against bmc-emu on a real
 * Debian kernel — pretimeout NMI and panic, messaging-interrupt pretimeout,
 * feeding, and the watchdog's SEL records, restart cause and stop.
 */

import assert from "node:assert/strict";
import { type BmcProcess, withGuest } from "../../tools/e2e/mod.ts";
import { e2eTest } from "./_e2e.ts";

/** Insert the watchdog module with parameters (the NMI self-test runs inside insmod). */
function insmodWatchdog(params: string): string {
  return `insmod /lib/modules/e2e/ipmi_watchdog.ko ${params}`;
}

/** Messages of bmc-emu's log, in order. */
function logMessages(bmc: BmcProcess): string[] {
  return bmc.entries().map((e) =>
    `${e.msg}${e.action ? ` ${e.action}` : ""}${e.op ? ` ${e.op}` : ""}`
  );
}

function indexOfMessage(messages: string[], message: string, from = 0): number {
  const i = messages.findIndex((m, at) => at >= from && m.startsWith(message));
  assert.ok(i >= 0, `bmc-emu log has "${message}" after position ${from}:\n${messages.join("\n")}`);
  return i;
}

e2eTest(
  "e2e watchdog: pretimeout NMI panics the guest, the BMC resets it, the SEL tells the story",
  async ({ kernel }) => {
    await withGuest({ kernel, iface: "kcs" }, async ({ guest, bmc }) => {
      await guest.ok("echo string > /sys/module/ipmi_msghandler/parameters/panic_op");
      await guest.ok(
        insmodWatchdog(
          "preaction=pre_nmi preop=preop_panic action=reset timeout=10 pretimeout=4 panic_wdt_timeout=6",
        ),
      );
      const dmesg = await guest.ok("dmesg");
      assert.doesNotMatch(dmesg, /IPMI NMI didn't seem to occur/, "the NMI self-test saw its NMI");
      assert.match(dmesg, /IPMI Watchdog: driver initialized/);
      // Feed three times, then stop feeding but keep the device open.
      await guest.ok(
        "(exec 3>/dev/watchdog; for i in 1 2 3; do echo 1 >&3; sleep 1; done; exec sleep 1000) >/dev/null 2>&1 &",
      );
      await guest.console.waitFor(/Kernel panic - not syncing: pre-timeout/, {
        timeoutMs: 30_000,
        what: "the pretimeout panic",
        fromStart: true,
      });
      await guest.waitReady(60_000, 2);
      const sel = await guest.ok("ipmitool sel elist");
      const lines = sel.split("\n").filter((l) => /^\s+\d+ \|/.test(l));
      const interrupt = lines.findLastIndex((l) => /Watchdog2 .*\| Timer interrupt/.test(l));
      const critical = lines.findIndex((l) =>
        /OS Critical Stop .*\| Run-time critical stop/.test(l)
      );
      const reset = lines.findIndex((l) => /Watchdog2 .*\| Hard reset/.test(l));
      assert.ok(
        interrupt >= 0 && critical > interrupt && reset > critical,
        `SEL order interrupt < critical stop < hard reset:\n${sel}`,
      );
      assert.doesNotMatch(sel, /Pre-Init/, "real dates");
      assert.match(
        lines[reset]!,
        new RegExp(
          `\\| ${new Date().toISOString().slice(5, 7)}/\\d\\d/${
            new Date().toISOString().slice(2, 4)
          } \\|`,
        ),
      );
      assert.match(
        await guest.ok("ipmitool chassis restart_cause"),
        /System restart cause: watchdog/,
      );
      assert.match(await guest.ok("ipmitool mc watchdog get"), /Watchdog Timer Is:\s+Stopped/);
      const messages = logMessages(bmc);
      const pre = indexOfMessage(
        messages,
        "watchdog pre-timeout",
        messages.lastIndexOf("watchdog pre-timeout"),
      );
      indexOfMessage(messages, "host action sent nmi", pre);
      const expired = indexOfMessage(messages, "watchdog expired", pre);
      indexOfMessage(messages, "host action sent reset", expired);
    });
  },
);

e2eTest(
  "e2e watchdog: a messaging-interrupt pretimeout wakes a reader of /dev/watchdog, then the reset comes",
  async ({ kernel }) => {
    await withGuest({ kernel, iface: "kcs" }, async ({ guest, bmc }) => {
      await guest.ok(
        insmodWatchdog(
          "preaction=pre_int preop=preop_give_data action=reset timeout=8 pretimeout=4",
        ),
      );
      await guest.ok(`(exec 3<>/dev/watchdog
      echo 1 >&3
      t0=$(cut -d' ' -f1 /proc/uptime)
      dd bs=1 count=1 <&3 >/dev/null 2>&1
      t1=$(cut -d' ' -f1 /proc/uptime)
      echo "PRETIMEOUT-READ $t0 $t1" > /dev/console
      exec sleep 1000) >/dev/null 2>&1 &`);
      const line = await guest.console.waitFor(/PRETIMEOUT-READ/, {
        timeoutMs: 20_000,
        what: "the reader to wake",
      });
      const [t0, t1] = line.split(" ").slice(1).map(Number) as [number, number];
      assert.ok(
        t1 - t0 >= 3.5 && t1 - t0 <= 5.5,
        `reader woke after ${(t1 - t0).toFixed(2)} s, expected ~4 s`,
      );
      await guest.waitReady(40_000, 2);
      const messages = logMessages(bmc);
      const pre = indexOfMessage(messages, "watchdog pre-timeout");
      indexOfMessage(messages, "host action sent reset", pre);
      assert.ok(
        !messages.slice(0, pre).includes("host action sent nmi"),
        "no NMI for a messaging interrupt",
      );
      assert.match(
        await guest.ok("ipmitool sel list"),
        /Watchdog2 .*\| Timer interrupt[\s\S]*Watchdog2 .*\| Hard reset/,
      );
    });
  },
);

e2eTest(
  "e2e watchdog: feeding every 2 s with timeout=5 for 60 s never resets; 'V' and close stop the timer",
  async ({ kernel }) => {
    await withGuest({ kernel, iface: "kcs" }, async ({ guest, bmc }) => {
      await guest.ok(insmodWatchdog("timeout=5 action=reset"));
      const feed = await guest.run(
        `exec 3>/dev/watchdog
      i=0
      while [ $i -lt 30 ]; do
        echo 1 >&3 || echo WRITE-FAILED
        sleep 2
        i=$((i+1))
      done
      ipmitool mc watchdog get
      echo V >&3
      exec 3>&-`,
        120_000,
      );
      assert.equal(feed.code, 0, feed.output);
      assert.doesNotMatch(feed.output, /WRITE-FAILED/);
      assert.match(feed.output, /Watchdog Timer Is:\s+Started\/Running/);
      assert.match(feed.output, /Initial Countdown:\s+5\.0 sec/);
      assert.equal(guest.boots, 1, "never reset");
      const after = await guest.ok("ipmitool mc watchdog get");
      assert.match(after, /Watchdog Timer Is:\s+Stopped/);
      const messages = logMessages(bmc);
      assert.ok(!messages.some((m) => m.startsWith("watchdog expired")), "never expired");
      assert.ok(!messages.includes("host action sent reset"));

      const resets = bmc.entries().filter((e) =>
        e.msg === "request" && e.command === "app/reset-watchdog-timer"
      ).length;
      assert.ok(resets >= 29, `${resets} heartbeats reached the BMC`);
    });
  },
);
