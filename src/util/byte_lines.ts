/**
 * A byte stream (a serial console's output) as text lines: bytes are decoded
 * as UTF-8 across chunk boundaries and split at line ends (carriage returns
 * dropped); a line that grows past the limit is cut there, so a writer that
 * never prints a newline cannot grow memory.
 *
 * @module
 */

/** Longest line kept whole (longer ones are split). */
export const MAX_LINE = 4096;

/** Splits a byte stream into lines. */
export class ByteLines {
  readonly #decoder = new TextDecoder();
  readonly #maxLine: number;
  #partial = "";

  /**
   * Create a splitter.
   *
   * @param maxLine Longest line kept whole.
   */
  constructor(maxLine = MAX_LINE) {
    this.#maxLine = maxLine;
  }

  /**
   * Take more output.
   *
   * @param bytes Output.
   * @returns The lines it completed.
   */
  push(bytes: Uint8Array): string[] {
    const parts = (this.#partial + this.#decoder.decode(bytes, { stream: true })).split("\n");
    this.#partial = parts.pop()!;
    if (this.#partial.length > this.#maxLine) {
      parts.push(this.#partial);
      this.#partial = "";
    }
    return parts.map((line) => line.replace(/\r/g, ""));
  }

  /** The line being written (a prompt such as `login: ` before its newline). */
  get partial(): string {
    return this.#partial.replace(/\r/g, "");
  }
}

/**
 * The lines of a block of output (a console ring's contents), the unfinished
 * last one included.
 *
 * @param bytes Output.
 * @returns Lines.
 */
export function linesOf(bytes: Uint8Array): string[] {
  const splitter = new ByteLines();
  const lines = splitter.push(bytes);
  if (splitter.partial !== "") lines.push(splitter.partial);
  return lines;
}
