import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../../../src/live/client.js';
import type { LiveClient, Target } from '../../../src/live/contract.js';
import { ListInconsistentError } from '../../../src/model/errors.js';
import { StubServer, fakeClock } from './stub-server.js';

/** Page-level checks of the client's list(): tokens, the page and entity bounds, the page shape. */

const ORG = 'org-1';
const PATH = `/organizations/${ORG}/things`;

function targetFor(url: string): Target {
  return {
    description: { type: 'm3ter', orgId: ORG, baseUrl: url },
    orgId: ORG,
    baseUrl: url,
    apiKey: 'key-1',
    apiSecretReveal: () => 'sup3r-secret-value',
  };
}

let stub: StubServer;
let client: LiveClient | undefined;

beforeEach(async () => {
  stub = await new StubServer().start();
});

afterEach(async () => {
  await client?.close();
  client = undefined;
  await stub.stop();
});

function make(options: Parameters<typeof createClient>[1] = {}): LiveClient {
  client = createClient(targetFor(stub.url), { clock: fakeClock(), random: () => 0.5, ...options });
  return client;
}

async function failure(list: Promise<unknown>): Promise<ListInconsistentError> {
  const error = await list.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ListInconsistentError);
  return error as ListInconsistentError;
}

describe('list page tokens', () => {
  it.each([
    [42, 'a number'],
    [{ next: 'x' }, 'an object'],
    [['x'], 'an array'],
    [false, 'a boolean'],
  ])('a nextToken of %j is an error, not the last page', async (token, kind) => {
    const c = make();
    stub.handler = (req) =>
      req.query.get('nextToken') === null
        ? { status: 200, body: { data: [{ id: 'a' }], nextToken: token } }
        : { status: 200, body: { data: [{ id: 'b' }] } };
    const e = await failure(c.list(PATH, 10));
    expect(e.code).toBe('live_list_inconsistent');
    expect(e.problem).toBe('bad_token');
    expect(e.message).toBe(
      `GET /things: page 1 has a nextToken that is ${kind}, not a string; the rest of the list cannot be read`,
    );
    expect(e.meta).toMatchObject({ method: 'GET', path: '/things', problem: 'bad_token' });
    expect(stub.api).toHaveLength(1);
  });

  it('a repeated token is an error', async () => {
    const c = make();
    stub.handler = () => ({ status: 200, body: { data: [], nextToken: 'same' } });
    expect((await failure(c.list(PATH, 10))).problem).toBe('repeated_token');
    expect(stub.api).toHaveLength(2);
  });

  it('endless distinct tokens stop at maxListPages, having read exactly that many pages', async () => {
    const c = make({ maxListPages: 7 });
    stub.handler = (_req, i) => ({ status: 200, body: { data: [{ id: `e${i}` }], nextToken: `t${i}` } });
    const e = await failure(c.list(PATH, 10));
    expect(e.problem).toBe('too_many_pages');
    expect(e.message).toContain('after 7 pages');
    expect(stub.api).toHaveLength(7);
  });

  it('a list may end on exactly the last allowed page', async () => {
    const c = make({ maxListPages: 3 });
    stub.handler = (_req, i) => ({
      status: 200,
      body: i < 2 ? { data: [i], nextToken: `t${i}` } : { data: [i] },
    });
    await expect(c.list(PATH, 10)).resolves.toEqual([0, 1, 2]);
  });

  it('more entities than maxListItems is an error', async () => {
    const c = make({ maxListItems: 5 });
    stub.handler = (_req, i) => ({ status: 200, body: { data: [1, 2, 3], nextToken: `t${i}` } });
    const e = await failure(c.list(PATH, 10));
    expect(e.problem).toBe('too_many_items');
    expect(stub.api).toHaveLength(2);
  });

  it('something other than a page is a list problem, named by page', async () => {
    const c = make();
    stub.handler = () => ({ status: 200, body: { items: [] } });
    const e = await failure(c.list(PATH, 10));
    expect(e.problem).toBe('not_a_page');
    expect(e.message).toMatch(/^GET \/things: page 1 is something other than a page/);
  });
});
