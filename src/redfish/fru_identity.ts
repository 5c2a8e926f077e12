/**
 * Read the identity Redfish shows (manufacturer, model, serial and part
 * numbers) from a FRU inventory image (Platform Management FRU Information
 * Storage Definition v1.0: common header, chassis, board and product areas
 * of type/length-prefixed fields). Only 8-bit ASCII/Latin-1 fields are read;
 * a malformed image yields what could be read.
 *
 * @module
 */

/** What a FRU image tells about the system. */
export interface FruIdentity {
  /** Product (or board) manufacturer. */
  readonly manufacturer?: string;
  /** Product (or board) name. */
  readonly model?: string;
  /** Product (or board) serial number. */
  readonly serialNumber?: string;
  /** Product (or board) part number. */
  readonly partNumber?: string;
  /** Chassis serial number. */
  readonly chassisSerialNumber?: string;
  /** Chassis part number. */
  readonly chassisPartNumber?: string;
  /** Asset tag. */
  readonly assetTag?: string;
}

/** Type/length byte 0xC1: end of fields. */
const END_OF_FIELDS = 0xc1;

/** The fields of the area at header byte `slot` (offset in 8-byte units), after `skip` bytes. */
function areaFields(image: Uint8Array, slot: number, skip: number): string[] {
  const offset = (image[slot] ?? 0) * 8;
  if (offset === 0 || offset >= image.length) return [];
  const fields: string[] = [];
  let at = offset + skip;
  while (at < image.length && image[at] !== END_OF_FIELDS && fields.length < 16) {
    const tl = image[at]!;
    const len = tl & 0x3f;
    const bytes = image.subarray(at + 1, at + 1 + len);
    fields.push((tl >> 6) === 3 ? String.fromCharCode(...bytes).trim() : "");
    at += 1 + len;
  }
  return fields;
}

function nonEmpty(
  entries: Record<string, string | undefined>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(entries).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ""),
  );
}

/**
 * Decode the identity fields of a FRU image.
 *
 * @param image The FRU device's bytes.
 * @returns Identity (fields absent where the image has none).
 */
export function readFruIdentity(image: Uint8Array): FruIdentity {
  if (image.length < 8 || image[0] !== 0x01) return {};
  // Chassis: version, length, type, then part number, serial number.
  const [chassisPart, chassisSerial] = areaFields(image, 2, 3);
  // Board: version, length, language, 3-byte date, then manufacturer, name, serial, part.
  const [boardMfr, boardName, boardSerial, boardPart] = areaFields(image, 3, 6);
  // Product: version, length, language, then manufacturer, name, part, version, serial, asset tag.
  const [mfr, name, part, , serial, asset] = areaFields(image, 4, 3);
  return nonEmpty({
    manufacturer: mfr || boardMfr,
    model: name || boardName,
    serialNumber: serial || boardSerial,
    partNumber: part || boardPart,
    chassisSerialNumber: chassisSerial,
    chassisPartNumber: chassisPart,
    assetTag: asset,
  });
}
