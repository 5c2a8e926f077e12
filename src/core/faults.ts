/**
 * Fault rules: match + action + limits, consulted before dispatch. A rule
 * that fires decides what the host sees for that request; every firing is
 * published. Rules are plain data, visible in state.
 *
 * @module
 */

import type { Clock } from "../clock/clock.ts";
import type { IpmiRequest } from "../codec/ipmi_types.ts";
import { commandName, hexBytes } from "../codec/names.ts";
import { Prng } from "../util/prng.ts";
import type { EventSink } from "./events.ts";

/** The interfaces a request can arrive on: the host's (KCS/BT/SSIF) and IPMI over LAN. */
export const REQUEST_CHANNELS = ["system", "lan"] as const;

/** The interface a request arrived on: the host's system interface or IPMI over LAN. */
export type RequestChannel = typeof REQUEST_CHANNELS[number];

/** Which requests a rule applies to (absent fields match anything). */
export interface FaultMatch {
  /** Interface the request arrived on. */
  readonly channel?: RequestChannel;
  /** Request network function. */
  readonly netfn?: number;
  /** Command. */
  readonly cmd?: number;
  /** Request data must start with these bytes. */
  readonly dataPrefix?: Uint8Array;
}

/** What a dropped request with seq A0/A1/AA does (see `drop`). */
export const UNSAFE_SEQ_POLICIES = ["hang", "answer-c3"] as const;

/** What a dropped request with seq A0/A1/AA does. */
export type UnsafeSeqPolicy = typeof UNSAFE_SEQ_POLICIES[number];

/** How a reply is damaged on the wire. */
export const CORRUPT_KINDS = ["checksum", "netfn", "cmd", "truncate"] as const;

/** How a reply is damaged on the wire. */
export type CorruptKind = typeof CORRUPT_KINDS[number];

/** What a firing rule does. */
export type FaultAction =
  /** Answer this completion code; the handler does not run. */
  | { readonly type: "error"; readonly cc: number }
  /** Run the handler now, answer after `ms`. */
  | { readonly type: "delay"; readonly ms: number }
  /**
   * Never answer: QEMU answers the guest 0xC3 after 4 s — except for seq
   * A0/A1/AA, whose synthesised reply QEMU garbles, so the guest's
   * transaction hangs (`unsafeSeq: "hang"`, faithful). With `"answer-c3"`
   * the BMC answers 0xC3 itself just before QEMU's 4 s for those seqs.
   */
  | { readonly type: "drop"; readonly unsafeSeq: UnsafeSeqPolicy }
  /** Run the handler, damage the reply on the wire. */
  | { readonly type: "corrupt"; readonly how: CorruptKind }
  /** Run the handler, send the reply twice (`gapMs` apart). */
  | { readonly type: "duplicate"; readonly gapMs: number };

/** When a rule may fire. */
export interface FaultLimits {
  /** Matches to let through before the first firing. */
  readonly skip: number;
  /** Firings allowed (`null`: unlimited). */
  readonly count: number | null;
  /** Probability of firing on an eligible match (seeded). */
  readonly probability: number;
  /** Seed of the rule's generator. */
  readonly seed: number;
  /** Wall-clock end (epoch ms), or `null`. */
  readonly untilWallMs: number | null;
  /** Lifetime from creation, ms, or `null`. */
  readonly durationMs: number | null;
}

/** A rule as added. */
export interface FaultRuleSpec {
  /** What it matches. */
  readonly match: FaultMatch;
  /** What it does. */
  readonly action: FaultAction;
  /** When it may fire. */
  readonly limits: FaultLimits;
  /** Optional label. */
  readonly name?: string;
}

/** A rule as it lives in the engine. */
export interface FaultRule extends FaultRuleSpec {
  /** Id (`f1`, `f2`, …). */
  readonly id: string;
  /** Creation time (epoch ms). */
  readonly createdWallMs: number;
  /** Monotonic deadline, or `null`. */
  readonly expiresAt: number | null;
  /** Requests it matched. */
  matched: number;
  /** Times it fired. */
  fired: number;
}

/** A rule that fired for a request. */
export interface FaultHit {
  /** The rule. */
  readonly rule: FaultRule;
  /** Its action. */
  readonly action: FaultAction;
}

