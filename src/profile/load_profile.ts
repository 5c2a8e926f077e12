/**
 * The I/O edge of profiles: find a profile by name or path, read and parse
 * it, and list the shipped ones.
 *
 * @module
 */

import { readJsonFile } from "../io/read_json_file.ts";
import { fromFileUrl } from "../util/file_url.ts";
import { parseProfile } from "./parse_profile.ts";
import { ProfileError } from "./profile_error.ts";
import type { Profile } from "./schema.ts";

/** Directory of the shipped profiles. */
export const PROFILE_DIR: string = fromFileUrl(
  new URL("../../firmware-profiles/", import.meta.url),
);

/**
 * Whether `ref` names a file rather than a shipped profile.
 *
 * @param ref Name or path.
 * @returns `true` for paths.
 */
export function isProfilePath(ref: string): boolean {
  return ref.includes("/") || ref.endsWith(".json");
}

/**
 * The file a profile reference names: a path as given, or a shipped name's
 * file in `firmware-profiles/`.
 *
 * @param ref Name or path.
 * @returns The file path.
 */
export function profilePath(ref: string): string {
  return isProfilePath(ref) ? ref : `${PROFILE_DIR}${ref}.json`;
}

/**
 * Names of the shipped profiles.
 *
 * @returns Sorted names.
 */
export function shippedProfileNames(): string[] {
  const names: string[] = [];
  for (const entry of Deno.readDirSync(PROFILE_DIR)) {
    if (entry.isFile && entry.name.endsWith(".json") && entry.name !== "profile.schema.json") {
      names.push(entry.name.slice(0, -5));
    }
  }
  return names.sort();
}

/**
 * Load a profile by shipped name (`dell-idrac9`) or file path.
 *
 * @param ref Name or path.
 * @returns The validated profile and the file it came from.
 * @throws {ProfileError} If it cannot be found, read, parsed or validated.
 */
export async function loadProfile(ref: string): Promise<{ profile: Profile; path: string }> {
  const path = profilePath(ref);
  if (!isProfilePath(ref)) {
    const shipped = shippedProfileNames();
    if (!shipped.includes(ref)) {
      throw new ProfileError(
        ref,
        "",
        `is not a shipped profile (available: ${shipped.join(", ")})`,
      );
    }
  }
  const json = await readJsonFile(path, (problem) => new ProfileError(path, "", problem));
  return { profile: parseProfile(json, path), path };
}
