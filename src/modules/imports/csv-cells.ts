import { z } from 'zod';

// CSV cells are text; an entity's input schema says what each field is. A cell becomes that:
// a number, a boolean, a list (`;`-separated), or JSON for a field of objects (an interview's
// questions). A cell that does not read as its type is left as text, and the schema's own
// check names the field and the type it expects.

type Kind = 'integer' | 'number' | 'boolean' | 'list' | 'json' | 'text';
type JsonSchema = {
  type?: string | string[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
};

function kindOf(given: JsonSchema, resolve: (s: JsonSchema) => JsonSchema): Kind {
  const schema = resolve(given);
  const variants = (schema.anyOf ?? [schema]).map(resolve).filter((s) => s.type !== 'null');
  const types = variants.flatMap((s) => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []));
  if (types.includes('integer')) return 'integer';
  if (types.includes('number')) return 'number';
  if (types.includes('boolean')) return 'boolean';
  if (types.includes('array')) {
    const found = variants.find((s) => s.type === 'array')?.items;
    const items = found && resolve(found);
    return items && (items.type === 'object' || items.type === 'array' || items.properties) ? 'json' : 'list';
  }
  if (types.includes('object')) return 'json';
  return 'text';
}

const read: Record<Kind, (cell: string) => unknown> = {
  integer: (cell) => (/^\s*-?\d+\s*$/.test(cell) ? Number(cell) : cell),
  number: (cell) => (cell.trim() !== '' && Number.isFinite(Number(cell)) ? Number(cell) : cell),
  boolean: (cell) => ({ true: true, false: false, '1': true, '0': false })[cell.trim().toLowerCase()] ?? cell,
  list: (cell) =>
    cell
      .split(';')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  json: (cell) => {
    try {
      return JSON.parse(cell) as unknown;
    } catch {
      return cell;
    }
  },
  text: (cell) => cell,
};

/** For an entity's input schema: a CSV record's cells as the values its fields take. */
export function csvCellReader(input: z.ZodType): (record: Record<string, unknown>) => Record<string, unknown> {
  const document = z.toJSONSchema(input, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  // Named schemas are references into $defs.
  const resolve = (s: JsonSchema): JsonSchema => (s.$ref ? (document.$defs?.[s.$ref.replace('#/$defs/', '')] ?? s) : s);
  const kinds = new Map(Object.entries(resolve(document).properties ?? {}).map(([field, property]) => [field, kindOf(property, resolve)]));
  return (record) => {
    const value: Record<string, unknown> = {};
    for (const [field, cell] of Object.entries(record)) value[field] = typeof cell === 'string' ? read[kinds.get(field) ?? 'text'](cell) : cell;
    return value;
  };
}
