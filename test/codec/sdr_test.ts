import assert from "node:assert/strict";
import {
  type CompactSensorRecord,
  encodeCompactSensor,
  encodeFruDeviceLocator,
  encodeFullSensor,
  encodeMcDeviceLocator,
  factorBytes,
  type FruDeviceLocatorRecord,
  type FullSensorRecord,
  type McDeviceLocatorRecord,
  SDR_VERSION,
  SdrEncodeError,
  SdrType,
  type SensorRecordCommon,
  type SensorUnits,
} from "../../src/codec/sdr.ts";
import { Prng } from "../../src/util/prng.ts";

function hex(text: string): Uint8Array {
  return Uint8Array.from(text.trim().split(/\s+/).map((b) => parseInt(b, 16)));
}

// ---------------------------------------------------------------------------
// An independent decoder, written from IPMI v2.0 tables 43-1, 43-2, 43-7 and
// 43-8 with 1-based spec byte numbers and plain arithmetic (no shared code
// with the encoder).

/** Spec byte `n` (1-based). */
function at(bytes: Uint8Array, n: number): number {
  const v = bytes[n - 1];
  if (v === undefined) throw new Error(`record too short for byte ${n}`);
  return v;
}

/** Bits hi..lo of spec byte `n`. */
function field(bytes: Uint8Array, n: number, hi: number, lo: number): number {
  return Math.floor(at(bytes, n) / 2 ** lo) % 2 ** (hi - lo + 1);
}

function word(bytes: Uint8Array, n: number): number {
  return at(bytes, n) + 256 * at(bytes, n + 1);
}

function signed(value: number, width: number): number {
  return value >= 2 ** (width - 1) ? value - 2 ** width : value;
}

function header(bytes: Uint8Array): { recordId: number; type: number } {
  assert.equal(at(bytes, 3), 0x51, "SDR version");
  assert.equal(at(bytes, 5), bytes.length - 5, "record length byte");
  return { recordId: word(bytes, 1), type: at(bytes, 4) };
}

/** The type/length byte at `n` and the string after it, which must end the record. */
function idAt(bytes: Uint8Array, n: number): string {
  assert.equal(field(bytes, n, 7, 6), 3, "ID string type is 8-bit ASCII + Latin-1");
  const length = field(bytes, n, 4, 0);
  assert.equal(bytes.length, n + length, "ID string ends the record");
  let text = "";
  for (let i = 1; i <= length; i++) text += String.fromCharCode(at(bytes, n + i));
  return text;
}

const FORMATS = ["unsigned", "ones-complement", "twos-complement", "none"] as const;

/** Spec bytes 6–23 plus the tail fields, common to full and compact records. */
function decodeCommon(
  bytes: Uint8Array,
  hysteresisAt: number,
  oemAt: number,
): SensorRecordCommon & { units: Required<SensorUnits> } {
  return {
    ownerId: at(bytes, 6),
    ownerLun: field(bytes, 7, 1, 0),
    channel: field(bytes, 7, 7, 4),
    sensorNumber: at(bytes, 8),
    entityId: at(bytes, 9),
    entityInstance: at(bytes, 10),
    initialization: at(bytes, 11),
    capabilities: at(bytes, 12),
    sensorType: at(bytes, 13),
    eventReadingType: at(bytes, 14),
    assertionMask: word(bytes, 15),
    deassertionMask: word(bytes, 17),
    readingMask: word(bytes, 19),
    units: {
      analogFormat: FORMATS[field(bytes, 21, 7, 6)]!,
      rate: field(bytes, 21, 5, 3),
      modifierUnitType: field(bytes, 21, 2, 1),
      percentage: field(bytes, 21, 0, 0) === 1,
      base: at(bytes, 22),
      modifier: at(bytes, 23),
    },
    positiveHysteresis: at(bytes, hysteresisAt),
    negativeHysteresis: at(bytes, hysteresisAt + 1),
    oem: at(bytes, oemAt),
    idString: idAt(bytes, oemAt + 1),
  };
}

function decodeFull(bytes: Uint8Array): { recordId: number; record: FullSensorRecord } {
  const { recordId, type } = header(bytes);
  assert.equal(type, 0x01);
  const common = decodeCommon(bytes, 43, 47);
  const format = common.units.analogFormat;
  assert.equal(at(bytes, 45), 0, "reserved byte 45");
  assert.equal(at(bytes, 46), 0, "reserved byte 46");
  return {
    recordId,
    record: {
      ...common,
      linearization: field(bytes, 24, 6, 0),
      factors: {
        m: signed(at(bytes, 25) + 256 * field(bytes, 26, 7, 6), 10),
        b: signed(at(bytes, 27) + 256 * field(bytes, 28, 7, 6), 10),
        bExp: signed(field(bytes, 30, 3, 0), 4),
        rExp: signed(field(bytes, 30, 7, 4), 4),
        signed: format === "twos-complement" || format === "ones-complement",
      },
      tolerance: field(bytes, 26, 5, 0),
      accuracy: field(bytes, 28, 5, 0) + 64 * field(bytes, 29, 7, 4),
      accuracyExp: field(bytes, 29, 3, 2),
      direction: field(bytes, 29, 1, 0),
      analogFlags: at(bytes, 31),
      nominal: at(bytes, 32),
      normalMax: at(bytes, 33),
      normalMin: at(bytes, 34),
      sensorMax: at(bytes, 35),
      sensorMin: at(bytes, 36),
      thresholds: {
        unr: at(bytes, 37),
        ucr: at(bytes, 38),
        unc: at(bytes, 39),
        lnr: at(bytes, 40),
        lcr: at(bytes, 41),
        lnc: at(bytes, 42),
      },
    },
  };
}

