/**
 * Encoder for IPMI FRU inventory images (Platform Management FRU Information
 * Storage Definition v1.0, rev 1.3): the common header, an optional Internal
 * Use area given as raw bytes, and the Chassis Info, Board Info and Product
 * Info areas. Text fields are written as 8-bit ASCII + Latin-1 (type/length
 * type code 11b with language code English). No MultiRecord area is written.
 *
 * @example A board-only FRU image
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeFru } from "./fru.ts";
 * const image = encodeFru({
 *   board: { manufacturer: "", productName: "", serialNumber: "", partNumber: "" },
 * });
 * // Common header: version 1, board area at offset 1 × 8, checksum FEh.
 * assert.deepEqual([...image.subarray(0, 8)], [0x01, 0, 0, 0x01, 0, 0, 0, 0xfe]);
 * assert.equal(image.length, 8 + 16);
 * ```
 *
 * @module
 */

import { ipmbChecksum } from "./checksum.ts";

/** Format version of the common header and of every area (spec §8–§11: 1h). */
const FRU_FORMAT_VERSION = 0x01;
/** Type/length type code 11b: 8-bit ASCII + Latin-1 under language English. */
const TYPE_LENGTH_LATIN1 = 0xc0;
/** The type/length byte that ends the field list of an info area. */
const END_OF_FIELDS = 0xc1;
/** Language code 0: English, so type code 11b means 8-bit ASCII + Latin-1. */
const LANGUAGE_ENGLISH = 0x00;
/** Offsets and area lengths count in units of this many bytes. */
const FRU_BLOCK_BYTES = 8;
/** Size of the common header. */
const COMMON_HEADER_BYTES = 8;
/** Largest field: the length lives in bits 5:0 of the type/length byte. */
const MAX_FIELD_BYTES = 0x3f;
/** Type code 11b with length 1 is the end marker, so 1-byte fields are invalid. */
const RESERVED_FIELD_BYTES = 1;
/** Largest offset or area length, in blocks (one byte each). */
const MAX_BLOCKS = 0xff;
/** Largest offset or area length, in bytes. */
const MAX_BLOCK_BYTES = MAX_BLOCKS * FRU_BLOCK_BYTES;
/** Filler byte for area padding and for padding the image to `size`. */
const PAD_BYTE = 0x00;
/** Highest character code in Latin-1. */
const MAX_LATIN1 = 0xff;
/** Board manufacture date "unspecified". */
const MFG_DATE_UNSPECIFIED = 0;
/** Largest manufacture date: three bytes of minutes. */
const MAX_MFG_MINUTES = 0xffffff;
/** The FRU epoch, 1996-01-01T00:00:00Z, in milliseconds since 1970. */
const FRU_EPOCH_MS = Date.UTC(1996, 0, 1);
/** Milliseconds per minute. */
const MS_PER_MINUTE = 60_000;

/** Chassis Info area contents (spec §10). */
export interface FruChassisInfo {
  /** SMBIOS System Enclosure or Chassis Type, e.g. `0x17` rack mount chassis. */
  type: number;
  /** Chassis part number. */
  partNumber: string;
  /** Chassis serial number. */
  serialNumber: string;
  /** Custom fields after the predefined ones. */
  custom?: readonly string[];
}

/** Board Info area contents (spec §11). */
export interface FruBoardInfo {
  /**
   * Manufacture date, written as minutes since 1996-01-01T00:00:00Z (3 bytes,
   * little-endian, see {@link fruMinutes}); `null` or absent writes 0, which
   * means unspecified.
   */
  manufactureDate?: Date | null;
  /** Board manufacturer. */
  manufacturer: string;
  /** Board product name. */
  productName: string;
  /** Board serial number. */
  serialNumber: string;
  /** Board part number. */
  partNumber: string;
  /** FRU file ID; absent writes an empty field. */
  fruFileId?: string;
  /** Custom fields after the predefined ones. */
  custom?: readonly string[];
}

/** Product Info area contents (spec §12). */
export interface FruProductInfo {
  /** Product manufacturer. */
  manufacturer: string;
  /** Product name. */
  name: string;
  /** Product part / model number. */
  partNumber: string;
  /** Product version. */
  version: string;
  /** Product serial number. */
  serialNumber: string;
  /** Asset tag. */
  assetTag: string;
  /** FRU file ID; absent writes an empty field. */
  fruFileId?: string;
  /** Custom fields after the predefined ones. */
  custom?: readonly string[];
}

