/**
 * How a BMC's Redfish service is asked for: `--redfish-listen HOST:PORT` and
 * `--redfish-tls CERT,KEY` (single-BMC flags) or `bmcs[].redfish` in a config
 * file, and the rule that only loopback may be served with default users.
 *
 * @module
 */

import { isLoopbackHost, lanSecurityProblem } from "../lan/lan_config.ts";
import type { UserSpec } from "../lan/users.ts";
import type { BmcConfigEntry } from "../runtime/config_file.ts";
import { parseAddress } from "../transport/endpoint.ts";
import type { RedfishListen } from "./server.ts";

/**
 * Parse the Redfish address and optional TLS files.
 *
 * @param listen `HOST:PORT`.
 * @param tls `CERT,KEY` file paths, `self-signed`, or `undefined` for plain HTTP.
 * @param where Option or field name for errors.
 * @returns Where and how to serve.
 * @throws {RangeError} If malformed.
 */
export function parseRedfishListen(
  listen: string,
  tls: string | { readonly cert: string; readonly key: string } | undefined,
  where: string,
): RedfishListen {
  const hostPort = parseAddress(listen);
  if (hostPort === null) {
    throw new RangeError(`${where} must be HOST:PORT, got "${listen}"`);
  }
  if (tls === undefined) return { ...hostPort, tls: null };
  if (tls === "self-signed") return { ...hostPort, tls };
  if (typeof tls !== "string") {
    return { ...hostPort, tls: { certFile: tls.cert, keyFile: tls.key } };
  }
  const [certFile, keyFile, ...rest] = tls.split(",");
  if (!certFile || !keyFile || rest.length > 0) {
    throw new RangeError(
      `Option --redfish-tls must be CERT,KEY (two PEM files) or self-signed, got "${tls}"`,
    );
  }
  return { ...hostPort, tls: { certFile, keyFile } };
}

/**
 * The service a BMC's configured `redfish` asks for (its `listen` already
 * checked by the schema).
 *
 * @param redfish `bmcs[].redfish`.
 * @returns Where and how to serve, with the Redfish fault rules.
 */
export function redfishListenOf(redfish: NonNullable<BmcConfigEntry["redfish"]>): RedfishListen {
  const listen = parseRedfishListen(redfish.listen, redfish.tls, "redfish.listen");
  return redfish.faults === undefined ? listen : { ...listen, faults: redfish.faults };
}

/**
 * Why a Redfish service may not be served as asked, or `null`: off loopback
 * the BMC needs configured users with passwords of their own (the rule of
 * IPMI over LAN, whose users these are).
 *
 * @param listen Where.
 * @param users The configured users (`null`: none, the defaults apply).
 * @returns The refusal, or `null`.
 */
export function redfishRefusal(
  listen: RedfishListen,
  users: readonly UserSpec[] | null,
): string | null {
  if (isLoopbackHost(listen.hostname) || lanSecurityProblem(listen.hostname, users) === null) {
    return null;
  }
  return `Refusing to serve Redfish on ${listen.hostname}: off loopback the BMC needs users (bmcs[].users or --lan-user) with passwords other than the defaults and well-known ones`;
}
