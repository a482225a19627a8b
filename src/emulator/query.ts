import { badRequest } from './errors.js';
import type { Collection, StoredEntity } from './store.js';

/** Paging and the query parameters every list reads. */

/** One page of a newest-first list: `nextToken` only when more matching entities exist. */
export interface Page<T> {
  data: T[];
  nextToken?: string;
}

export function encodeToken(seq: number): string {
  return Buffer.from(`v1:${seq}`).toString('base64url');
}

export function decodeToken(token: string): number {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const m = /^v1:(\d+)$/.exec(text);
  if (!m) throw badRequest('nextToken is not valid');
  return Number(m[1]);
}

/** Reads `pageSize`: absent → `fallback`; outside 1..max or not an integer → 400. */
export function readPageSize(query: URLSearchParams, max: number, fallback: number): number {
  const raw = query.get('pageSize');
  if (raw === null) return Math.min(fallback, max);
  const n = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n)) throw badRequest('pageSize must be an integer');
  if (n < 1 || n > max) throw badRequest(`pageSize must be between 1 and ${max}`);
  return n;
}

/** `ids=a,b` (commas percent-encoded or not) and repeated `ids=` both work; absent → undefined. */
export function readIds(query: URLSearchParams): Set<string> | undefined {
  const all = query.getAll('ids');
  if (all.length === 0) return undefined;
  const ids = new Set<string>();
  for (const v of all) {
    for (const part of v.split(',')) {
      const id = part.trim();
      if (id) ids.add(id);
    }
  }
  return ids;
}

export function readBooleanQuery(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw badRequest(`${name} must be true or false`);
}

/**
 * Newest-first paging over a collection with an optional filter. The token is the seq of the last entity
 * returned; the walk looks one match ahead so `nextToken` appears only when more data exists.
 */
export function pageOf<T extends StoredEntity, R>(
  coll: Collection<T>,
  query: URLSearchParams,
  pageSize: number,
  filter: ((e: T) => boolean) | undefined,
  render: (e: T) => R,
): Page<R> {
  const token = query.get('nextToken');
  const before = token ? decodeToken(token) : undefined;
  const data: R[] = [];
  let last: T | undefined;
  for (const e of coll.newestFirst(before)) {
    if (filter && !filter(e)) continue;
    if (data.length === pageSize) return { data, nextToken: encodeToken((last as T).seq) };
    data.push(render(e));
    last = e;
  }
  return { data };
}
