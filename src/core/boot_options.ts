/**
 * System boot options (IPMI v2.0 §28.12–28.13, Table 28-14): the boot flags
 * a BIOS reads to choose its next boot device — what `ipmitool chassis
 * bootdev pxe` sets and Redfish's `Boot` override shows — plus the
 * bookkeeping parameters a client touches around them. The boot flags
 * persist in the state store; bmc-emu has no BIOS reading them, so they are
 * kept until changed (the §28.12 60-second valid-bit timeout is not run) and
 * QEMU's own boot order is not changed.
 *
 * @module
 */

import type { StateStore } from "./ports.ts";

/** Boot option parameter selectors bmc-emu keeps. */
export const BootParam = {
  SetInProgress: 0,
  ValidBitClearing: 3,
  BootInfoAcknowledge: 4,
  BootFlags: 5,
} as const;

/** Parameter version of Get System Boot Options (Table 28-14). */
export const BOOT_PARAM_VERSION = 0x01;

/** Data length of each kept parameter. */
export const BOOT_PARAM_LENGTH: Readonly<Record<number, number>> = {
  [BootParam.SetInProgress]: 1,
  [BootParam.ValidBitClearing]: 1,
  [BootParam.BootInfoAcknowledge]: 2,
  [BootParam.BootFlags]: 5,
};

/** Boot flags byte 1: the flags are valid. */
const FLAGS_VALID = 0x80;
/** Boot flags byte 1: persistent (else next boot only). */
const FLAGS_PERSISTENT = 0x40;
/** Boot flags byte 1: EFI boot (else PC compatible/legacy). */
const FLAGS_EFI = 0x20;
/** Boot flags byte 2 bits 5:2: the boot device selector. */
const DEVICE_SHIFT = 2;
const DEVICE_MASK = 0x0f;

/** Boot devices by selector (byte 2 bits 5:2). */
export const BOOT_DEVICES = {
  none: 0x0,
  pxe: 0x1,
  disk: 0x2,
  "disk-safe-mode": 0x3,
  diagnostic: 0x4,
  cdrom: 0x5,
  "bios-setup": 0x6,
  "remote-floppy": 0x7,
  "remote-cdrom": 0x8,
  "remote-media": 0x9,
  "remote-disk": 0xb,
  floppy: 0xf,
} as const;

/** A boot device name. */
export type BootDevice = keyof typeof BOOT_DEVICES;

/** The boot flags, decoded. */
export interface BootFlags {
  /** Whether the BIOS is to use them. */
  readonly valid: boolean;
  /** For every boot (else the next one only). */
  readonly persistent: boolean;
  /** EFI boot (else legacy). */
  readonly efi: boolean;
  /** Boot device; `null` for a selector no name is given to. */
  readonly device: BootDevice | null;
}

const STORE_KEY = "chassis.bootFlags";
/** Default boot flags: not valid, EFI, no override. */
const DEFAULT_FLAGS = Uint8Array.of(FLAGS_EFI, 0, 0, 0, 0);

/**
 * Decode the 5 data bytes of the boot flags parameter.
 *
 * @param bytes Parameter data.
 * @returns The flags.
 */
export function decodeBootFlags(bytes: Uint8Array): BootFlags {
  const selector = (bytes[1]! >> DEVICE_SHIFT) & DEVICE_MASK;
  const device = (Object.entries(BOOT_DEVICES).find(([, v]) => v === selector)?.[0] ??
    null) as BootDevice | null;
  return {
    valid: (bytes[0]! & FLAGS_VALID) !== 0,
    persistent: (bytes[0]! & FLAGS_PERSISTENT) !== 0,
    efi: (bytes[0]! & FLAGS_EFI) !== 0,
    device,
  };
}

/** The boot option parameters of one BMC. */
export class BootOptions {
  readonly #store: StateStore;
  readonly #volatile = new Map<number, Uint8Array>([
    [BootParam.SetInProgress, Uint8Array.of(0)],
    [BootParam.ValidBitClearing, Uint8Array.of(0)],
    [BootParam.BootInfoAcknowledge, Uint8Array.of(0, 0)],
  ]);

  /**
   * Create the options.
   *
   * @param store Where the boot flags persist.
   */
  constructor(store: StateStore) {
    this.#store = store;
  }

  /**
   * A parameter's data.
   *
   * @param selector Parameter selector.
   * @returns Its bytes, or `null` for a parameter bmc-emu does not keep.
   */
  get(selector: number): Uint8Array | null {
    if (selector === BootParam.BootFlags) return this.#flagBytes();
    return this.#volatile.get(selector)?.slice() ?? null;
  }

  /**
   * Set a parameter.
   *
   * @param selector Parameter selector.
   * @param data Its bytes (length checked by the caller against {@link BOOT_PARAM_LENGTH}).
   */
  set(selector: number, data: Uint8Array): void {
    if (selector === BootParam.BootFlags) {
      this.#store.setValue(
        STORE_KEY,
        Array.from(data, (b) => b.toString(16).padStart(2, "0")).join(""),
      );
    } else if (selector === BootParam.BootInfoAcknowledge) {
      // Byte 1 is a write mask for byte 2 (the acknowledge bits).
      const current = this.#volatile.get(selector)!;
      current[1] = (current[1]! & ~data[0]!) | (data[1]! & data[0]!);
    } else {
      this.#volatile.set(selector, data.slice());
    }
  }

  /** The boot flags, decoded. */
  get flags(): BootFlags {
    return decodeBootFlags(this.#flagBytes());
  }

  /**
   * Set the boot flags from their decoded form (Redfish's `Boot` override);
   * the other flag bits are kept.
   *
   * @param flags Valid, persistent, EFI and device.
   */
  setFlags(flags: BootFlags & { readonly device: BootDevice }): void {
    const bytes = this.#flagBytes();
    bytes[0] = (flags.valid ? FLAGS_VALID : 0) | (flags.persistent ? FLAGS_PERSISTENT : 0) |
      (flags.efi ? FLAGS_EFI : 0) | (bytes[0]! & 0x1f);
    bytes[1] = (bytes[1]! & ~(DEVICE_MASK << DEVICE_SHIFT)) |
      (BOOT_DEVICES[flags.device] << DEVICE_SHIFT);
    this.set(BootParam.BootFlags, bytes);
  }

  #flagBytes(): Uint8Array {
    const hex = this.#store.getValue(STORE_KEY);
    if (hex === undefined || !/^[0-9a-f]{10}$/.test(hex)) return DEFAULT_FLAGS.slice();
    return Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
  }
}
