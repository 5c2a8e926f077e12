/**
 * Split a byte stream into text lines.
 *
 * @module
 */

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
  const decoder = new TextDecoder();
  let rest = "";
  try {
    for await (const chunk of stream) {
      rest += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = rest.indexOf("\n")) >= 0) {
        onLine(rest.slice(0, nl).replace(/\r$/, ""));
        rest = rest.slice(nl + 1);
      }
    }
  } catch {
    // The stream closed under us: the process or socket ended.
  }
  if (rest !== "") onLine(rest);
}