/** A whole FRU inventory; absent areas get offset 0 in the common header. */
export interface FruInventory {
  /** Internal Use area data, written after the format version byte. */
  internalUse?: Uint8Array;
  /** Chassis Info area. */
  chassis?: FruChassisInfo;
  /** Board Info area. */
  board?: FruBoardInfo;
  /** Product Info area. */
  product?: FruProductInfo;
}

/**
 * A value that cannot be encoded. The message starts with the field's path,
 * e.g. `board.serialNumber: 70 bytes, at most 63`.
 */
export class FruEncodeError extends Error {
  /** Path of the offending field, e.g. `board.serialNumber` or `size`. */
  readonly field: string;

  /**
   * Create an error.
   *
   * @param field Path of the offending field.
   * @param detail What is wrong with it.
   */
  constructor(field: string, detail: string) {
    super(`${field}: ${detail}`);
    this.name = "FruEncodeError";
    this.field = field;
  }
}

/**
 * Minutes since 1996-01-01T00:00:00Z, rounded down and clamped to
 * `0..0xFFFFFF` (the range of the Board Info manufacture date).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fruMinutes } from "./fru.ts";
 * assert.equal(fruMinutes(new Date("1996-01-02T00:00:00Z")), 1440);
 * ```
 *
 * @param date The date.
 * @returns Whole minutes since the FRU epoch.
 * @throws {RangeError} When `date` is an invalid Date.
 */
export function fruMinutes(date: Date): number {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError("invalid Date");
  const minutes = Math.floor((ms - FRU_EPOCH_MS) / MS_PER_MINUTE);
  return Math.min(MAX_MFG_MINUTES, Math.max(0, minutes));
}

/**
 * Encode a FRU inventory image: common header, then the Internal Use,
 * Chassis, Board and Product areas that are present, in that order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeFru } from "./fru.ts";
 * assert.deepEqual([...encodeFru({})], [0x01, 0, 0, 0, 0, 0, 0, 0xff]);
 * assert.equal(encodeFru({}, 256).length, 256);
 * ```
 *
 * @param inventory The areas to write.
 * @param size When given, pad the image with `00h` to exactly this many bytes.
 * @returns The image.
 * @throws {FruEncodeError} For a field longer than 63 bytes or exactly 1 byte,
 * a non-Latin-1 character, a chassis type that is not a byte, an invalid
 * manufacture date, an area longer than 255 × 8 bytes, an area that starts
 * beyond what the header can address, or an image larger than `size`.
 */
export function encodeFru(inventory: FruInventory, size?: number): Uint8Array {
  const areas: { name: string; bytes: number[] | null }[] = [
    {
      name: "internalUse",
      bytes: inventory.internalUse ? internalUseArea(inventory.internalUse) : null,
    },
    { name: "chassis", bytes: inventory.chassis ? chassisArea(inventory.chassis) : null },
    { name: "board", bytes: inventory.board ? boardArea(inventory.board) : null },
    { name: "product", bytes: inventory.product ? productArea(inventory.product) : null },
  ];

  const offsets: number[] = [];
  const chunks: number[][] = [];
  let length = COMMON_HEADER_BYTES;
  for (const area of areas) {
    if (area.bytes === null) {
      offsets.push(0);
      continue;
    }
    const start = length;
    if (start > MAX_BLOCK_BYTES) {
      throw new FruEncodeError(
        area.name,
        `starts at byte ${start}, the common header addresses at most ${MAX_BLOCK_BYTES}`,
      );
    }
    offsets.push(start / FRU_BLOCK_BYTES);
    chunks.push(area.bytes);
    length += area.bytes.length;
  }

  const [internalUse = 0, chassis = 0, board = 0, product = 0] = offsets;
  const multiRecord = 0;
  const header = [FRU_FORMAT_VERSION, internalUse, chassis, board, product, multiRecord, PAD_BYTE];
  header.push(ipmbChecksum(header));

  let total = length;
  if (size !== undefined) {
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new FruEncodeError("size", `${size} is not a non-negative integer`);
    }
    if (length > size) {
      throw new FruEncodeError("size", `image is ${length} bytes, at most ${size}`);
    }
    total = size;
  }
  const image = new Uint8Array(total); // zero-filled: the padding is PAD_BYTE
  image.set(header, 0);
  let at = header.length;
  for (const chunk of chunks) {
    image.set(chunk, at);
    at += chunk.length;
  }
  return image;
}

