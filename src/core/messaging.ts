/**
 * The system-interface messaging state (IPMI v2.0 22.1–22.4): BMC Global
 * Enables, message flags, the event message buffer and the receive message
 * queue, and the attention/interrupt state they imply for QEMU.
 *
 * @module
 */

import { DEFAULT_GLOBAL_ENABLES, GlobalEnable, MessageFlag } from "../codec/constants.ts";
import type { EventSink } from "./events.ts";
import { stickyEvent, type StickyMessage, stickyMessage } from "./sticky_payload.ts";
import type { Attention, HostLink } from "./ports.ts";

/** Flags served by the receive-message-queue interrupt (bit 0 of enables). */
const RECEIVE_IRQ_FLAGS = MessageFlag.ReceiveMessageAvailable |
  MessageFlag.WatchdogPretimeout | MessageFlag.Oem0 | MessageFlag.Oem1 |
  MessageFlag.Oem2;

/** Bound on queued receive messages (a real BMC's queue is small). */
export const RECEIVE_QUEUE_LIMIT = 16;

/** Sticky flag modes used to reproduce flag-loop starvation (hangs). */
export type StickyFlags = "event-buffer" | "receive-queue";

/** Snapshot of the messaging state, for the API. */
export interface MessagingSnapshot {
  /** Global enables byte. */
  readonly globalEnables: number;
  /** Message flags byte. */
  readonly messageFlags: number;
  /** Attention state announced to QEMU. */
  readonly attention: Attention;
  /** Interface interrupt enable announced to QEMU. */
  readonly irqEnabled: boolean;
  /** Whether the event message buffer holds an event. */
  readonly eventBufferFull: boolean;
  /** Messages waiting in the receive queue. */
  readonly receiveQueue: number;
  /** Active sticky mode, if any. */
  readonly sticky: StickyFlags | null;
}

/** Messaging state of one BMC; keeps QEMU's ATN and IRQ lines in step. */
export class Messaging {
  readonly #link: HostLink;
  readonly #events: EventSink;
  #enables: number = DEFAULT_GLOBAL_ENABLES;
  #pretimeout = false;
  #eventBuffer: Uint8Array | null = null;
  readonly #receiveQueue: Uint8Array[] = [];
  #sticky: StickyFlags | null = null;
  #stickyCounter = 0;
  #stickyMessage: StickyMessage = "response";
  #announced: Attention = "none";
  #announcedIrq = false;

  /**
   * Create the messaging state.
   *
   * @param link Where attention and interrupt changes are announced.
   * @param events Where changes are published.
   */
  constructor(link: HostLink, events: EventSink) {
    this.#link = link;
    this.#events = events;
  }

  /** The BMC Global Enables byte. */
  get globalEnables(): number {
    return this.#enables;
  }

