// @ts-check
/**
 * The time line of one BMC as data and as SVG, with no DOM: the watchdog's
 * countdown (a sawtooth of feeds), markers for pre-timeouts, expiries, host
 * actions, power, fault hits, SEL records, guest reports and scenario steps,
 * and shaded spans for BMC resets and hangs. The dashboard draws it live;
 * the HTML scenario report embeds the same SVG.
 *
 * @module
 */

import { escapeHtml, summariseData } from "./format.js";
import { formatLatency, median } from "./traffic.js";

/**
 * @typedef {{id?: number, time: string, bmc?: string, type: string, data?: any}} TimelineEvent
 * @typedef {{t: number, kind: string, label: string}} Marker
 * @typedef {{from: number, to: number, kind: string, label: string}} Span
 * @typedef {{t: number, p50: number, max: number, replies: number}} Latency
 * @typedef {{runs: [number, number][][], markers: Marker[], spans: Span[], maxMs: number,
 *   from: number, to: number, rate: [number, number][], latency: Latency[]}} Timeline
 */

/** Marker kinds, in lane order, with their colours and legend names. */
export const KINDS = /** @type {const} */ ({
  pretimeout: { color: "#b45309", name: "pre-timeout" },
  expired: { color: "#dc2626", name: "watchdog expired" },
  host: { color: "#7c3aed", name: "host action" },
  power: { color: "#0e7490", name: "power" },
  fault: { color: "#db2777", name: "fault hit" },
  sel: { color: "#4d7c0f", name: "SEL record" },
  vm: { color: "#64748b", name: "VM link" },
  guest: { color: "#475569", name: "guest report" },
  pass: { color: "#15803d", name: "step passed" },
  fail: { color: "#dc2626", name: "step failed" },
});

/** Span kinds: colours and legend names. */
export const SPAN_KINDS = /** @type {const} */ ({
  reset: { color: "rgba(234, 179, 8, 0.25)", name: "BMC reset" },
  hang: { color: "rgba(220, 38, 38, 0.16)", name: "hang" },
});

/**
 * The marker an event makes, if any.
 *
 * @param {TimelineEvent} e Event.
 * @returns {{kind: string, label: string} | null} Kind and label.
 */
function markerOf(e) {
  const d = e.data ?? {};
  switch (e.type) {
    case "watchdog.pretimeout":
      return { kind: "pretimeout", label: `pre-timeout (${d.pretimeoutInterrupt ?? "?"})` };
    case "watchdog.expired":
      return { kind: "expired", label: `watchdog expired: ${d.action ?? "?"}` };
    case "chassis.control":
      return { kind: "host", label: `chassis control ${d.op ?? ""}`.trim() };
    case "power.changed":
      return { kind: "power", label: `power ${summariseData(d)}` };
    case "fault.fired":
      return { kind: "fault", label: `fault ${summariseData(d)}` };
    case "sel.added":
      return { kind: "sel", label: `SEL ${summariseData(d)}` };
    case "vm.connected":
    case "vm.disconnected":
      return { kind: "vm", label: e.type };
    case "guest.report":
      return { kind: "guest", label: `guest ${summariseData(d)}` };
    case "scenario.step": {
      const failed = d.status === "failed";
      return { kind: failed ? "fail" : "pass", label: `step ${summariseData(d)}` };
    }
  }
  if (e.type.startsWith("host.") && e.type !== "host.attention" && e.type !== "host.irq") {
    return { kind: "host", label: e.type.slice(5) };
  }
  return null;
}

/**
 * The time line of events between `from` and `to` (epoch ms).
 *
 * @param {readonly TimelineEvent[]} events The BMC's events, oldest first.
 * @param {{from: number, to: number, traffic?: import("./traffic.js").Traffic}} window Time
 *   window, and the IPMI traffic per second when known.
 * @returns {Timeline} Countdown runs, markers, spans, the request rate and the reply latency.
 */
