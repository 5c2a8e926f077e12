/**
 * Merge the Prometheus text expositions of several shards into one: each
 * family's HELP and TYPE once, its samples from every shard in shard order;
 * an unlabelled sample (a process-wide gauge) is summed, or replaced where
 * the main isolate knows the process-wide value.
 *
 * @module
 */

interface Family {
  /** The shard whose HELP and TYPE lines are kept. */
  headerFrom: number | null;
  readonly header: string[];
  readonly samples: string[];
  readonly totals: Map<string, number>;
}

function sampleName(line: string): { name: string; labelled: boolean } {
  const brace = line.indexOf("{");
  const space = line.indexOf(" ");
  const end = brace >= 0 && brace < space ? brace : space;
  return { name: line.slice(0, end), labelled: end === brace };
}

/**
 * Merge expositions.
 *
 * @param texts One exposition per shard.
 * @param overrides Values for unlabelled samples, by metric name (instead of the sum).
 * @returns One exposition.
 */
export function mergeExpositions(
  texts: readonly string[],
  overrides: Readonly<Record<string, number>> = {},
): string {
  const families = new Map<string, Family>();
  const family = (name: string): Family => {
    let f = families.get(name);
    if (f === undefined) {
      f = { headerFrom: null, header: [], samples: [], totals: new Map() };
      families.set(name, f);
    }
    return f;
  };
  texts.forEach((text, shard) => {
    for (const line of text.split("\n")) {
      if (line === "") continue;
      const comment = /^# (HELP|TYPE) (\S+)/.exec(line);
      if (comment !== null) {
        const f = family(comment[2]!);
        f.headerFrom ??= shard;
        if (f.headerFrom === shard) f.header.push(line);
        continue;
      }
      const { name, labelled } = sampleName(line);
      const f = family(name);
      if (labelled) f.samples.push(line);
      else f.totals.set(name, (f.totals.get(name) ?? 0) + Number(line.slice(name.length + 1)));
    }
  });
  const out: string[] = [];
  for (const f of families.values()) {
    out.push(...f.header, ...f.samples);
    for (const [name, total] of f.totals) out.push(`${name} ${overrides[name] ?? total}`);
  }
  return out.join("\n") + "\n";
}
