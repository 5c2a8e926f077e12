/**
 * What `serve` will run: its BMCs' configurations (the single-BMC flags'
 * one, or a config file's), the state directory and the API address, with
 * the command line's overrides and the defaults applied.
 *
 * @module
 */

import {
  type BmcConfigEntry,
  DEFAULT_STATE_DIR,
  loadConfig,
  parseApiAddress,
} from "./config_file.ts";

/** Default API address. */
export const DEFAULT_API_LISTEN = "127.0.0.1:8623";

/** The API's URL at its default address (what `ctl` and `guest --bmc` talk to by default). */
export const DEFAULT_API_URL = `http://${DEFAULT_API_LISTEN}`;

/** An API address (`hostname`, `port`). */
export interface ApiAddress {
  readonly hostname: string;
  readonly port: number;
}

/** What the command line asks for, as far as planning goes. */
export interface PlanRequest {
  /** One BMC from flags, or a config file to read. */
  readonly source: { readonly kind: "flags"; readonly bmc: BmcConfigEntry } | {
    readonly kind: "config";
    readonly file: string;
  };
  /** State directory (`null`: memory; `undefined`: the config's or the default). */
  readonly stateDir: string | null | undefined;
  /** API address (`null`: off; `undefined`: the config's or the default). */
  readonly api: ApiAddress | null | undefined;
  /** API token from the flag or environment. */
  readonly apiToken: string | null;
}

/** The BMCs and API that `serve` will run. */
export interface ServePlan {
  /** The BMCs, in order. */
  readonly bmcs: readonly BmcConfigEntry[];
  /** Where state files go (`null`: memory). */
  readonly stateDir: string | null;
  /** API address, or `null` for none. */
  readonly api: ApiAddress | null;
  /** API token, or `null` for none. */
  readonly apiToken: string | null;
}

/**
 * Plan `serve`: read the config file if one is named, apply the overrides.
 *
 * @param request The command line's source and overrides.
 * @returns The plan.
 * @throws {ConfigError} If the config file is unreadable or invalid.
 */
export async function planServe(request: PlanRequest): Promise<ServePlan> {
  const defaultApi = parseApiAddress(DEFAULT_API_LISTEN)!;
  if (request.source.kind === "flags") {
    return {
      bmcs: [request.source.bmc],
      stateDir: request.stateDir === undefined ? DEFAULT_STATE_DIR : request.stateDir,
      api: request.api === undefined ? defaultApi : request.api,
      apiToken: request.apiToken,
    };
  }
  const config = await loadConfig(request.source.file);
  // The schema checked api.listen: it is an address, or off (null).
  const fromFile = config.api?.listen === undefined
    ? defaultApi
    : parseApiAddress(config.api.listen) ?? null;
  return {
    bmcs: config.bmcs,
    stateDir: request.stateDir === undefined ? config.stateDir : request.stateDir,
    api: request.api === undefined ? fromFile : request.api,
    apiToken: request.apiToken ?? config.api?.token ?? null,
  };
}