function prefixMatches(data: Uint8Array, prefix: Uint8Array | undefined): boolean {
  if (prefix === undefined) return true;
  if (data.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (data[i] !== prefix[i]) return false;
  return true;
}

/**
 * Whether `match` selects `req`.
 *
 * @param match Match.
 * @param req Request.
 * @param channel Interface it arrived on.
 * @returns `true` if it applies.
 */
export function faultMatches(
  match: FaultMatch,
  req: IpmiRequest,
  channel: RequestChannel = "system",
): boolean {
  return (match.channel === undefined || match.channel === channel) &&
    (match.netfn === undefined || match.netfn === req.netfn) &&
    (match.cmd === undefined || match.cmd === req.cmd) &&
    prefixMatches(req.data, match.dataPrefix);
}

/** The fault rules of one BMC. */
export class FaultEngine {
  readonly #clock: Clock;
  readonly #events: EventSink;
  readonly #rules: FaultRule[] = [];
  readonly #prngs = new Map<string, Prng>();
  #nextId = 1;

  /**
   * Create an empty engine.
   *
   * @param clock Time source (expiry).
   * @param events Where additions, removals and firings are published.
   */
  constructor(clock: Clock, events: EventSink) {
    this.#clock = clock;
    this.#events = events;
  }

  /** Active rules in creation order. */
  list(): readonly FaultRule[] {
    this.#expire();
    return this.#rules;
  }

  /** Whether any rule is active (fast path). */
  get empty(): boolean {
    return this.#rules.length === 0;
  }

  /**
   * Add a rule.
   *
   * @param spec Rule.
   * @returns The rule with its id.
   */
  add(spec: FaultRuleSpec): FaultRule {
    const now = this.#clock.now();
    const wall = this.#clock.wallMs();
    const deadlines: number[] = [];
    if (spec.limits.durationMs !== null) deadlines.push(now + spec.limits.durationMs);
    if (spec.limits.untilWallMs !== null) deadlines.push(now + (spec.limits.untilWallMs - wall));
    const rule: FaultRule = {
      ...spec,
      id: `f${this.#nextId++}`,
      createdWallMs: wall,
      expiresAt: deadlines.length ? Math.min(...deadlines) : null,
      matched: 0,
      fired: 0,
    };
    this.#rules.push(rule);
    this.#prngs.set(rule.id, new Prng(spec.limits.seed));
    this.#events.emit("fault.added", { rule: describeRule(rule, this.#clock) });
    return rule;
  }

  /**
   * Remove a rule.
   *
   * @param id Rule id.
   * @param reason Why, for the event.
   * @returns Whether it existed.
   */
  remove(id: string, reason = "removed"): boolean {
    const index = this.#rules.findIndex((r) => r.id === id);
    if (index < 0) return false;
    const [rule] = this.#rules.splice(index, 1);
    this.#prngs.delete(id);
    this.#events.emit("fault.removed", {
      ruleId: id,
      reason,
      matched: rule!.matched,
      fired: rule!.fired,
    });
    return true;
  }

  /**
   * Remove every rule.
   *
   * @returns How many were removed.
   */
  clear(): number {
    const ids = this.#rules.map((r) => r.id);
    for (const id of ids) this.remove(id, "cleared");
    return ids.length;
  }

  /**
   * The rule that fires for `req`, if any: rules are tried in creation
   * order; each matching rule counts the match, and the first one whose
   * limits allow it fires.
   *
   * @param req Request.
   * @param channel Interface it arrived on.
   * @returns The hit, or `null`.
   */
  check(req: IpmiRequest, channel: RequestChannel = "system"): FaultHit | null {
    if (this.#rules.length === 0) return null;
    this.#expire();
    for (const rule of this.#rules) {
      if (!faultMatches(rule.match, req, channel)) continue;
      rule.matched++;
      if (rule.matched <= rule.limits.skip) continue;
      if (
        rule.limits.probability < 1 && this.#prngs.get(rule.id)!.next() >= rule.limits.probability
      ) continue;
      rule.fired++;
      this.#events.emit("fault.fired", {
        ruleId: rule.id,
        ...(rule.name === undefined ? {} : { name: rule.name }),
        action: rule.action.type,
        command: commandName(req.netfn, req.cmd),
        data: hexBytes(req.data),
        channel,
        fired: rule.fired,
      });
      if (rule.limits.count !== null && rule.fired >= rule.limits.count) {
        this.remove(rule.id, "count reached");
      }
      return { rule, action: rule.action };
    }
    return null;
  }

  #expire(): void {
    const now = this.#clock.now();
    for (const rule of [...this.#rules]) {
      if (rule.expiresAt !== null && now >= rule.expiresAt) this.remove(rule.id, "expired");
    }
  }
}

/** A rule as the API, the state and `fault.added` show it. */
export type FaultRuleDescription = {
  /** Rule id (`f1`). */
  readonly id: string;
  /** Label, if given. */
  readonly name?: string;
  /** What it matches (`command` as `netfn/command`, `dataPrefix` hex), or `"any"`. */
  readonly match: Readonly<Record<string, string | number>> | "any";
  /** What it does. */
  readonly action: FaultAction;
  /** When it may fire (`until` ISO 8601, `durationMs` ms). */
  readonly limits: {
    readonly skip: number;
    readonly count: number | null;
    readonly probability: number;
    readonly seed: number;
    readonly until?: string;
    readonly durationMs?: number;
  };
  /** Firings so far. */
  readonly hits: number;
  /** Matches so far. */
  readonly matched: number;
  /** ISO 8601. */
  readonly createdAt: string;
  /** ISO 8601, or `null`. */
  readonly expiresAt: string | null;
};

/**
 * A rule as JSON for state and events.
 *
 * @param rule Rule.
 * @param clock Clock (to show the expiry as wall time).
 * @returns Plain data.
 */
export function describeRule(rule: FaultRule, clock: Clock): FaultRuleDescription {
  const m = rule.match;
  const match: Record<string, string | number> = {};
  if (m.channel !== undefined) match.channel = m.channel;
  if (m.netfn !== undefined) match.netfn = m.netfn;
  if (m.cmd !== undefined) match.cmd = m.cmd;
  if (m.netfn !== undefined && m.cmd !== undefined) match.command = commandName(m.netfn, m.cmd);
  if (m.dataPrefix !== undefined) match.dataPrefix = hexBytes(m.dataPrefix);
  const l = rule.limits;
  return {
    id: rule.id,
    ...(rule.name === undefined ? {} : { name: rule.name }),
    match: Object.keys(match).length ? match : "any",
    action: rule.action,
    limits: {
      skip: l.skip,
      count: l.count,
      probability: l.probability,
      seed: l.seed,
      ...(l.untilWallMs === null ? {} : { until: new Date(l.untilWallMs).toISOString() }),
      ...(l.durationMs === null ? {} : { durationMs: l.durationMs }),
    },
    hits: rule.fired,
    matched: rule.matched,
    createdAt: new Date(rule.createdWallMs).toISOString(),
    expiresAt: rule.expiresAt === null
      ? null
      : new Date(clock.wallMs() + (rule.expiresAt - clock.now())).toISOString(),
  };
}
