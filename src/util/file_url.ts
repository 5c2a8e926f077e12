/**
 * File URL helpers (std's `@std/path` is on JSR, which is not reachable).
 *
 * @module
 */

/**
 * Convert a `file:` URL to a path.
 *
 * @param url File URL.
 * @returns Absolute path (with a trailing slash if the URL had one).
 * @throws {TypeError} For non-file URLs.
 */
export function fromFileUrl(url: URL): string {
  if (url.protocol !== "file:") {
    throw new TypeError(`Cannot convert "${url.href}" to a path: not a file URL`);
  }
  return decodeURIComponent(url.pathname);
}