function decodeCompact(bytes: Uint8Array): { recordId: number; record: CompactSensorRecord } {
  const { recordId, type } = header(bytes);
  assert.equal(type, 0x02);
  for (const n of [28, 29, 30]) assert.equal(at(bytes, n), 0, `reserved byte ${n}`);
  return {
    recordId,
    record: {
      ...decodeCommon(bytes, 26, 31),
      direction: field(bytes, 24, 7, 6),
      idInstanceModifierType: field(bytes, 24, 5, 4),
      shareCount: field(bytes, 24, 3, 0),
      entityInstanceSharing: field(bytes, 25, 7, 7) === 1,
      idInstanceModifierOffset: field(bytes, 25, 6, 0),
    },
  };
}

function decodeFru(bytes: Uint8Array): { recordId: number; record: FruDeviceLocatorRecord } {
  const { recordId, type } = header(bytes);
  assert.equal(type, 0x11);
  assert.equal(field(bytes, 8, 6, 5), 0, "reserved bits 6:5 of byte 8");
  assert.equal(field(bytes, 9, 3, 0), 0, "reserved bits 3:0 of byte 9");
  assert.equal(at(bytes, 10), 0, "reserved byte 10");
  return {
    recordId,
    record: {
      deviceAddress: at(bytes, 6),
      fruDeviceId: at(bytes, 7),
      logical: field(bytes, 8, 7, 7) === 1,
      accessLun: field(bytes, 8, 4, 3),
      privateBusId: field(bytes, 8, 2, 0),
      channel: field(bytes, 9, 7, 4),
      deviceType: at(bytes, 11),
      deviceTypeModifier: at(bytes, 12),
      entityId: at(bytes, 13),
      entityInstance: at(bytes, 14),
      oem: at(bytes, 15),
      idString: idAt(bytes, 16),
    },
  };
}

function decodeMc(bytes: Uint8Array): { recordId: number; record: McDeviceLocatorRecord } {
  const { recordId, type } = header(bytes);
  assert.equal(type, 0x12);
  assert.equal(field(bytes, 7, 7, 4), 0, "reserved bits 7:4 of byte 7");
  assert.equal(field(bytes, 8, 4, 4), 0, "reserved bit 4 of byte 8");
  for (const n of [10, 11, 12]) assert.equal(at(bytes, n), 0, `reserved byte ${n}`);
  return {
    recordId,
    record: {
      slaveAddress: at(bytes, 6),
      channel: field(bytes, 7, 3, 0),
      powerStateNotification: field(bytes, 8, 7, 5),
      globalInit: field(bytes, 8, 3, 0),
      capabilities: at(bytes, 9),
      entityId: at(bytes, 13),
      entityInstance: at(bytes, 14),
      oem: at(bytes, 15),
      idString: idAt(bytes, 16),
    },
  };
}

// ---------------------------------------------------------------------------
// What the decoder should give back: the input with every default filled in.

function completeUnits(u: SensorUnits, format: SensorUnits["analogFormat"]): SensorUnits {
  return {
    analogFormat: u.analogFormat ?? format ?? "unsigned",
    rate: u.rate ?? 0,
    modifierUnitType: u.modifierUnitType ?? 0,
    percentage: u.percentage ?? false,
    base: u.base,
    modifier: u.modifier ?? 0,
  };
}

function completeFull(r: FullSensorRecord): FullSensorRecord {
  const s = r.factors.signed;
  return {
    ...r,
    channel: r.channel ?? 0,
    oem: r.oem ?? 0,
    units: completeUnits(r.units, s ? "twos-complement" : "unsigned"),
    linearization: r.linearization ?? 0,
    tolerance: r.tolerance ?? 0,
    accuracy: r.accuracy ?? 0,
    accuracyExp: r.accuracyExp ?? 0,
    direction: r.direction ?? 0,
    analogFlags: r.analogFlags ??
      ((r.nominal === undefined ? 0 : 1) + (r.normalMax === undefined ? 0 : 2) +
        (r.normalMin === undefined ? 0 : 4)),
    nominal: r.nominal ?? 0,
    normalMax: r.normalMax ?? 0,
    normalMin: r.normalMin ?? 0,
    sensorMax: r.sensorMax ?? (s ? 0x7f : 0xff),
    sensorMin: r.sensorMin ?? (s ? 0x80 : 0x00),
    thresholds: {
      unr: r.thresholds.unr ?? 0,
      ucr: r.thresholds.ucr ?? 0,
      unc: r.thresholds.unc ?? 0,
      lnr: r.thresholds.lnr ?? 0,
      lcr: r.thresholds.lcr ?? 0,
      lnc: r.thresholds.lnc ?? 0,
    },
  };
}

function completeCompact(r: CompactSensorRecord): CompactSensorRecord {
  return {
    ...r,
    channel: r.channel ?? 0,
    oem: r.oem ?? 0,
    units: completeUnits(r.units, "unsigned"),
    direction: r.direction ?? 0,
    idInstanceModifierType: r.idInstanceModifierType ?? 0,
    shareCount: r.shareCount ?? 0,
    entityInstanceSharing: r.entityInstanceSharing ?? false,
    idInstanceModifierOffset: r.idInstanceModifierOffset ?? 0,
  };
}

function completeFru(r: FruDeviceLocatorRecord): FruDeviceLocatorRecord {
  return {
    ...r,
    accessLun: r.accessLun ?? 0,
    privateBusId: r.privateBusId ?? 0,
    channel: r.channel ?? 0,
    oem: r.oem ?? 0,
  };
}

function completeMc(r: McDeviceLocatorRecord): McDeviceLocatorRecord {
  return {
    ...r,
    powerStateNotification: r.powerStateNotification ?? 0,
    globalInit: r.globalInit ?? 0,
    oem: r.oem ?? 0,
  };
}

// ---------------------------------------------------------------------------
// Hand-checked vectors. Every byte below was worked out by hand from the spec
// tables, field by field. They were also served once to ipmitool 1.8.19
// (through its "dummy" interface) whose `sdr list -v` printed the values noted.

