import assert from "node:assert/strict";
import { encodeFru, FruEncodeError, type FruInventory, fruMinutes } from "../../src/codec/fru.ts";
import { Prng } from "../../src/util/prng.ts";

function hex(text: string): number[] {
  return text.trim().split(/\s+/).map((b) => parseInt(b, 16));
}

// ---------------------------------------------------------------------------
// An independent FRU decoder, written from the spec (FRU Information Storage
// Definition v1.0 rev 1.3 §8–§13), strict about everything the encoder must
// get right: checksums, lengths, zero padding, field types, area contiguity.
// ---------------------------------------------------------------------------

/** 1996-01-01T00:00:00Z in Unix seconds: 26 years, 6 of them leap (72…92). */
const EPOCH_1996_S = (26 * 365 + 6) * 86_400;

interface DecodedChassis {
  type: number;
  partNumber: string;
  serialNumber: string;
  custom: string[];
}
interface DecodedBoard {
  minutes: number;
  manufacturer: string;
  productName: string;
  serialNumber: string;
  partNumber: string;
  fruFileId: string;
  custom: string[];
}
interface DecodedProduct {
  manufacturer: string;
  name: string;
  partNumber: string;
  version: string;
  serialNumber: string;
  assetTag: string;
  fruFileId: string;
  custom: string[];
}
interface DecodedFru {
  /** Header offsets in bytes: internal, chassis, board, product, multirecord. */
  offsets: number[];
  /** Internal use data after the version byte, padding included. */
  internalUse?: number[];
  chassis?: DecodedChassis;
  board?: DecodedBoard;
  product?: DecodedProduct;
  /** Bytes used by header and areas (the rest must be zero). */
  used: number;
}

function sum8(bytes: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < bytes.length; i++) s = (s + bytes[i]!) % 256;
  return s;
}

function at(bytes: Uint8Array, i: number): number {
  assert.ok(i < bytes.length, `read past end at ${i}`);
  return bytes[i]!;
}

/** Read fields until C1h; returns the strings and the index after C1h. */
function readFields(area: Uint8Array, start: number, where: string): [string[], number] {
  const fields: string[] = [];
  let i = start;
  for (;;) {
    const tl = at(area, i++);
    if (tl === 0xc1) return [fields, i];
    assert.equal(tl >> 6, 3, `${where}: type bits of ${tl.toString(16)} at ${i - 1}`);
    const n = tl & 0x3f;
    assert.notEqual(n, 1, `${where}: reserved length 1`);
    assert.ok(i + n <= area.length - 1, `${where}: field overruns the area`);
    let text = "";
    for (let k = 0; k < n; k++) text += String.fromCharCode(area[i + k]!);
    fields.push(text);
    i += n;
  }
}

/** Slice an info area, check version, length, checksum and zero padding. */
function infoArea(image: Uint8Array, offset: number, where: string): Uint8Array {
  assert.equal(at(image, offset), 0x01, `${where}: format version`);
  const len = at(image, offset + 1) * 8;
  assert.ok(len >= 8, `${where}: empty area`);
  const area = image.subarray(offset, offset + len);
  assert.equal(area.length, len, `${where}: area overruns the image`);
  assert.equal(sum8(area), 0, `${where}: checksum`);
  return area;
}

function checkPadding(area: Uint8Array, from: number, where: string): void {
  for (let i = from; i < area.length - 1; i++) {
    assert.equal(area[i], 0, `${where}: padding byte ${i}`);
  }
  assert.ok(area.length - 1 - from < 8, `${where}: more than 7 padding bytes`);
}

