/**
 * `405 Method Not Allowed` for a known path asked with a method it does not
 * have: the methods it has, for the `Allow` header, read from the app's own
 * routes so the answer can never disagree with the router.
 *
 * @module
 */

/** A route as Hono lists it in `app.routes`. */
export interface RouteLike {
  /** Method (`ALL` for middleware). */
  readonly method: string;
  /** Path in Hono syntax (`/api/v1/bmcs/:id`). */
  readonly path: string;
}

/** Which methods each known path pattern answers. */
export class AllowedMethods {
  readonly #patterns: { readonly re: RegExp; readonly methods: readonly string[] }[];

  /**
   * Index routes by path.
   *
   * @param routes The app's routes (middleware, `ALL`, is left out).
   */
  constructor(routes: readonly RouteLike[]) {
    const byPath = new Map<string, Set<string>>();
    for (const r of routes) {
      if (r.method === "ALL") continue;
      const methods = byPath.get(r.path) ?? new Set<string>();
      methods.add(r.method);
      if (r.method === "GET") methods.add("HEAD");
      byPath.set(r.path, methods);
    }
    this.#patterns = [...byPath].map(([path, methods]) => ({
      re: new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:\w+/g, "[^/]+")}$`),
      methods: [...methods],
    }));
  }

  /**
   * The methods a path has.
   *
   * @param path Request path.
   * @returns Methods in the order the routes declare them, empty for an unknown path.
   */
  of(path: string): string[] {
    const out = new Set<string>();
    for (const p of this.#patterns) {
      if (p.re.test(path)) { for (const m of p.methods) out.add(m); }
    }
    return [...out];
  }
}
