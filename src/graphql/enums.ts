// The closed sets of domain.md as GraphQL enums: UPPER_SNAKE names for REST's lower snake values.

/**
 * A closed set of domain.md as a GraphQL enum: values are UPPER_SNAKE of REST's lower snake,
 * or named in `names` where a REST value is not a GraphQL name (`201-1000` → `SIZE_201_1000`).
 */
export function graphqlEnum<V extends string>(values: readonly V[], names: Partial<Record<V, string>> = {}) {
  const toName = new Map<V, string>(values.map((v) => [v, names[v] ?? v.toUpperCase()]));
  const toValue = new Map<string, V>([...toName].map(([v, n]) => [n, v]));
  return {
    names: [...toName.values()],
    /** REST's value as its GraphQL name (null stays null). */
    out: (value: V | null | undefined): string | null => (value == null ? null : toName.get(value)!),
    /** A GraphQL name (already checked by the schema) as REST's value. */
    in: (name: string): V => toValue.get(name)!,
  };
}

/** What `enumInputs` needs of an enum: its names as values. */
export type GraphqlEnum = { in: (name: string) => string };

/**
 * GraphQL input as REST's: the enum names at `paths` as their values. A path walks into lists
 * of objects (`insights.category`: the category of every insight); a list of names maps each.
 */
export function enumInputs(paths: Record<string, GraphqlEnum>) {
  const at = (value: unknown, [key, ...rest]: string[], names: GraphqlEnum): unknown => {
    if (Array.isArray(value)) return value.map((item) => at(item, [key!, ...rest], names));
    if (value === null || typeof value !== 'object' || !(key! in value)) return value;
    const field = (value as Record<string, unknown>)[key!];
    const mapped =
      rest.length > 0 ? at(field, rest, names) : Array.isArray(field) ? field.map((n: string) => names.in(n)) : typeof field === 'string' ? names.in(field) : field;
    return { ...(value as object), [key!]: mapped };
  };
  return (values: Record<string, unknown>): Record<string, unknown> =>
    Object.entries(paths).reduce<Record<string, unknown>>((out, [path, names]) => at(out, path.split('.'), names) as Record<string, unknown>, values);
}
