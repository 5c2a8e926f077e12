/**
 * Which client programs a test can run (python3-sushy, redfishtool, …).
 *
 * @module
 */

/** Debian's interpreter (a pyenv or venv python3 does not see Debian's packages). */
export const PYTHON: string = await Deno.stat("/usr/bin/python3").then(
  () => "/usr/bin/python3",
  () => "python3",
);

/**
 * Whether a command runs and succeeds.
 *
 * @param cmd Program.
 * @param args Arguments.
 * @returns `true` if it exited 0; `false` if it failed or is missing.
 */
export async function runs(cmd: string, args: string[]): Promise<boolean> {
  try {
    return (await new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).output()).success;
  } catch {
    return false;
  }
}
