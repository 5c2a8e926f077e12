/**
 * The life of one VM connection, shared by the listening and the connecting
 * side: attach a session to the BMC's link, greet, serve, detach.
 *
 * @module
 */

import type { Clock } from "../clock/clock.ts";
import type { Bmc } from "../core/bmc.ts";
import type { EventSink } from "../core/events.ts";
import type { Logger } from "../log/logger.ts";
import { describeAddr } from "./endpoint.ts";
import type { VmLink } from "./vm_link.ts";
import { VmSession } from "./vm_session.ts";

/** A BMC together with the edges its VM connections use. */
export interface VmAttachment {
  /** The BMC. */
  readonly bmc: Bmc;
  /** Its link (one per BMC). */
  readonly link: VmLink<VmSession>;
  /** Time source. */
  readonly clock: Clock;
  /** Event publication. */
  readonly events: EventSink;
  /** Logger. */
  readonly log: Logger;
}

/**
 * Serve one accepted or established connection until it ends.
 *
 * @param conn The connection (closed when this returns).
 * @param att The BMC and its edges.
 * @returns Resolves when the connection has ended.
 */
export async function serveConnection(conn: Deno.Conn, att: VmAttachment): Promise<void> {
  const peer = describeAddr(conn.remoteAddr);
  if (conn.remoteAddr.transport === "tcp") (conn as Deno.TcpConn).setNoDelay(true);
  const session = new VmSession({
    conn,
    bmc: att.bmc,
    clock: att.clock,
    events: att.events,
    log: att.log,
    peer,
  });
  att.link.attach(session);
  att.events.emit("vm.connected", { peer });
  att.bmc.vmConnected(peer);
  session.greet();
  const reason = await session.run();
  att.link.detach(session);
  att.bmc.vmDisconnected(!session.closedByUs);
  att.events.emit("vm.disconnected", { peer, reason, requests: session.stats.requests });
}
