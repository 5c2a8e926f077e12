/**
 * A state file belongs to the profile it was written under: its SEL records
 * name sensors by the numbers of that profile's SDR, its FRU writes fit that
 * profile's FRU layout. Opening it under another profile would silently
 * decode the old records against the new SDR, so start-up is refused with
 * the two ways out: empty it (`--reset-state`) or use another state file.
 *
 * @module
 */

import type { StateStore } from "../core/ports.ts";

/** The state store's key that records the profile. */
export const PROFILE_KEY = "profile";

/** A state file written under another profile. */
export class StateProfileMismatch extends Error {
  /** Path of the state file. */
  readonly path: string;

  /**
   * Create the error.
   *
   * @param path State file.
   * @param written The profile it was written under.
   * @param wanted The profile asked for now.
   */
  constructor(path: string, written: string, wanted: string) {
    super(
      `State file "${path}" was written under profile "${written}", not "${wanted}": its SEL and FRU data would be read against the wrong SDR and FRU layout. Start with --reset-state to empty it, or give this profile its own state file (--state-dir DIR, or "stateFile" in a config entry)`,
    );
    this.name = "StateProfileMismatch";
    this.path = path;
  }
}

/**
 * Check that `store` was written under `profile` (recording it on first
 * use; a file from before this check is adopted).
 *
 * @param store The opened store.
 * @param profile The profile's name.
 * @throws {StateProfileMismatch} When it was written under another profile.
 */
export function claimState(store: StateStore, profile: string): void {
  const written = store.getValue(PROFILE_KEY);
  if (written === undefined) store.setValue(PROFILE_KEY, profile);
  else if (written !== profile) throw new StateProfileMismatch(store.location, written, profile);
}

/**
 * Remove a state file and its SQLite companions (`-wal`, `-shm`), so the BMC
 * starts empty.
 *
 * @param path State file.
 * @returns Whether there was one.
 */
export async function removeStateFile(path: string): Promise<boolean> {
  let removed = false;
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      await Deno.remove(file);
      removed = true;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return removed;
}