function decodeFru(image: Uint8Array): DecodedFru {
  assert.ok(image.length >= 8, "image shorter than the header");
  const header = image.subarray(0, 8);
  assert.equal(header[0], 0x01, "header format version");
  assert.equal(header[6], 0x00, "header pad");
  assert.equal(sum8(header), 0, "header checksum");
  const offsets = [...header.subarray(1, 6)].map((o) => o * 8);
  const [internalOff = 0, chassisOff = 0, boardOff = 0, productOff = 0, multiOff = 0] = offsets;
  assert.equal(multiOff, 0, "no multirecord area expected");

  const out: DecodedFru = { offsets, used: 8 };
  // Areas must follow one another in order, without gaps.
  const present = offsets.filter((o) => o !== 0);
  assert.equal(present[0] ?? 8, 8, "first area right after the header");
  for (let k = 1; k < present.length; k++) {
    assert.ok(present[k]! > present[k - 1]!, "areas in order");
  }

  if (internalOff) {
    assert.equal(at(image, internalOff), 0x01, "internal use format version");
    // Its length is implied by the next area, or by the end of the image.
    const next = present.find((o) => o > internalOff);
    const end = next ?? image.length;
    if (next !== undefined) assert.equal((end - internalOff) % 8, 0, "internal use area blocks");
    out.internalUse = [...image.subarray(internalOff + 1, end)];
    out.used = end;
  }
  if (chassisOff) {
    const area = infoArea(image, chassisOff, "chassis");
    const [fields, after] = readFields(area, 3, "chassis");
    checkPadding(area, after, "chassis");
    assert.ok(fields.length >= 2, "chassis: predefined fields");
    const [partNumber = "", serialNumber = "", ...custom] = fields;
    out.chassis = { type: area[2]!, partNumber, serialNumber, custom };
    out.used = chassisOff + area.length;
  }
  if (boardOff) {
    const area = infoArea(image, boardOff, "board");
    assert.equal(area[2], 0x00, "board: language English");
    const minutes = area[3]! | (area[4]! << 8) | (area[5]! << 16);
    const [fields, after] = readFields(area, 6, "board");
    checkPadding(area, after, "board");
    assert.ok(fields.length >= 5, "board: predefined fields");
    const [
      manufacturer = "",
      productName = "",
      serialNumber = "",
      partNumber = "",
      fruFileId = "",
      ...custom
    ] = fields;
    out.board = {
      minutes,
      manufacturer,
      productName,
      serialNumber,
      partNumber,
      fruFileId,
      custom,
    };
    out.used = boardOff + area.length;
  }
  if (productOff) {
    const area = infoArea(image, productOff, "product");
    assert.equal(area[2], 0x00, "product: language English");
    const [fields, after] = readFields(area, 3, "product");
    checkPadding(area, after, "product");
    assert.ok(fields.length >= 7, "product: predefined fields");
    const [
      manufacturer = "",
      name = "",
      partNumber = "",
      version = "",
      serialNumber = "",
      assetTag = "",
      fruFileId = "",
      ...custom
    ] = fields;
    out.product = {
      manufacturer,
      name,
      partNumber,
      version,
      serialNumber,
      assetTag,
      fruFileId,
      custom,
    };
    out.used = productOff + area.length;
  }
  // Consecutive areas: each present area ends where the next one starts.
  const ends: Record<number, number> = {};
  if (out.chassis) ends[chassisOff] = image[chassisOff + 1]! * 8;
  if (out.board) ends[boardOff] = image[boardOff + 1]! * 8;
  if (out.product) ends[productOff] = image[productOff + 1]! * 8;
  for (let k = 0; k + 1 < present.length; k++) {
    const len = ends[present[k]!];
    if (len !== undefined) assert.equal(present[k]! + len, present[k + 1], "areas contiguous");
  }
  for (let i = out.used; i < image.length; i++) assert.equal(image[i], 0, `size padding at ${i}`);
  return out;
}

