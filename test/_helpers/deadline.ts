/**
 * The one real-time timer an in-process test may use: a safety net on
 * something a real socket delivers, so a broken run fails with a message
 * instead of hanging. It never decides the result of a passing run (that
 * waits for the event itself); time the BMC sees is the test's ManualClock.
 *
 * @module
 */

/**
 * `promise`, or a rejection naming `what` after `timeoutMs` of real time.
 *
 * @param promise What to wait for.
 * @param what Description for the error.
 * @param timeoutMs Deadline. @default 10000
 * @returns The promise's value.
 */
export async function withDeadline<T>(
  promise: Promise<T>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
