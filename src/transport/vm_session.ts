/**
 * One VM protocol connection: decode frames, hand requests to the BMC,
 * answer each outstanding request exactly once with its seq, carry control
 * commands both ways, and apply the wire-level side of faults.
 *
 * @module
 */

import type { CancelTimer, Clock } from "../clock/clock.ts";
import {
  CompletionCode,
  VM_PROTOCOL_VERSION,
  VmCapability,
  VmChar,
  VmCmd,
} from "../codec/constants.ts";
import type { IpmiResponse } from "../codec/ipmi_types.ts";
import { commandName, completionCodeName, hexBytes, vmCommandName } from "../codec/names.ts";
import { decodeVmControl, encodeVmControl, VM_VERSION_FRAME } from "../codec/vm_control.ts";
import { type VmDropReason, VmFrameDecoder, type VmFrameEvent } from "../codec/vm_frame.ts";
import { decodeVmRequest, encodeVmResponse } from "../codec/vm_message.ts";
import type { Bmc, WireFault } from "../core/bmc.ts";
import { fail } from "../core/command.ts";
import { responseTo } from "../core/dispatcher.ts";
import type { EventSink, IpmiResponseEvent } from "../core/events.ts";
import type { Logger } from "../log/logger.ts";
import { RateLimit } from "../log/rate_limit.ts";
import { FrameWriter } from "./frame_writer.ts";
import { attentionOp, irqOp, type LinkSession } from "./vm_link.ts";
import { encodeCorruptResponse } from "./wire_faults.ts";
import { errorMessage } from "../util/error_message.ts";

/**
 * Seqs whose timeout reply QEMU builds from escaped bytes and so garbles
 * (`vm-protocol.md` §1.6): silence leaves the guest's transaction hanging.
 */
const QEMU_LOST_TIMEOUT_SEQS: ReadonlySet<number> = new Set([
  VmChar.Message,
  VmChar.Command,
  VmChar.Escape,
]);
/** When the BMC answers 0xC3 itself for those seqs: just before QEMU's 4 s. */
const LOST_TIMEOUT_REPLY_MS = 3900;

/** Minimum time between two warnings about dropped frames. */
const DROP_WARN_INTERVAL_MS = 10_000;

/** A request the session has not answered yet. */
interface Outstanding {
  readonly seq: number;
  readonly command: string;
  /** When the request arrived (the clock's `now()`), for the reply's `latencyMs`. */
  readonly receivedAt: number;
  /** Control commands to send after this request's response (allocated when needed). */
  after: number[] | null;
}

/** Counters of one session, for state and metrics. */
export interface SessionStats {
  /** Requests received. */
  requests: number;
  /** Responses sent. */
  responses: number;
  /** Replies not sent because their request was no longer outstanding. */
  suppressed: number;
  /** Dropped frames by reason. */
  dropped: Partial<Record<VmDropReason, number>>;
  /** Seq of the last request (QEMU's interface counter), or `null`. */
  lastSeq: number | null;
}

/** What a session uses of its connection (a socket, or an in-memory pipe in tests). */
export type VmConn = Pick<Deno.Conn, "read" | "write" | "close">;

/** Everything a session needs. */
export interface VmSessionDeps {
  /** The connection. */
  readonly conn: VmConn;
  /** The BMC it serves. */
  readonly bmc: Bmc;
  /** Time source (delays). */
  readonly clock: Clock;
  /** Event publication. */
  readonly events: EventSink;
  /** Logger. */
  readonly log: Logger;
  /** Peer description. */
  readonly peer: string;
}

const CAPABILITY_NAMES: [number, string][] = Object.entries(VmCapability).map((
  [name, bit],
) => [bit, name.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase()]);

/**
 * Names of the capability bits in a mask.
 *
 * @param caps Capability byte.
 * @returns Names such as `power`, `nmi`.
 */
export function capabilityNames(caps: number): string[] {
  return CAPABILITY_NAMES.filter(([bit]) => (caps & bit) !== 0).map(([, name]) => name);
}

