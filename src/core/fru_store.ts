/**
 * FRU inventory devices (IPMI v2.0 ch. 34): images built from the profile,
 * read and written byte-wise by the host; writes persist in the state store
 * so they survive a restart, as a real FRU EEPROM's would.
 *
 * @module
 */

import { CompletionCode } from "../codec/constants.ts";
import type { StateStore } from "./ports.ts";
import type { FruConfig } from "./sensor_config.ts";
import { hexBytes, parseHexBytes } from "../codec/names.ts";
import type { Result } from "./command.ts";

/** Store key of a FRU device's image. */
function keyOf(id: number): string {
  return `fru.${id}`;
}

/** One FRU device. */
interface FruDevice {
  readonly config: FruConfig;
  image: Uint8Array;
}

/** The BMC's FRU devices. */
export class FruStore {
  readonly #devices = new Map<number, FruDevice>();
  readonly #store: StateStore;

  /**
   * Load the devices: the stored image if one was written before (and has
   * the device's size), else the profile's.
   *
   * @param frus Profile FRU devices.
   * @param store State store.
   */
  constructor(frus: readonly FruConfig[], store: StateStore) {
    this.#store = store;
    for (const config of frus) {
      const saved = store.getValue(keyOf(config.id));
      const image = saved !== undefined && saved.length === config.image.length * 2
        ? Uint8Array.from(parseHexBytes(saved) ?? config.image)
        : config.image.slice();
      this.#devices.set(config.id, { config, image });
    }
  }

  /** Device ids. */
  ids(): number[] {
    return [...this.#devices.keys()];
  }

  /**
   * A device's current image.
   *
   * @param id FRU device id.
   * @returns The image, or `undefined`.
   */
  image(id: number): Uint8Array | undefined {
    return this.#devices.get(id)?.image;
  }

  /**
   * Get FRU Inventory Area Info: the size.
   *
   * @param id FRU device id.
   * @returns Size in bytes, or 0xCB for an unknown device.
   */
  size(id: number): Result<number> {
    const d = this.#devices.get(id);
    return d === undefined
      ? { ok: false, cc: CompletionCode.NotPresent }
      : { ok: true, value: d.image.length };
  }

  /**
   * Read FRU Data.
   *
   * @param id FRU device id.
   * @param offset Byte offset.
   * @param count Bytes wanted.
   * @returns The bytes (fewer at the end of the area), or a completion code.
   */
  read(id: number, offset: number, count: number): Result<Uint8Array> {
    const d = this.#devices.get(id);
    if (d === undefined) return { ok: false, cc: CompletionCode.NotPresent };
    if (offset >= d.image.length) return { ok: false, cc: CompletionCode.ParameterOutOfRange };
    return { ok: true, value: d.image.subarray(offset, Math.min(d.image.length, offset + count)) };
  }

  /**
   * Write FRU Data; persisted before the answer.
   *
   * @param id FRU device id.
   * @param offset Byte offset.
   * @param data Bytes to write.
   * @returns Bytes written, or a completion code.
   */
  write(id: number, offset: number, data: Uint8Array): Result<number> {
    const d = this.#devices.get(id);
    if (d === undefined) return { ok: false, cc: CompletionCode.NotPresent };
    if (offset + data.length > d.image.length) {
      return { ok: false, cc: CompletionCode.ParameterOutOfRange };
    }
    d.image.set(data, offset);
    this.#store.setValue(
      keyOf(id),
      hexBytes(d.image, ""),
    );
    return { ok: true, value: data.length };
  }
}