/** Bytes needed to round `n` up to a whole number of blocks. */
function padTo(n: number): number {
  return (FRU_BLOCK_BYTES - (n % FRU_BLOCK_BYTES)) % FRU_BLOCK_BYTES;
}

/** Internal Use area: format version, the data, padding; no length, no checksum. */
function internalUseArea(data: Uint8Array): number[] {
  const out = [FRU_FORMAT_VERSION, ...data];
  for (let i = padTo(out.length); i > 0; i--) out.push(PAD_BYTE);
  return out;
}

/** Append one 8-bit ASCII + Latin-1 field (type/length byte and data). */
function pushField(out: number[], field: string, value: string): void {
  if (value.length > MAX_FIELD_BYTES) {
    throw new FruEncodeError(field, `${value.length} bytes, at most ${MAX_FIELD_BYTES}`);
  }
  if (value.length === RESERVED_FIELD_BYTES) {
    throw new FruEncodeError(
      field,
      `${RESERVED_FIELD_BYTES} byte, 8-bit ASCII + Latin-1 fields must be empty or at least 2 bytes (C1h is the end-of-fields marker)`,
    );
  }
  out.push(TYPE_LENGTH_LATIN1 | value.length);
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code > MAX_LATIN1) {
      const hex = code.toString(16).toUpperCase().padStart(4, "0");
      throw new FruEncodeError(field, `character U+${hex} at index ${i} is not Latin-1`);
    }
    out.push(code);
  }
}

/**
 * Finish an info area: predefined and custom fields, end marker, padding,
 * area length byte and checksum.
 */
function infoArea(
  area: string,
  fixed: readonly number[],
  fields: readonly [string, string][],
  custom: readonly string[] | undefined,
): number[] {
  const out = [FRU_FORMAT_VERSION, 0, ...fixed];
  for (const [name, value] of fields) pushField(out, `${area}.${name}`, value);
  (custom ?? []).forEach((value, i) => pushField(out, `${area}.custom[${i}]`, value));
  out.push(END_OF_FIELDS);
  for (let i = padTo(out.length + 1); i > 0; i--) out.push(PAD_BYTE);
  const bytes = out.length + 1;
  if (bytes > MAX_BLOCK_BYTES) {
    throw new FruEncodeError(area, `${bytes} bytes, at most ${MAX_BLOCK_BYTES}`);
  }
  out[1] = bytes / FRU_BLOCK_BYTES;
  out.push(ipmbChecksum(out));
  return out;
}

function chassisArea(chassis: FruChassisInfo): number[] {
  if (!Number.isInteger(chassis.type) || chassis.type < 0 || chassis.type > 0xff) {
    throw new FruEncodeError("chassis.type", `${chassis.type} is not a byte (0..255)`);
  }
  return infoArea("chassis", [chassis.type], [
    ["partNumber", chassis.partNumber],
    ["serialNumber", chassis.serialNumber],
  ], chassis.custom);
}

function boardArea(board: FruBoardInfo): number[] {
  let minutes = MFG_DATE_UNSPECIFIED;
  if (board.manufactureDate) {
    if (Number.isNaN(board.manufactureDate.getTime())) {
      throw new FruEncodeError("board.manufactureDate", "invalid Date");
    }
    minutes = fruMinutes(board.manufactureDate);
  }
  return infoArea(
    "board",
    [LANGUAGE_ENGLISH, minutes & 0xff, (minutes >> 8) & 0xff, (minutes >> 16) & 0xff],
    [
      ["manufacturer", board.manufacturer],
      ["productName", board.productName],
      ["serialNumber", board.serialNumber],
      ["partNumber", board.partNumber],
      ["fruFileId", board.fruFileId ?? ""],
    ],
    board.custom,
  );
}

function productArea(product: FruProductInfo): number[] {
  return infoArea("product", [LANGUAGE_ENGLISH], [
    ["manufacturer", product.manufacturer],
    ["name", product.name],
    ["partNumber", product.partNumber],
    ["version", product.version],
    ["serialNumber", product.serialNumber],
    ["assetTag", product.assetTag],
    ["fruFileId", product.fruFileId ?? ""],
  ], product.custom);
}
