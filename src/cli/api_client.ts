/**
 * A client for bmc-emu's HTTP API: JSON requests with clear errors, and a
 * Server-Sent Events reader.
 *
 * @module
 */

import { errorMessage } from "../util/error_message.ts";
import { LineSplitter } from "../util/line_splitter.ts";

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
    if (!response.ok) throw await this.#refusal(method, path, response);
    const text = await response.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      return text as T;
    }
  }

  /**
   * Call an endpoint that answers JSON lines (`application/x-ndjson`) and
   * yield each value as it arrives.
   *
   * @param method HTTP method.
   * @param path Path beginning with `/`.
   * @param body JSON body.
   * @param signal Abort signal.
   * @returns The values, until the answer ends.
   * @throws {ApiCallError} For non-2xx answers; status 0 when bmc-emu cannot
   *   be reached or the connection breaks.
   */
  async *lines(
    method: string,
    path: string,
    body: unknown,
    signal?: AbortSignal,
  ): AsyncGenerator<Record<string, unknown>> {
    const response = await this.#fetch(path, {
      method,
      headers: this.#headers({
        "content-type": "application/json",
        accept: "application/x-ndjson",
      }),
      body: JSON.stringify(body),
      ...(signal === undefined ? {} : { signal }),
    });
    if (!response.ok || response.body === null) throw await this.#refusal(method, path, response);
    try {
      for await (
        const line of response.body.pipeThrough(new TextDecoderStream()).pipeThrough(
          new LineSplitter(),
        )
      ) {
        if (line.trim() !== "") yield JSON.parse(line) as Record<string, unknown>;
      }
    } catch (error) {
      if (error instanceof SyntaxError) throw error;
      throw new ApiCallError(
        0,
        `Lost the connection to bmc-emu at ${this.#base}: ${errorMessage(error)}`,
      );
    }
  }

  async #refusal(method: string, path: string, response: Response): Promise<ApiCallError> {
    const text = await response.text();
    let message = text;
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed === "object" && parsed !== null && "error" in parsed) {
        message = String((parsed as { error: unknown }).error);
      }
    } catch {
      // Not JSON: the text is the message.
    }
    return new ApiCallError(response.status, `${method} ${path}: ${response.status} ${message}`);
  }

  /**
   * Open an event stream and yield its messages.
   *
   * @param path Stream path.
   * @param options Last-Event-ID and abort signal.
   * @returns Messages until the stream ends or the signal aborts.
   * @throws {ApiCallError} Status 0 when bmc-emu cannot be reached or the connection breaks.
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
    if (!response.ok || response.body === null) throw await this.#refusal("GET", path, response);
    try {
      yield* parseSse(response.body);
    } catch (error) {
      throw new ApiCallError(
        0,
        `Lost the connection to bmc-emu at ${this.#base}: ${errorMessage(error)}`,
      );
    }
  }
}

/**
 * Parse a Server-Sent Events byte stream.
 *
 * @param body Response body.
 * @returns Messages.
 */
export async function* parseSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  let event = "message";
  let id: string | undefined;
  let data: string[] = [];
  try {
    for await (
      const line of body.pipeThrough(new TextDecoderStream()).pipeThrough(new LineSplitter())
    ) {
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
  } catch (error) {
    if (!(error instanceof DOMException && error.name === "AbortError")) throw error;
  }
}
