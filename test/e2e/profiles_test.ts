/**
 * Issue 6 end to end: with each shipped firmware profile, ipmitool in a real
 * guest sees the vendor's identity, sensors, thresholds and FRU data; a
 * reading set over the API above the upper critical threshold appears in
 * the guest's SEL as an assertion, and its return below the threshold minus
 * hysteresis as a deassertion.
 */

import assert from "node:assert/strict";
import { ApiClient } from "../../src/cli/api_client.ts";
import { PROFILE_DIR, shippedProfileNames } from "../../src/profile/load_profile.ts";
import { parseProfile } from "../../src/profile/parse_profile.ts";
import type { Profile } from "../../src/profile/schema.ts";
import { withGuest } from "../../tools/e2e/mod.ts";
import { e2eTest } from "./_e2e.ts";

function load(name: string): Profile {
  return parseProfile(
    JSON.parse(Deno.readTextFileSync(`${PROFILE_DIR}${name}.json`)),
    `${name}.json`,
  );
}

/** `ipmitool mc info`'s firmware revision: major, then the BCD minor as two hex digits. */
function firmwareText(p: Profile): string {
  const [major, minor] = p.identity.firmwareRevision.split(".");
  return `${Number(major)}.${minor}`;
}

/** ipmitool prints numbers like 42.000. */
function num(v: number): string {
  return v.toFixed(3);
}

for (const name of shippedProfileNames()) {
  const profile = load(name);
  const e2eSensor = profile.sources["e2e.thresholdSensor"];
  e2eTest(`e2e profile ${name}: mc info, sdr, sensor and fru print show the profile`, async ({
    kernel,
  }) => {
    await withGuest({ kernel, iface: "kcs", bmc: { args: ["--profile", name] } }, async ({
      guest,
      bmc,
    }) => {
      const id = profile.identity;
      const info = await guest.ok("ipmitool mc info");
      assert.match(info, new RegExp(`Manufacturer ID\\s+: ${id.manufacturerId}\\n`));
      assert.match(
        info,
        new RegExp(
          `Product ID\\s+: ${id.productId} \\(0x${id.productId.toString(16).padStart(4, "0")}\\)`,
        ),
      );
      assert.match(
        info,
        new RegExp(`Firmware Revision\\s+: ${firmwareText(profile).replace(".", "\\.")}`),
      );
      const sensors = profile.sensors;
      if (sensors.length === 0) return;
      const sdr = await guest.ok("ipmitool sdr list all", 120_000);
      for (const s of sensors) assert.ok(sdr.includes(s.name), `sdr list shows ${s.name}:\n${sdr}`);
      const table = await guest.ok("ipmitool sensor", 120_000);
      for (const s of sensors) {
        if (s.kind !== "threshold" || s.thresholds.ucr === undefined) continue;
        const line = table.split("\n").find((l) => l.startsWith(s.name));
        assert.ok(line !== undefined, `ipmitool sensor lists ${s.name}`);
        assert.ok(
          line.includes(num(s.thresholds.ucr)),
          `${s.name} shows UCR ${s.thresholds.ucr}: ${line}`,
        );
      }
      for (const fru of profile.frus) {
        const text = await guest.ok("ipmitool fru print 0", 60_000);
        if (fru.board !== undefined) {
          assert.match(text, new RegExp(`Board Mfg\\s+: ${fru.board.manufacturer}`));
          assert.match(text, new RegExp(`Board Product\\s+: ${fru.board.productName}`));
          assert.match(text, new RegExp(`Board Serial\\s+: ${fru.board.serialNumber}`));
        }
        if (fru.product !== undefined) {
          assert.match(text, new RegExp(`Product Name\\s+: ${fru.product.name}`));
        }
      }
      if (e2eSensor === undefined) return;
      const sensor = sensors.find((s) => s.name === e2eSensor);
      assert.ok(sensor?.kind === "threshold" && sensor.thresholds.ucr !== undefined);
      const ucr = sensor.thresholds.ucr;
      const hysteresis = typeof sensor.hysteresis === "number"
        ? sensor.hysteresis
        : sensor.hysteresis.negative;
      const api = new ApiClient(bmc.apiUrl, null);
      const path = `/api/v1/bmcs/bmc0/sensors/${encodeURIComponent(e2eSensor)}`;
      await api.json("PUT", path, { value: ucr + 2 });
      const hot = await guest.ok("ipmitool sel list");
      assert.match(hot, /Upper Critical going high \| Asserted/, hot);
      await api.json("PUT", path, { value: ucr - hysteresis - 1 });
      const cool = await guest.ok("ipmitool sel list");
      assert.match(cool, /Upper Critical going high \| Deasserted/, cool);
    });
  });
}