/** CPU temperature, -40..85 °C in 0.5 °C steps; ipmitool: 40 degrees C, UNR 85.000. */
const CPU_TEMP: FullSensorRecord = {
  ownerId: 0x20,
  ownerLun: 0,
  sensorNumber: 0x01,
  entityId: 0x03,
  entityInstance: 0x01,
  initialization: 0x7f,
  capabilities: 0x68,
  sensorType: 0x01,
  eventReadingType: 0x01,
  assertionMask: 0x0a80,
  deassertionMask: 0x0a80,
  readingMask: 0x3838,
  units: { base: 0x01 },
  positiveHysteresis: 2,
  negativeHysteresis: 2,
  idString: "CPU Temp",
  factors: { m: 5, b: -4, bExp: 2, rExp: -1, signed: false },
  nominal: 0xa0,
  thresholds: { unr: 0xfa, ucr: 0xf0, unc: 0xe6 },
};
const CPU_TEMP_BYTES = hex(`
  01 00 51 01 33
  20 00 01
  03 01
  7F 68 01 01
  80 0A 80 0A 38 38
  00 01 00
  00
  05 00 FC C0 00 F2
  01 A0 00 00 FF 00
  FA F0 E6 00 00 00
  02 02 00 00 00
  C8 43 50 55 20 54 65 6D 70
`);
// 1-2  01 00  record ID 0x0001, little endian
// 3    51     SDR version 1.5
// 4    01     full sensor record
// 5    33     51 bytes follow: 56 total - 5
// 6    20     owner ID: BMC slave address 20h
// 7    00     channel 0 (7:4), LUN 0 (1:0)
// 8    01     sensor number
// 9    03     entity: processor
// 10   01     entity instance 1, physical
// 11   7F     initialization flags
// 12   68     capabilities: auto re-arm 40h | hysteresis r/w 20h | thresholds r/w 08h
// 13   01     sensor type: temperature
// 14   01     event/reading type: threshold
// 15-16 80 0A assertion mask 0x0A80: UNC/UCR/UNR going high
// 17-18 80 0A deassertion mask 0x0A80
// 19-20 38 38 readable (7:0) = settable (15:8) = UNC|UCR|UNR (bits 3..5)
// 21   00     unsigned, no rate, no modifier, not a percentage
// 22   01     base unit: degrees C
// 23   00     modifier unit
// 24   00     linearization: linear
// 25   05     M = 5: low 8 bits
// 26   00     M bits 9:8 = 00 in 7:6, tolerance 0
// 27   FC     B = -4 → 10-bit 3FCh: low 8 bits FC
// 28   C0     B bits 9:8 = 11 in 7:6, accuracy low bits 0
// 29   00     accuracy high bits 0, accuracy exp 0, direction 0
// 30   F2     Rexp = -1 → F in 7:4, Bexp = 2 in 3:0
// 31   01     analog flags: nominal reading specified (only nominal given)
// 32   A0     nominal: (5·160 - 400)/10 = 40 °C
// 33-34 00 00 normal max, normal min (absent)
// 35-36 FF 00 sensor max/min default to the full unsigned range
// 37   FA     UNR 250 → 85 °C
// 38   F0     UCR 240 → 80 °C
// 39   E6     UNC 230 → 75 °C
// 40-42 00 00 00 LNR LCR LNC absent
// 43-44 02 02 hysteresis, 2 counts each way (1 °C)
// 45-46 00 00 reserved
// 47   00     OEM
// 48   C8     8-bit ASCII, 8 characters
// 49-56       "CPU Temp"

/** Every field non-default: negative M/B/exponents, signed raw, 16-char ID. */
const ODD_SENSOR: FullSensorRecord = {
  ownerId: 0x81,
  ownerLun: 3,
  channel: 0x0a,
  sensorNumber: 0xfe,
  entityId: 0x07,
  entityInstance: 0x81,
  initialization: 0x67,
  capabilities: 0xc5,
  sensorType: 0x02,
  eventReadingType: 0x01,
  assertionMask: 0x7a95,
  deassertionMask: 0x0fff,
  readingMask: 0x3f3f,
  units: { rate: 3, modifierUnitType: 1, percentage: true, base: 0x04, modifier: 0x15 },
  positiveHysteresis: 3,
  negativeHysteresis: 4,
  oem: 0x5a,
  idString: "ABCDEFGHIJKLMNOP",
  linearization: 0x00,
  factors: { m: -300, b: -512, bExp: -8, rExp: -3, signed: true },
  tolerance: 42,
  accuracy: 933,
  accuracyExp: 3,
  direction: 2,
  analogFlags: 0x07,
  nominal: 0x10,
  normalMax: 0x7f,
  normalMin: 0x81,
  sensorMax: 0x7f,
  sensorMin: 0x80,
  thresholds: { unr: 0x70, ucr: 0x60, unc: 0x50, lnr: 0x90, lcr: 0xa0, lnc: 0xb0 },
};
const ODD_SENSOR_BYTES = hex(`
  34 12 51 01 3B
  81 A3 FE
  07 81
  67 C5 02 01
  95 7A FF 0F 3F 3F
  9B 04 15
  00
  D4 AA 00 A5 EE D8
  07 10 7F 81 7F 80
  70 60 50 90 A0 B0
  03 04 00 00 5A
  D0 41 42 43 44 45 46 47 48 49 4A 4B 4C 4D 4E 4F 50
`);
// 1-2  34 12  record ID 0x1234
// 5    3B     59 bytes follow: 64 - 5 (the longest full record)
// 6    81     owner ID 81h: software ID 40h (7:1) with bit 0 = 1
// 7    A3     channel 0Ah in 7:4, LUN 3 in 1:0
// 8    FE     sensor number
// 9-10 07 81  entity system board, instance 1 logical (bit 7)
// 11-14 67 C5 02 01 init, capabilities, voltage, threshold
// 15-16 95 7A assertion mask 0x7A95 (lower threshold reading mask 14:12 = 111b)
// 17-18 FF 0F deassertion mask 0x0FFF
// 19-20 3F 3F all thresholds readable and settable
// 21   9B     10b two's complement (7:6) | rate 011b per second (5:3) |
//             modifier 01b divide (2:1) | percentage (0) = 80h+18h+02h+01h
// 22-23 04 15 base unit volts, modifier unit 15h
// 24   00     linear
// 25   D4     M = -300 → 10-bit 1024-300 = 724 = 2D4h: low byte D4
// 26   AA     M bits 9:8 = 10b → 80h, tolerance 42 = 2Ah
// 27   00     B = -512 → 200h: low byte 00
// 28   A5     B bits 9:8 = 10b → 80h, accuracy 933 = 3A5h: low 6 bits 25h
// 29   EE     accuracy high 4 bits 933 >> 6 = Eh in 7:4, accuracy exp 3 → 0Ch,
//             direction output 2
// 30   D8     Rexp -3 → Dh in 7:4, Bexp -8 → 8h in 3:0
// 31   07     analog flags as given
// 32-36 10 7F 81 7F 80 nominal, normal max, normal min, sensor max, sensor min
// 37-42 70 60 50 90 A0 B0 UNR UCR UNC LNR LCR LNC
// 43-44 03 04 hysteresis + / -
// 45-46 00 00 reserved
// 47   5A     OEM
// 48   D0     C0h | 16
// 49-64       "ABCDEFGHIJKLMNOP"

