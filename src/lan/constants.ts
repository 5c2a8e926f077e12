/**
 * Numbers of IPMI over LAN (IPMI v2.0 ch. 13, 15, 22, 24, 26; DSP0136 ASF
 * 2.0 for RMCP): RMCP classes, session payload types, RMCP+ algorithms and
 * status codes, privilege levels, and the LAN-channel commands.
 *
 * @module
 */

/** RMCP version byte (ASF 2.0 §3.2.2.1). */
export const RMCP_VERSION = 0x06;
/** RMCP sequence number meaning "no RMCP ACK" (IPMI messages use it). */
export const RMCP_SEQ_NO_ACK = 0xff;
/** RMCP message classes (byte 3, bits 4:0; bit 7 = ACK). */
export const RmcpClass = { Asf: 0x06, Ipmi: 0x07 } as const;
/** ASF IANA enterprise number, big-endian in ASF messages. */
export const ASF_IANA = 0x000011be;
/** ASF message types. */
export const AsfType = { PresencePong: 0x40, PresencePing: 0x80 } as const;

/** IPMI session authentication types (byte after the RMCP header). */
export const AuthType = {
  None: 0x00,
  Md2: 0x01,
  Md5: 0x02,
  Password: 0x04,
  Oem: 0x05,
  RmcpPlus: 0x06,
} as const;

/** RMCP+ payload types (IPMI v2.0 table 13-16). */
export const PayloadType = {
  Ipmi: 0x00,
  Sol: 0x01,
  OemExplicit: 0x02,
  OpenSessionRequest: 0x10,
  OpenSessionResponse: 0x11,
  Rakp1: 0x12,
  Rakp2: 0x13,
  Rakp3: 0x14,
  Rakp4: 0x15,
} as const;

/** Payload type byte flags. */
export const PAYLOAD_ENCRYPTED = 0x80;
/** Payload type byte flag: the packet carries an AuthCode trailer. */
export const PAYLOAD_AUTHENTICATED = 0x40;
/** "Next header" byte of the integrity trailer. */
export const NEXT_HEADER = 0x07;

/** Authentication algorithms (RAKP, IPMI v2.0 table 13-18). */
export const AuthAlg = { None: 0x00, HmacSha1: 0x01, HmacMd5: 0x02, HmacSha256: 0x03 } as const;
/** Integrity algorithms (IPMI v2.0 table 13-19). */
export const IntegrityAlg = {
  None: 0x00,
  HmacSha1_96: 0x01,
  HmacMd5_128: 0x02,
  Md5_128: 0x03,
  HmacSha256_128: 0x04,
} as const;
/** Confidentiality algorithms (IPMI v2.0 table 13-20). */
export const ConfAlg = { None: 0x00, AesCbc128: 0x01, XRc4_128: 0x02, XRc4_40: 0x03 } as const;

/** RMCP+ and RAKP message status codes (IPMI v2.0 table 13-15). */
export const RakpStatus = {
  Ok: 0x00,
  InsufficientResources: 0x01,
  InvalidSessionId: 0x02,
  InvalidPayloadType: 0x03,
  InvalidAuthAlg: 0x04,
  InvalidIntegrityAlg: 0x05,
  NoMatchingAuthPayload: 0x06,
  NoMatchingIntegrityPayload: 0x07,
  InactiveSessionId: 0x08,
  InvalidRole: 0x09,
  UnauthorizedRole: 0x0a,
  InsufficientResourcesForRole: 0x0b,
  InvalidNameLength: 0x0c,
  UnauthorizedName: 0x0d,
  UnauthorizedGuid: 0x0e,
  InvalidIntegrityCheck: 0x0f,
  InvalidConfAlg: 0x10,
  NoCipherSuiteMatch: 0x11,
  IllegalParameter: 0x12,
} as const;

/** Privilege levels (IPMI v2.0 table 6-1). */
export const Privilege = { Callback: 1, User: 2, Operator: 3, Administrator: 4, Oem: 5 } as const;
/** A privilege level 1–5. */
export type PrivilegeLevel = typeof Privilege[keyof typeof Privilege];
/** Privilege limit meaning "no access" (Get User Access). */
export const NO_ACCESS = 0x0f;

/** Names of privilege levels as users write them in configuration. */
export const PRIVILEGE_NAMES: Readonly<Record<string, PrivilegeLevel>> = {
  callback: 1,
  user: 2,
  operator: 3,
  administrator: 4,
  admin: 4,
  oem: 5,
};

/** The LAN channel's number. */
export const LAN_CHANNEL = 1;
/** Channel number meaning "the channel this request arrived on". */
export const CURRENT_CHANNEL = 0x0e;

/** LAN-channel commands of NetFn App (IPMI v2.0 ch. 22, 24). */
export const LanAppCmd = {
  GetChannelAuthCapabilities: 0x38,
  GetSessionChallenge: 0x39,
  ActivateSession: 0x3a,
  SetSessionPrivilegeLevel: 0x3b,
  CloseSession: 0x3c,
  GetSessionInfo: 0x3d,
  SetChannelAccess: 0x40,
  GetChannelAccess: 0x41,
  GetChannelInfo: 0x42,
  SetUserAccess: 0x43,
  GetUserAccess: 0x44,
  SetUserName: 0x45,
  GetUserName: 0x46,
  SetUserPassword: 0x47,
  ActivatePayload: 0x48,
  DeactivatePayload: 0x49,
  GetPayloadActivationStatus: 0x4a,
  GetPayloadInstanceInfo: 0x4b,
  SetUserPayloadAccess: 0x4c,
  GetUserPayloadAccess: 0x4d,
  GetChannelPayloadSupport: 0x4e,
  GetChannelCipherSuites: 0x54,
} as const;

/** NetFn Transport commands (IPMI v2.0 ch. 23, 26). */
export const TransportCmd = {
  SetLanConfig: 0x01,
  GetLanConfig: 0x02,
  SetSolConfig: 0x21,
  GetSolConfig: 0x22,
} as const;

/** NetFn Transport (request). */
export const NETFN_TRANSPORT = 0x0c;
/** NetFn App (request). */
export const NETFN_APP = 0x06;

/** BMC's slave address on the LAN message (responder address). */
export const BMC_SA = 0x20;