/** The `ipmi.response` event of a reply sent with `seq`. */
function responseEvent(
  seq: number,
  command: string,
  response: IpmiResponse,
  latencyMs: number,
  how: Partial<Pick<IpmiResponseEvent, "delayMs" | "wire" | "heldSeq">>,
): IpmiResponseEvent {
  const event: { -readonly [K in keyof IpmiResponseEvent]: IpmiResponseEvent[K] } = {
    seq,
    command,
    cc: response.cc,
    ccName: completionCodeName(response.cc),
    data: hexBytes(response.data),
    delayMs: how.delayMs ?? 0,
    latencyMs: Math.round(latencyMs * 1000) / 1000,
  };
  if (how.wire !== undefined) event.wire = how.wire;
  if (how.heldSeq !== undefined) event.heldSeq = how.heldSeq;
  return event;
}

/** One VM protocol connection to QEMU. */
export class VmSession implements LinkSession {
  /** Peer description. */
  readonly peer: string;
  /** Wall time of the connect (epoch ms). */
  readonly connectedAt: number;
  /** Counters. */
  readonly stats: SessionStats = {
    requests: 0,
    responses: 0,
    suppressed: 0,
    dropped: {},
    lastSeq: null,
  };
  readonly #conn: VmConn;
  readonly #bmc: Bmc;
  readonly #clock: Clock;
  readonly #events: EventSink;
  readonly #log: Logger;
  readonly #decoder = new VmFrameDecoder();
  readonly #writer: FrameWriter;
  readonly #timers = new Set<CancelTimer>();
  #capabilities: number | null = null;
  #peerVersion: number | null = null;
  #current: Outstanding | null = null;
  #held:
    | Pick<Outstanding, "seq" | "command" | "receivedAt"> & { readonly response: IpmiResponse }
    | null = null;
  #dispatching: Outstanding | null = null;
  #closed = false;
  #closeReason = "peer closed the connection";
  #closedByUs = false;
  readonly #dropWarn: RateLimit;