/** A discrete compact sensor; ipmitool: "PSU1 Status | 30h | ok | 10.1 |". */
const PSU_STATUS: CompactSensorRecord = {
  ownerId: 0x20,
  ownerLun: 0,
  sensorNumber: 0x30,
  entityId: 0x0a,
  entityInstance: 0x01,
  initialization: 0x63,
  capabilities: 0x40,
  sensorType: 0x08,
  eventReadingType: 0x6f,
  assertionMask: 0x000f,
  deassertionMask: 0x0000,
  readingMask: 0x000f,
  units: { analogFormat: "none", base: 0 },
  positiveHysteresis: 0,
  negativeHysteresis: 0,
  idString: "PSU1 Status",
};
const PSU_STATUS_BYTES = hex(`
  02 00 51 02 26
  20 00 30
  0A 01
  63 40 08 6F
  0F 00 00 00 0F 00
  C0 00 00
  00 00
  00 00
  00 00 00 00
  CB 50 53 55 31 20 53 74 61 74 75 73
`);
// 1-2  02 00  record ID 2
// 4    02     compact sensor record
// 5    26     38 bytes follow: 43 - 5
// 6-8  20 00 30 owner BMC, channel 0 LUN 0, sensor 30h
// 9-10 0A 01  entity power supply, instance 1
// 11   63     init scanning | init events | event generation | scanning
// 12   40     auto re-arm
// 13   08     sensor type power supply
// 14   6F     sensor-specific discrete
// 15-16 0F 00 assertion mask offsets 0-3
// 17-18 00 00 no deassertion events
// 19-20 0F 00 reading mask offsets 0-3
// 21   C0     analog format 11b: no numeric reading
// 22-23 00 00 base unit unspecified, modifier 0
// 24   00     direction 0, ID modifier type numeric, share count 0
// 25   00     no entity instance sharing, ID modifier offset 0
// 26-27 00 00 hysteresis
// 28-30 00 00 00 reserved
// 31   00     OEM
// 32   CB     C0h | 11
// 33-43       "PSU1 Status"

/** A shared compact sensor exercising the record-sharing bytes. */
const SHARED_FANS: CompactSensorRecord = {
  ownerId: 0x20,
  ownerLun: 1,
  sensorNumber: 0x40,
  entityId: 0x1d,
  entityInstance: 0x01,
  initialization: 0x7f,
  capabilities: 0x68,
  sensorType: 0x04,
  eventReadingType: 0x01,
  assertionMask: 0x0204,
  deassertionMask: 0x0204,
  readingMask: 0x1212,
  units: { base: 0x12 },
  positiveHysteresis: 1,
  negativeHysteresis: 1,
  shareCount: 4,
  idInstanceModifierType: 1,
  direction: 1,
  entityInstanceSharing: true,
  idInstanceModifierOffset: 5,
  idString: "FAN",
};
const SHARED_FANS_BYTES = hex(`
  10 00 51 02 1E
  20 01 40
  1D 01
  7F 68 04 01
  04 02 04 02 12 12
  00 12 00
  54 85
  01 01
  00 00 00 00
  C3 46 41 4E
`);
// 1-2  10 00  record ID 0x0010
// 5    1E     30 bytes follow: 35 - 5
// 7    01     LUN 1
// 9    1D     entity fan/cooling device
// 15-16 04 02 LCR going low (bit 2) | UCR going high (bit 9)
// 19-20 12 12 LCR (bit 1) and UCR (bit 4) readable, the same settable
// 21-23 00 12 00 unsigned, base unit RPM (12h)
// 24   54     direction input 01b (7:6) | modifier type alpha 01b (5:4) | share count 4
// 25   85     entity instance sharing (7) | modifier offset 5
// 26-27 01 01 hysteresis
// 32   C3     C0h | 3, then "FAN"

