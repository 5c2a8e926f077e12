/**
 * Deadline-bounded polling for conditions that have no event to await.
 *
 * @module
 */

/**
 * Resolve once `test()` is true; reject after `timeoutMs`.
 *
 * @param test Condition.
 * @param what Description for the error.
 * @param timeoutMs Deadline. @default 5000
 */
export async function waitUntil(
  test: () => boolean,
  what: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}
