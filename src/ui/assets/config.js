/**
 * The page's configuration from the server (`#bmc-emu-config`): the event
 * types to follow and the power actions.
 *
 * @module
 */

/** @type {{eventTypes?: string[], powerActions?: string[]}} */
export const config = (() => {
  try {
    return JSON.parse(document.getElementById("bmc-emu-config")?.textContent ?? "{}");
  } catch {
    return {};
  }
})();
