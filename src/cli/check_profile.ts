/**
 * `bmc-emu serve --check-profile FILE`: validate a firmware profile and
 * print every problem, without starting anything.
 *
 * @module
 */

import { readJsonFile } from "../io/read_json_file.ts";
import { profilePath } from "../profile/load_profile.ts";
import { parseProfile, profileProblems, resolveProfile } from "../profile/parse_profile.ts";
import { ProfileError } from "../profile/profile_error.ts";
import { DEFAULT_QUIRKS, type Quirks } from "../core/config.ts";
import { ExitCode } from "./usage_error.ts";
import { errorMessage } from "../util/error_message.ts";

/** The quirks that differ from spec behaviour, as `name=value`. */
function quirksSet(quirks: Quirks): string {
  const set = Object.entries(quirks).filter(([k, v]) => DEFAULT_QUIRKS[k as keyof Quirks] !== v)
    .map(([k, v]) =>
      `${k}=${typeof v === "number" && k.endsWith("Cc") ? `0x${v.toString(16)}` : v}`
    );
  return set.length === 0 ? "none (spec behaviour)" : set.join(", ");
}

/**
 * Check a profile file (or shipped profile name).
 *
 * @param ref Path or shipped name.
 * @param out Where the verdict goes (one line per problem).
 * @returns 0 when valid, 1 when not.
 */
export async function checkProfile(ref: string, out: (line: string) => void): Promise<number> {
  const path = profilePath(ref);
  let json: unknown;
  try {
    json = await readJsonFile(path, (problem) => new ProfileError(path, "", problem));
  } catch (error) {
    out(errorMessage(error));
    return ExitCode.Failure;
  }
  const problems = profileProblems(json);
  if (problems.length > 0) {
    out(`${path}: ${problems.length} problem${problems.length === 1 ? "" : "s"}`);
    for (const p of problems) {
      out(`  ${p.field === "" ? "(file)" : p.field}: ${p.problem}`);
    }
    return ExitCode.Failure;
  }
  const profile = parseProfile(json, path);
  const config = resolveProfile(profile, { bmcId: "check" });
  const thresholds = config.sensors.filter((s) => s.kind === "threshold").length;
  out(
    `${path}: OK — profile "${profile.name}", manufacturer ${config.identity.manufacturerId}, ` +
      `product 0x${config.identity.productId.toString(16).padStart(4, "0")}, ` +
      `${config.sensors.length} sensors (${thresholds} threshold) + watchdog, ` +
      `${config.frus.length} FRU device${config.frus.length === 1 ? "" : "s"}, ` +
      `quirks: ${quirksSet(profile.quirks)}`,
  );
  return ExitCode.Ok;
}
