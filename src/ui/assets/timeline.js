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

/**
 * @typedef {{id?: number, time: string, bmc?: string, type: string, data?: any}} TimelineEvent
 * @typedef {{t: number, kind: string, label: string}} Marker
 * @typedef {{from: number, to: number, kind: string, label: string}} Span
 * @typedef {{runs: [number, number][][], markers: Marker[], spans: Span[], maxMs: number,
 *   from: number, to: number, rate: [number, number][]}} Timeline
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
 * @param {{from: number, to: number, requests?: ReadonlyMap<number, number>}} window Time
 *   window, and IPMI requests per second (epoch second → count) when known.
 * @returns {Timeline} Countdown runs, markers, spans and the request rate.
 */
export function buildTimeline(events, window) {
  const { from, to } = window;
  /** @type {[number, number][]} */
  const rate = [];
  for (const [sec, n] of window.requests ?? []) {
    if (sec * 1000 >= from - 1000 && sec * 1000 <= to) rate.push([sec * 1000, n]);
  }
  rate.sort((a, b) => a[0] - b[0]);
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
  return { runs, markers, spans: spans.filter((s) => s.to >= from), maxMs, from, to, rate };
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

/**
 * Draw a time line as SVG (scales with its container's width).
 *
 * @param {Timeline} tl The time line.
 * @param {{width?: number, height?: number, title?: string}} [options] Size and accessible title.
 * @returns {string} An `<svg>` element.
 */
export function timelineSvg(tl, options = {}) {
  const W = options.width ?? 900;
  const H = options.height ?? 260;
  const left = 52, right = W - 10, top = 10, bottom = H - 60;
  const lanes = Object.keys(KINDS);
  const laneH = 44 / lanes.length;
  const span = Math.max(1, tl.to - tl.from);
  const x = (/** @type {number} */ t) => left + ((t - tl.from) / span) * (right - left);
  const maxMs = Math.max(1000, tl.maxMs);
  const y = (/** @type {number} */ v) => bottom - (v / maxMs) * (bottom - top);
  const out = [];
  const title = options.title ?? "Watchdog countdown and BMC events";
  out.push(
    `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-label="${
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
      `<rect class="span span-${s.kind}" x="${a.toFixed(1)}" y="${top}" width="${
        Math.max(1, b - a).toFixed(1)
      }" height="${bottom - top}" fill="${color}"><title>${escapeHtml(s.label)}</title></rect>`,
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
  const clip = (/** @type {number} */ t) => Math.min(right, Math.max(left, x(t)));
  const maxRate = Math.max(0, ...tl.rate.map(([, n]) => n));
  if (maxRate > 0) {
    // Requests per second as bars along the bottom fifth of the plot.
    const barH = (bottom - top) / 5;
    const w = Math.max(1, (1000 / span) * (right - left));
    for (const [t, n] of tl.rate) {
      const hgt = (n / maxRate) * barH;
      out.push(
        `<rect class="rate" x="${clip(t).toFixed(1)}" y="${(bottom - hgt).toFixed(1)}" width="${
          w.toFixed(1)
        }" height="${hgt.toFixed(1)}" fill="#94a3b8" opacity="0.6"><title>${
          escapeHtml(`${clock(t)} ${n} requests`)
        }</title></rect>`,
      );
    }
    out.push(
      `<text x="${right - 4}" y="${
        (bottom - barH - 2).toFixed(1)
      }" text-anchor="end" fill="#475569">${maxRate} req/s</text>`,
    );
  }
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
    const my = bottom + 8 + lane * laneH;
    if (m.kind === "expired" || m.kind === "pretimeout" || m.kind === "host" || m.kind === "fail") {
      out.push(
        `<line x1="${mx}" y1="${top}" x2="${mx}" y2="${bottom}" stroke="${k.color}" stroke-dasharray="3 2"/>`,
      );
    }
    out.push(
      `<rect class="marker marker-${m.kind}" x="${(Number(mx) - 2).toFixed(1)}" y="${
        my.toFixed(1)
      }" width="4" height="${Math.max(3, laneH - 1).toFixed(1)}" fill="${k.color}"><title>${
        escapeHtml(`${clock(m.t)} ${m.label}`)
      }</title></rect>`,
    );
  }
  out.push("</svg>");
  return out.join("");
}

/**
 * The legend of the chart as HTML (colour swatch and name of each kind).
 *
 * @returns {string} A `<ul>`.
 */
export function legendHtml() {
  const items = [
    `<li><span class="swatch" style="background:#2563eb"></span>watchdog countdown</li>`,
    `<li><span class="swatch" style="background:#94a3b8"></span>IPMI requests per second</li>`,
    ...Object.values(SPAN_KINDS).map((k) =>
      `<li><span class="swatch" style="background:${k.color}"></span>${k.name}</li>`
    ),
    ...Object.values(KINDS).map((k) =>
      `<li><span class="swatch" style="background:${k.color}"></span>${k.name}</li>`
    ),
  ];
  return `<ul class="legend">${items.join("")}</ul>`;
}
