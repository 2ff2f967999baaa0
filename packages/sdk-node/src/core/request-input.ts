/** What a resource method hands to the core besides the route: the caller's raw input, unvalidated. */
export interface RequestInput {
  /** Path parameters, filled into the route's `{name}` placeholders. */
  params?: Readonly<Record<string, string | number>>;
  /** Query parameters; `undefined` values are left out. */
  query?: object | undefined;
  /** JSON body. */
  body?: unknown;
  /** Headers this route needs beyond auth (e.g. `x-careos-key-id`). Names in lower case. */
  headers?: Readonly<Record<string, string>>;
}
