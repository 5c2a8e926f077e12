/**
 * What `serve` prints at start-up about its BMCs: how to attach QEMU to
 * one, or each one's endpoint and KCS arguments, and the API's address.
 *
 * @module
 */

import { qemuAttachHelp, qemuIpmiArgs } from "../runtime/qemu_args.ts";
import { type Endpoint, formatEndpoint } from "../transport/endpoint.ts";

/** One BMC as the banner shows it. */
export interface BannerBmc {
  readonly id: string;
  readonly mode: "listen" | "connect";
  readonly endpoint: Endpoint;
}

/**
 * The banner's lines.
 *
 * @param bmcs The BMCs.
 * @param apiUrl The API's base URL, or `null` when it is off.
 * @returns Lines.
 */
export function bannerLines(bmcs: readonly BannerBmc[], apiUrl: string | null): string[] {
  const out: string[] = [];
  if (bmcs.length === 1) {
    const only = bmcs[0]!;
    out.push(...qemuAttachHelp(only.endpoint, only.mode === "listen" ? "client" : "server"));
  } else {
    out.push(
      `${bmcs.length} BMCs (QEMU arguments for KCS; \`ctl qemu-args --bmc ID\` for BT/SSIF):`,
    );
    for (const r of bmcs) {
      out.push(`  ${r.id.padEnd(16)} ${r.mode.padEnd(7)} ${formatEndpoint(r.endpoint)}`);
      const args = qemuIpmiArgs({
        endpoint: r.endpoint,
        qemuRole: r.mode === "listen" ? "client" : "server",
        iface: "kcs",
      });
      out.push(`    ${args.join(" ")}`);
    }
  }
  if (apiUrl !== null) {
    out.push(`Control API: ${apiUrl}/api/v1/bmcs (OpenAPI: ${apiUrl}/api/v1/openapi.json)`);
  }
  return out;
}
