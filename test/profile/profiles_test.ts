import assert from "node:assert/strict";
import { loadProfile, PROFILE_DIR, shippedProfileNames } from "../../src/profile/load_profile.ts";
import {
  derivedGuid,
  guidToWire,
  parseProfile,
  resolveProfile,
} from "../../src/profile/parse_profile.ts";
import { ProfileError } from "../../src/profile/profile_error.ts";
import { profileJson, testBmc } from "../_helpers/test_bmc.ts";

Deno.test("every file in firmware-profiles/ validates and resolves", async () => {
  const names = shippedProfileNames();
  assert.ok(names.includes("generic") && names.includes("qemu-default"));
  for (const name of names) {
    const { profile } = await loadProfile(name);
    assert.equal(profile.name, name, `${name}.json declares its own name`);
    const config = resolveProfile(profile, { bmcId: "bmc0" });
    assert.equal(config.profile, name);
  }
});

Deno.test("every shipped profile has the vendor profiles issue 6 asks for, with sources", () => {
  const names = shippedProfileNames();
  for (
    const name of ["openbmc", "dell-idrac9", "hpe-ilo5", "supermicro-x12", "lenovo-xcc2"]
  ) {
    assert.ok(names.includes(name), `${name} is shipped`);
  }
});

Deno.test("every shipped profile's SDR repository is consistent with its sensors and FRUs", async () => {
  for (const name of shippedProfileNames()) {
    const { profile } = await loadProfile(name);
    for (const field of ["manufacturerId", "productId", "firmwareRevision"]) {
      assert.ok(
        profile.sources[`identity.${field}`],
        `${name} says where identity.${field} comes from`,
      );
    }
    const config = resolveProfile(profile, { bmcId: "bmc0" });
    const t = testBmc({ config: JSON.parse(JSON.stringify(profile)) });
    const records = t.bmc.sdr.records();
    assert.equal(records.length, 1 + config.frus.length + config.sensors.length + 1, name);
    const numbers: number[] = [];
    records.forEach((r, i) => {
      assert.equal(r[0]! | (r[1]! << 8), i + 1, `${name}: record ids are 1…n`);
      assert.equal(r[2], 0x51, `${name}: SDR version`);
      assert.equal(r[4], r.length - 5, `${name}: record ${i + 1} length byte`);
      if (r[3] === 0x01 || r[3] === 0x02) {
        assert.equal(r[5], 0x20, `${name}: owned by the BMC`);
        numbers.push(r[7]!);
        const idLength = r[r[3] === 0x01 ? 47 : 31]! & 0x1f;
        const id = new TextDecoder("latin1").decode(r.subarray(r.length - idLength));
        assert.equal(t.bmc.sensors.byNumber(r[7]!)?.config.name, id, `${name}: ID string`);
      }
    });
    assert.equal(new Set(numbers).size, numbers.length, `${name}: sensor numbers are unique`);
    assert.ok(numbers.includes(config.watchdogSensorNumber), `${name}: has the Watchdog 2 sensor`);
    for (const s of config.sensors) {
      const reading = t.send(0x04, 0x2d, [s.number]);
      assert.equal(reading.cc, 0, `${name}: ${s.name} answers Get Sensor Reading`);
      if (s.kind === "threshold") {
        assert.equal(reading.data[2]! & 0x3f, 0, `${name}: ${s.name} starts inside its thresholds`);
      }
    }
    for (const f of config.frus) {
      const size = t.send(0x0a, 0x10, [f.id]);
      assert.equal(size.data[0]! | (size.data[1]! << 8), f.image.length);
    }
    t.bmc.close();
  }
});

Deno.test("the generic profile is bmc-emu's own identity (RFC 5612 example PEN)", async () => {
  const config = resolveProfile((await loadProfile("generic")).profile, { bmcId: "bmc0" });
  assert.equal(config.identity.manufacturerId, 32473);
  assert.equal(config.identity.productId, 1);
});

Deno.test("a broken profile yields an error naming the file and the field", async (t) => {
  const cases: [string, Record<string, unknown>, string][] = [
    [
      "wrong type",
      profileJson({ identity: { ...profileJson().identity as object, manufacturerId: "dell" } }),
      "identity.manufacturerId",
    ],
    ["missing field", profileJson({ description: undefined }), "description"],
    [
      "bad firmware revision",
      profileJson({ identity: { ...profileJson().identity as object, firmwareRevision: "6.1" } }),
      "identity.firmwareRevision",
    ],
    ["unknown key", profileJson({ colour: "red" }), ""],
    [
      "bad channel medium",
      profileJson({ channels: [{ number: 0, medium: "carrier-pigeon", protocol: "ipmb" }] }),
      "channels[0].medium",
    ],
    [
      "unknown command name",
      profileJson({ unsupportedCommands: ["app/make-coffee"] }),
      "unsupportedCommands",
    ],
    ["bad guid", profileJson({ deviceGuid: "nope" }), "deviceGuid"],
  ];
  for (const [name, json, field] of cases) {
    await t.step(name, () => {
      assert.throws(() => parseProfile(json, "broken.json"), (e: unknown) => {
        assert.ok(e instanceof ProfileError);
        assert.equal(e.source, "broken.json");
        assert.equal(e.field, field);
        assert.match(e.message, /^Cannot load profile "broken\.json"/);
        if (field !== "") assert.ok(e.message.includes(`field "${field}"`), e.message);
        return true;
      });
    });
  }
});

Deno.test("a wrong type says what was expected and what came; a missing field is required", () => {
  const identity = profileJson().identity as object;
  assert.throws(
    () => parseProfile(profileJson({ identity: { ...identity, manufacturerId: "dell" } }), "x"),
    /field "identity\.manufacturerId" must be a number \(got string\)$/,
  );
  assert.throws(
    () => parseProfile(profileJson({ description: undefined }), "x"),
    /field "description" is required$/,
  );
});

Deno.test("loadProfile() reports unreadable, non-JSON and unknown profiles", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/bad.json`, "{ not json");
    await assert.rejects(() => loadProfile(`${dir}/bad.json`), /bad\.json.*is not valid JSON/);
    await assert.rejects(() => loadProfile(`${dir}/missing.json`), /missing\.json.*cannot be read/);
    await assert.rejects(
      () => loadProfile("no-such-vendor"),
      /is not a shipped profile \(available: .*generic/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert.ok(PROFILE_DIR.endsWith("firmware-profiles/"));
});

Deno.test("derived GUIDs are stable, distinct per BMC, and RFC 4122 version 4 shaped", () => {
  const a = derivedGuid("generic/bmc0/system");
  assert.equal(a, derivedGuid("generic/bmc0/system"));
  assert.notEqual(a, derivedGuid("generic/bmc1/system"));
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual([...guidToWire("00112233-4455-6677-8899-aabbccddeeff")].slice(0, 3), [
    0xff,
    0xee,
    0xdd,
  ]);
});

Deno.test("the committed JSON Schemas are generated from the current zod schemas", async () => {
  const { SCHEMA_FILES } = await import("../../tools/gen_schemas.ts");
  for (const [url, text] of SCHEMA_FILES) {
    assert.equal(
      await Deno.readTextFile(url),
      text(),
      `${url.pathname} is stale: run deno run --allow-write tools/gen_schemas.ts`,
    );
  }
});