/** What the decoder should return for an inventory (independent of the encoder). */
function expected(inv: FruInventory): Omit<DecodedFru, "offsets" | "used"> {
  const out: Omit<DecodedFru, "offsets" | "used"> = {};
  if (inv.internalUse) {
    const data = [...inv.internalUse];
    while ((1 + data.length) % 8 !== 0) data.push(0);
    out.internalUse = data;
  }
  if (inv.chassis) {
    const c = inv.chassis;
    out.chassis = {
      type: c.type,
      partNumber: c.partNumber,
      serialNumber: c.serialNumber,
      custom: [...c.custom ?? []],
    };
  }
  if (inv.board) {
    const b = inv.board;
    let minutes = 0;
    if (b.manufactureDate) {
      minutes = Math.floor((b.manufactureDate.getTime() / 1000 - EPOCH_1996_S) / 60);
      minutes = Math.max(0, Math.min(0xffffff, minutes));
    }
    out.board = {
      minutes,
      manufacturer: b.manufacturer,
      productName: b.productName,
      serialNumber: b.serialNumber,
      partNumber: b.partNumber,
      fruFileId: b.fruFileId ?? "",
      custom: [...b.custom ?? []],
    };
  }
  if (inv.product) {
    const p = inv.product;
    out.product = {
      manufacturer: p.manufacturer,
      name: p.name,
      partNumber: p.partNumber,
      version: p.version,
      serialNumber: p.serialNumber,
      assetTag: p.assetTag,
      fruFileId: p.fruFileId ?? "",
      custom: [...p.custom ?? []],
    };
  }
  return out;
}

function roundTrip(inv: FruInventory, size?: number): DecodedFru {
  const image = encodeFru(inv, size);
  if (size !== undefined) assert.equal(image.length, size);
  const decoded = decodeFru(image);
  const { offsets: _offsets, used, ...rest } = decoded;
  const want = expected(inv);
  if (rest.internalUse && want.internalUse && !inv.chassis && !inv.board && !inv.product) {
    // A last internal use area runs to the end of the image: the tail is size padding.
    assert.ok(rest.internalUse.slice(want.internalUse.length).every((b) => b === 0));
    rest.internalUse = rest.internalUse.slice(0, want.internalUse.length);
  }
  assert.deepEqual(rest, want);
  if (size === undefined) assert.equal(used, image.length, "no trailing bytes without size");
  return decoded;
}

function assertFruError(fn: () => unknown, field: string, detail: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof FruEncodeError, `expected FruEncodeError, got ${e}`);
    assert.equal(e.field, field);
    assert.ok(e.message.startsWith(`${field}: `), e.message);
    assert.match(e.message, detail);
    return true;
  });
}

// ---------------------------------------------------------------------------
// Hand-checked vectors
// ---------------------------------------------------------------------------

/** 2024-03-01T12:00Z: 28 years 1996–2023 (7 leap) = 10227 days, + Jan 31 + Feb 29 = 10287 days. */
const MARCH_2024_MINUTES = 10287 * 1440 + 12 * 60; // 14 814 000 = 0xE20B30

const FULL: FruInventory = {
  internalUse: Uint8Array.of(0xaa, 0x55),
  chassis: { type: 0x17, partNumber: "CP", serialNumber: "CS1" },
  board: {
    manufactureDate: new Date("2024-03-01T12:00:00Z"),
    manufacturer: "Acme",
    productName: "BMC",
    serialNumber: "",
    partNumber: "P1",
    custom: ["Z9"],
  },
  product: {
    manufacturer: "Acme",
    name: "BMC",
    partNumber: "",
    version: "v2",
    serialNumber: "S0",
    assetTag: "",
  },
};

