/**
 * Protocol numbers, named once: IPMI network functions, commands and
 * completion codes (IPMI v2.0 rev 1.1), and the OpenIPMI "VM" serial protocol
 * bytes spoken by QEMU's `ipmi-bmc-extern` (OpenIPMI `lanserv/README.vm`).
 *
 * @module
 */

/** IPMI network function codes for requests (responses are `netfn | 1`). */
export const NetFn = {
  Chassis: 0x00,
  Bridge: 0x02,
  SensorEvent: 0x04,
  App: 0x06,
  Firmware: 0x08,
  Storage: 0x0a,
  Transport: 0x0c,
  Group: 0x2c,
  Oem: 0x2e,
} as const;

/** App network function commands (IPMI v2.0 ch. 20–22, 27). */
export const AppCmd = {
  GetDeviceId: 0x01,
  ColdReset: 0x02,
  WarmReset: 0x03,
  GetSelfTestResults: 0x04,
  ManufacturingTestOn: 0x05,
  SetAcpiPowerState: 0x06,
  GetAcpiPowerState: 0x07,
  GetDeviceGuid: 0x08,
  ResetWatchdogTimer: 0x22,
  SetWatchdogTimer: 0x24,
  GetWatchdogTimer: 0x25,
  SetBmcGlobalEnables: 0x2e,
  GetBmcGlobalEnables: 0x2f,
  ClearMessageFlags: 0x30,
  GetMessageFlags: 0x31,
  EnableMessageChannelReceive: 0x32,
  GetMessage: 0x33,
  SendMessage: 0x34,
  ReadEventMessageBuffer: 0x35,
  GetBtInterfaceCapabilities: 0x36,
  GetSystemGuid: 0x37,
  GetChannelAuthCapabilities: 0x38,
  GetChannelAccess: 0x41,
  GetChannelInfo: 0x42,
  GetSystemInterfaceCapabilities: 0x57,
} as const;

/** Chassis network function commands (IPMI v2.0 ch. 28). */
export const ChassisCmd = {
  GetChassisCapabilities: 0x00,
  GetChassisStatus: 0x01,
  ChassisControl: 0x02,
  ChassisReset: 0x03,
  ChassisIdentify: 0x04,
  SetPowerRestorePolicy: 0x06,
  GetSystemRestartCause: 0x07,
  SetSystemBootOptions: 0x08,
  GetSystemBootOptions: 0x09,
  GetPohCounter: 0x0f,
} as const;

/** Sensor/Event network function commands (IPMI v2.0 ch. 29, 35). */
export const SensorEventCmd = {
  SetEventReceiver: 0x00,
  GetEventReceiver: 0x01,
  PlatformEvent: 0x02,
  GetDeviceSdrInfo: 0x20,
  GetDeviceSdr: 0x21,
  ReserveDeviceSdrRepository: 0x22,
  GetSensorReadingFactors: 0x23,
  SetSensorHysteresis: 0x24,
  GetSensorHysteresis: 0x25,
  SetSensorThresholds: 0x26,
  GetSensorThresholds: 0x27,
  SetSensorEventEnable: 0x28,
  GetSensorEventEnable: 0x29,
  RearmSensorEvents: 0x2a,
  GetSensorEventStatus: 0x2b,
  GetSensorReading: 0x2d,
  SetSensorType: 0x2e,
  GetSensorType: 0x2f,
} as const;

/** Storage network function commands (IPMI v2.0 ch. 31, 33, 34). */
export const StorageCmd = {
  GetFruInventoryAreaInfo: 0x10,
  ReadFruData: 0x11,
  WriteFruData: 0x12,
  GetSdrRepositoryInfo: 0x20,
  GetSdrRepositoryAllocationInfo: 0x21,
  ReserveSdrRepository: 0x22,
  GetSdr: 0x23,
  AddSdr: 0x24,
  PartialAddSdr: 0x25,
  DeleteSdr: 0x26,
  ClearSdrRepository: 0x27,
  GetSdrRepositoryTime: 0x28,
  GetSelInfo: 0x40,
  GetSelAllocationInfo: 0x41,
  ReserveSel: 0x42,
  GetSelEntry: 0x43,
  AddSelEntry: 0x44,
  PartialAddSelEntry: 0x45,
  DeleteSelEntry: 0x46,
  ClearSel: 0x47,
  GetSelTime: 0x48,
  SetSelTime: 0x49,
} as const;

