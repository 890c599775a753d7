import { bufferSource, toBase64Url } from './bytes.ts';

/**
 * Deterministic JSON for hashing and signing: object keys sorted (by UTF-16 code units, as
 * RFC 8785), no whitespace, arrays in order. Only JSON values are accepted: `undefined`
 * (also as an object member or array element), functions, symbols, bigints, non-finite
 * numbers, cycles and objects other than plain objects and arrays (Date, Map, typed arrays)
 * throw, because silently dropping or converting them would sign something else than meant.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, '$', new Set());
}

function encode(value: unknown, path: string, seen: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`canonicalJson: non-finite number at ${path}`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new Error(`canonicalJson: ${typeof value} at ${path} is not a JSON value`);
  }
  if (seen.has(value)) throw new Error(`canonicalJson: cycle at ${path}`);
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      const items: string[] = [];
      for (let i = 0; i < value.length; i++) items.push(encode(value[i], `${path}[${i}]`, seen));
      return `[${items.join(',')}]`;
    }
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      throw new Error(`canonicalJson: ${Object.prototype.toString.call(value)} at ${path} is not a plain object`);
    }
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${encode(record[key], `${path}.${key}`, seen)}`);
    return `{${members.join(',')}}`;
  } finally {
    seen.delete(value);
  }
}

export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bufferSource(bytes)));
}

export async function sha256Base64Url(bytes: Uint8Array): Promise<string> {
  return toBase64Url(await sha256(bytes));
}
