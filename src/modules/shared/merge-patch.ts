/** RFC 7396 JSON merge patch: null removes, objects merge, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const base: Record<string, unknown> =
    target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === undefined) continue;
    if (value === null) delete base[key];
    else base[key] = mergePatch(base[key], value);
  }
  return base;
}

/**
 * A stable text of a value (object keys sorted), to tell whether a write changes anything: what
 * JSON.stringify gives with every object's keys sorted, written directly (an import compares
 * every row it reads, and a replacer that copies each object was most of that).
 */
export function canonical(value: unknown): string {
  return canonicalOf(value) ?? 'undefined';
}

function canonicalOf(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      const json = (value as { toJSON?: () => unknown }).toJSON;
      if (typeof json === 'function') return canonicalOf(json.call(value));
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + (canonicalOf(value[i]) ?? 'null');
        return out + ']';
      }
      let out = '{';
      let first = true;
      for (const key of sortedKeys(value)) {
        const text = canonicalOf((value as Record<string, unknown>)[key]);
        if (text === undefined) continue;
        out += (first ? '' : ',') + JSON.stringify(key) + ':' + text;
        first = false;
      }
      return out + '}';
    }
    default:
      return undefined; // undefined, a function, a symbol: left out, as JSON.stringify does
  }
}

const INDEX = /^(?:0|[1-9]\d{0,9})$/;
/**
 * Keys as a sorted copy of the object would list them: integer-like keys first, ascending (an
 * object always lists those first, whatever their order of insertion), then the others sorted.
 */
function sortedKeys(value: object): string[] {
  const keys = Object.keys(value);
  let indexes = 0;
  while (indexes < keys.length && INDEX.test(keys[indexes]!) && Number(keys[indexes]) < 4294967295) indexes++;
  return indexes === 0 ? keys.sort() : [...keys.slice(0, indexes), ...keys.slice(indexes).sort()];
}
