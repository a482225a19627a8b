/**
 * Canonical JSON: object keys in code-point order at every depth, `undefined` members dropped, `toJSON` honoured
 * (so a Secret becomes `{sensitive, env}`, never its value). Written by hand rather than with JSON.stringify's key
 * order, which puts integer-like keys first, so the same value always gives the same bytes (saved plans, checksums).
 */
export function canonicalJson(value: unknown, indent = 0): string {
  return write(value, indent > 0 ? ' '.repeat(indent) : '', '') ?? 'null';
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function write(value: unknown, step: string, pad: string): string | undefined {
  let v = value;
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    v = (v as { toJSON: () => unknown }).toJSON();
  }
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return undefined;
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : 'null';
  if (typeof v === 'bigint') throw new TypeError('canonicalJson: bigint is not JSON');
  const inner = pad + step;
  const nl = step ? '\n' : '';
  const sep = step ? ': ' : ':';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const items = v.map((x) => `${inner}${write(x, step, inner) ?? 'null'}`);
    return `[${nl}${items.join(`,${nl}`)}${nl}${pad}]`;
  }
  const obj = v as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(obj).sort(compare)) {
    const text = write(obj[key], step, inner);
    if (text !== undefined) members.push(`${inner}${JSON.stringify(key)}${sep}${text}`);
  }
  if (members.length === 0) return '{}';
  return `{${nl}${members.join(`,${nl}`)}${nl}${pad}}`;
}