/** The FRU device of the BMC; ipmitool: "Logical FRU @00h", type 10h.0h. */
const BOARD_FRU: FruDeviceLocatorRecord = {
  deviceAddress: 0x20,
  fruDeviceId: 0x00,
  logical: true,
  deviceType: 0x10,
  deviceTypeModifier: 0x00,
  entityId: 0x07,
  entityInstance: 0x01,
  idString: "Board FRU",
};
const BOARD_FRU_BYTES = hex(`
  03 00 51 11 14
  20 00 80 00 00
  10 00 07 01 00
  C9 42 6F 61 72 64 20 46 52 55
`);
// 1-2  03 00  record ID 3
// 4    11     FRU device locator
// 5    14     20 bytes follow: 25 - 5
// 6    20     device access address 20h (7-bit 10h << 1)
// 7    00     FRU device ID 0
// 8    80     logical (7), LUN 0 (4:3), private bus 0 (2:0)
// 9    00     channel 0 in 7:4
// 10   00     reserved
// 11-12 10 00 device type 10h (FRU inventory), modifier 0
// 13-14 07 01 entity system board, instance 1
// 15   00     OEM
// 16   C9     C0h | 9, then "Board FRU"

/** A physical FRU behind a private bus; ipmitool: "LUN.Bus : 2h.5h", channel 7h. */
const SPD_FRU: FruDeviceLocatorRecord = {
  deviceAddress: 0x20,
  fruDeviceId: 0xa0,
  logical: false,
  accessLun: 2,
  privateBusId: 5,
  channel: 7,
  deviceType: 0x10,
  deviceTypeModifier: 0x01,
  entityId: 0x07,
  entityInstance: 0x01,
  oem: 0x5a,
  idString: "SPD",
};
const SPD_FRU_BYTES = hex(`
  08 00 51 11 0E
  20 A0 15 70 00
  10 01 07 01 5A
  C3 53 50 44
`);
// 5    0E     14 bytes follow: 19 - 5
// 7    A0     slave address A0h
// 8    15     physical (7 = 0), LUN 2 → 10h (4:3), private bus 5 (2:0)
// 9    70     channel 7 in 7:4
// 15   5A     OEM

/** The BMC itself; ipmitool: "Dynamic MC @ 20h", chassis/SEL/SDR/FRU/sensor: yes. */
const BMC: McDeviceLocatorRecord = {
  slaveAddress: 0x20,
  channel: 0,
  capabilities: 0x9f,
  entityId: 0x06,
  entityInstance: 0x01,
  idString: "BMC",
};
const BMC_BYTES = hex(`
  04 00 51 12 0E
  20 00 00 9F
  00 00 00
  06 01 00
  C3 42 4D 43
`);
// 1-2  04 00  record ID 4
// 4    12     MC device locator
// 5    0E     14 bytes follow: 19 - 5
// 6    20     slave address 20h
// 7    00     channel 0 (3:0)
// 8    00     no power state notification, global init 0
// 9    9F     chassis 80h | event receiver 10h | FRU 08h | SEL 04h | SDR 02h | sensor 01h
// 10-12 00 00 00 reserved
// 13-14 06 01 entity system management module, instance 1
// 15   00     OEM
// 16   C3     C0h | 3, then "BMC"

/** A satellite MC; ipmitool: ACPI system and device notification "Required", logs init errors. */
const SATELLITE: McDeviceLocatorRecord = {
  slaveAddress: 0x72,
  channel: 7,
  powerStateNotification: 6,
  globalInit: 0x8,
  capabilities: 0x40,
  entityId: 0x06,
  entityInstance: 0x02,
  idString: "MC2",
};
const SATELLITE_BYTES = hex(`
  07 00 51 12 0E
  72 07 C8 40
  00 00 00
  06 02 00
  C3 4D 43 32
`);
// 7    07     channel 7
// 8    C8     power state notification 110b in 7:5 (C0h) | global init 1000b (08h)
// 9    40     bridge

Deno.test("encodeFullSensor() matches the hand-checked vectors", async (t) => {
  await t.step("CPU Temp", () => assert.deepEqual(encodeFullSensor(1, CPU_TEMP), CPU_TEMP_BYTES));
  await t.step("every field non-default", () => {
    assert.deepEqual(encodeFullSensor(0x1234, ODD_SENSOR), ODD_SENSOR_BYTES);
  });
});

Deno.test("encodeCompactSensor() matches the hand-checked vectors", async (t) => {
  await t.step("PSU1 Status", () => {
    assert.deepEqual(encodeCompactSensor(2, PSU_STATUS), PSU_STATUS_BYTES);
  });
  await t.step("shared fans", () => {
    assert.deepEqual(encodeCompactSensor(0x10, SHARED_FANS), SHARED_FANS_BYTES);
  });
});

Deno.test("encodeFruDeviceLocator() matches the hand-checked vectors", async (t) => {
  await t.step("logical", () => {
    assert.deepEqual(encodeFruDeviceLocator(3, BOARD_FRU), BOARD_FRU_BYTES);
  });
  await t.step("physical", () => {
    assert.deepEqual(encodeFruDeviceLocator(8, SPD_FRU), SPD_FRU_BYTES);
  });
});

Deno.test("encodeMcDeviceLocator() matches the hand-checked vectors", async (t) => {
  await t.step("BMC", () => assert.deepEqual(encodeMcDeviceLocator(4, BMC), BMC_BYTES));
  await t.step("satellite", () => {
    assert.deepEqual(encodeMcDeviceLocator(7, SATELLITE), SATELLITE_BYTES);
  });
});

