/**
 * Matching of event data and state against expectations written in JSON.
 *
 * @module
 */

/**
 * Whether `actual` contains everything `expected` says: objects are matched
 * key by key (extra keys allowed), arrays element by element, a hex string
 * such as `"0xd5"` equals the number it names, and an object of operators
 * tests a value: `{"$min": 40, "$max": 70}`, `{"$match": "kcs hosed"}`,
 * `{"$not": true}`.
 *
 * @param actual Value found.
 * @param expected Value asked for.
 * @returns `true` on a match.
 */
export function matchesWhere(actual: unknown, expected: unknown): boolean {
  if (
    typeof expected === "string" && typeof actual === "number" && /^0x[0-9a-f]+$/i.test(expected)
  ) {
    return parseInt(expected, 16) === actual;
  }
  if (isOperator(expected)) return matchesOperator(actual, expected);
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && expected.length === actual.length &&
      expected.every((e, i) => matchesWhere(actual[i], e));
  }
  if (typeof expected === "object" && expected !== null) {
    if (typeof actual !== "object" || actual === null) return false;
    return Object.entries(expected).every(([k, v]) =>
      matchesWhere((actual as Record<string, unknown>)[k], v)
    );
  }
  return Object.is(actual, expected);
}

type Operator = { $min?: number; $max?: number; $match?: string; $not?: unknown };

function isOperator(value: unknown): value is Operator {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    Object.keys(value).length > 0 && Object.keys(value).every((k) => k.startsWith("$"));
}

function matchesOperator(actual: unknown, op: Operator): boolean {
  if (op.$min !== undefined && !(typeof actual === "number" && actual >= op.$min)) return false;
  if (op.$max !== undefined && !(typeof actual === "number" && actual <= op.$max)) return false;
  if (
    op.$match !== undefined && !(typeof actual === "string" && new RegExp(op.$match).test(actual))
  ) {
    return false;
  }
  if ("$not" in op && matchesWhere(actual, op.$not)) return false;
  return true;
}

/**
 * The value at a dotted path (`watchdog.running`, `faults.0.hits`).
 *
 * @param root Object.
 * @param path Dotted path.
 * @returns The value, or `undefined`.
 */
export function valueAt(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const key of path.split(".")) {
    if (typeof cur !== "object" || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