// Checked by hand:
// header   01 01 02 04 08 00 00 F0: 1+1+2+4+8 = 10h, 100h-10h = F0h.
// internal @8:  01 AA 55 + 5 pad = 8 bytes.
// chassis  @16: 01 02 17 | C2 'CP' | C3 'CS1' | C1 = 11 bytes, + checksum = 12 → 16 (2 blocks),
//          4 pad; sum 1Ah+155h+18Ah+C1h = 3BAh → checksum 46h.
// board    @32: 01 04 00 30 0B E2 | C4 'Acme' | C3 'BMC' | C0 | C2 'P1' | C0 (file id) |
//          C2 'Z9' | C1 = 24 bytes, + checksum = 25 → 32 (4 blocks), 7 pad;
//          sum 122h+23Ah+195h+C0h+143h+C0h+155h+C1h = 9CAh → checksum 36h.
// product  @64: 01 03 00 | C4 'Acme' | C3 'BMC' | C0 | C2 'v2' | C2 'S0' | C0 | C0 (file id) |
//          C1 = 22 bytes, + checksum = 23 → 24 (3 blocks), 1 pad;
//          sum 4+23Ah+195h+C0h+16Ah+145h+C0h+C0h+C1h = 983h → checksum 7Dh.
const FULL_BYTES = hex(`
  01 01 02 04 08 00 00 F0
  01 AA 55 00 00 00 00 00
  01 02 17 C2 43 50 C3 43 53 31 C1 00 00 00 00 46
  01 04 00 30 0B E2 C4 41 63 6D 65 C3 42 4D 43 C0 C2 50 31 C0 C2 5A 39 C1 00 00 00 00 00 00 00 36
  01 03 00 C4 41 63 6D 65 C3 42 4D 43 C0 C2 76 32 C2 53 30 C0 C0 C1 00 7D
`);

Deno.test("encodeFru() writes the hand-checked full image byte for byte", () => {
  assert.equal(MARCH_2024_MINUTES, 0xe20b30);
  assert.equal(FULL_BYTES.length, 88);
  assert.deepEqual([...encodeFru(FULL)], FULL_BYTES);
  // The literal vector itself satisfies the independent decoder.
  const decoded = decodeFru(Uint8Array.from(FULL_BYTES));
  assert.deepEqual(decoded.offsets, [8, 16, 32, 64, 0]);
  assert.equal(decoded.board?.minutes, MARCH_2024_MINUTES);
  roundTrip(FULL);
});

Deno.test("the test decoder notices a change to any byte of the full image", () => {
  const want = decodeFru(Uint8Array.from(FULL_BYTES));
  for (let i = 0; i < FULL_BYTES.length; i++) {
    const bad = Uint8Array.from(FULL_BYTES);
    bad[i] = (bad[i]! + 1) & 0xff;
    let got: DecodedFru | undefined;
    try {
      got = decodeFru(bad);
    } catch {
      continue; // rejected: checksum, length, padding or type error
    }
    // Only the internal use data is not checksummed; it must then decode differently.
    assert.ok(i >= 9 && i < 16, `byte ${i} changed without detection`);
    assert.notDeepEqual(got.internalUse, want.internalUse);
  }
});

Deno.test("encodeFru() pads the image with 00h to size", async (t) => {
  await t.step("full image to 96 bytes", () => {
    assert.deepEqual([...encodeFru(FULL, 96)], [...FULL_BYTES, 0, 0, 0, 0, 0, 0, 0, 0]);
    roundTrip(FULL, 96);
  });
  await t.step("exact size", () => {
    assert.deepEqual([...encodeFru(FULL, 88)], FULL_BYTES);
  });
  await t.step("empty inventory to 256 bytes", () => {
    const image = encodeFru({}, 256);
    assert.equal(image.length, 256);
    assert.deepEqual([...image.subarray(0, 8)], hex("01 00 00 00 00 00 00 FF"));
    assert.ok(image.subarray(8).every((b) => b === 0));
  });
});