/** IPMI completion codes (IPMI v2.0 table 5-2 and command-specific codes). */
export const CompletionCode = {
  Ok: 0x00,
  /** Command-specific 0x80: uninitialised watchdog, empty queue/buffer, … */
  CommandSpecific80: 0x80,
  CommandSpecific81: 0x81,
  /** 0x82: used by Linux 6.18+ for SI_HOSED (IPMI_BUS_ERR). */
  CommandSpecific82: 0x82,
  NodeBusy: 0xc0,
  InvalidCommand: 0xc1,
  InvalidForLun: 0xc2,
  Timeout: 0xc3,
  OutOfSpace: 0xc4,
  ReservationCancelled: 0xc5,
  RequestDataTruncated: 0xc6,
  RequestDataLengthInvalid: 0xc7,
  RequestDataFieldLengthExceeded: 0xc8,
  ParameterOutOfRange: 0xc9,
  CannotReturnRequestedBytes: 0xca,
  NotPresent: 0xcb,
  InvalidDataField: 0xcc,
  IllegalForSensorOrRecordType: 0xcd,
  ResponseNotProvided: 0xce,
  DuplicatedRequest: 0xcf,
  SdrRepositoryInUpdateMode: 0xd0,
  FirmwareUpdateMode: 0xd1,
  BmcInitInProgress: 0xd2,
  DestinationUnavailable: 0xd3,
  InsufficientPrivilege: 0xd4,
  NotSupportedInPresentState: 0xd5,
  SubFunctionDisabled: 0xd6,
  Unspecified: 0xff,
} as const;

/** A completion code value. */
export type CompletionCodeValue = number;

/** Maximum IPMI message QEMU passes (netfn/lun, cmd, data), `MAX_IPMI_MSG_SIZE`. */
export const MAX_IPMI_MSG_SIZE = 300;

/**
 * Maximum response data bytes after the completion code that fit QEMU's
 * 302-byte receive buffer (seq, netfn, cmd, cc, data…, checksum).
 */
export const MAX_RESPONSE_DATA = 297;

/** VM protocol framing bytes (`vm-protocol.md` §1.1). */
export const VmChar = {
  /** Terminates an IPMI message frame. */
  Message: 0xa0,
  /** Terminates a control-command frame. */
  Command: 0xa1,
  /** Escapes the next byte, which has bit 4 set by the sender. */
  Escape: 0xaa,
} as const;

/** Bit the sender sets on an escaped byte (`A0` → `AA B0`). */
export const VM_ESCAPE_BIT = 0x10;

/** VM protocol control commands, both directions (`vm-protocol.md` §1.3). */
export const VmCmd = {
  /** BMC → QEMU: clear SMS_ATN. */
  NoAttn: 0x00,
  /** BMC → QEMU: set SMS_ATN without interrupt. */
  Attn: 0x01,
  /** BMC → QEMU: set SMS_ATN and raise the interface interrupt. */
  AttnIrq: 0x02,
  /** BMC → QEMU: power the VM off (QEMU shutdown request). */
  PowerOff: 0x03,
  /** BMC → QEMU: reset the VM; QEMU → BMC: "the target reset" (never sent). */
  Reset: 0x04,
  /** BMC → QEMU: enable the interface interrupt. */
  EnableIrq: 0x05,
  /** BMC → QEMU: disable the interface interrupt. */
  DisableIrq: 0x06,
  /** BMC → QEMU: NMI to every vCPU. */
  SendNmi: 0x07,
  /** QEMU → BMC: capability bitmask follows. */
  Capabilities: 0x08,
  /** BMC → QEMU: ACPI power button (graceful shutdown). */
  GracefulShutdown: 0x09,
  /** BMC → QEMU: disable the BMC interfaces (OpenIPMI HEAD only; no QEMU support). */
  Disable: 0x0a,
  /** BMC → QEMU: enable the BMC interfaces (OpenIPMI HEAD only; no QEMU support). */
  Enable: 0x0b,
  /** Both directions: protocol version follows. */
  Version: 0xff,
} as const;

/** The only VM protocol version there is. */
export const VM_PROTOCOL_VERSION = 0x01;

/** Capability bits QEMU advertises with `VmCmd.Capabilities`. */
export const VmCapability = {
  Power: 0x01,
  Reset: 0x02,
  Irq: 0x04,
  Nmi: 0x08,
  Attn: 0x10,
  GracefulShutdown: 0x20,
  Enable: 0x40,
} as const;

/** Message flag bits (Get/Clear Message Flags, IPMI v2.0 22.4). */
export const MessageFlag = {
  ReceiveMessageAvailable: 0x01,
  EventMessageBufferFull: 0x02,
  WatchdogPretimeout: 0x08,
  Oem0: 0x20,
  Oem1: 0x40,
  Oem2: 0x80,
} as const;

/** BMC Global Enables bits (IPMI v2.0 22.1). */
export const GlobalEnable = {
  ReceiveMessageQueueInterrupt: 0x01,
  EventMessageBufferFullInterrupt: 0x02,
  EventMessageBuffer: 0x04,
  SystemEventLogging: 0x08,
  Oem0: 0x20,
  Oem1: 0x40,
  Oem2: 0x80,
} as const;

/** Default BMC Global Enables after a BMC (re)start: only event logging. */
export const DEFAULT_GLOBAL_ENABLES = GlobalEnable.SystemEventLogging;

/** Slave address of the BMC on IPMB. */
export const BMC_SLAVE_ADDRESS = 0x20;
