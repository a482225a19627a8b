import { ListInconsistentError, type ListProblem } from '../model/errors.js';
import type { ListOptions, LiveClient } from './contract.js';
import type { RawEntity } from './entity.js';

/**
 * Lists are checked as a whole before anything is planned from them. A list read that cannot be trusted (the same
 * id twice, as an offset-paged newest-first list shows when something is created between two page reads; a page
 * token that is not a string; an entity without an id or version; an entity of another org) would otherwise turn
 * into creates (what seemed missing) or deletes (the unresolvable copies). Such a read is repeated once from the
 * first page, and fails with ListInconsistentError if it is still inconsistent.
 *
 * Page-level checks (tokens, the page and entity bounds) are in the client's `list()`; this module checks the list.
 */

/**
 * Pages one list read may take. m3ter's pages carry no total to derive a bound from, so it is fixed and generous:
 * at the largest page sizes this is 1 to 2 million entities, and at 50 requests per second about 200 s.
 */
export const MAX_LIST_PAGES = 10_000;
/** Entities one list read may hold: far above any real org, well below what exhausts memory. */
export const MAX_LIST_ITEMS = 500_000;

/** Fields that would name the org of an entity. m3ter documents none on these entities. */
const ORG_FIELDS = ['orgId', 'organizationId'] as const;

/** Problems a second read may not show: the list moved under the read, or the server answered badly once. */
const RETRIED: ReadonlySet<ListProblem> = new Set<ListProblem>([
  'not_a_page',
  'bad_token',
  'repeated_token',
  'not_an_object',
  'missing_id',
  'repeated_id',
  'bad_version',
  'other_org',
]);

export interface ListContext {
  /** The org the list was read from. */
  orgId: string;
  /** The list's path as people read it, without the org prefix. */
  path: string;
}

/** `a number`, `an object`, ...: for messages about a JSON value of the wrong type, never the value itself. */
export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'absent';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Every item of one list read, checked as a whole: each is an object with a non-empty string `id` that no other
 * item has, a whole-number `version`, and no org field naming another org. Throws ListInconsistentError on the
 * first problem. Two entities sharing a code are fine here: they have different ids (read-live-state keys them).
 */
export function checkList(items: readonly unknown[], ctx: ListContext): RawEntity[] {
  const fail = (problem: ListProblem, message: string): ListInconsistentError =>
    new ListInconsistentError(problem, `GET ${ctx.path}: ${message}`, { method: 'GET', path: ctx.path });
  const at = new Map<string, number>();
  const out: RawEntity[] = [];
  const n = items.length;
  for (let i = 0; i < n; i++) {
    const value = items[i];
    const where = `item ${i + 1} of ${n}`;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw fail('not_an_object', `${where} is ${describeJsonType(value)}, not an entity`);
    }
    const raw = value as RawEntity;
    const id = raw['id'];
    if (typeof id !== 'string' || id === '') {
      throw fail(
        'missing_id',
        `${where} has ${id === undefined ? 'no id' : `an id that is ${id === '' ? 'empty' : describeJsonType(id)}`}`,
      );
    }
    const first = at.get(id);
    if (first !== undefined) {
      throw fail(
        'repeated_id',
        `the id ${JSON.stringify(id)} appears twice (items ${first + 1} and ${i + 1} of ${n}); the list moved while it was read`,
      );
    }
    at.set(id, i);
    const version = raw['version'];
    if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) {
      throw fail(
        'bad_version',
        `${where} (id ${JSON.stringify(id)}) has ${version === undefined ? 'no version' : `a version that is ${typeof version === 'number' ? String(version) : describeJsonType(version)}`}; an update must carry the current version`,
      );
    }
    for (const field of ORG_FIELDS) {
      const org = raw[field];
      if (org !== undefined && org !== null && org !== ctx.orgId) {
        throw fail(
          'other_org',
          `${where} (id ${JSON.stringify(id)}) belongs to another org (${field} ${typeof org === 'string' ? JSON.stringify(org) : `is ${describeJsonType(org)}`}, not ${JSON.stringify(ctx.orgId)})`,
        );
      }
    }
    out.push(raw);
  }
  return out;
}

/** The path as people read it: without the `/organizations/{orgId}` prefix every call shares. */
function shortPath(path: string, orgId: string): string {
  const prefix = `/organizations/${encodeURIComponent(orgId)}`;
  return path.startsWith(prefix) ? path.slice(prefix.length) || '/' : path;
}

/**
 * A whole list, read with `client.list` and checked with `checkList`. An inconsistent answer is read once more
 * from the first page; a second inconsistent answer throws ListInconsistentError naming `what` (e.g. `webhook
 * destinations`). A list that exceeds the page or entity bound is not read again.
 */
export async function readListChecked(
  client: LiveClient,
  path: string,
  pageSize: number,
  what: string,
  query?: Record<string, string>,
  options?: ListOptions,
): Promise<RawEntity[]> {
  const ctx: ListContext = { orgId: client.orgId, path: shortPath(path, client.orgId) };
  let firstProblem: ListProblem | undefined;
  for (;;) {
    try {
      return checkList(await client.list<unknown>(path, pageSize, query, options), ctx);
    } catch (error) {
      if (!(error instanceof ListInconsistentError)) throw error;
      if (firstProblem === undefined && RETRIED.has(error.problem)) {
        firstProblem = error.problem;
        continue;
      }
      const again =
        firstProblem === undefined
          ? ''
          : '; it was read again from the first page, and was still inconsistent';
      throw new ListInconsistentError(
        error.problem,
        `m3ter's list of ${what} cannot be trusted: ${error.message}${again}. Nothing was planned or changed from it; try again later, and report it to m3ter if it persists.`,
        { method: 'GET', path: ctx.path, what, ...(firstProblem ? { firstProblem } : {}) },
        { cause: error },
      );
    }
  }
}
