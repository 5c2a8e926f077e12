/**
 * Redfish error responses: the Base message registry messages this service
 * answers with (DSP0266 "Error responses"), as `@Message.ExtendedInfo`
 * entries with their registry MessageIds, and the error class handlers throw.
 *
 * @module
 */

/** The Base registry version the MessageIds name. */
export const BASE_REGISTRY = "Base.1.9.3";

/** Message text and severity of the Base messages used here (from the Base 1.9.3 registry). */
export const BASE_MESSAGES = {
  Success: ["The request completed successfully.", "OK"],
  Created: ["The resource has been created successfully.", "OK"],
  GeneralError: [
    "A general error has occurred.  See Resolution for information on how to resolve the error, or @Message.ExtendedInfo if Resolution is not provided.",
    "Critical",
  ],
  InternalError: [
    "The request failed due to an internal service error.  The service is still operational.",
    "Critical",
  ],
  MalformedJSON: [
    "The request body submitted was malformed JSON and could not be parsed by the receiving service.",
    "Critical",
  ],
  EmptyJSON: [
    "The request body submitted contained an empty JSON object and the service is unable to process it.",
    "Warning",
  ],
  PropertyUnknown: [
    "The property %1 is not in the list of valid properties for the resource.",
    "Warning",
  ],
  PropertyNotWritable: [
    "The property %1 is a read only property and cannot be assigned a value.",
    "Warning",
  ],
  PropertyValueTypeError: [
    "The value '%1' for the property %2 is of a different type than the property can accept.",
    "Warning",
  ],
  PropertyValueNotInList: [
    "The value '%1' for the property %2 is not in the list of acceptable values.",
    "Warning",
  ],
  PropertyValueOutOfRange: [
    "The value '%1' for the property %2 is not in the supported range of acceptable values.",
    "Warning",
  ],
  PropertyMissing: [
    "The property %1 is a required property and must be included in the request.",
    "Warning",
  ],
  ActionNotSupported: ["The action %1 is not supported by the resource.", "Critical"],
  ActionParameterMissing: [
    "The action %1 requires the parameter %2 to be present in the request body.",
    "Critical",
  ],
  ActionParameterUnknown: [
    "The action %1 was submitted with the invalid parameter %2.",
    "Warning",
  ],
  ActionParameterValueTypeError: [
    "The value '%1' for the parameter %2 in the action %3 is of a different type than the parameter can accept.",
    "Warning",
  ],
  QueryNotSupported: ["Querying is not supported by the implementation.", "Warning"],
  QueryNotSupportedOnOperation: [
    "Querying is not supported with the requested operation.",
    "Warning",
  ],
  ResourceMissingAtURI: ["The resource at the URI '%1' was not found.", "Critical"],
  ResourceCannotBeDeleted: [
    "The delete request failed because the resource requested cannot be deleted.",
    "Critical",
  ],
  NoValidSession: [
    "There is no valid session established with the implementation.",
    "Critical",
  ],
  InsufficientPrivilege: [
    "There are insufficient privileges for the account or credentials associated with the current session to perform the requested operation.",
    "Critical",
  ],
  SessionLimitExceeded: [
    "The session establishment failed due to the number of simultaneous sessions exceeding the limit of the implementation.",
    "Critical",
  ],
  EventSubscriptionLimitExceeded: [
    "The event subscription failed due to the number of simultaneous subscriptions exceeding the limit of the implementation.",
    "Critical",
  ],
  ServiceTemporarilyUnavailable: [
    "The service is temporarily unavailable.  Retry in %1 seconds.",
    "Critical",
  ],
  PreconditionFailed: [
    "The ETag supplied did not match the ETag required to change this resource.",
    "Critical",
  ],
  PreconditionRequired: [
    "A precondition header or annotation is required to change this resource.",
    "Critical",
  ],
} as const satisfies Record<string, readonly [string, string]>;

