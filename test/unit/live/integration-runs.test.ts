import { describe, expect, it } from 'vitest';
import type { LiveClient } from '../../../src/live/contract.js';
import { readLinkHealth } from '../../../src/live/integration-runs.js';
import { ApiConnectionError, ApiError } from '../../../src/model/errors.js';
import type { LinkToExplain } from '../../../src/model/link-health.js';

/**
 * The defensive reader of m3ter's integration runs: it only reads, and any failure or odd answer loses the detail
 * (said why), never the link. The answers are scripted per path; any write fails the test.
 */

type Answer = unknown | ((path: string) => unknown);

function scriptedClient(answers: Record<string, Answer>): { client: LiveClient; gets: string[] } {
  const gets: string[] = [];
  const refuse = () => {
    throw new Error('the run reader must never write');
  };
  const client = {
    orgId: 'org-1',
    baseUrl: 'http://127.0.0.1:1',
    async get(path: string, query?: Record<string, string>) {
      gets.push(`${path}?${new URLSearchParams(query).toString()}`);
      const key = Object.keys(answers).find((k) => path.endsWith(k));
      const a = key === undefined ? undefined : answers[key];
      return typeof a === 'function' ? (a as (p: string) => unknown)(path) : a;
    },
    list: refuse,
    post: refuse,
    put: refuse,
    delete: refuse,
    stats: () => ({ requests: 0, retries: 0, rateLimited: 0, tokenRequests: 0 }),
    warmUp: () => undefined,
    close: async () => undefined,
  } as unknown as LiveClient;
  return { client, gets };
}

const LINK: LinkToExplain = { key: 'r->w', id: 'link-1', ruleId: 'rule-1', webhookId: 'hook-1' };
const run = (over: Record<string, unknown>) => ({
  id: 'run',
  entityType: 'Notification',
  entityId: 'rule-1',
  destination: 'Webhook',
  destinationId: 'hook-1',
  status: 'ERROR',
  ...over,
});
const apiError = (status: number) => () => {
  throw new ApiError(status, `GET failed with HTTP ${status}`, { method: 'GET', path: '/x' });
};