export function buildTimeline(events, window) {
  const { from, to } = window;
  /** @type {[number, number][]} */
  const rate = [];
  /** @type {Latency[]} */
  const latency = [];
  const seconds = [...(window.traffic ?? [])]
    .filter(([sec]) => sec * 1000 >= from - 1000 && sec * 1000 <= to)
    .sort((a, b) => a[0] - b[0]);
  for (const [sec, s] of seconds) {
    if (s.requests > 0) rate.push([sec * 1000, s.requests]);
    if (s.replies > 0) {
      latency.push({ t: sec * 1000, p50: median(s.sample), max: s.maxMs, replies: s.replies });
    }
  }
  /** @type {[number, number][][]} */
  const runs = [];
  /** @type {[number, number][] | null} */
  let run = null;
  /** @type {{t: number, v: number} | null} */
  let cur = null;
  let maxMs = 0;
  /** @type {Marker[]} */
  const markers = [];
  /** @type {Span[]} */
  const spans = [];
  /** @type {Record<string, {t: number, label: string}>} */
  const open = {};
  const close = (/** @type {number} */ t, /** @type {boolean} */ keep) => {
    if (cur === null) return;
    const end = Math.min(t, cur.t + cur.v);
    run ??= [];
    run.push([cur.t, cur.v], [end, Math.max(0, cur.v - (end - cur.t))]);
    if (end < t && keep) run.push([t, 0]);
    cur = null;
    if (!keep) {
      runs.push(run);
      run = null;
    }
  };
  const start = (/** @type {number} */ t, /** @type {number} */ v) => {
    cur = { t, v };
    maxMs = Math.max(maxMs, v);
  };
  for (const e of events) {
    const t = Date.parse(e.time);
    if (Number.isNaN(t) || t > to) continue;
    const d = e.data ?? {};
    if (e.type === "watchdog.set") {
      close(t, d.running === true);
      if (d.running === true) start(t, Number(d.initialCountdownMs) || 0);
    } else if (e.type === "watchdog.reset") {
      close(t, true);
      start(t, Number(d.expiresInMs ?? d.initialCountdownMs) || 0);
    } else if (e.type === "watchdog.expired" || e.type === "watchdog.stopped") {
      close(t, false);
    } else if (e.type === "bmc.reset" || e.type === "hang.started") {
      const kind = e.type === "bmc.reset" ? "reset" : "hang";
      open[kind] = { t, label: `${kind} ${summariseData(d)}` };
    } else if (e.type === "bmc.ready" || e.type === "hang.released") {
      const kind = e.type === "bmc.ready" ? "reset" : "hang";
      const o = open[kind];
      if (o !== undefined) spans.push({ from: o.t, to: t, kind, label: o.label });
      delete open[kind];
    }
    const m = markerOf(e);
    if (m !== null && t >= from) markers.push({ t, ...m });
  }
  close(to, false);
  for (const [kind, o] of Object.entries(open)) spans.push({ from: o.t, to, kind, label: o.label });
  return {
    runs,
    markers,
    spans: spans.filter((s) => s.to >= from),
    maxMs,
    from,
    to,
    rate,
    latency,
  };
}

/**
 * `HH:MM:SS` of an epoch time, UTC.
 *
 * @param {number} t Epoch ms.
 * @returns {string} Text.
 */
function clock(t) {
  return new Date(t).toISOString().slice(11, 19);
}

/** Colours of the traffic strip. */
const TRAFFIC_COLOURS = { rate: "#94a3b8", p50: "#ea580c", max: "#9a3412" };

/**
 * The traffic strip under the plot: requests per second as bars, the
 * replies' median latency per second as a short tick and their maximum as a
 * dot (its tooltip has the numbers), each on its own scale.
 *
 * @param {Timeline} tl The time line.
 * @param {{x: (t: number) => number, left: number, right: number, top: number, bottom: number}} g
 *   Where to draw.
 * @returns {string[]} SVG elements.
 */