/** A MessageId of {@link BASE_MESSAGES}. */
export type BaseMessageId = keyof typeof BASE_MESSAGES;

/** One `@Message.ExtendedInfo` entry. */
export interface RedfishMessage {
  /** Type annotation. */
  readonly "@odata.type": string;
  /** `Base.1.9.3.<Id>`. */
  readonly MessageId: string;
  /** The registry's text with the arguments filled in. */
  readonly Message: string;
  /** The arguments. */
  readonly MessageArgs: readonly string[];
  /** Registry severity. */
  readonly MessageSeverity: string;
  /** What to do (this service's words where it has more to say than the registry). */
  readonly Resolution?: string;
  /** JSON pointers of the properties concerned. */
  readonly RelatedProperties?: readonly string[];
}

/**
 * Build a message.
 *
 * @param id MessageId.
 * @param args Arguments `%1`, `%2`, …
 * @param options Resolution and related properties.
 * @returns The entry.
 */
export function message(
  id: BaseMessageId,
  args: readonly string[] = [],
  options: { resolution?: string; related?: readonly string[] } = {},
): RedfishMessage {
  const [text, severity] = BASE_MESSAGES[id];
  return {
    "@odata.type": "#Message.v1_3_0.Message",
    MessageId: `${BASE_REGISTRY}.${id}`,
    Message: text.replace(/%(\d)/g, (_, n: string) => args[Number(n) - 1] ?? ""),
    MessageArgs: [...args],
    MessageSeverity: severity,
    ...(options.resolution === undefined ? {} : { Resolution: options.resolution }),
    ...(options.related === undefined ? {} : { RelatedProperties: [...options.related] }),
  };
}

/** An error a handler throws; the app renders it as a Redfish error body. */
export class RedfishError extends Error {
  /** HTTP status. */
  readonly status: number;
  /** The messages. */
  readonly messages: readonly RedfishMessage[];
  /** Extra response headers (`Allow`, `Retry-After`, `WWW-Authenticate`). */
  readonly headers: Readonly<Record<string, string>>;

  /**
   * Create the error.
   *
   * @param status HTTP status.
   * @param first The main message.
   * @param options More messages and headers.
   */
  constructor(
    status: number,
    first: RedfishMessage,
    options: { more?: readonly RedfishMessage[]; headers?: Record<string, string> } = {},
  ) {
    super(first.Message);
    this.name = "RedfishError";
    this.status = status;
    this.messages = [first, ...(options.more ?? [])];
    this.headers = options.headers ?? {};
  }

  /** The error body (DSP0266 "Error responses"). */
  body(): Record<string, unknown> {
    const first = this.messages[0]!;
    return {
      error: {
        code: first.MessageId,
        message: first.Resolution === undefined
          ? first.Message
          : `${first.Message} ${first.Resolution}`,
        "@Message.ExtendedInfo": this.messages,
      },
    };
  }
}

/**
 * The 400 for a PATCH of a property that may not be changed: read-only if
 * the resource has it, unknown otherwise.
 *
 * @param key Property name.
 * @param current The resource as GET shows it.
 * @returns The error (to throw).
 */
export function notWritable(key: string, current: Readonly<Record<string, unknown>>): RedfishError {
  return key in current
    ? redfishError(400, "PropertyNotWritable", [key])
    : redfishError(400, "PropertyUnknown", [key]);
}

/**
 * Shorthand: a {@link RedfishError} with one message.
 *
 * @param status HTTP status.
 * @param id MessageId.
 * @param args Arguments.
 * @param options Resolution, related properties, headers.
 * @returns The error (to throw).
 */
export function redfishError(
  status: number,
  id: BaseMessageId,
  args: readonly string[] = [],
  options: { resolution?: string; related?: readonly string[]; headers?: Record<string, string> } =
    {},
): RedfishError {
  const { headers, ...rest } = options;
  return new RedfishError(status, message(id, args, rest), headers ? { headers } : {});
}
