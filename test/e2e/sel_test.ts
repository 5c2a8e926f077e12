/**
 * Issue 3 end to end: ipmitool's SEL commands against bmc-emu, and SEL
 * records written by the guest surviving a kill -9 of bmc-emu mid-write.
 */

import assert from "node:assert/strict";
import { formatEndpoint } from "../../src/transport/endpoint.ts";
import { BmcProcess, withGuest } from "../../tools/e2e/mod.ts";

import { e2eTest } from "./_e2e.ts";

e2eTest(
  "e2e sel: ipmitool sel info|list|get|delete|clear|time behave as on a conforming BMC",
  async ({ kernel }) => {
    await withGuest({ kernel, iface: "kcs" }, async ({ guest }) => {
      await guest.ok("ipmitool event 1 && ipmitool event 2 && ipmitool event 3");
      const info = await guest.ok("ipmitool sel info");
      assert.match(info, /Version\s+: 1\.5 \(v1\.5, v2 compliant\)/);
      assert.match(info, /Entries\s+: 3/);
      assert.match(info, /Free Space\s+: 16336 bytes/);
      assert.match(info, /Overflow\s+: false/);
      assert.match(info, /Supported Cmds\s+: 'Delete' 'Reserve' 'Get Alloc Info'/);
      assert.match(info, /# of Alloc Units : 1024/);
      const list = await guest.ok("ipmitool sel list");
      assert.match(
        list,
        /^\s+1 \| \d\d\/\d\d\/\d\d \| \d\d:\d\d:\d\d UTC \| Temperature #0x30 \| Upper Critical going high \| Asserted/m,
      );
      assert.match(list, /^\s+3 \| .* \| Memory #0x53 \| Correctable ECC \| Asserted/m);
      const get = await guest.ok("ipmitool sel get 0x2");
      assert.match(get, /SEL Record ID\s+: 0002/);
      assert.match(get, /Generator ID\s+: 0041/);
      assert.match(get, /Description\s+: Lower Critical going low/);
      assert.match(await guest.ok("ipmitool sel delete 2"), /Deleted entry 2/);
      assert.doesNotMatch(await guest.ok("ipmitool sel list"), /^\s+2 \|/m);
      const failedDelete = await guest.run("ipmitool sel delete 2");
      assert.notEqual(failedDelete.code, 0, "deleting a missing record fails");
      await guest.ok('ipmitool sel time set "06/15/30 10:00:00"');
      assert.match(await guest.ok("ipmitool sel time get"), /^06\/15\/30 10:00:\d\d/m);
      await guest.ok("ipmitool event 1");
      assert.match(
        await guest.ok("ipmitool sel list"),
        /\| 06\/15\/30 \| 10:00:\d\d UTC \| Temperature/,
      );
      assert.match(await guest.ok("ipmitool sel clear"), /Clearing SEL/);
      const cleared = await guest.ok("ipmitool sel info");
      assert.match(cleared, /Entries\s+: 0/);
      assert.match(cleared, /Last Del Time\s+: 06\/15\/30/);
      assert.match(await guest.ok("ipmitool sel list"), /SEL has no entries/);
    });
  },
);

e2eTest(
  "e2e sel: records the guest wrote before a kill -9 of bmc-emu are listed after it restarts",
  async ({ kernel }) => {
    const stateDir = await Deno.makeTempDir({ prefix: "bmc-emu-state-" });
    let first: BmcProcess | null = await BmcProcess.start({ args: ["--state-dir", stateDir] });
    let second: BmcProcess | null = null;
    try {
      const endpoint = first.vmEndpoint();
      await withGuest({ kernel, iface: "kcs", bmc: first }, async ({ guest }) => {
        // Add records as fast as possible; log each acknowledged record id.
        await guest.ok(`(i=0; while [ $i -lt 100000 ]; do
        out=$(ipmitool raw 0x0a 0x44 0 0 2 0 0 0 0 0x41 0 4 0x12 $((i % 256)) 0x6f 1 0xff 0xff 2>/dev/null) && echo "$i $out" >> /tmp/acks
        i=$((i+1)); done) >/dev/null 2>&1 &`);
        // The 40th answered Add SEL Entry in the log, whenever it comes.
        let adds = 0;
        const isAdd = (line: string) =>
          /"msg":"response"/.test(line) && line.includes('"command":"storage/add-sel-entry"');
        await first!.log.waitFor((line) => isAdd(line) && ++adds >= 40, {
          timeoutMs: 60_000,
          fromStart: true,
          what: "40 SEL adds",
        });
        await first!.crash();
        first = null;
        second = await BmcProcess.start({
          args: ["--state-dir", stateDir],
          vmListen: formatEndpoint(endpoint),
        });
        await second.log.waitFor(/VM connected/, { timeoutMs: 15_000, fromStart: true });
        await guest.ok("kill %1 2>/dev/null; pkill -f 'ipmitool raw' ; sleep 0.5; true");
        const acks = (await guest.ok("cat /tmp/acks")).trim().split("\n").map((l) => {
          const [i, lo, hi] = l.trim().split(/\s+/);
          return { i: Number(i), id: parseInt(lo!, 16) | (parseInt(hi!, 16) << 8) };
        });
        assert.ok(acks.length >= 40, `${acks.length} adds acknowledged`);
        const list = await guest.ok("ipmitool sel list", 120_000);
        const ids = new Set(
          list.split("\n").filter((l) => /^\s*[0-9a-f]+ \|/.test(l)).map((l) =>
            parseInt(l.trim().split(" ")[0]!, 16)
          ),
        );
        const missing = acks.filter((a) => !ids.has(a.id));
        assert.deepEqual(
          missing,
          [],
          `every acknowledged record survived (${acks.length} acknowledged, ${ids.size} listed)`,
        );
      });
    } finally {
      await (first as BmcProcess | null)?.stop();
      await (second as BmcProcess | null)?.stop();
      await Deno.remove(stateDir, { recursive: true });
    }
  },
);
