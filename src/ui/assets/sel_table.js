/**
 * The SEL as a decoded table.
 *
 * @module
 */

import { h } from "preact";
import htm from "htm";

const html = htm.bind(h);
const hex = (n) => typeof n === "number" ? `0x${n.toString(16).padStart(2, "0")}` : "–";

/** The SEL table (newest first). */
export function SelTable({ sel }) {
  if (sel === null || sel === undefined) return html`<p>Loading the SEL…</p>`;
  const records = [...sel.records].reverse();
  return html`
    <p>${sel.entries} of ${sel.capacity} records${sel.overflow ? " (overflow)" : ""}</p>
    <div class="scroll" tabindex="0" role="region" aria-label="SEL records (scrolls sideways)">
      <table class="sel">
        <thead>
          <tr>
            <th>Id</th>
            <th>Time</th>
            <th>Kind</th>
            <th>Sensor type</th>
            <th>Sensor</th>
            <th>Event</th>
            <th>Direction</th>
            <th>Data</th>
            <th>Raw</th>
          </tr>
        </thead>
        <tbody>${records.map((r) =>
          html`
            <tr key=${r.id}>
              <td>${r.id}</td>
              <td>${r.timestamp ?? "–"}</td>
              <td>${r.kind}</td>
              <td>${hex(r.sensorType)}</td>
              <td>${hex(r.sensorNumber)}</td>
              <td>${hex(r.eventType)}${r.offset !== undefined ? ` offset ${r.offset}` : ""}</td>
              <td>${r.direction ?? "–"}</td>
              <td>${(r.eventData ?? []).map(hex).join(" ")}</td>
              <td><code>${r.raw}</code></td>
            </tr>
          `
        )}</tbody>
      </table>
    </div>
  `;
}
