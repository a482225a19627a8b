import { describe, expect, it } from 'vitest';
import { checkList, describeJsonType, readListChecked } from '../../../src/live/check-list.js';
import type { ClientStats, LiveClient } from '../../../src/live/contract.js';
import { normalizeRule } from '../../../src/live/notification-rules.js';
import { ListInconsistentError, type ListProblem } from '../../../src/model/errors.js';

const ORG = 'org-1';
const CTX = { orgId: ORG, path: '/things' };

function problemOf(items: unknown[]): { problem: ListProblem; message: string } | undefined {
  try {
    checkList(items, CTX);
    return undefined;
  } catch (e) {
    if (!(e instanceof ListInconsistentError)) throw e;
    return { problem: e.problem, message: e.message };
  }
}

describe('checkList', () => {
  it('passes a good list through, in order; a shared code is not a problem', () => {
    const items = [
      { id: 'a', version: 1, code: 'x' },
      { id: 'b', version: 3, code: 'x', orgId: ORG },
      { id: 'c', version: 0, organizationId: null },
    ];
    expect(checkList(items, CTX)).toEqual(items);
    expect(checkList([], CTX)).toEqual([]);
  });

  it('refuses the same id twice, naming it and both positions', () => {
    expect(
      problemOf([
        { id: 'a', version: 1 },
        { id: 'b', version: 1 },
        { id: 'a', version: 1 },
      ]),
    ).toEqual({
      problem: 'repeated_id',
      message: 'GET /things: the id "a" appears twice (items 1 and 3 of 3); the list moved while it was read',
    });
  });

  it.each([
    [[{ version: 1 }], 'missing_id', 'item 1 of 1 has no id'],
    [[{ id: '', version: 1 }], 'missing_id', 'item 1 of 1 has an id that is empty'],
    [[{ id: 7, version: 1 }], 'missing_id', 'item 1 of 1 has an id that is a number'],
    [[{ id: 'a' }], 'bad_version', 'item 1 of 1 (id "a") has no version'],
    [[{ id: 'a', version: '2' }], 'bad_version', 'item 1 of 1 (id "a") has a version that is a string'],
    [[{ id: 'a', version: 1.5 }], 'bad_version', 'item 1 of 1 (id "a") has a version that is 1.5'],
    [[{ id: 'a', version: -1 }], 'bad_version', 'item 1 of 1 (id "a") has a version that is -1'],
    [[{ id: 'a', version: null }], 'bad_version', 'item 1 of 1 (id "a") has a version that is null'],
    [[3], 'not_an_object', 'item 1 of 1 is a number, not an entity'],
    [[null], 'not_an_object', 'item 1 of 1 is null, not an entity'],
    [
      [{ id: 'a', version: 1, orgId: 'org-2' }],
      'other_org',
      'item 1 of 1 (id "a") belongs to another org (orgId "org-2", not "org-1")',
    ],
    [
      [{ id: 'a', version: 1, organizationId: 5 }],
      'other_org',
      'item 1 of 1 (id "a") belongs to another org (organizationId is a number, not "org-1")',
    ],
  ])('refuses %j: %s', (items, problem, message) => {
    const found = problemOf(items);
    expect(found?.problem).toBe(problem);
    expect(found?.message).toContain(`GET /things: ${message}`);
  });

  it('describes JSON types without echoing values', () => {
    expect(['x', 1, true, null, undefined, [], {}].map(describeJsonType)).toEqual([
      'a string',
      'a number',
      'a boolean',
      'null',
      'absent',
      'an array',
      'an object',
    ]);
  });
});

/** A LiveClient whose list() answers from a script: a list, or a ListInconsistentError to throw. */
function scripted(answers: (unknown[] | ListProblem)[]): LiveClient & { lists: number } {
  const c = {
    orgId: ORG,
    baseUrl: 'http://127.0.0.1:1',
    lists: 0,
    list: async <T>(): Promise<T[]> => {
      const a = answers[Math.min(c.lists++, answers.length - 1)];
      if (typeof a === 'string') {
        throw new ListInconsistentError(a, `GET /things: ${a}`, { method: 'GET', path: '/things' });
      }
      return a as T[];
    },
    get: () => Promise.reject(new Error('not used')),
    post: () => Promise.reject(new Error('not used')),
    put: () => Promise.reject(new Error('not used')),
    delete: () => Promise.reject(new Error('not used')),
    stats: (): ClientStats => ({ requests: 0, retries: 0, rateLimited: 0, tokenRequests: 0 }),
    warmUp: () => undefined,
    close: () => Promise.resolve(),
  };
  return c;
}

describe('readListChecked', () => {
  const good = [{ id: 'a', version: 1 }];
  const doubled = [
    { id: 'a', version: 1 },
    { id: 'a', version: 1 },
  ];

  it('returns a consistent list after one read', async () => {
    const c = scripted([good]);
    await expect(readListChecked(c, `/organizations/${ORG}/things`, 10, 'things')).resolves.toEqual(good);
    expect(c.lists).toBe(1);
  });

  it('reads an inconsistent list once more from the start, and uses the second read', async () => {
    for (const first of [doubled, 'bad_token' as const]) {
      const c = scripted([first, good]);
      await expect(readListChecked(c, `/organizations/${ORG}/things`, 10, 'things')).resolves.toEqual(good);
      expect(c.lists).toBe(2);
    }
  });

  it('fails after two inconsistent reads, naming the list, the path and the problem', async () => {
    const c = scripted([doubled, 'repeated_token']);
    const e = (await readListChecked(c, `/organizations/${ORG}/things`, 10, 'things').catch(
      (x: unknown) => x,
    )) as ListInconsistentError;
    expect(e).toBeInstanceOf(ListInconsistentError);
    expect(c.lists).toBe(2);
    expect(e.code).toBe('live_list_inconsistent');
    expect(e.problem).toBe('repeated_token');
    expect(e.meta).toMatchObject({ path: '/things', what: 'things', firstProblem: 'repeated_id' });
    expect(e.message).toBe(
      "m3ter's list of things cannot be trusted: GET /things: repeated_token; it was read again from the first page, and was still inconsistent. Nothing was planned or changed from it; try again later, and report it to m3ter if it persists.",
    );
  });

  it('does not read again a list that hit a bound', async () => {
    for (const bound of ['too_many_pages', 'too_many_items'] as const) {
      const c = scripted([bound, good]);
      const e = (await readListChecked(c, `/organizations/${ORG}/things`, 10, 'things').catch(
        (x: unknown) => x,
      )) as ListInconsistentError;
      expect(e.problem).toBe(bound);
      expect(e.message).not.toContain('read again');
      expect(c.lists).toBe(1);
    }
  });

  it('passes other errors through untouched, unretried', async () => {
    const boom = new Error('boom');
    const c = scripted([good]);
    c.list = () => Promise.reject(boom);
    await expect(readListChecked(c, '/x', 10, 'things')).rejects.toBe(boom);
  });
});

describe('a single entity without a version (GET by id, a write answer)', () => {
  it('is an error, never version 0', () => {
    expect(() => normalizeRule({ id: 'n1', code: 'r', name: 'R', description: 'D', eventName: 'e' })).toThrow(
      /notification rule \(id n1\) without a whole-number version/,
    );
    expect(normalizeRule({ id: 'n1', version: 4, code: 'r' }).live.version).toBe(4);
  });
});
