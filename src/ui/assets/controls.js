/**
 * The BMC view's controls: power actions, BMC reset, hangs and event
 * injection, each calling the route a script would and showing its answer.
 *
 * @module
 */

import { h } from "preact";
import { useState } from "preact/hooks";
import htm from "htm";
import { bmcPath, call, describe } from "./api.js";
import { config } from "./config.js";

const html = htm.bind(h);

/** Chassis control actions (`POST …/chassis`), as the server names them. */
const POWER_ACTIONS = config.powerActions ?? [];

/** Drop empty fields; numbers for numeric ones. */
function compact(values, numeric = []) {
  const out = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === "" || v === undefined) continue;
    out[k] = numeric.includes(k) ? Number(v) : v;
  }
  return out;
}

function useResult() {
  const [text, setText] = useState("");
  return [text, async (promise) => setText(describe(await promise))];
}

function Power({ id }) {
  const [result, run] = useResult();
  return html`<section aria-labelledby="pw-h"><h3 id="pw-h">Power</h3>
    <div class="row">${
    POWER_ACTIONS.map((a) =>
      html`
        <button type="button" data-action=${a}
          onClick=${() => run(call("POST", bmcPath(id, "/chassis"), { action: a }))}>${a}</button>
      `
    )
  }</div>
    <output role="status" class="result">${result}</output></section>`;
}

function Select({ id, label, options, value, set }) {
  return html`<div class="field"><label for=${id}>${label}</label>
    <select id=${id} value=${value} onChange=${(e) => set(e.currentTarget.value)}>
      ${options.map((o) => html`<option value=${o}>${o === "" ? "(profile's)" : o}</option>`)}
    </select></div>`;
}

function Input({ id, label, value, set, placeholder = "" }) {
  return html`<div class="field"><label for=${id}>${label}</label>
    <input id=${id} value=${value} placeholder=${placeholder} onInput=${(e) =>
    set(e.currentTarget.value)} /></div>`;
}

function Reset({ id }) {
  const [mode, setMode] = useState("");
  const [durationMs, setDuration] = useState("");
  const [watchdog, setWatchdog] = useState("forget");
  const [brokenCc, setBroken] = useState("");
  const [result, run] = useResult();
  const submit = (ev) => {
    ev.preventDefault();
    const body = compact({ mode, durationMs, watchdog }, ["durationMs"]);
    if (brokenCc !== "") body.after = { resetWatchdogCc: brokenCc };
    run(call("POST", bmcPath(id, "/reset"), body));
  };
  return html`<form onSubmit=${submit} aria-labelledby="rs-h"><h3 id="rs-h">BMC reset</h3>
    <${Select} id="rs-mode" label="mode" options=${[
    "",
    "disconnect",
    "busy",
    "silent",
  ]} value=${mode} set=${setMode} />
    <${Input} id="rs-dur" label="duration ms" value=${durationMs} set=${setDuration} placeholder="profile's" />
    <${Select} id="rs-wd" label="watchdog" options=${[
    "forget",
    "keep",
  ]} value=${watchdog} set=${setWatchdog} />
    <${Input} id="rs-after" label="after: Reset Watchdog answers (cc)" value=${brokenCc} set=${setBroken} placeholder="spec" />
    <button type="submit">Reset the BMC</button> <output role="status" class="result">${result}</output></form>`;
}

function Hang({ id, hang }) {
  const [mode, setMode] = useState("silent");
  const [durationMs, setDuration] = useState("");
  const [result, run] = useResult();
  const submit = (ev) => {
    ev.preventDefault();
    run(call("POST", bmcPath(id, "/hang"), compact({ mode, durationMs }, ["durationMs"])));
  };
  return html`<form onSubmit=${submit} aria-labelledby="hg-h"><h3 id="hg-h">Hang</h3>
    <p>${hang ? `Hanging: ${hang.mode}` : "Not hanging."}</p>
    <${Select} id="hg-mode" label="mode" options=${[
    "silent",
    "wedge",
    "sticky-event-buffer",
    "sticky-receive-queue",
  ]} value=${mode} set=${setMode} />
    <${Input} id="hg-dur" label="duration ms" value=${durationMs} set=${setDuration} placeholder="until released" />
    <div class="row"><button type="submit">Start hang</button>
    <button type="button" onClick=${() =>
    run(call("DELETE", bmcPath(id, "/hang")))}>Release</button></div>
    <output role="status" class="result">${result}</output></form>`;
}

function Inject({ id }) {
  const [sensorType, setType] = useState("0x23");
  const [sensorNumber, setNumber] = useState("");
  const [eventData, setData] = useState("0x01");
  const [result, run] = useResult();
  const submit = (ev) => {
    ev.preventDefault();
    const body = compact({ sensorType, sensorNumber });
    body.eventData = eventData.split(/[\s,]+/).filter(Boolean);
    run(call("POST", bmcPath(id, "/events"), body));
  };
  return html`<form onSubmit=${submit} aria-labelledby="ev-h"><h3 id="ev-h">Inject a platform event</h3>
    <${Input} id="ev-type" label="sensor type" value=${sensorType} set=${setType} />
    <${Input} id="ev-num" label="sensor number" value=${sensorNumber} set=${setNumber} placeholder="0" />
    <${Input} id="ev-data" label="event data (1-3 bytes)" value=${eventData} set=${setData} />
    <button type="submit">Inject</button> <output role="status" class="result">${result}</output></form>`;
}

/** Every control of one BMC. */
export function Controls({ id, detail }) {
  return html`
    <div class="controls">
      <${Power} id=${id} />
      <${Reset} id=${id} />
      <${Hang} id=${id} hang=${detail?.hang ?? null} />
      <${Inject} id=${id} />
    </div>
  `;
}
