/**
 * The rack: a card per BMC (VM link, power, watchdog with its live
 * countdown, faults and hang, SEL, last event), and adding or removing a
 * BMC through the run-time API.
 *
 * @module
 */

import { h } from "preact";
import { useEffect, useState } from "preact/hooks";
import htm from "htm";
import { call, describe } from "./api.js";
import { countdownMs } from "./store.js";
import { formatMs, timeOfDay } from "./format.js";

const html = htm.bind(h);

/**
 * Re-render every `ms` while mounted (the countdowns).
 *
 * @param {number} ms Period.
 * @returns {number} `performance.now()` of this render.
 */
export function useTicker(ms) {
  const [now, setNow] = useState(performance.now());
  useEffect(() => {
    const t = setInterval(() => setNow(performance.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

/** The watchdog line of a card or the BMC view. */
export function Watchdog({ bmc, now }) {
  const w = bmc.detail?.watchdog;
  if (w === undefined) return html`<span>–</span>`;
  const left = countdownMs(bmc, now);
  if (left === null) return html`<span class="wd wd-stopped">stopped</span>`;
  const then = `left, then ${w.action}${
    w.pretimeoutInterrupt !== "none" ? ` (pre-timeout ${w.pretimeoutInterrupt})` : ""
  }`;
  return html`
    <span
      class="wd wd-running">running, <strong class="countdown" data-ms=${Math.round(
        left,
      )}>${formatMs(left)}</strong> ${then}</span>
  `;
}

function Card({ bmc, now }) {
  const d = bmc.detail;
  const c = d?.connection;
  const [result, setResult] = useState("");
  const remove = async () =>
    setResult(describe(await call("DELETE", `/api/v1/bmcs/${encodeURIComponent(bmc.id)}`)));
  const faults = d?.faults?.length ?? 0;
  return html`
    <article class="card" data-bmc=${bmc.id} aria-labelledby=${`bmc-${bmc.id}`}>
      <h2 id=${`bmc-${bmc.id}`}><a href=${`#/bmc/${encodeURIComponent(bmc.id)}`}>${bmc.id}</a></h2>
      <dl>
        <dt>Profile</dt><dd>${d?.profile ?? bmc.summary?.profile ?? "–"}</dd>
        <dt>VM</dt><dd class="vm">${c?.connected
          ? html`<span class="ok">connected</span> ${c.peer ?? ""} <small>${
            (c.capabilities ?? []).join(", ")
          }</small>`
          : html`<span class="off">not connected</span>`}</dd>
        <dt>Power</dt><dd class="power">${d?.power?.state ?? bmc.summary?.power ?? "–"}</dd>
        <dt>Watchdog</dt><dd><${Watchdog} bmc=${bmc} now=${now} /></dd>
        <dt>Faults</dt><dd>${faults === 0
          ? "none"
          : `${faults} rule${faults > 1 ? "s" : ""}`}${d?.hang
          ? html`, <span class="bad">hang: ${d.hang.mode}</span>`
          : ""}${d?.reset ? html`, <span class="bad">resetting</span>` : ""}</dd>
        <dt>SEL</dt><dd>${d?.sel?.entries ?? bmc.summary?.selEntries ?? 0} records</dd>
        <dt>Last event</dt><dd class="last">${bmc.lastEvent
          ? `${bmc.lastEvent.type} at ${timeOfDay(bmc.lastEvent.time)}`
          : "–"}</dd>
      </dl>
      <div class="row">
        <a class="button" href=${`#/bmc/${encodeURIComponent(bmc.id)}`}>Open</a>
        <button type="button" onClick=${remove}>Remove</button>
      </div>
      ${result && html`<output role="status">${result}</output>`}
    </article>
  `;
}

const EXAMPLE =
  '{"id": "node-x", "profile": "generic", "vm": {"listen": "tcp:127.0.0.1:0"}, "stateFile": null}';

function AddBmc() {
  const [text, setText] = useState(EXAMPLE);
  const [result, setResult] = useState("");
  const submit = async (ev) => {
    ev.preventDefault();
    let body;
    try {
      body = JSON.parse(text);
    } catch (error) {
      setResult(`Not JSON: ${error.message}`);
      return;
    }
    setResult(describe(await call("POST", "/api/v1/bmcs", body)));
  };
  return html`
    <form class="add" onSubmit=${submit}>
      <label for="add-bmc">Add a BMC (a config-file <code>bmcs[]</code> entry)</label>
      <textarea id="add-bmc" rows="3" value=${text} onInput=${(e) =>
        setText(e.currentTarget.value)}></textarea>
      <button type="submit">Add BMC</button>
      <output role="status">${result}</output>
    </form>
  `;
}

/** The rack view. */
export function RackView({ store }) {
  const now = useTicker(250);
  const bmcs = [...store.bmcs.values()];
  return html`
    <h1>Rack <small>${bmcs.length} BMC${bmcs.length === 1 ? "" : "s"}</small></h1>
    <section class="cards" aria-label="BMCs">
      ${bmcs.map((b) => html`<${Card} key=${b.id} bmc=${b} now=${now} />`)}
    </section>
    <${AddBmc} />
  `;
}