Deno.test("the independent decoder recovers every field of the vectors", async (t) => {
  await t.step("full", () => {
    assert.deepEqual(decodeFull(CPU_TEMP_BYTES), { recordId: 1, record: completeFull(CPU_TEMP) });
    assert.deepEqual(decodeFull(ODD_SENSOR_BYTES), {
      recordId: 0x1234,
      record: completeFull(ODD_SENSOR),
    });
  });
  await t.step("compact", () => {
    assert.deepEqual(decodeCompact(PSU_STATUS_BYTES), {
      recordId: 2,
      record: completeCompact(PSU_STATUS),
    });
    assert.deepEqual(decodeCompact(SHARED_FANS_BYTES), {
      recordId: 0x10,
      record: completeCompact(SHARED_FANS),
    });
  });
  await t.step("FRU locator", () => {
    assert.deepEqual(decodeFru(BOARD_FRU_BYTES), { recordId: 3, record: completeFru(BOARD_FRU) });
    assert.deepEqual(decodeFru(SPD_FRU_BYTES), { recordId: 8, record: completeFru(SPD_FRU) });
  });
  await t.step("MC locator", () => {
    assert.deepEqual(decodeMc(BMC_BYTES), { recordId: 4, record: completeMc(BMC) });
    assert.deepEqual(decodeMc(SATELLITE_BYTES), { recordId: 7, record: completeMc(SATELLITE) });
  });
});

Deno.test("SDR constants", () => {
  assert.equal(SDR_VERSION, 0x51);
  assert.deepEqual(SdrType, {
    FullSensor: 0x01,
    CompactSensor: 0x02,
    FruDeviceLocator: 0x11,
    McDeviceLocator: 0x12,
  });
});

Deno.test("M and B pack as 10-bit two's complement", async (t) => {
  // value → [low byte, bits 9:8]
  const cases: [number, number, number][] = [
    [0, 0x00, 0b00],
    [1, 0x01, 0b00],
    [255, 0xff, 0b00],
    [256, 0x00, 0b01],
    [511, 0xff, 0b01],
    [-1, 0xff, 0b11],
    [-4, 0xfc, 0b11],
    [-256, 0x00, 0b11],
    [-257, 0xff, 0b10],
    [-300, 0xd4, 0b10],
    [-512, 0x00, 0b10],
  ];
  for (const [v, low, high] of cases) {
    await t.step(`M = ${v}`, () => {
      const bytes = encodeFullSensor(1, { ...CPU_TEMP, factors: { ...CPU_TEMP.factors, m: v } });
      assert.equal(bytes[24], low); // spec byte 25
      assert.equal(bytes[25], high << 6); // spec byte 26, tolerance 0
      assert.equal(decodeFull(bytes).record.factors.m, v);
    });
    await t.step(`B = ${v}`, () => {
      const bytes = encodeFullSensor(1, {
        ...CPU_TEMP,
        accuracy: 0x3ff,
        factors: { ...CPU_TEMP.factors, b: v },
      });
      assert.equal(bytes[26], low); // spec byte 27
      assert.equal(bytes[27], (high << 6) | 0x3f); // spec byte 28 with accuracy's low 6 bits
      assert.equal(bytes[28], 0xf0); // accuracy's high 4 bits
      assert.equal(decodeFull(bytes).record.factors.b, v);
    });
  }
});

Deno.test("exponents pack as 4-bit two's complement, Rexp high and Bexp low", () => {
  for (let rExp = -8; rExp <= 7; rExp++) {
    for (let bExp = -8; bExp <= 7; bExp++) {
      const factors = { m: 1, b: 1, bExp, rExp, signed: false };
      const bytes = encodeFullSensor(1, { ...CPU_TEMP, factors });
      assert.equal(bytes[29], ((rExp + 16) % 16) * 16 + ((bExp + 16) % 16)); // spec byte 30
      assert.deepEqual(decodeFull(bytes).record.factors, factors);
    }
  }
  const bytes = encodeFullSensor(1, {
    ...CPU_TEMP,
    factors: { m: 1, b: 0, bExp: 7, rExp: -8, signed: false },
  });
  assert.equal(bytes[29], 0x87);
});

Deno.test("full record defaults follow the raw format", async (t) => {
  await t.step("signed: two's-complement units, sensor range 7Fh..80h", () => {
    const r = { ...CPU_TEMP, factors: { ...CPU_TEMP.factors, signed: true } };
    const bytes = encodeFullSensor(1, r);
    assert.equal(bytes[20], 0x80);
    assert.equal(bytes[34], 0x7f);
    assert.equal(bytes[35], 0x80);
  });
  await t.step("analog flags follow the given nominal/normal fields", () => {
    const { nominal: _, ...bare } = CPU_TEMP;
    assert.equal(encodeFullSensor(1, bare)[30], 0x00);
    assert.equal(encodeFullSensor(1, { ...bare, normalMax: 1 })[30], 0x02);
    assert.equal(encodeFullSensor(1, { ...bare, normalMin: 1, nominal: 2 })[30], 0x05);
    assert.equal(encodeFullSensor(1, { ...bare, normalMin: 1, analogFlags: 0 })[30], 0x00);
  });
  await t.step("analog format 'none' is allowed with either raw format", () => {
    const bytes = encodeFullSensor(1, { ...CPU_TEMP, units: { base: 1, analogFormat: "none" } });
    assert.equal(bytes[20], 0xc0);
  });
});

