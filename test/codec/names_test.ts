import assert from "node:assert/strict";
import {
  commandName,
  completionCodeName,
  hexBytes,
  knownCommandNames,
  parseCommand,
  parseNetFn,
  vmCommandName,
} from "../../src/codec/names.ts";

Deno.test("commandName() names commands in kebab case, hex for unknown ones", () => {
  assert.equal(commandName(0x06, 0x01), "app/get-device-id");
  assert.equal(commandName(0x07, 0x22), "app/reset-watchdog-timer");
  assert.equal(commandName(0x0a, 0x44), "storage/add-sel-entry");
  assert.equal(commandName(0x00, 0x07), "chassis/get-system-restart-cause");
  assert.equal(commandName(0x2c, 0x00), "group/0x00");
  assert.equal(commandName(0x30, 0x01), "0x30/0x01");
});

Deno.test("completionCodeName() and vmCommandName() name known values", () => {
  assert.equal(completionCodeName(0x00), "ok");
  assert.equal(completionCodeName(0xc1), "invalid-command");
  assert.equal(completionCodeName(0xd5), "not-supported-in-present-state");
  assert.equal(completionCodeName(0x80), "command-specific-80");
  assert.equal(completionCodeName(0x7e), "0x7e");
  assert.equal(vmCommandName(0x07), "send-nmi");
  assert.equal(vmCommandName(0xff), "version");
});

Deno.test("parseNetFn() and parseCommand() invert the names", () => {
  assert.equal(parseNetFn("app"), 0x06);
  assert.equal(parseNetFn("sensor-event"), 0x04);
  assert.equal(parseNetFn("nope"), undefined);
  assert.equal(parseCommand(0x06, "reset-watchdog-timer"), 0x22);
  assert.equal(parseCommand(0x06, 0x99), 0x99);
  assert.equal(parseCommand(0x06, "nope"), undefined);
  for (const name of knownCommandNames()) {
    const [netfn, cmd] = name.split("/");
    const n = parseNetFn(netfn!)!;
    assert.equal(commandName(n, parseCommand(n, cmd!)!), name);
  }
});

Deno.test("hexBytes() formats bytes", () => {
  assert.equal(hexBytes([0x00, 0xab, 0x5]), "00 ab 05");
  assert.equal(hexBytes([]), "");
});
