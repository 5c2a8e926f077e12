/**
 * The bmc-emu command: `serve` runs BMCs, `ctl` drives a running bmc-emu.
 * The only process entry point; everything else is importable and testable.
 *
 * @module
 */

import { ctl } from "./cli/ctl.ts";
import { guest } from "./cli/guest.ts";
import { serve } from "./cli/serve.ts";
import { parseServeArgs, VERSION } from "./cli/serve_args.ts";
import { checkProfile } from "./cli/check_profile.ts";
import { checkConfig } from "./cli/check_config.ts";
import { SERVE_HELP } from "./cli/serve_help.ts";
import { ExitCode, UsageError } from "./cli/usage_error.ts";

/** Top-level help. */
export const MAIN_HELP = `Usage: bmc-emu <command> [options]

BMC firmware emulated for QEMU guests (ipmi-bmc-extern), with fault injection.

Commands:
  serve     run emulated BMCs (see: bmc-emu serve --help)
  ctl       drive a running bmc-emu over its HTTP API (see: bmc-emu ctl --help)
  guest     boot a Linux guest in QEMU attached to a BMC (see: bmc-emu guest --help)

  help      show this help
  version   print the version (also: --version, <command> --version)

Run through Deno: deno run -A src/main.ts <command>, or deno task start.`;

const encoder = new TextEncoder();

function writeLine(stream: { writeSync(p: Uint8Array): number }, line: string): void {
  const bytes = encoder.encode(line + "\n");
  let offset = 0;
  while (offset < bytes.length) offset += stream.writeSync(bytes.subarray(offset));
}

/** Print a line on standard output. */
function out(line: string): void {
  writeLine(Deno.stdout, line);
}

/** Print a line on standard error. */
function err(line: string): void {
  writeLine(Deno.stderr, line);
}

function stopSignal(): AbortSignal {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  return controller.signal;
}

/**
 * Run the command line.
 *
 * @param argv Arguments.
 * @returns Exit code.
 */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "--version" || command === "version" || rest[0] === "--version") {
    out(`bmc-emu ${VERSION}`);
    return ExitCode.Ok;
  }
  try {
    switch (command) {
      case "serve": {
        const options = parseServeArgs(rest, (name) => Deno.env.get(name));
        if (options === "help") {
          out(SERVE_HELP);
          return ExitCode.Ok;
        }
        if ("checkProfile" in options) return await checkProfile(options.checkProfile, out);
        if ("checkConfig" in options) return await checkConfig(options.checkConfig, out);
        return await serve(options, { stdout: out, stderr: err, signal: stopSignal() });
      }
      case "ctl": {
        return await ctl(rest, { stdout: out, stderr: err, env: (name) => Deno.env.get(name) });
      }
      case "guest": {
        return await guest(rest, { stdout: out, stderr: err, signal: stopSignal() });
      }
      case undefined:
      case "help":
      case "-h":
      case "--help":
        out(MAIN_HELP);
        return command === undefined ? ExitCode.Usage : ExitCode.Ok;
      default:
        throw new UsageError(`Unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      err(`bmc-emu: ${error.message}`);
      err(
        `Try 'bmc-emu ${
          command === undefined || command.startsWith("-") ? "" : command + " "
        }--help'.`,
      );
      return ExitCode.Usage;
    }
    throw error;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
