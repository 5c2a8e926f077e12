import assert from "node:assert/strict";
import { FaultRuleError } from "../../src/faults/fault_schema.ts";
import { ProfileError } from "../../src/profile/profile_error.ts";
import { ConfigError } from "../../src/runtime/config_file.ts";
import { ScenarioError } from "../../src/scenario/scenario_schema.ts";
import { SchemaError } from "../../src/util/schema_error.ts";

Deno.test("profile, config, scenario and fault-rule errors are one SchemaError: source, field, problem", () => {
  const cases: [SchemaError, string][] = [
    [
      new ProfileError("x.json", "identity.deviceId", "is required"),
      'Cannot load profile "x.json"',
    ],
    [new ConfigError("rack.json", "bmcs[0].id", "is required"), 'Cannot load config "rack.json"'],
    [new ScenarioError("s.json", "steps[0].sleep", "is required"), 'Cannot load scenario "s.json"'],
    [new FaultRuleError("match.cmd", "is required"), "Invalid fault rule"],
  ];
  for (const [error, where] of cases) {
    assert.ok(error instanceof SchemaError && error instanceof SyntaxError);
    assert.equal(error.problem, "is required");
    assert.equal(error.message, `${where}: field "${error.field}" is required`);
  }
  assert.equal(
    new ProfileError("x.json", "", "is not JSON").message,
    'Cannot load profile "x.json": is not JSON',
  );
});
