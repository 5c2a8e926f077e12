import assert from "node:assert/strict";
import { trimEnterpriseNumbers } from "../../src/guest/initramfs.ts";

const REGISTRY = `PRIVATE ENTERPRISE NUMBERS

Decimal
| Organization
| | Contact
| | | Email
| | | | 
0
  Reserved
    Internet Assigned Numbers Authority
      iana&iana.org
11
  Hewlett-Packard
    Someone
      someone&example.org
12
  Not Wanted
    Nobody
      nobody&example.org
674
  Dell Inc.
    Someone Else
      else&example.org
`;

Deno.test("the guest's enterprise registry keeps the header and the wanted entries only", () => {
  const trimmed = trimEnterpriseNumbers(REGISTRY, new Set([11, 674]));
  assert.match(trimmed, /^PRIVATE ENTERPRISE NUMBERS\n/);
  assert.match(trimmed, /\n11\n {2}Hewlett-Packard\n/);
  assert.match(trimmed, /\n674\n {2}Dell Inc\.\n {4}Someone Else\n {6}else&example\.org\n/);
  assert.doesNotMatch(trimmed, /Not Wanted|Reserved|^12$/m);
});
