/**
 * Listening on an endpoint (the VM and console listeners): on a UNIX socket
 * path that a previous run may have left behind, a socket file nobody
 * answers on is removed and the path bound again; one that answers is in use.
 *
 * @module
 */

import type { Endpoint } from "./endpoint.ts";

async function isStaleSocket(path: string): Promise<boolean> {
  try {
    const info = await Deno.lstat(path);
    if (!info.isSocket) return false;
  } catch {
    return false;
  }
  try {
    const probe = await Deno.connect({ transport: "unix", path });
    probe.close();
    return false;
  } catch {
    return true;
  }
}

/**
 * Listen on a TCP address or a UNIX socket path (taking over a stale socket file).
 *
 * @param endpoint Where.
 * @returns The listener.
 * @throws {Deno.errors.AddrInUse} When the address is in use (or what binding threw).
 */
export async function listenEndpoint(endpoint: Endpoint): Promise<Deno.Listener> {
  if (endpoint.transport === "tcp") {
    return Deno.listen({ transport: "tcp", hostname: endpoint.hostname, port: endpoint.port });
  }
  const path = endpoint.path;
  try {
    return Deno.listen({ transport: "unix", path });
  } catch (error) {
    if (!(error instanceof Deno.errors.AddrInUse) || !(await isStaleSocket(path))) throw error;
    await Deno.remove(path);
    return Deno.listen({ transport: "unix", path });
  }
}
