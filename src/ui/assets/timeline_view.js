/**
 * The BMC view's time line chart: the last N minutes, redrawn as time
 * passes and events arrive.
 *
 * @module
 */

import { h } from "preact";
import { useState } from "preact/hooks";
import htm from "htm";
import { buildTimeline, legendHtml, timelineSvg } from "./timeline.js";

const html = htm.bind(h);
const WINDOWS = [1, 5, 15, 60];

/** The chart with its window selector and legend. */
export function TimelineView({ bmc, now, requests }) {
  const [minutes, setMinutes] = useState(5);
  void now; // re-rendered by the parent's ticker
  const to = Date.now();
  const tl = buildTimeline(bmc.events, { from: to - minutes * 60_000, to, requests });
  const svg = timelineSvg(tl, {
    title: `${bmc.id}: watchdog countdown and events, last ${minutes} min`,
  });
  return html`
    <section aria-labelledby="tl-h">
      <h2 id="tl-h">Time line</h2>
      <label>Window <select id="tl-window" value=${minutes} onChange=${(e) =>
        setMinutes(Number(e.currentTarget.value))}>
        ${WINDOWS.map((m) => html`<option value=${m}>${m} min</option>`)}
      </select></label>
      <div class="chart" dangerouslySetInnerHTML=${{ __html: svg }}></div>
      <div dangerouslySetInnerHTML=${{ __html: legendHtml() }}></div>
      <p class="hint">${tl.markers.length} markers, ${tl.spans
        .length} spans; hover a marker for its event.</p>
    </section>
  `;
}
