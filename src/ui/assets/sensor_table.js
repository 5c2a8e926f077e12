/**
 * Sensors with their readings and thresholds, and a field to set each
 * reading through `PUT …/sensors/{number}`.
 *
 * @module
 */

import { h } from "preact";
import { useState } from "preact/hooks";
import htm from "htm";
import { bmcPath, call, describe } from "./api.js";

const html = htm.bind(h);
const LEVELS = ["lnr", "lcr", "lnc", "unc", "ucr", "unr"];

function SetValue({ id, sensor }) {
  const [text, setText] = useState("");
  const [result, setResult] = useState("");
  const submit = async (ev) => {
    ev.preventDefault();
    const body = sensor.kind === "threshold"
      ? { value: Number(text) }
      : { state: text.split(/[\s,]+/).filter(Boolean).map(Number) };
    setResult(describe(await call("PUT", bmcPath(id, `/sensors/${sensor.number}`), body)));
  };
  return html`<form class="inline" onSubmit=${submit}>
    <label class="sr" for=${`s-${sensor.number}`}>New ${
    sensor.kind === "threshold" ? "reading" : "asserted offsets"
  } of ${sensor.name}</label>
    <input id=${`s-${sensor.number}`} size="6" value=${text} placeholder=${
    sensor.kind === "threshold" ? "value" : "offsets"
  }
      onInput=${(e) => setText(e.currentTarget.value)} />
    <button type="submit">Set</button> <output role="status">${result}</output>
  </form>`;
}

/** The sensor table. */
export function SensorTable({ id, sensors }) {
  if (sensors === null || sensors === undefined) return html`<p>Loading sensors…</p>`;
  return html`
    <div class="scroll" tabindex="0" role="region" aria-label="Sensors (scrolls sideways)">
      <table class="sensors">
        <thead>
          <tr>
            <th>Sensor</th>
            <th>Type</th>
            <th>Reading</th>
            <th>Thresholds</th>
            <th>Asserted</th>
            <th>Set</th>
          </tr>
        </thead>
        <tbody>${sensors.map((s) =>
          html`
            <tr key=${s.number}>
              <td>${s.name} <small>#${s.number}</small></td>
              <td>${s.type}</td>
              <td>${s.kind === "threshold"
                ? `${s.value} ${s.unit ?? ""}`
                : (s.state ?? []).join(", ") || "–"}</td>
              <td>${s.thresholds
                ? LEVELS.filter((l) => s.thresholds[l] !== undefined).map((l) =>
                  `${l} ${s.thresholds[l]}`
                ).join(", ")
                : "–"}</td>
              <td>${(s.assertedOffsets ?? []).join(", ") || "–"}</td>
              <td>
                <${SetValue} id=${id} sensor=${s} />
              </td>
            </tr>
          `
        )}</tbody>
      </table>
    </div>
  `;
}
