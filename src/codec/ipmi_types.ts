/**
 * Plain data shapes for IPMI requests and responses, independent of the
 * transport that carried them.
 *
 * @module
 */

/** An IPMI request as received on the system interface. */
export interface IpmiRequest {
  /** Request network function (even). */
  readonly netfn: number;
  /** Logical unit number (0–3). */
  readonly lun: number;
  /** Command number. */
  readonly cmd: number;
  /** Request data after the command byte. */
  readonly data: Uint8Array;
}

/** An IPMI response to be sent on the system interface. */
export interface IpmiResponse {
  /** Response network function (request netfn | 1). */
  readonly netfn: number;
  /** Logical unit number echoed from the request. */
  readonly lun: number;
  /** Command number echoed from the request. */
  readonly cmd: number;
  /** Completion code. */
  readonly cc: number;
  /** Response data after the completion code. */
  readonly data: Uint8Array;
}
