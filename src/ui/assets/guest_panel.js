/**
 * What the guest said: the newest `guest.report` events (dmesg lines,
 * `/dev/watchdog` writes with their errno and duration, D-state
 * processes) and the tail of the serial console when the BMC has one.
 *
 * @module
 */

import { h } from "preact";
import htm from "htm";
import { summariseData, timeOfDay } from "./format.js";

const html = htm.bind(h);

/** Guest reports shown. */
const SHOWN = 30;

function line(data) {
  if (data?.kind === "dmesg") return String(data.line ?? "");
  const { kind: _kind, ...rest } = data ?? {};
  return summariseData(rest);
}

/** The guest evidence and console panel. */
export function GuestPanel({ bmc }) {
  const reports = bmc.events.filter((e) => e.type === "guest.report").slice(-SHOWN).reverse();
  const consoleText = bmc.console ?? "";
  return html`
    ${reports.length === 0
      ? html`<p>No guest reports (a guest reporter posts them to <code>…/guest-reports</code>).</p>`
      : html`
        <div class="scroll" tabindex="0" role="region" aria-label="Guest reports (scrolls sideways)">
          <table class="guest">
            <thead>
              <tr>
                <th>Time</th>
                <th>Kind</th>
                <th>Report</th>
              </tr>
            </thead>
            <tbody>${reports.map((e) =>
              html`
                <tr key=${e.id}>
                  <td>${timeOfDay(e.time)}</td>
                  <td>${e.data?.kind ?? "–"}</td>
                  <td>${line(e.data)}</td>
                </tr>
              `
            )}</tbody>
          </table>
        </div>
      `}
    ${consoleText === "" ? "" : html`
      <h3>Console</h3>
      <pre class="console" tabindex="0">${consoleText}</pre>
    `}
  `;
}
