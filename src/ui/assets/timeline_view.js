/**
 * The BMC view's time line chart: the last N minutes, redrawn as time
 * passes and events arrive. Its markers and spans are reachable by
 * keyboard: Tab enters the chart at the newest one, the arrow keys (Home,
 * End) step through them in time order, and the focused one's event is
 * shown under the chart. While focus is in the chart it holds still, so
 * the focused marker is not redrawn away.
 *
 * @module
 */

import { h } from "preact";
import { useRef, useState } from "preact/hooks";
import htm from "htm";
import { buildTimeline, legendHtml, timelineSvg } from "./timeline.js";

const html = htm.bind(h);
const WINDOWS = [1, 5, 15, 60];

/** Keys that move focus among the chart's items: to an index, given the current one and the count. */
const MOVES = {
  ArrowRight: (/** @type {number} */ i) => i + 1,
  ArrowDown: (/** @type {number} */ i) => i + 1,
  ArrowLeft: (/** @type {number} */ i) => i - 1,
  ArrowUp: (/** @type {number} */ i) => i - 1,
  Home: () => 0,
  End: (/** @type {number} */ _i, /** @type {number} */ n) => n - 1,
};

/**
 * Move focus to another item of the chart (roving tabindex).
 *
 * @param {KeyboardEvent} e The key.
 */
function onKey(e) {
  const move = MOVES[/** @type {keyof typeof MOVES} */ (e.key)];
  const target = /** @type {Element} */ (e.target);
  if (move === undefined || !target.classList?.contains("tl-item")) return;
  const chart = /** @type {HTMLElement} */ (e.currentTarget);
  const items = [...chart.querySelectorAll(".tl-item")]
    .sort((a, b) => Number(a.getAttribute("data-t")) - Number(b.getAttribute("data-t")));
  const i = items.indexOf(target);
  const next = items[Math.max(0, Math.min(items.length - 1, move(i, items.length)))];
  e.preventDefault();
  if (next === undefined || next === target) return;
  target.setAttribute("tabindex", "-1");
  next.setAttribute("tabindex", "0");
  /** @type {HTMLElement} */ (next).focus();
}

/** The chart with its window selector, legend and the focused item's event. */
export function TimelineView({ bmc, now, traffic }) {
  const [minutes, setMinutes] = useState(5);
  const [detail, setDetail] = useState(/** @type {string | null} */ (null));
  const held = useRef(/** @type {string | null} */ (null));
  void now; // re-rendered by the parent's ticker
  const to = Date.now();
  const tl = buildTimeline(bmc.events, { from: to - minutes * 60_000, to, traffic });
  const svg = held.current ?? timelineSvg(tl, {
    title: `${bmc.id}: watchdog countdown, events and IPMI traffic, last ${minutes} min`,
    roving: true,
  });
  const onFocusIn = (/** @type {FocusEvent} */ e) => {
    const label = /** @type {Element} */ (e.target).getAttribute?.("aria-label");
    held.current = svg;
    setDetail(label ?? null);
  };
  const onFocusOut = (/** @type {FocusEvent} */ e) => {
    const chart = /** @type {HTMLElement} */ (e.currentTarget);
    if (chart.contains(/** @type {Node | null} */ (e.relatedTarget))) return;
    held.current = null;
    setDetail(null);
  };
  const hasTraffic = tl.rate.length > 0 || tl.latency.length > 0;
  return html`
    <section aria-labelledby="tl-h">
      <h2 id="tl-h">Time line</h2>
      <label>Window <select id="tl-window" value=${minutes} onChange=${(e) =>
        setMinutes(Number(e.currentTarget.value))}>
        ${WINDOWS.map((m) => html`<option value=${m}>${m} min</option>`)}
      </select></label>
      <div class="chart" onfocusin=${onFocusIn} onfocusout=${onFocusOut} onkeydown=${onKey}
        dangerouslySetInnerHTML=${{ __html: svg }}></div>
      <p id="tl-detail" class="detail" aria-live="polite">${detail ??
        "Tab into the chart, then ← → (Home, End) step through its markers; hover one for its event."}</p>
      <div dangerouslySetInnerHTML=${{ __html: legendHtml({ traffic: hasTraffic }) }}></div>
      <p class="hint">${tl.markers.length} markers, ${tl.spans
        .length} spans${tl.latency.length === 0
        ? ""
        : `; ${tl.latency.reduce((n, l) => n + l.replies, 0)} replies in the window`}.</p>
    </section>
  `;
}