Deno.test("ID strings: type/length byte, 16 characters at most", async (t) => {
  await t.step("16 characters fit", () => {
    const bytes = encodeMcDeviceLocator(1, { ...BMC, idString: "0123456789ABCDEF" });
    assert.equal(bytes.length, 32);
    assert.equal(bytes[15], 0xd0);
    assert.equal(bytes[4], 27);
  });
  await t.step("empty", () => {
    const bytes = encodeCompactSensor(1, { ...PSU_STATUS, idString: "" });
    assert.equal(bytes.length, 32);
    assert.equal(bytes[31], 0xc0);
    assert.equal(bytes[4], 27);
    assert.equal(decodeCompact(bytes).record.idString, "");
  });
  await t.step("Latin-1 is written as single bytes", () => {
    const bytes = encodeFullSensor(1, { ...CPU_TEMP, idString: "Temp °C" });
    assert.deepEqual([...bytes.slice(47)], [0xc7, 0x54, 0x65, 0x6d, 0x70, 0x20, 0xb0, 0x43]);
    assert.equal(decodeFull(bytes).record.idString, "Temp °C");
  });
  await t.step("too long", () => {
    const long = "ABCDEFGHIJKLMNOPQRST";
    const attempts: (() => unknown)[] = [
      () => encodeFullSensor(1, { ...CPU_TEMP, idString: long }),
      () => encodeCompactSensor(1, { ...PSU_STATUS, idString: long }),
      () => encodeFruDeviceLocator(1, { ...BOARD_FRU, idString: long }),
      () => encodeMcDeviceLocator(1, { ...BMC, idString: long }),
    ];
    for (const attempt of attempts) {
      assert.throws(attempt, (e: unknown) => {
        assert.ok(e instanceof SdrEncodeError);
        assert.equal(e.message, "idString: 20 characters, at most 16");
        return true;
      });
    }
    assert.throws(
      () => encodeMcDeviceLocator(1, { ...BMC, idString: "ABCDEFGHIJKLMNOPQ" }),
      /^SdrEncodeError: idString: 17 characters, at most 16$/,
    );
  });
  await t.step("not 8-bit printable", () => {
    for (const bad of ["温度", "A\u0000B", "tab\there", "\u0085"]) {
      assert.throws(
        () => encodeMcDeviceLocator(1, { ...BMC, idString: bad }),
        (e: unknown) => e instanceof SdrEncodeError && e.message.startsWith("idString: character"),
      );
    }
  });
});

Deno.test("fields out of range throw SdrEncodeError naming the field", () => {
  const cases: [string, () => unknown][] = [
    ["recordId", () => encodeFullSensor(0x10000, CPU_TEMP)],
    ["recordId", () => encodeMcDeviceLocator(-1, BMC)],
    [
      "factors.m",
      () => encodeFullSensor(1, { ...CPU_TEMP, factors: { ...CPU_TEMP.factors, m: 512 } }),
    ],
    [
      "factors.b",
      () => encodeFullSensor(1, { ...CPU_TEMP, factors: { ...CPU_TEMP.factors, b: -513 } }),
    ],
    [
      "factors.bExp",
      () => encodeFullSensor(1, { ...CPU_TEMP, factors: { ...CPU_TEMP.factors, bExp: 8 } }),
    ],
    [
      "factors.rExp",
      () => encodeFullSensor(1, { ...CPU_TEMP, factors: { ...CPU_TEMP.factors, rExp: -9 } }),
    ],
    ["ownerId", () => encodeFullSensor(1, { ...CPU_TEMP, ownerId: 256 })],
    ["ownerLun", () => encodeFullSensor(1, { ...CPU_TEMP, ownerLun: 4 })],
    ["channel", () => encodeCompactSensor(1, { ...PSU_STATUS, channel: 16 })],
    ["sensorNumber", () => encodeCompactSensor(1, { ...PSU_STATUS, sensorNumber: 1.5 })],
    ["assertionMask", () => encodeFullSensor(1, { ...CPU_TEMP, assertionMask: 0x10000 })],
    ["readingMask", () => encodeCompactSensor(1, { ...PSU_STATUS, readingMask: -1 })],
    ["units.rate", () => encodeFullSensor(1, { ...CPU_TEMP, units: { base: 1, rate: 8 } })],
    ["units.base", () => encodeFullSensor(1, { ...CPU_TEMP, units: { base: 300 } })],
    [
      "units.analogFormat",
      () =>
        encodeFullSensor(1, { ...CPU_TEMP, units: { base: 1, analogFormat: "twos-complement" } }),
    ],
    ["units.analogFormat", () =>
      encodeFullSensor(1, {
        ...ODD_SENSOR,
        units: { base: 1, analogFormat: "unsigned" },
      })],
    ["tolerance", () => encodeFullSensor(1, { ...CPU_TEMP, tolerance: 64 })],
    ["accuracy", () => encodeFullSensor(1, { ...CPU_TEMP, accuracy: 1024 })],
    ["accuracyExp", () => encodeFullSensor(1, { ...CPU_TEMP, accuracyExp: 4 })],
    ["direction", () => encodeFullSensor(1, { ...CPU_TEMP, direction: 4 })],
    ["linearization", () => encodeFullSensor(1, { ...CPU_TEMP, linearization: 0x80 })],
    ["thresholds.ucr", () => encodeFullSensor(1, { ...CPU_TEMP, thresholds: { ucr: 256 } })],
    ["thresholds.lnc", () => encodeFullSensor(1, { ...CPU_TEMP, thresholds: { lnc: -1 } })],
    ["sensorMin", () => encodeFullSensor(1, { ...CPU_TEMP, sensorMin: -128 })],
    ["positiveHysteresis", () => encodeFullSensor(1, { ...CPU_TEMP, positiveHysteresis: 256 })],
    ["shareCount", () => encodeCompactSensor(1, { ...PSU_STATUS, shareCount: 16 })],
    [
      "idInstanceModifierOffset",
      () => encodeCompactSensor(1, { ...PSU_STATUS, idInstanceModifierOffset: 128 }),
    ],
    ["accessLun", () => encodeFruDeviceLocator(1, { ...BOARD_FRU, accessLun: 4 })],
    ["privateBusId", () => encodeFruDeviceLocator(1, { ...BOARD_FRU, privateBusId: 8 })],
    ["channel", () => encodeFruDeviceLocator(1, { ...BOARD_FRU, channel: 16 })],
    ["deviceType", () => encodeFruDeviceLocator(1, { ...BOARD_FRU, deviceType: 256 })],
    ["channel", () => encodeMcDeviceLocator(1, { ...BMC, channel: 16 })],
    [
      "powerStateNotification",
      () => encodeMcDeviceLocator(1, { ...BMC, powerStateNotification: 8 }),
    ],
    ["globalInit", () => encodeMcDeviceLocator(1, { ...BMC, globalInit: 16 })],
    ["oem", () => encodeMcDeviceLocator(1, { ...BMC, oem: 256 })],
  ];
  for (const [name, attempt] of cases) {
    assert.throws(attempt, (e: unknown) => {
      assert.ok(e instanceof SdrEncodeError, `${name}: ${String(e)}`);
      assert.ok(e.message.startsWith(`${name}: `), `${name}: message "${e.message}"`);
      return true;
    });
  }
});