Deno.test("encodeFru() writes each area alone", async (t) => {
  await t.step("no areas: header only", () => {
    assert.deepEqual([...encodeFru({})], hex("01 00 00 00 00 00 00 FF"));
  });
  await t.step("internal use, exactly one block (no padding)", () => {
    const data = Uint8Array.of(1, 2, 3, 4, 5, 6, 7);
    assert.deepEqual(
      [...encodeFru({ internalUse: data })],
      hex("01 01 00 00 00 00 00 FE  01 01 02 03 04 05 06 07"),
    );
  });
  await t.step("internal use, empty data", () => {
    assert.deepEqual(
      [...encodeFru({ internalUse: new Uint8Array() })],
      hex("01 01 00 00 00 00 00 FE  01 00 00 00 00 00 00 00"),
    );
  });
  await t.step("chassis with empty strings", () => {
    // 01 01 17 C0 C0 C1 = 25Ah → checksum A6h after one pad byte.
    const inv = { chassis: { type: 0x17, partNumber: "", serialNumber: "" } };
    assert.deepEqual(
      [...encodeFru(inv)],
      hex("01 00 01 00 00 00 00 FE  01 01 17 C0 C0 C1 00 A6"),
    );
    roundTrip(inv);
  });
  await t.step("board with empty strings and no date", () => {
    // 01 02 00 000000 C0×5 C1 = 484h → checksum 7Ch after three pad bytes.
    const inv = {
      board: { manufacturer: "", productName: "", serialNumber: "", partNumber: "" },
    };
    assert.deepEqual(
      [...encodeFru(inv)],
      hex("01 00 00 01 00 00 00 FE  01 02 00 00 00 00 C0 C0 C0 C0 C0 C1 00 00 00 7C"),
    );
    roundTrip(inv);
  });
  await t.step("board with manufactureDate null is the same", () => {
    const base = { manufacturer: "", productName: "", serialNumber: "", partNumber: "" };
    assert.deepEqual(
      encodeFru({ board: { ...base, manufactureDate: null } }),
      encodeFru({ board: base }),
    );
  });
  await t.step("product with empty strings", () => {
    // 01 02 00 C0×7 C1 = 604h → checksum FCh after four pad bytes.
    const inv = {
      product: {
        manufacturer: "",
        name: "",
        partNumber: "",
        version: "",
        serialNumber: "",
        assetTag: "",
      },
    };
    assert.deepEqual(
      [...encodeFru(inv)],
      hex("01 00 00 00 01 00 00 FE  01 02 00 C0 C0 C0 C0 C0 C0 C0 C1 00 00 00 00 FC"),
    );
    roundTrip(inv);
  });
  await t.step("board and product only: offsets 1 and 3", () => {
    const d = roundTrip({ board: FULL.board!, product: FULL.product! });
    assert.deepEqual(d.offsets, [0, 0, 8, 40, 0]);
  });
});

Deno.test("encodeFru() writes custom fields, empty ones as C0h, before C1h", () => {
  const inv: FruInventory = {
    chassis: { type: 0x01, partNumber: "", serialNumber: "", custom: ["", "ab"] },
    board: {
      manufacturer: "M1",
      productName: "",
      serialNumber: "",
      partNumber: "",
      fruFileId: "f.bin",
      custom: ["x".repeat(63), ""],
    },
    product: {
      manufacturer: "",
      name: "",
      partNumber: "",
      version: "",
      serialNumber: "",
      assetTag: "",
      fruFileId: "id",
      custom: ["Müller", "\xff\xc1"],
    },
  };
  const image = encodeFru(inv);
  // Chassis: 01 02 01 C0 C0 | C0 C2 'ab' | C1 = 10 bytes, 5 pad; sum 48Ah → checksum 76h.
  assert.deepEqual(
    [...image.subarray(8, 24)],
    hex("01 02 01 C0 C0 C0 C2 61 62 C1 00 00 00 00 00 76"),
  );
  const d = roundTrip(inv);
  assert.deepEqual(d.board?.custom, ["x".repeat(63), ""]);
  assert.equal(d.board?.fruFileId, "f.bin");
  assert.deepEqual(d.product?.custom, ["Müller", "\xff\xc1"]);
  // Board: 6 fixed bytes, C2 'M1', C0, C0, C0, C5 'f.bin', then the 63-byte custom field,
  // whose type/length byte is C0h | 3Fh = FFh.
  const boardOff = d.offsets[2]!;
  assert.deepEqual(
    [...image.subarray(boardOff + 6, boardOff + 19)],
    hex("C2 4D 31 C0 C0 C0 C5 66 2E 62 69 6E FF"),
  );
});