function trafficStrip(tl, g) {
  const out = [
    `<rect x="${g.left}" y="${g.top}" width="${g.right - g.left}" height="${
      g.bottom - g.top
    }" fill="#f8fafc" stroke="#cbd5e1"/>`,
  ];
  const h = g.bottom - g.top;
  const span = Math.max(1, tl.to - tl.from);
  const w = Math.max(1, (1000 / span) * (g.right - g.left));
  const clip = (/** @type {number} */ t) => Math.min(g.right - w, Math.max(g.left, g.x(t)));
  const maxRate = Math.max(0, ...tl.rate.map(([, n]) => n));
  for (const [t, n] of tl.rate) {
    const hgt = (n / maxRate) * h;
    out.push(
      `<rect class="rate" x="${clip(t).toFixed(1)}" y="${(g.bottom - hgt).toFixed(1)}" width="${
        w.toFixed(1)
      }" height="${hgt.toFixed(1)}" fill="${TRAFFIC_COLOURS.rate}" opacity="0.6"><title>${
        escapeHtml(`${clock(t)} ${n} requests`)
      }</title></rect>`,
    );
  }
  if (maxRate > 0) {
    out.push(
      `<text x="${g.left - 4}" y="${
        g.top + 10
      }" text-anchor="end" fill="#475569">${maxRate} req/s</text>`,
    );
  }
  const maxLat = Math.max(0, ...tl.latency.map((l) => l.max));
  if (tl.latency.length > 0) {
    const ly = (/** @type {number} */ v) => g.bottom - (maxLat > 0 ? v / maxLat : 0) * (h - 3);
    const ticks = tl.latency.map((l) =>
      `M${clip(l.t).toFixed(1)},${ly(l.p50).toFixed(1)}h${Math.max(2, w).toFixed(1)}`
    ).join("");
    out.push(
      `<path class="latency-p50" d="${ticks}" stroke="${TRAFFIC_COLOURS.p50}" stroke-width="2" fill="none"/>`,
    );
    for (const l of tl.latency) {
      out.push(
        `<circle class="latency-max" cx="${(clip(l.t) + w / 2).toFixed(1)}" cy="${
          ly(l.max).toFixed(1)
        }" r="1.8" fill="${TRAFFIC_COLOURS.max}"><title>${
          escapeHtml(
            `${clock(l.t)} latency median ${formatLatency(l.p50)}, max ${
              formatLatency(l.max)
            } (${l.replies} replies)`,
          )
        }</title></circle>`,
      );
    }
    out.push(
      `<text class="latency-scale" x="${g.right - 4}" y="${
        g.top + 10
      }" text-anchor="end" fill="${TRAFFIC_COLOURS.max}">latency max ${
        escapeHtml(formatLatency(maxLat))
      }</text>`,
    );
  }
  return out;
}

/**
 * A focusable item of the chart (a marker or a span): its accessible name
 * is the event, the same text as its tooltip.
 *
 * @param {number} t Time, epoch ms.
 * @param {string} label What happened.
 * @param {string} tabindex `0` or `-1`.
 * @returns {string} Attributes.
 */
function itemAttrs(t, label, tabindex) {
  return `tabindex="${tabindex}" role="img" data-t="${t}" aria-label="${
    escapeHtml(`${clock(t)} ${label}`)
  }"`;
}

/**
 * Draw a time line as SVG (scales with its container's width). Its markers
 * and spans are focusable: with `roving`, only the newest is in the tab
 * order (the page moves focus between them with the arrow keys); without,
 * every one is.
 *
 * @param {Timeline} tl The time line.
 * @param {{width?: number, height?: number, title?: string, roving?: boolean}} [options] Size,
 *   accessible title, focus model.
 * @returns {string} An `<svg>` element.
 */
