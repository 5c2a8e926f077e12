/**
 * `ipmitool … sol activate` on a pseudo-terminal (script(1)): what the
 * console shows is collected and waited on with deadlines, keys are typed.
 *
 * @module
 */

/** `ipmitool … sol activate` on a pty (script), its output waited on with deadlines. */
export class SolTerminal {
  readonly #child: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #reading: Promise<void>;
  #text = "";
  #wake: (() => void) | null = null;

  readonly #escape: string;

  /**
   * Start `ipmitool ARGS sol activate` (or another SOL client) under script(1).
   *
   * @param args ipmitool's interface and session arguments (`-I lanplus -H … -U … -P …`).
   * @param client Another client's command line and its escape sequence
   *   (FreeIPMI's ipmiconsole: `&.`).
   */
  constructor(
    args: readonly string[],
    client: { readonly command: string; readonly escape: string } = {
      command: `ipmitool ${args.join(" ")} sol activate`,
      escape: "~.",
    },
  ) {
    const cmd = client.command;
    this.#escape = client.escape;
    const child = new Deno.Command("script", {
      args: ["-qfec", cmd, "/dev/null"],
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    this.#child = child;
    this.#writer = child.stdin.getWriter();
    this.#reading = (async () => {
      for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
        this.#text += chunk;
        this.#wake?.();
      }
    })();
  }

  /** Everything the terminal showed so far. */
  get text(): string {
    return this.#text;
  }

  /**
   * Wait until the output after offset `from` matches.
   *
   * @param pattern What to wait for.
   * @param from Offset into {@link SolTerminal.text} (`text.length` before typing).
   * @param timeoutMs Deadline.
   * @param what Description for the timeout error.
   */
  async waitFor(pattern: RegExp, from: number, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.#text.slice(from))) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`sol: no ${what} within ${timeoutMs} ms:\n${this.#text}`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
      this.#wake = null;
    }
  }

  /**
   * Type on the terminal.
   *
   * @param text Keys (`\r` for Enter).
   */
  async type(text: string): Promise<void> {
    await this.#writer.write(new TextEncoder().encode(text));
  }

  /**
   * Leave with the client's escape (ipmitool: `~.` at the start of a line).
   *
   * @returns The client's exit code.
   */
  async close(): Promise<number> {
    await this.type(`\r${this.#escape}`).catch(() => {});
    await this.#writer.close().catch(() => {});
    const timer = setTimeout(() => this.#child.kill(), 10_000);
    const status = await this.#child.status;
    clearTimeout(timer);
    await this.#reading;
    return status.code;
  }
}