// ---------------------------------------------------------------------------
// Random records: encode, decode independently, compare every field.

function randomId(prng: Prng): string {
  const length = prng.int(17);
  let text = "";
  for (let i = 0; i < length; i++) text += String.fromCharCode(0x20 + prng.int(0x5f));
  return text;
}

function randomCommon(prng: Prng): SensorRecordCommon {
  const byte = () => prng.int(256);
  return {
    ownerId: byte(),
    ownerLun: prng.int(4),
    channel: prng.int(16),
    sensorNumber: byte(),
    entityId: byte(),
    entityInstance: byte(),
    initialization: byte(),
    capabilities: byte(),
    sensorType: byte(),
    eventReadingType: byte(),
    assertionMask: prng.int(0x10000),
    deassertionMask: prng.int(0x10000),
    readingMask: prng.int(0x10000),
    units: {
      rate: prng.int(8),
      modifierUnitType: prng.int(4),
      percentage: prng.int(2) === 1,
      base: byte(),
      modifier: byte(),
    },
    positiveHysteresis: byte(),
    negativeHysteresis: byte(),
    oem: byte(),
    idString: randomId(prng),
  };
}

Deno.test("random records survive encode → independent decode", async (t) => {
  const prng = new Prng(0x51);
  const byte = () => prng.int(256);
  await t.step("full", () => {
    for (let i = 0; i < 500; i++) {
      const recordId = prng.int(0x10000);
      const r: FullSensorRecord = {
        ...randomCommon(prng),
        linearization: prng.int(0x80),
        factors: {
          m: prng.int(1024) - 512,
          b: prng.int(1024) - 512,
          bExp: prng.int(16) - 8,
          rExp: prng.int(16) - 8,
          signed: prng.int(2) === 1,
        },
        tolerance: prng.int(64),
        accuracy: prng.int(1024),
        accuracyExp: prng.int(4),
        direction: prng.int(4),
        analogFlags: prng.int(8),
        nominal: byte(),
        normalMax: byte(),
        normalMin: byte(),
        sensorMax: byte(),
        sensorMin: byte(),
        thresholds: { unr: byte(), ucr: byte(), unc: byte(), lnr: byte(), lcr: byte() },
      };
      const bytes = encodeFullSensor(recordId, r);
      assert.equal(bytes.length, 48 + r.idString.length);
      assert.deepEqual(decodeFull(bytes), { recordId, record: completeFull(r) });
    }
  });
  await t.step("compact", () => {
    for (let i = 0; i < 500; i++) {
      const recordId = prng.int(0x10000);
      const common = randomCommon(prng);
      const r: CompactSensorRecord = {
        ...common,
        units: { ...common.units, analogFormat: FORMATS[prng.int(4)]! },
        shareCount: prng.int(16),
        idInstanceModifierType: prng.int(4),
        direction: prng.int(4),
        entityInstanceSharing: prng.int(2) === 1,
        idInstanceModifierOffset: prng.int(128),
      };
      const bytes = encodeCompactSensor(recordId, r);
      assert.equal(bytes.length, 32 + r.idString.length);
      assert.deepEqual(decodeCompact(bytes), { recordId, record: completeCompact(r) });
    }
  });
  await t.step("FRU locator", () => {
    for (let i = 0; i < 300; i++) {
      const recordId = prng.int(0x10000);
      const r: FruDeviceLocatorRecord = {
        deviceAddress: byte(),
        fruDeviceId: byte(),
        logical: prng.int(2) === 1,
        accessLun: prng.int(4),
        privateBusId: prng.int(8),
        channel: prng.int(16),
        deviceType: byte(),
        deviceTypeModifier: byte(),
        entityId: byte(),
        entityInstance: byte(),
        oem: byte(),
        idString: randomId(prng),
      };
      const bytes = encodeFruDeviceLocator(recordId, r);
      assert.equal(bytes.length, 16 + r.idString.length);
      assert.deepEqual(decodeFru(bytes), { recordId, record: completeFru(r) });
    }
  });
  await t.step("MC locator", () => {
    for (let i = 0; i < 300; i++) {
      const recordId = prng.int(0x10000);
      const r: McDeviceLocatorRecord = {
        slaveAddress: byte(),
        channel: prng.int(16),
        powerStateNotification: prng.int(8),
        globalInit: prng.int(16),
        capabilities: byte(),
        entityId: byte(),
        entityInstance: byte(),
        oem: byte(),
        idString: randomId(prng),
      };
      const bytes = encodeMcDeviceLocator(recordId, r);
      assert.equal(bytes.length, 16 + r.idString.length);
      assert.deepEqual(decodeMc(bytes), { recordId, record: completeMc(r) });
    }
  });
});

Deno.test("factorBytes() are bytes 25–30 of the full record", () => {
  const factors = { m: -300, b: -4, bExp: 2, rExp: -1, signed: false };
  const record = encodeFullSensor(1, {
    ownerId: 0x20,
    ownerLun: 0,
    sensorNumber: 1,
    entityId: 7,
    entityInstance: 1,
    initialization: 0x7f,
    capabilities: 0x68,
    sensorType: 1,
    eventReadingType: 1,
    assertionMask: 0,
    deassertionMask: 0,
    readingMask: 0,
    units: { base: 1 },
    factors,
    thresholds: {},
    positiveHysteresis: 0,
    negativeHysteresis: 0,
    idString: "T",
  });
  assert.deepEqual(factorBytes(factors), [...record.subarray(24, 30)]);
});