Deno.test("fruMinutes() counts whole minutes since 1996-01-01 UTC, clamped", () => {
  assert.equal(fruMinutes(new Date("1996-01-01T00:00:00Z")), 0);
  assert.equal(fruMinutes(new Date("1996-01-01T00:00:59.999Z")), 0);
  assert.equal(fruMinutes(new Date("1996-01-01T00:01:00Z")), 1);
  assert.equal(fruMinutes(new Date("1996-01-02T00:00:00Z")), 1440);
  // 1996 is a leap year: 366 days.
  assert.equal(fruMinutes(new Date("1997-01-01T00:00:00Z")), 527_040);
  assert.equal(fruMinutes(new Date("2024-03-01T12:00:00Z")), 14_814_000);
  assert.equal(fruMinutes(new Date("2024-03-01T12:00:00Z")), MARCH_2024_MINUTES);
  assert.equal(fruMinutes(new Date("1995-12-31T23:59:00Z")), 0);
  assert.equal(fruMinutes(new Date("1970-01-01T00:00:00Z")), 0);
  // 0xFFFFFF minutes = 11650 days 17 h 3 min after the epoch, in November 2027.
  assert.equal(fruMinutes(new Date("2100-01-01T00:00:00Z")), 0xffffff);
  assert.equal(fruMinutes(new Date((EPOCH_1996_S + 0xffffff * 60) * 1000)), 0xffffff);
  assert.equal(fruMinutes(new Date((EPOCH_1996_S + 0xfffffe * 60) * 1000)), 0xfffffe);
  assert.throws(() => fruMinutes(new Date("not a date")), RangeError);
});

Deno.test("encodeFru() writes the manufacture date as 3 bytes little-endian", () => {
  const base = { manufacturer: "", productName: "", serialNumber: "", partNumber: "" };
  const dateBytes = (date: Date | null) => {
    const image = encodeFru({ board: { ...base, manufactureDate: date } });
    return [...image.subarray(8 + 3, 8 + 6)];
  };
  assert.deepEqual(dateBytes(null), [0x00, 0x00, 0x00]);
  assert.deepEqual(dateBytes(new Date("1996-01-01T00:00:00Z")), [0x00, 0x00, 0x00]);
  assert.deepEqual(dateBytes(new Date("1996-01-01T00:01:00Z")), [0x01, 0x00, 0x00]);
  assert.deepEqual(dateBytes(new Date("2024-03-01T12:00:00Z")), [0x30, 0x0b, 0xe2]);
  assert.deepEqual(dateBytes(new Date("2099-01-01T00:00:00Z")), [0xff, 0xff, 0xff]);
});