  /**
   * Wrap a connection.
   *
   * @param deps Connection, BMC and edges.
   */
  constructor(deps: VmSessionDeps) {
    this.#conn = deps.conn;
    this.#bmc = deps.bmc;
    this.#clock = deps.clock;
    this.#events = deps.events;
    this.#log = deps.log;
    this.peer = deps.peer;
    this.connectedAt = deps.clock.wallMs();
    this.#dropWarn = new RateLimit(deps.clock, DROP_WARN_INTERVAL_MS);
    this.#writer = new FrameWriter(
      (bytes) => this.#conn.write(bytes),
      (error) => this.close(`write failed: ${errorMessage(error)}`),
    );
  }

  /** QEMU's capability byte, `null` until received. */
  get capabilities(): number | null {
    return this.#capabilities;
  }

  /** QEMU's protocol version, `null` until received. */
  /** Whether the session ended because we closed it. */
  get closedByUs(): boolean {
    return this.#closedByUs;
  }

  /** Send the version, attention state and interrupt-enable state. */
  greet(): void {
    const messaging = this.#bmc.messaging;
    this.#writer.cork();
    this.#writer.write(VM_VERSION_FRAME);
    this.#writer.write(encodeVmControl(attentionOp(messaging.attention())));
    this.#writer.write(
      encodeVmControl(irqOp(messaging.irqEnabled())),
    );
    this.#writer.uncork();
  }

  /**
   * Read and serve until the connection ends.
   *
   * @returns Why it ended.
   */
  async run(): Promise<string> {
    const buf = new Uint8Array(16 * 1024);
    while (!this.#closed) {
      let n: number | null;
      try {
        n = await this.#conn.read(buf);
      } catch (error) {
        if (!this.#closed) {
          this.#closeReason = `read failed: ${errorMessage(error)}`;
        }
        break;
      }
      if (n === null) break;
      // Everything this read brings is answered in one write: each reply
      // together with the control frames that belong to it.
      this.#writer.cork();
      try {
        for (const event of this.#decoder.push(buf.subarray(0, n))) {
          if (this.#closed) break;
          this.#onFrame(event);
        }
      } finally {
        this.#writer.uncork();
      }
    }
    await this.#writer.flushed();
    this.#shutdown();
    return this.#closeReason;
  }

  /**
   * Close the connection; `run()` then returns.
   *
   * @param reason Why (logged).
   */
  close(reason: string): void {
    if (this.#closed) return;
    this.#closeReason = reason;
    this.#closedByUs = true;
    this.#shutdown();
  }

  #shutdown(): void {
    this.#closed = true;
    for (const cancel of this.#timers) cancel();
    this.#timers.clear();
    try {
      this.#conn.close();
    } catch {
      // Already closed.
    }
  }

  /**
   * Send a control command now, in order with other frames.
   *
   * @param op Operation byte.
   */
  sendControl(op: number): void {
    if (this.#closed) return;
    if (this.#log.enabled("debug")) this.#log.debug("control sent", { op: vmCommandName(op) });
    this.#writer.write(encodeVmControl(op));
  }

  /**
   * Send a control command after the response to the request being handled
   * (so a reset does not land in a rebooting guest's interface), or now if
   * no request is being handled.
   *
   * @param op Operation byte.
   */
  sendAfterResponse(op: number): void {
    const dispatching = this.#dispatching;
    if (dispatching === null) this.sendControl(op);
    else (dispatching.after ??= []).push(op);
  }

  #onFrame(event: VmFrameEvent): void {
    switch (event.kind) {
      case "message":
        this.#onRequest(event.body);
        return;
      case "control":
        this.#onControl(event.body);
        return;
      case "dropped":
        this.#onDropped(event.reason, event.frame, event.bytes);
        return;
    }
  }

  #onControl(body: Uint8Array): void {
    const { op, args } = decodeVmControl(body);
    if (op === VmCmd.Version) {
      this.#peerVersion = args[0] ?? null;
      if (this.#peerVersion !== VM_PROTOCOL_VERSION) {
        this.#log.warn("unexpected VM protocol version", { version: this.#peerVersion });
      }
      return;
    }
    if (op === VmCmd.Capabilities) {
      this.#capabilities = args[0] ?? 0;
      const names = capabilityNames(this.#capabilities);
      this.#events.emit("vm.capabilities", {
        peer: this.peer,
        raw: this.#capabilities,
        capabilities: names,
      });
      return;
    }
    if (op === VmCmd.Reset) {
      this.#log.info("QEMU reports a VM reset", { peer: this.peer });
      this.#bmc.hostReset("QEMU sent VM reset (04)");
      return;
    }
    this.#log.debug("ignored control command", { op: vmCommandName(op), args: hexBytes(args) });
  }

  #onDropped(reason: VmDropReason, frame: string, bytes: number): void {
    this.stats.dropped[reason] = (this.stats.dropped[reason] ?? 0) + 1;
    const fields = { peer: this.peer, reason, frame, bytes, total: this.stats.dropped[reason] };
    if (reason !== "empty" && this.#dropWarn.take() !== null) {
      this.#events.emit("vm.frame-dropped", fields);
    } else if (this.#log.enabled("debug")) {
      this.#log.debug("dropped frame (rate-limited: no event)", fields);
    }
  }

  #onRequest(body: Uint8Array): void {
    const { seq, request } = decodeVmRequest(body);
    this.stats.requests++;
    this.stats.lastSeq = seq;
    const command = commandName(request.netfn, request.cmd);
    if (this.#current !== null) {
      this.#log.debug("request superseded before its reply", {
        seq: this.#current.seq,
        command: this.#current.command,
      });
    }
    const outstanding: Outstanding = { seq, command, receivedAt: this.#clock.now(), after: null };
    this.#current = outstanding;
    if (this.#events.wants("ipmi.request")) {
      this.#events.emit("ipmi.request", {
        channel: "system",
        seq,
        netfn: request.netfn,
        cmd: request.cmd,
        command,
        data: hexBytes(request.data),
      });
    }
    this.#dispatching = outstanding;
    let verdict;
    try {
      verdict = this.#bmc.handle(request);
    } finally {
      this.#dispatching = null;
    }
    if (verdict.kind === "drop") {
      if (this.#log.enabled("debug")) {
        this.#log.debug("request not answered", { seq, command, reason: verdict.reason });
      }
      this.#flushAfter(outstanding);
      if (verdict.unsafeSeq === "answer-c3" && QEMU_LOST_TIMEOUT_SEQS.has(seq)) {
        const timeout = responseTo(request, fail(CompletionCode.Timeout));
        this.#later(
          () => this.#reply(outstanding, timeout, LOST_TIMEOUT_REPLY_MS, null),
          LOST_TIMEOUT_REPLY_MS,
        );
      }
      return;
    }
    if (verdict.kind === "wedge") {
      this.#wedge(outstanding, verdict.response);
      verdict.end.onEnd(this.#releaseHeld);
      return;
    }
    const { response, delayMs, wire } = verdict;
    if (delayMs > 0) {
      this.#later(() => this.#replyLater(outstanding, response, delayMs, wire), delayMs);
    } else this.#reply(outstanding, response, 0, wire);
  }

  #later(fn: () => void, ms: number): void {
    const cancel = this.#clock.setTimer(() => {
      this.#timers.delete(cancel);
      fn();
    }, ms);
    this.#timers.add(cancel);
  }

  /** A delayed reply: it and its control frames in one write, as at once. */
  #replyLater(
    outstanding: Outstanding,
    response: IpmiResponse,
    delayMs: number,
    wire: WireFault | null,
  ): void {
    this.#writer.cork();
    try {
      this.#reply(outstanding, response, delayMs, wire);
    } finally {
      this.#writer.uncork();
    }
  }

  #reply(
    outstanding: Outstanding,
    response: IpmiResponse,
    delayMs: number,
    wire: WireFault | null,
  ): void {
    if (this.#closed) return;
    if (this.#current !== outstanding) {
      this.stats.suppressed++;
      this.#events.emit("vm.reply-suppressed", {
        seq: outstanding.seq,
        command: outstanding.command,
      });
      this.#flushAfter(outstanding);
      return;
    }
    this.#current = null;
    const bytes = wire?.type === "corrupt"
      ? encodeCorruptResponse(outstanding.seq, response, wire.how)
      : encodeVmResponse(outstanding.seq, response);
    this.#writer.write(bytes);
    this.stats.responses++;
    if (wire?.type === "duplicate") {
      // Deliberately sent whatever is outstanding by then: a stray reply.
      if (wire.gapMs === 0) this.#writer.write(bytes);
      else this.#later(() => !this.#closed && this.#writer.write(bytes), wire.gapMs);
    }
    if (this.#events.wants("ipmi.response")) {
      this.#events.emit(
        "ipmi.response",
        responseEvent(
          outstanding.seq,
          outstanding.command,
          response,
          this.#clock.now() - outstanding.receivedAt,
          {
            delayMs,
            ...(wire === null
              ? {}
              : { wire: wire.type === "corrupt" ? `corrupt-${wire.how}` : "duplicate" }),
          },
        ),
      );
    }
    this.#flushAfter(outstanding);
  }

  /**
   * Cancel the request at QEMU with a well-formed reply carrying another seq:
   * QEMU clears its timer and hands it to the interface, which drops it
   * (seq mismatch) and stays busy. The real reply is held for release.
   */
  #wedge(outstanding: Outstanding, response: IpmiResponse): void {
    const wrongSeq = (outstanding.seq + 0x80) & 0xff;
    this.#current = null;
    this.#held = {
      seq: outstanding.seq,
      command: outstanding.command,
      receivedAt: outstanding.receivedAt,
      response,
    };
    this.#writer.write(encodeVmResponse(wrongSeq, response));
    this.#events.emit(
      "ipmi.response",
      responseEvent(
        wrongSeq,
        outstanding.command,
        response,
        this.#clock.now() - outstanding.receivedAt,
        {
          wire: "wedge",
          heldSeq: outstanding.seq,
        },
      ),
    );
    this.#flushAfter(outstanding);
  }

  /**
   * At the end of the wedge: send the held reply with its real seq (or `cc`
   * instead), releasing the guest's interface.
   *
   * @param cc Code to answer instead, or `null` for the real reply.
   * @returns Whether a reply was held.
   */
  readonly #releaseHeld = (cc: number | null): boolean => {
    const held = this.#held;
    if (held === null || this.#closed) return false;
    this.#held = null;
    const response = cc === null ? held.response : { ...held.response, cc, data: new Uint8Array() };
    this.#writer.write(encodeVmResponse(held.seq, response));
    this.stats.responses++;
    this.#events.emit(
      "ipmi.response",
      responseEvent(held.seq, held.command, response, this.#clock.now() - held.receivedAt, {
        wire: "released",
      }),
    );
    return true;
  };

  #flushAfter(outstanding: Outstanding): void {
    const after = outstanding.after;
    if (after === null) return;
    outstanding.after = null;
    for (const op of after) this.sendControl(op);
  }
}
