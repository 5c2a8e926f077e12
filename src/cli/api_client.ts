import { errorMessage } from "../util/error_message.ts";
/**
 * A client for bmc-emu's HTTP API: JSON requests with clear errors, and a
 * Server-Sent Events reader.
 *
 * @module
 */

/** An API call that failed: HTTP status and the server's message. */
export class ApiCallError extends Error {
  /** HTTP status (0 when the server could not be reached). */
  readonly status: number;

  /**
   * Create the error.
   *
   * @param status HTTP status, 0 for connection failures.
   * @param message Explanation.
   */
  constructor(status: number, message: string) {
    super(message);
    this.name = "ApiCallError";
    this.status = status;
  }
}

/** One received server-sent event. */
export interface SseMessage {
  /** `event:` field (default `message`). */
  readonly event: string;
  /** `id:` field, if any. */
  readonly id: string | undefined;
  /** `data:` lines joined. */
  readonly data: string;
}

/** Talks to one bmc-emu API. */
export class ApiClient {
  readonly #base: string;
  readonly #token: string | null;

  /**
   * Create a client.
   *
   * @param base Base URL (`http://127.0.0.1:8623`).
   * @param token Bearer token, or `null`.
   */
  constructor(base: string, token: string | null) {
    this.#base = base.replace(/\/+$/, "");
    this.#token = token;
  }

  #headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...(this.#token === null ? {} : { authorization: `Bearer ${this.#token}` }),
      ...extra,
    };
  }

  async #fetch(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(`${this.#base}${path}`, init);
    } catch (error) {
      throw new ApiCallError(
        0,
        `Cannot reach bmc-emu at ${this.#base}: ${errorMessage(error)}`,
      );
    }
  }

  /**
   * Call a JSON endpoint.
   *
   * @param method HTTP method.
   * @param path Path beginning with `/`.
   * @param body JSON body.
   * @param signal Abort signal.
   * @returns Parsed JSON.
   * @throws {ApiCallError} For non-2xx answers and unreachable servers.
   */
  async json<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    const response = await this.#fetch(path, {
      method,
      headers: this.#headers(body === undefined ? {} : { "content-type": "application/json" }),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(signal === undefined ? {} : { signal }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON.
    }
    if (!response.ok) {
      const message = typeof parsed === "object" && parsed !== null && "error" in parsed
        ? String((parsed as { error: unknown }).error)
        : text;
      throw new ApiCallError(response.status, `${method} ${path}: ${response.status} ${message}`);
    }
    return parsed as T;
  }

  /**
   * Open an event stream and yield its messages.
   *
   * @param path Stream path.
   * @param options Last-Event-ID and abort signal.
   * @returns Messages until the stream ends or the signal aborts.
   */
  async *events(
    path: string,
    options: { lastEventId?: number; signal?: AbortSignal } = {},
  ): AsyncGenerator<SseMessage> {
    const response = await this.#fetch(path, {
      headers: this.#headers({
        accept: "text/event-stream",
        ...(options.lastEventId === undefined
          ? {}
          : { "last-event-id": String(options.lastEventId) }),
      }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    if (!response.ok || response.body === null) {
      const text = await response.text();
      throw new ApiCallError(response.status, `GET ${path}: ${response.status} ${text}`);
    }
    yield* parseSse(response.body);
  }
}

/**
 * Parse a Server-Sent Events byte stream.
 *
 * @param body Response body.
 * @returns Messages.
 */
export async function* parseSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let rest = "";
  let event = "message";
  let id: string | undefined;
  let data: string[] = [];
  try {
    for await (const chunk of body) {
      rest += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = rest.indexOf("\n")) >= 0) {
        const line = rest.slice(0, nl).replace(/\r$/, "");
        rest = rest.slice(nl + 1);
        if (line === "") {
          if (data.length > 0) yield { event, id, data: data.join("\n") };
          event = "message";
          id = undefined;
          data = [];
        } else if (!line.startsWith(":")) {
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (field === "event") event = value;
          else if (field === "id") id = value;
          else if (field === "data") data.push(value);
        }
      }
    }
  } catch (error) {
    if (!(error instanceof DOMException && error.name === "AbortError")) throw error;
  }
}