export function timelineSvg(tl, options = {}) {
  const W = options.width ?? 900;
  const base = options.height ?? 260;
  const strip = tl.rate.length > 0 || tl.latency.length > 0 ? 56 : 0;
  const H = base + strip;
  const left = 52, right = W - 10, top = 10, bottom = base - 60;
  const lanesTop = bottom + strip + 8;
  const lanes = Object.keys(KINDS);
  const laneH = 44 / lanes.length;
  const span = Math.max(1, tl.to - tl.from);
  const x = (/** @type {number} */ t) => left + ((t - tl.from) / span) * (right - left);
  const maxMs = Math.max(1000, tl.maxMs);
  const y = (/** @type {number} */ v) => bottom - (v / maxMs) * (bottom - top);
  const items = tl.spans.length + tl.markers.length;
  const newest = Math.max(
    -Infinity,
    ...tl.markers.map((m) => m.t),
    ...tl.spans.map((s) => s.from),
  );
  let first = true;
  const tabindex = (/** @type {number} */ t) => {
    if (options.roving !== true) return "0";
    if (t !== newest || !first) return "-1";
    first = false;
    return "0";
  };
  const out = [];
  const title = options.title ?? "Watchdog countdown and BMC events";
  out.push(
    `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="${
      items > 0 ? "group" : "img"
    }" aria-label="${
      escapeHtml(title)
    }" preserveAspectRatio="none" style="width:100%;height:auto;font:11px sans-serif">`,
    `<title>${escapeHtml(title)}</title>`,
    `<rect x="${left}" y="${top}" width="${right - left}" height="${
      bottom - top
    }" fill="#fff" stroke="#cbd5e1"/>`,
  );
  for (const s of tl.spans) {
    const a = Math.max(left, x(s.from)), b = Math.min(right, x(s.to));
    const color = SPAN_KINDS[/** @type {keyof typeof SPAN_KINDS} */ (s.kind)]?.color ?? "#eee";
    out.push(
      `<rect class="span span-${s.kind} tl-item" ${
        itemAttrs(s.from, `${s.label} (${((s.to - s.from) / 1000).toFixed(1)} s)`, tabindex(s.from))
      } x="${a.toFixed(1)}" y="${top}" width="${Math.max(1, b - a).toFixed(1)}" height="${
        bottom - top
      }" fill="${color}"><title>${escapeHtml(s.label)}</title></rect>`,
    );
  }
  for (let i = 0; i <= 4; i++) {
    const t = tl.from + (span * i) / 4;
    out.push(
      `<line x1="${x(t).toFixed(1)}" y1="${bottom}" x2="${x(t).toFixed(1)}" y2="${
        bottom + 4
      }" stroke="#64748b"/>`,
      `<text x="${x(t).toFixed(1)}" y="${H - 2}" text-anchor="${
        i === 0 ? "start" : i === 4 ? "end" : "middle"
      }" fill="#334155">${clock(t)}</text>`,
    );
  }
  out.push(
    `<text x="${left - 4}" y="${top + 10}" text-anchor="end" fill="#334155">${
      (maxMs / 1000).toFixed(0)
    } s</text>`,
    `<text x="${left - 4}" y="${bottom}" text-anchor="end" fill="#334155">0</text>`,
  );
  if (strip > 0) {
    out.push(...trafficStrip(tl, { x, left, right, top: bottom + 6, bottom: bottom + strip - 4 }));
  }
  const clip = (/** @type {number} */ t) => Math.min(right, Math.max(left, x(t)));
  for (const run of tl.runs) {
    const pts = run.filter(([t]) => t >= tl.from - maxMs);
    if (pts.length < 2) continue;
    const d = pts.map(([t, v], i) =>
      `${i === 0 ? "M" : "L"}${clip(t).toFixed(1)},${y(v).toFixed(1)}`
    )
      .join("");
    out.push(`<path class="countdown" d="${d}" fill="none" stroke="#2563eb" stroke-width="1.5"/>`);
  }
  for (const m of tl.markers) {
    const k = KINDS[/** @type {keyof typeof KINDS} */ (m.kind)];
    if (k === undefined) continue;
    const mx = x(m.t).toFixed(1);
    const lane = lanes.indexOf(m.kind);
    const my = lanesTop + lane * laneH;
    if (m.kind === "expired" || m.kind === "pretimeout" || m.kind === "host" || m.kind === "fail") {
      out.push(
        `<line x1="${mx}" y1="${top}" x2="${mx}" y2="${bottom}" stroke="${k.color}" stroke-dasharray="3 2"/>`,
      );
    }
    out.push(
      `<rect class="marker marker-${m.kind} tl-item" ${itemAttrs(m.t, m.label, tabindex(m.t))} x="${
        (Number(mx) - 2).toFixed(1)
      }" y="${my.toFixed(1)}" width="4" height="${
        Math.max(3, laneH - 1).toFixed(1)
      }" fill="${k.color}"><title>${escapeHtml(`${clock(m.t)} ${m.label}`)}</title></rect>`,
    );
  }
  out.push("</svg>");
  return out.join("");
}

/**
 * The legend of the chart as HTML (colour swatch and name of each kind).
 *
 * @param {{traffic?: boolean}} [options] Whether the chart has the traffic strip. @default true
 * @returns {string} A `<ul>`.
 */
export function legendHtml(options = {}) {
  const swatch = (/** @type {string} */ color, /** @type {string} */ name) =>
    `<li><span class="swatch" style="background:${color}"></span>${name}</li>`;
  const items = [
    swatch("#2563eb", "watchdog countdown"),
    ...(options.traffic === false ? [] : [
      swatch(TRAFFIC_COLOURS.rate, "IPMI requests per second"),
      swatch(TRAFFIC_COLOURS.p50, "reply latency, median per second"),
      swatch(TRAFFIC_COLOURS.max, "reply latency, max per second"),
    ]),
    ...Object.values(SPAN_KINDS).map((k) => swatch(k.color, k.name)),
    ...Object.values(KINDS).map((k) => swatch(k.color, k.name)),
  ];
  return `<ul class="legend">${items.join("")}</ul>`;
}
