/**
 * `bmc-emu serve --check-config FILE`: validate a config file and print
 * every problem with its path (and every profile it names), without
 * starting anything.
 *
 * @module
 */

import { readJsonFile } from "../io/read_json_file.ts";
import { profilePath } from "../profile/load_profile.ts";
import { profileProblems } from "../profile/parse_profile.ts";
import { ProfileError } from "../profile/profile_error.ts";
import { ConfigError, configProblems } from "../runtime/config_file.ts";
import { errorMessage } from "../util/error_message.ts";
import { ExitCode } from "./usage_error.ts";

/**
 * Check a config file.
 *
 * @param file Path.
 * @param out Where the verdict goes (one line per problem).
 * @returns 0 when valid, 1 when not.
 */
export async function checkConfig(file: string, out: (line: string) => void): Promise<number> {
  let json: unknown;
  try {
    json = await readJsonFile(file, (problem) => new ConfigError(file, "", problem));
  } catch (error) {
    out(errorMessage(error));
    return ExitCode.Failure;
  }
  const problems = configProblems(json).map((p) =>
    `${p.field === "" ? "(file)" : p.field}: ${p.problem}`
  );
  const bmcs = (json as { bmcs?: unknown } | null)?.bmcs;
  if (Array.isArray(bmcs)) {
    for (const [i, b] of bmcs.entries()) {
      const ref = (b as { profile?: unknown } | null)?.profile;
      if (typeof ref !== "string" || ref === "") continue;
      const path = profilePath(ref);
      let profile: unknown;
      try {
        profile = await readJsonFile(path, (problem) => new ProfileError(path, "", problem));
      } catch (error) {
        problems.push(`bmcs[${i}].profile: ${errorMessage(error)}`);
        continue;
      }
      for (const p of profileProblems(profile)) {
        problems.push(
          `bmcs[${i}].profile (${path}) ${p.field === "" ? "(file)" : p.field}: ${p.problem}`,
        );
      }
    }
  }
  if (problems.length > 0) {
    out(`${file}: ${problems.length} problem${problems.length === 1 ? "" : "s"}`);
    for (const p of problems) out(`  ${p}`);
    return ExitCode.Failure;
  }
  const n = Array.isArray(bmcs) ? bmcs.length : 0;
  out(`${file}: OK — ${n} BMC${n === 1 ? "" : "s"}`);
  return ExitCode.Ok;
}
