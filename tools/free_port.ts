/**
 * A loopback TCP port nobody listens on right now (for peers that must be
 * given a port, such as ipmi_sim or a QEMU that listens).
 *
 * @module
 */

/** @returns A free loopback TCP port. */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}