describe('readLinkHealth', () => {
  it("finds the link's newest failed run by its rule, skipping other webhooks' runs and unfinished ones", async () => {
    const { client, gets } = scriptedClient({
      '/integrationruns/Notification/rule-1': {
        data: [
          run({ id: 'retrying', status: 'AWAITING_RETRY', dtStarted: '2026-03-01T00:00:09Z' }),
          run({ id: 'other-hook', destinationId: 'hook-2', dtCompleted: '2026-03-01T00:00:08Z' }),
          run({ id: 'old', error: 'HTTP 500', dtCompleted: '2026-03-01T00:00:01Z' }),
          run({ id: 'new', error: 'HTTP 502', dtCompleted: '2026-03-01T00:00:05Z' }),
          run({ id: 'fine', status: 'COMPLETE', dtCompleted: '2026-03-01T00:00:07Z' }),
        ],
      },
    });
    const health = await readLinkHealth(client, [LINK], []);
    expect(health.get('r->w')).toEqual({
      lastFailedRun: { id: 'new', status: 'ERROR', error: 'HTTP 502', at: '2026-03-01T00:00:05Z' },
      runsUnavailable: null,
      reenableRequest: 'POST /organizations/org-1/integrationconfigs/link-1/enable',
    });
    expect(gets).toEqual(['/organizations/org-1/integrationruns/Notification/rule-1?order=DESC&pageSize=50']);
  });

  it("redacts the files' secrets and URL user info that m3ter echoes in an error, and cuts a long one", async () => {
    const { client } = scriptedClient({
      '/integrationruns/Notification/rule-1': {
        data: [
          run({
            error: `receiver said: bad signature for key hook-s3cret-value at https://ops:pw-hidden@hooks.example.com/x ${'z'.repeat(2000)}`,
          }),
        ],
      },
    });
    const health = await readLinkHealth(client, [LINK], ['hook-s3cret-value']);
    const error = health.get('r->w')?.lastFailedRun?.error ?? '';
    expect(error).toContain(
      'receiver said: bad signature for key (sensitive) at https://***@hooks.example.com/x',
    );
    expect(error).not.toContain('s3cret');
    expect(error).not.toContain('pw-hidden');
    expect(error.length).toBeLessThanOrEqual(500);
  });

  it('masks URL user info before the cut, so a cut inside the password leaves none of it', async () => {
    const error = `${'x'.repeat(480)} https://ops:pw-hidden-part@hooks.example.com/x`;
    expect(error.indexOf('pw-hidden') + 'pw-hid'.length).toBeLessThan(500);
    expect(error.indexOf('@')).toBeGreaterThan(500);
    const { client } = scriptedClient({
      '/integrationruns/Notification/rule-1': { data: [run({ error })] },
    });
    const shown = (await readLinkHealth(client, [LINK], [])).get('r->w')?.lastFailedRun?.error ?? '';
    expect(shown).not.toContain('pw-hid');
    expect(shown).not.toContain('ops:');
    expect(shown.length).toBeLessThanOrEqual(500);
  });

  it('reads a huge error in linear time, user info still masked', async () => {
    // A run of URL-scheme letters with no `://`: a backtracking pattern takes quadratic time over it.
    const error = `https://ops:pw-hidden@hooks.example.com/x ${'a'.repeat(300_000)}`;
    const { client } = scriptedClient({
      '/integrationruns/Notification/rule-1': { data: [run({ error })] },
    });
    const started = performance.now();
    const health = await readLinkHealth(client, [LINK], ['hook-s3cret-value']);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(health.get('r->w')?.lastFailedRun?.error).toMatch(/^https:\/\/\*\*\*@hooks\.example\.com\/x a+$/);
  });

  it('falls back to the webhook runs when the rule has none readable, filtered to the rule', async () => {
    const { client, gets } = scriptedClient({
      '/integrationruns/Notification/rule-1': apiError(404),
      '/integrationruns/destinations/hook-1': {
        data: [run({ id: 'other-rule', entityId: 'rule-2' }), run({ id: 'mine', error: 'HTTP 500' })],
      },
    });
    const health = await readLinkHealth(client, [LINK], []);
    expect(health.get('r->w')).toMatchObject({
      lastFailedRun: { id: 'mine', error: 'HTTP 500' },
      runsUnavailable: null,
    });
    expect(gets).toHaveLength(2);
  });

  it.each([
    ['a 404 (undefined from get)', undefined, 'HTTP 404'],
    ['a 403', apiError(403), 'HTTP 403'],
    ['a 500 after retries', apiError(500), 'HTTP 500'],
    [
      'no answer',
      () => {
        throw new ApiConnectionError('timed out', { method: 'GET', path: '/x', timedOut: true });
      },
      'no answer',
    ],
    ['a page without data', { items: [] }, 'an unexpected answer'],
    ['data that is not a list', { data: 'ERROR' }, 'an unexpected answer'],
    ['a run without a status', { data: [{ id: 'x' }] }, 'an unexpected answer'],
    ['not an object', 'ERROR', 'an unexpected answer'],
    ['null', null, 'an unexpected answer'],
  ])('loses the detail, not the link, on %s', async (_what, answer, why) => {
    const { client } = scriptedClient({
      '/integrationruns/Notification/rule-1': answer,
      '/integrationruns/destinations/hook-1': answer,
    });
    const health = await readLinkHealth(client, [LINK], []);
    expect(health.get('r->w')).toEqual({
      lastFailedRun: null,
      runsUnavailable: why,
      reenableRequest: 'POST /organizations/org-1/integrationconfigs/link-1/enable',
    });
  });

  it('gives up the detail of the links whose runs do not come in time, and keeps those that did', async () => {
    const other: LinkToExplain = { key: 's->w', id: 'link-2', ruleId: 'rule-2', webhookId: 'hook-2' };
    const { client } = scriptedClient({
      '/integrationruns/Notification/rule-1': () => new Promise(() => undefined),
      '/integrationruns/Notification/rule-2': {
        data: [run({ entityId: 'rule-2', destinationId: 'hook-2' })],
      },
    });
    const health = await readLinkHealth(client, [LINK, other], [], { budgetMs: 20 });
    expect(health.get('r->w')).toEqual({
      lastFailedRun: null,
      runsUnavailable: 'no answer within 20 ms',
      reenableRequest: 'POST /organizations/org-1/integrationconfigs/link-1/enable',
    });
    expect(health.get('s->w')?.lastFailedRun).toMatchObject({ status: 'ERROR' });
  });

  it('says when the runs were read and none failed', async () => {
    const { client } = scriptedClient({
      '/integrationruns/Notification/rule-1': { data: [run({ status: 'COMPLETE' })] },
      '/integrationruns/destinations/hook-1': { data: [] },
    });
    expect((await readLinkHealth(client, [LINK], [])).get('r->w')).toMatchObject({
      lastFailedRun: null,
      runsUnavailable: null,
    });
  });

  it('lets an error that is not about the answer through (an interrupt is not a missing detail)', async () => {
    const { client } = scriptedClient({
      '/integrationruns/Notification/rule-1': () => {
        throw new Error('aborted');
      },
    });
    await expect(readLinkHealth(client, [LINK], [])).rejects.toThrow('aborted');
  });
});
