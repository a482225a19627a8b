import type { Json } from '../model/errors.js';
import { KIND_SPECS } from '../kinds/index.js';
import type { Kind } from '../model/kinds.js';
import type { FieldChange } from '../model/plan.js';
import { isPlainObject } from '../model/object.js';

/**
 * Field-level diff of two canonical `attributes` objects. Both sides were normalised (defaults applied, server
 * fields kept aside) before planning, so any difference here is a real one.
 *
 * Nested plain objects (a credential's `settings`) are diffed per entry as `settings.<name>`, so a change to one
 * setting shows as one line. A field missing on one side shows as `null`.
 */

/** Code-point order, independent of locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Field names of `kind` in display order: the declared order first, then the rest in code-point order. */
export function orderFields(kind: Kind, names: Iterable<string>): string[] {
  const order: readonly string[] = KIND_SPECS[kind].fieldOrder;
  const rank = (n: string): number => {
    const i = order.indexOf(n);
    return i === -1 ? order.length : i;
  };
  return [...new Set(names)].sort((a, b) => rank(a) - rank(b) || compareStrings(a, b));
}

/** Deep equality of JSON values; object key order does not matter, `undefined` equals a missing key. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!jsonEqual(a[k], b[k])) return false;
    return true;
  }
  // Treat a missing value and `null` alike only through the callers (see toJson); here they differ.
  return false;
}

/** Whether {@link diffAttributes} would find no change (the same rules, field by field, without ordering). */
export function sameAttributes(from: Record<string, unknown>, to: Record<string, unknown>): boolean {
  const sameValue = (a: unknown, b: unknown): boolean =>
    ((a ?? null) === null && (b ?? null) === null) || jsonEqual(a, b);
  const sameField = (a: unknown, b: unknown): boolean => {
    if (!isPlainObject(a) || !isPlainObject(b)) return sameValue(a, b);
    for (const k of Object.keys(a)) if (!sameValue(a[k], b[k])) return false;
    for (const k of Object.keys(b)) if (!Object.hasOwn(a, k) && !sameValue(undefined, b[k])) return false;
    return true;
  };
  for (const k of Object.keys(from)) if (!sameField(from[k], to[k])) return false;
  for (const k of Object.keys(to)) if (!Object.hasOwn(from, k) && !sameField(undefined, to[k])) return false;
  return true;
}

function toJson(v: unknown): Json {
  return v === undefined ? null : (v as Json);
}

/** The changed fields between `live` (from) and `desired` (to), in display order. */
export function diffAttributes(kind: Kind, live: object, desired: object): FieldChange[] {
  const from = live as Record<string, unknown>;
  const to = desired as Record<string, unknown>;
  // Most entities have not changed: find that out without ordering anything.
  if (sameAttributes(from, to)) return [];
  return orderedChanges(kind, from, to);
}

/** {@link diffAttributes} without its shortcut (exported for the test that holds the two together). */
export function orderedChanges(
  kind: Kind,
  from: Record<string, unknown>,
  to: Record<string, unknown>,
): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of orderFields(kind, [...Object.keys(from), ...Object.keys(to)])) {
    const a = from[field];
    const b = to[field];
    if (a === undefined && b === undefined) continue;
    if (isPlainObject(a) && isPlainObject(b)) {
      const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareStrings);
      for (const name of names) {
        const x = a[name];
        const y = b[name];
        if ((x ?? null) === null && (y ?? null) === null) continue;
        if (!jsonEqual(x, y)) changes.push({ field: `${field}.${name}`, from: toJson(x), to: toJson(y) });
      }
      continue;
    }
    if ((a ?? null) === null && (b ?? null) === null) continue;
    if (!jsonEqual(a, b)) changes.push({ field, from: toJson(a), to: toJson(b) });
  }
  return changes;
}
