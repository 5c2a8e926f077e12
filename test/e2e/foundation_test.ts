/**
 * Issue 2 end to end: a real Debian kernel in QEMU registers bmc-emu over
 * KCS, BT and SSIF, and ipmitool in the guest sees the generic profile.
 */

import assert from "node:assert/strict";
import { derivedGuid } from "../../src/profile/parse_profile.ts";
import { withGuest } from "../../tools/e2e/mod.ts";
import { e2eTest } from "./_e2e.ts";

const GENERIC_SYSTEM_GUID = derivedGuid("generic/bmc0/system");

for (const iface of ["kcs", "bt", "ssif"] as const) {
  e2eTest(
    `e2e ${iface}: the guest registers bmc-emu and ipmitool sees the generic profile`,
    async ({ kernel }) => {
      await withGuest({ kernel, iface }, async ({ guest, bmc }) => {
        const dmesg = await guest.ok("dmesg");
        assert.match(dmesg, /Found new BMC \(man_id: 0x007ed9, prod_id: 0x0001, dev_id: 0x20\)/);
        const info = await guest.ok("ipmitool mc info");
        assert.match(info, /Manufacturer ID\s+: 32473/);
        assert.match(info, /Product ID\s+: 1 \(0x0001\)/);
        assert.match(info, /Firmware Revision\s+: 1\.00/);
        assert.match(info, /IPMI Version\s+: 2\.0/);
        assert.match(await guest.ok("ipmitool chassis power status"), /Chassis Power is on/);
        assert.match(
          await guest.ok("ipmitool mc guid"),
          new RegExp(`System GUID\\s+: ${GENERIC_SYSTEM_GUID}`),
        );
        const served = bmc.entries().filter((e) => e.msg === "request").length;
        assert.ok(served > 10, `bmc-emu logged ${served} requests`);
      });
    },
  );
}

e2eTest("e2e kcs: the IPMI interrupt is enabled and counts", async ({ kernel }) => {
  await withGuest({ kernel, iface: "kcs" }, async ({ guest, bmc }) => {
    const count = async (): Promise<number> => {
      const line = (await guest.ok("grep ipmi_si /proc/interrupts")).trim();
      return Number(line.split(/\s+/)[1]);
    };
    assert.match(await guest.ok("cat /sys/class/ipmi/ipmi0/device/params"), /irq=5/);
    const before = await count();
    await guest.ok("for i in 1 2 3 4 5; do ipmitool mc info >/dev/null; done");
    const after = await count();
    assert.ok(after > before, `interrupts went from ${before} to ${after}`);
    assert.ok(bmc.entries().some((e) => e.msg === "control sent" && e.op === "enable-irq"));
  });
});