  /**
   * Set the BMC Global Enables; disabling the event buffer empties it.
   *
   * @param value New enables byte.
   */
  setGlobalEnables(value: number): void {
    this.#enables = value & 0xff;
    if (!(this.#enables & GlobalEnable.EventMessageBuffer)) {
      this.#eventBuffer = null;
    }
    this.#sync();
  }

  /** Whether System Event Logging (enables bit 3) is on. */
  get eventLoggingEnabled(): boolean {
    return (this.#enables & GlobalEnable.SystemEventLogging) !== 0;
  }

  /** The message flags byte (Get Message Flags). */
  flags(): number {
    let flags = 0;
    if (this.#receiveQueue.length > 0) flags |= MessageFlag.ReceiveMessageAvailable;
    if (this.#eventBuffer !== null) flags |= MessageFlag.EventMessageBufferFull;
    if (this.#pretimeout) flags |= MessageFlag.WatchdogPretimeout;
    if (this.#sticky === "event-buffer") flags |= MessageFlag.EventMessageBufferFull;
    if (this.#sticky === "receive-queue") flags |= MessageFlag.ReceiveMessageAvailable;
    return flags;
  }

  /**
   * Clear message flags (Clear Message Flags): bit 0 flushes the receive
   * queue, bit 1 the event buffer, bit 3 the pre-timeout flag. Sticky modes
   * ignore clears of their flag.
   *
   * @param mask Bits to clear.
   */
  clearFlags(mask: number): void {
    if (mask & MessageFlag.ReceiveMessageAvailable) this.#receiveQueue.length = 0;
    if (mask & MessageFlag.EventMessageBufferFull) this.#eventBuffer = null;
    if (mask & MessageFlag.WatchdogPretimeout) this.#pretimeout = false;
    this.#sync();
  }

  /** Raise the watchdog pre-timeout flag (bit 3). */
  raisePretimeout(): void {
    this.#pretimeout = true;
    this.#sync();
  }

  /** Drop the watchdog pre-timeout flag (Set Watchdog Timer, resets). */
  clearPretimeout(): void {
    if (!this.#pretimeout) return;
    this.#pretimeout = false;
    this.#sync();
  }

  /**
   * Offer a 16-byte event to the event message buffer (enables bit 2).
   *
   * @param event SEL-format event bytes.
   * @returns `true` if buffered; `false` if disabled or already full.
   */
  offerEvent(event: Uint8Array): boolean {
    if (!(this.#enables & GlobalEnable.EventMessageBuffer)) return false;
    if (this.#eventBuffer !== null) {
      this.#events.emit("event-buffer.full", {});
      return false;
    }
    this.#eventBuffer = event;
    this.#sync();
    return true;
  }

  /**
   * Take the buffered event (Read Event Message Buffer).
   *
   * @returns The 16-byte event, or `null` when empty.
   */
  readEvent(): Uint8Array | null {
    if (this.#sticky === "event-buffer") return stickyEvent(++this.#stickyCounter);
    const event = this.#eventBuffer;
    if (event === null) return null;
    this.#eventBuffer = null;
    this.#sync();
    return event;
  }

  /**
   * Queue a message for Get Message (bounded).
   *
   * @param message Get Message response data.
   * @returns `false` when the queue is full.
   */
  queueMessage(message: Uint8Array): boolean {
    if (this.#receiveQueue.length >= RECEIVE_QUEUE_LIMIT) return false;
    this.#receiveQueue.push(message);
    this.#sync();
    return true;
  }

  /**
   * Take the oldest queued message (Get Message).
   *
   * @returns The message, or `null` when empty.
   */
  takeMessage(): Uint8Array | null {
    if (this.#sticky === "receive-queue") {
      return stickyMessage(++this.#stickyCounter, this.#stickyMessage);
    }
    const message = this.#receiveQueue.shift() ?? null;
    if (message !== null) this.#sync();
    return message;
  }

  /** Fetches answered since the sticky mode began. */
  get stickyFetches(): number {
    return this.#stickyCounter;
  }

  /**
   * Start or end a sticky mode: the flag stays set and every fetch succeeds
   * with changing data, so an unbounded host flag loop never ends.
   *
   * @param mode Mode, or `null` to release.
   * @param message What a sticky receive queue delivers.
   */
  setSticky(mode: StickyFlags | null, message: StickyMessage = "response"): void {
    this.#sticky = mode;
    this.#stickyMessage = message;
    this.#stickyCounter = 0;
    if (mode === null) {
      this.#eventBuffer = null;
      this.#receiveQueue.length = 0;
    }
    this.#sync();
  }

  /** Restore power-on defaults (BMC reset): enables, flags, buffers. */
  resetToDefaults(): void {
    this.#enables = DEFAULT_GLOBAL_ENABLES;
    this.#pretimeout = false;
    this.#eventBuffer = null;
    this.#receiveQueue.length = 0;
    this.#sticky = null;
    this.#sync();
  }

  /** The attention state implied by flags and enables. */
  attention(): Attention {
    const flags = this.flags();
    if (flags === 0) return "none";
    const irq = ((flags & RECEIVE_IRQ_FLAGS) !== 0 &&
      (this.#enables & GlobalEnable.ReceiveMessageQueueInterrupt) !== 0) ||
      ((flags & MessageFlag.EventMessageBufferFull) !== 0 &&
        (this.#enables & GlobalEnable.EventMessageBufferFullInterrupt) !== 0);
    return irq ? "attn-irq" : "attn";
  }

  /** Whether the interface interrupt is enabled (enables bit 0 or 1). */
  irqEnabled(): boolean {
    return (this.#enables &
      (GlobalEnable.ReceiveMessageQueueInterrupt |
        GlobalEnable.EventMessageBufferFullInterrupt)) !== 0;
  }

  /** State for the API. */
  snapshot(): MessagingSnapshot {
    return {
      globalEnables: this.#enables,
      messageFlags: this.flags(),
      attention: this.attention(),
      irqEnabled: this.irqEnabled(),
      eventBufferFull: this.#eventBuffer !== null,
      receiveQueue: this.#receiveQueue.length,
      sticky: this.#sticky,
    };
  }

  #sync(): void {
    const irq = this.irqEnabled();
    if (irq !== this.#announcedIrq) {
      this.#announcedIrq = irq;
      this.#link.setIrqEnabled(irq);
    }
    const attention = this.attention();
    if (attention !== this.#announced) {
      this.#announced = attention;
      this.#link.setAttention(attention);
    }
  }
}
