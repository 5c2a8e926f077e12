/**
 * Split a byte stream into text lines.
 *
 * @module
 */

import { LineSplitter } from "../util/line_splitter.ts";

/**
 * Call `onLine` for each line of `stream` (without the newline or a trailing
 * carriage return) until it ends or fails.
 *
 * @param stream Byte stream.
 * @param onLine Line handler.
 */
export async function readLines(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): Promise<void> {
  try {
    for await (
      const line of stream.pipeThrough(new TextDecoderStream()).pipeThrough(new LineSplitter())
    ) onLine(line);
  } catch {
    // The stream closed under us: the process or socket ended.
  }
}
