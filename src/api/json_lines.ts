/**
 * A streamed answer of JSON lines (`application/x-ndjson`): each value is
 * written as soon as the producer has it, so a client sees progress before
 * the work ends. The producer's signal aborts when the client goes away.
 *
 * @module
 */

import { JSON_LINES } from "./route_kit.ts";

/** Writes one value as a line. */
export type WriteLine = (value: unknown) => void;

/**
 * Stream the lines a producer writes.
 *
 * @param requestSignal The request's signal (aborts when the client closes).
 * @param produce Writes lines; the stream ends when its promise settles.
 * @returns The response.
 */
export function streamLines(
  requestSignal: AbortSignal,
  produce: (line: WriteLine, signal: AbortSignal) => Promise<void>,
): Response {
  const cancelled = new AbortController();
  const signal = AbortSignal.any([requestSignal, cancelled.signal]);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const line: WriteLine = (value) => {
        if (!signal.aborted) controller.enqueue(encoder.encode(`${JSON.stringify(value)}\n`));
      };
      try {
        await produce(line, signal);
        if (!signal.aborted) controller.close();
      } catch (error) {
        if (!signal.aborted) controller.error(error);
      }
    },
    cancel() {
      cancelled.abort();
    },
  });
  return new Response(body, {
    headers: { "content-type": JSON_LINES, "cache-control": "no-store" },
  });
}