Deno.test("encodeFru() rejects what it cannot encode, naming the field", async (t) => {
  const board = { manufacturer: "", productName: "", serialNumber: "", partNumber: "" };
  const product = {
    manufacturer: "",
    name: "",
    partNumber: "",
    version: "",
    serialNumber: "",
    assetTag: "",
  };
  const chassis = { type: 0x17, partNumber: "", serialNumber: "" };
  await t.step("field longer than 63 bytes", () => {
    assertFruError(
      () => encodeFru({ board: { ...board, serialNumber: "s".repeat(70) } }),
      "board.serialNumber",
      /^board\.serialNumber: 70 bytes, at most 63$/,
    );
    assertFruError(
      () => encodeFru({ chassis: { ...chassis, partNumber: "p".repeat(64) } }),
      "chassis.partNumber",
      /64 bytes, at most 63/,
    );
    assertFruError(
      () => encodeFru({ product: { ...product, assetTag: "a".repeat(100) } }),
      "product.assetTag",
      /100 bytes, at most 63/,
    );
    assertFruError(
      () => encodeFru({ product: { ...product, custom: ["ok", "c".repeat(64)] } }),
      "product.custom[1]",
      /64 bytes, at most 63/,
    );
  });
  await t.step("1-byte field (C1h is the end marker)", () => {
    assertFruError(
      () => encodeFru({ product: { ...product, version: "1" } }),
      "product.version",
      /1 byte.*end-of-fields/,
    );
    assertFruError(
      () => encodeFru({ board: { ...board, fruFileId: "f" } }),
      "board.fruFileId",
      /1 byte/,
    );
    assertFruError(
      () => encodeFru({ chassis: { ...chassis, custom: ["x"] } }),
      "chassis.custom[0]",
      /1 byte/,
    );
  });
  await t.step("non-Latin-1 characters", () => {
    assertFruError(
      () => encodeFru({ board: { ...board, manufacturer: "Acme €" } }),
      "board.manufacturer",
      /U\+20AC at index 5 is not Latin-1/,
    );
    assertFruError(
      () => encodeFru({ product: { ...product, name: "rack 🗄" } }),
      "product.name",
      /not Latin-1/,
    );
    assertFruError(
      () => encodeFru({ chassis: { ...chassis, serialNumber: "ĀB" } }),
      "chassis.serialNumber",
      /U\+0100 at index 0/,
    );
  });
  await t.step("chassis type not a byte", () => {
    for (const type of [256, -1, 1.5, NaN]) {
      assertFruError(
        () => encodeFru({ chassis: { ...chassis, type } }),
        "chassis.type",
        /is not a byte/,
      );
    }
  });
  await t.step("invalid manufacture date", () => {
    assertFruError(
      () => encodeFru({ board: { ...board, manufactureDate: new Date("nope") } }),
      "board.manufactureDate",
      /invalid Date/,
    );
  });
  await t.step("area longer than 255 × 8 bytes", () => {
    // 6 + 5 × C0 + 32 × 64 + C1 + checksum = 2061 → 2064 bytes.
    const custom = Array.from({ length: 32 }, () => "c".repeat(63));
    assertFruError(
      () => encodeFru({ board: { ...board, custom } }),
      "board",
      /^board: 2064 bytes, at most 2040$/,
    );
    assertFruError(
      () => encodeFru({ chassis: { ...chassis, custom } }),
      "chassis",
      /at most 2040$/,
    );
    assertFruError(
      () => encodeFru({ product: { ...product, custom } }),
      "product",
      /at most 2040$/,
    );
  });
  await t.step("an area of exactly 255 × 8 bytes is fine", () => {
    // 3 + C0 C0 + 31 × 64 + (1 + 48) + C1 + checksum = 2040, no padding.
    const custom = [...Array.from({ length: 31 }, () => "c".repeat(63)), "d".repeat(48)];
    const image = encodeFru({ chassis: { ...chassis, custom } });
    assert.equal(image.length, 8 + 2040);
    assert.equal(image[8 + 1], 0xff);
    assert.equal(image[8 + 2040 - 2], 0xc1);
    roundTrip({ chassis: { ...chassis, custom } });
  });
  await t.step("area starting beyond the header's reach", () => {
    // Internal use 1 + 2031 = 2032 bytes → chassis at 2040 = offset 255: fine.
    const okInv = { internalUse: new Uint8Array(2031).fill(7), chassis };
    const d = roundTrip(okInv);
    assert.deepEqual(d.offsets, [8, 2040, 0, 0, 0]);
    // One more byte → internal use is 2040 bytes → chassis at 2048.
    assertFruError(
      () => encodeFru({ internalUse: new Uint8Array(2032), chassis }),
      "chassis",
      /starts at byte 2048.*2040/,
    );
    // A large internal use area alone is fine: nothing follows it.
    assert.equal(encodeFru({ internalUse: new Uint8Array(5000) }).length, 8 + 5008);
  });
  await t.step("image larger than size", () => {
    assertFruError(() => encodeFru(FULL, 87), "size", /^size: image is 88 bytes, at most 87$/);
    assertFruError(() => encodeFru({}, 7), "size", /image is 8 bytes, at most 7/);
    assertFruError(() => encodeFru({}, -1), "size", /not a non-negative integer/);
    assertFruError(() => encodeFru({}, 8.5), "size", /not a non-negative integer/);
  });
});

