// @ts-check
/**
 * Small formatting helpers shared by the views and the HTML report (no DOM).
 *
 * @module
 */

/**
 * A duration for people: `12.3 s`, `4 min 05 s`.
 *
 * @param {number} ms Milliseconds.
 * @returns {string} The text.
 */
export function formatMs(ms) {
  if (!Number.isFinite(ms)) return "–";
  if (ms < 60_000) return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

/**
 * A wall-clock time of day from an ISO 8601 string (`18:04:05.123`).
 *
 * @param {string} iso Time.
 * @returns {string} The time of day in UTC.
 */
export function timeOfDay(iso) {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? String(iso) : new Date(t).toISOString().slice(11, 23);
}

/**
 * Escape text for HTML.
 *
 * @param {unknown} text Anything.
 * @returns {string} Escaped text.
 */
export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A one-line summary of an event's data (`action=hard-reset, seconds=10`).
 *
 * @param {Record<string, unknown> | null | undefined} data Event data.
 * @returns {string} Summary.
 */
export function summariseData(data) {
  if (data === null || data === undefined || typeof data !== "object") return "";
  return Object.entries(data)
    .filter(([, v]) => v !== null && typeof v !== "object")
    .slice(0, 4)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
}
