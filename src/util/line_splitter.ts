/**
 * A text stream cut into lines (without the newline or a trailing carriage
 * return), for JSON-lines answers, logs and child processes' output.
 *
 * @module
 */

/** Splits a text stream into lines. */
export class LineSplitter extends TransformStream<string, string> {
  /** Create the transform. */
  constructor() {
    let rest = "";
    super({
      transform(chunk, controller) {
        rest += chunk;
        let nl: number;
        while ((nl = rest.indexOf("\n")) >= 0) {
          controller.enqueue(rest.slice(0, nl).replace(/\r$/, ""));
          rest = rest.slice(nl + 1);
        }
      },
      flush(controller) {
        if (rest !== "") controller.enqueue(rest);
      },
    });
  }
}