// ---------------------------------------------------------------------------
// Property-style round trip
// ---------------------------------------------------------------------------

function randomText(prng: Prng, max = 63): string {
  const pick = prng.int(5);
  if (pick === 0) return "";
  const n = 2 + prng.int(max - 1);
  let s = "";
  for (let i = 0; i < n; i++) {
    // Mostly printable ASCII, some Latin-1, some control and marker-like bytes.
    const kind = prng.int(10);
    const code = kind < 6
      ? 0x20 + prng.int(0x5f)
      : kind < 8
      ? 0xa0 + prng.int(0x60)
      : [0x00, 0xc0, 0xc1, 0xff, 0x7f][prng.int(5)]!;
    s += String.fromCharCode(code);
  }
  return s;
}

function randomCustom(prng: Prng): string[] | undefined {
  if (prng.int(3) === 0) return undefined;
  return Array.from({ length: prng.int(5) }, () => randomText(prng));
}

function randomInventory(prng: Prng): FruInventory {
  const inv: FruInventory = {};
  if (prng.int(3) === 0) inv.internalUse = prng.bytes(prng.int(40));
  if (prng.int(2) === 0) {
    inv.chassis = {
      type: prng.int(256),
      partNumber: randomText(prng),
      serialNumber: randomText(prng),
    };
    const custom = randomCustom(prng);
    if (custom) inv.chassis.custom = custom;
  }
  if (prng.int(2) === 0) {
    inv.board = {
      manufacturer: randomText(prng),
      productName: randomText(prng),
      serialNumber: randomText(prng),
      partNumber: randomText(prng),
    };
    const dateKind = prng.int(4);
    if (dateKind === 1) inv.board.manufactureDate = null;
    if (dateKind >= 2) {
      // 1990 … 2030: exercises both clamps.
      const ms = Date.UTC(1990, 0, 1) + prng.next() * 40 * 365.25 * 86_400_000;
      inv.board.manufactureDate = new Date(Math.floor(ms));
    }
    if (prng.int(2) === 0) inv.board.fruFileId = randomText(prng);
    const custom = randomCustom(prng);
    if (custom) inv.board.custom = custom;
  }
  if (prng.int(2) === 0) {
    inv.product = {
      manufacturer: randomText(prng),
      name: randomText(prng),
      partNumber: randomText(prng),
      version: randomText(prng),
      serialNumber: randomText(prng),
      assetTag: randomText(prng),
    };
    if (prng.int(2) === 0) inv.product.fruFileId = randomText(prng);
    const custom = randomCustom(prng);
    if (custom) inv.product.custom = custom;
  }
  return inv;
}

Deno.test("encodeFru() round-trips 2000 random inventories through the independent decoder", () => {
  const prng = new Prng(0xf4);
  let sized = 0;
  for (let i = 0; i < 2000; i++) {
    const inv = randomInventory(prng);
    const plain = encodeFru(inv);
    assert.equal(plain.length % 8, 0, "image is whole blocks");
    const size = prng.int(3) === 0 ? plain.length + prng.int(64) : undefined;
    if (size !== undefined) sized++;
    const image = encodeFru(inv, size);
    assert.deepEqual(image.subarray(0, plain.length), plain, "padding only appends");
    // Every checksum sums to zero: the header and each info area.
    assert.equal(sum8(image.subarray(0, 8)), 0);
    for (const k of [2, 3, 4]) {
      const off = image[k]! * 8;
      if (off) assert.equal(sum8(image.subarray(off, off + image[off + 1]! * 8)), 0);
    }
    roundTrip(inv, size);
  }
  assert.ok(sized > 400);
});
