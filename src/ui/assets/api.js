/**
 * The dashboard's calls to the control API: the same routes a script uses.
 * A call never throws; it answers `{ ok, status, body }` (status 0 when the
 * server could not be reached).
 *
 * @module
 */

/**
 * Call the API.
 *
 * @param {string} method HTTP method.
 * @param {string} path Path under the origin (`/api/v1/bmcs`).
 * @param {unknown} [body] JSON body.
 * @returns {Promise<{ok: boolean, status: number, body: any}>} The outcome.
 */
export async function call(method, path, body) {
  try {
    const res = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? {} : { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed = text;
    try {
      parsed = text === "" ? null : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { ok: res.ok, status: res.status, body: parsed };
  } catch (error) {
    return { ok: false, status: 0, body: { error: String(error) } };
  }
}

/**
 * The text a control shows for an outcome: `201 Created` or the error.
 *
 * @param {{ok: boolean, status: number, body: any}} r Outcome.
 * @returns {string} Text.
 */
export function describe(r) {
  if (r.status === 0) return `Failed: ${r.body?.error ?? "unreachable"}`;
  const what = r.body && typeof r.body === "object" && "error" in r.body
    ? r.body.error
    : JSON.stringify(r.body);
  return `${r.status} ${r.ok ? "OK" : "error"}${what ? `: ${what}` : ""}`;
}

/**
 * A BMC's path.
 *
 * @param {string} id BMC id.
 * @param {string} [rest] Path after it (`/faults`).
 * @returns {string} Path.
 */
export function bmcPath(id, rest = "") {
  return `/api/v1/bmcs/${encodeURIComponent(id)}${rest}`;
}
