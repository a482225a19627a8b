import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../../src/live/client.js';
import type { LiveClient } from '../../../src/live/contract.js';
import { validate } from '../../../src/workflow/validate.js';
import {
  EVALUATE_CONCURRENCY,
  evaluateCalculations,
  readEventTypes,
} from '../../../src/workflow/online-checks.js';
import { validateOnline } from '../../../src/workflow/validate-online.js';
import { FAST_CLIENT } from '../../helpers/converge.js';

/**
 * `validate --online` against a misbehaving m3ter on loopback: answers that fail, or that are not what m3ter sends.
 * The checks are reads: an evaluation that fails is retried as a read, never called a create that may have
 * happened; a bad answer is m3ter's, never the user's mistake; and one of them never hides the other rules' issues.
 */

const ORG = 'org-1';
const YAML = `notificationRules:
  - code: flaky
    name: Flaky
    description: evaluation fails once, then passes
    eventName: billing.bill.created
    calculation: new.total > 1
  - code: html
    name: HTML
    description: evaluation answered with a web page
    eventName: billing.bill.created
    calculation: new.total > 2
  - code: refused
    name: Refused
    description: m3ter refuses the calculation
    eventName: billing.bill.created
    calculation: new.total >= 3
  - code: down
    name: Down
    description: evaluation never succeeds
    eventName: billing.bill.created
    calculation: new.total > 4
`;

type Reply = { status: number; type?: string; body: string } | 'reset';
type Handler = (req: IncomingMessage, body: string, calls: number) => Reply;

let server: Server | undefined;
let client: LiveClient | undefined;
afterEach(async () => {
  await client?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = client = undefined;
});

/** A fake m3ter: a token for anyone, then `types` for GET /events/types and `evaluate` for each evaluation. */
async function fakeM3ter(types: Handler, evaluate: Handler): Promise<{ calls: Map<string, number> }> {
  const calls = new Map<string, number>();
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      let reply: Reply;
      if (req.url === '/oauth/token') reply = json({ access_token: 't', expires_in: 3600 });
      else if (req.method === 'GET' && req.url === `/organizations/${ORG}/events/types`) {
        const n = (calls.get('types') ?? 0) + 1;
        calls.set('types', n);
        reply = types(req, body, n);
      } else if (req.method === 'POST' && req.url === `/organizations/${ORG}/notifications/evaluate`) {
        const key = (JSON.parse(body) as { calculation: string }).calculation;
        const n = (calls.get(key) ?? 0) + 1;
        calls.set(key, n);
        reply = evaluate(req, body, n);
      } else reply = { status: 404, body: '' };
      if (reply === 'reset') {
        req.socket.destroy();
        return;
      }
      res.writeHead(reply.status, { 'content-type': reply.type ?? 'application/json' }).end(reply.body);
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  client = createClient(
    {
      description: { type: 'm3ter', orgId: ORG, baseUrl: url },
      orgId: ORG,
      baseUrl: url,
      apiKey: 'k',
      apiSecretReveal: () => 'the-api-secret',
    },
    { ...FAST_CLIENT, maxRetries: 3 },
  );
  return { calls };
}

function json(value: unknown, status = 200): Reply {
  return { status, body: JSON.stringify(value) };
}

const HTML: Reply = { status: 200, type: 'text/html', body: '<html><body>Sign in</body></html>' };
const EVENTS = json({ events: ['billing.bill.created'] });

/** Evaluations by calculation: `flaky` fails once (5xx, then a reset), `html` is a page, `refused` refused. */
const evaluations: Handler = (_req, body, n) => {
  const { calculation } = JSON.parse(body) as { calculation: string };
  if (calculation === 'new.total > 1') return n === 1 ? { status: 503, body: '' } : json({ success: true });
  if (calculation === 'new.total > 2') return HTML;
  if (calculation === 'new.total >= 3') return json({ success: false, errorMessage: 'write ==' });
  return 'reset';
};

async function check(): Promise<ReturnType<typeof validateOnline>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'm3ter-online-hostile-'));
  writeFileSync(path.join(dir, 'rules.yaml'), YAML);
  const offline = await validate(['rules.yaml'], { env: {}, cwd: dir });
  expect(offline.errorCount).toBe(0);
  return validateOnline(offline.state!, client!, { cwd: dir });
}

const summary = (issues: Awaited<ReturnType<typeof validateOnline>>) =>
  issues.map((i) => [i.code, i.pointer]);

describe('validate --online against a misbehaving m3ter', () => {
  it('retries a failed evaluation as a read, reports each bad answer as m3ter’s, and checks every rule', async () => {
    const { calls } = await fakeM3ter(() => EVENTS, evaluations);
    const issues = await check();
    expect(summary(issues)).toEqual([
      ['online_bad_answer', '/notificationRules/1/calculation'],
      ['invalid_calculation', '/notificationRules/2/calculation'],
      ['online_check_failed', '/notificationRules/3/calculation'],
    ]);
    // The 503 was retried, and so was the reset: an evaluation creates nothing.
    expect(calls.get('new.total > 1')).toBe(2);
    expect(calls.get('new.total > 4')).toBe(4);
    const text = issues.map((i) => `${i.message} ${i.hint ?? ''}`).join('\n');
    expect(text).not.toMatch(/may have (been )?created|not sent again/);
    expect(issues[0]!.message).toContain('an HTML page');
    expect(issues[0]!.message).toContain('not a problem in the files');
    expect(issues[0]!.message).not.toContain('Sign in');
    expect(issues[2]!.hint).toContain('not a problem in the files');
  });

  it('an HTML or shapeless /events/types is a bad answer, not an unknown event name, and calculations are still evaluated', async () => {
    for (const types of [HTML, json({ events: 'billing.bill.created' }), json(['billing.bill.created'])]) {
      await fakeM3ter(() => types, evaluations);
      const issues = await check();
      expect(summary(issues)).toEqual([
        ['online_bad_answer', '/notificationRules/0/eventName'],
        ['online_bad_answer', '/notificationRules/1/calculation'],
        ['invalid_calculation', '/notificationRules/2/calculation'],
        ['online_check_failed', '/notificationRules/3/calculation'],
      ]);
      expect(issues.some((i) => i.code === 'unknown_event_name')).toBe(false);
      await client!.close();
      server!.closeAllConnections();
      await new Promise((r) => server!.close(r));
      server = client = undefined;
    }
  });

  it('a failing /events/types is retried, then reported once, and does not hide the calculations', async () => {
    const { calls } = await fakeM3ter(() => ({ status: 502, body: '' }), evaluations);
    const issues = await check();
    expect(calls.get('types')).toBe(4);
    expect(summary(issues)).toEqual([
      ['online_check_failed', '/notificationRules/0/eventName'],
      ['online_bad_answer', '/notificationRules/1/calculation'],
      ['invalid_calculation', '/notificationRules/2/calculation'],
      ['online_check_failed', '/notificationRules/3/calculation'],
    ]);
    expect(issues[0]!.message).toMatch(/^could not read the org's event types/);
  });

  it('only a real 403 or 404 from /events/types is "unavailable": a 2xx with no body is a bad answer', async () => {
    for (const [reply, kind] of [
      [{ status: 200, body: '' }, 'bad'],
      [{ status: 204, body: '' }, 'bad'],
      [{ status: 404, body: '' }, 'unavailable'],
      [{ status: 403, body: '' }, 'unavailable'],
    ] as const) {
      await fakeM3ter(() => reply, evaluations);
      const answer = await readEventTypes(client!);
      expect([reply.status, answer.kind]).toEqual([reply.status, kind]);
      await client!.close();
      server!.closeAllConnections();
      await new Promise((r) => server!.close(r));
      server = client = undefined;
    }
  });

  it('shows at most a line of the reason m3ter echoes, without the API secret it may echo', async () => {
    const huge = 'x'.repeat(100_000);
    await fakeM3ter(
      () => EVENTS,
      () =>
        json({
          success: false,
          errorMessage: `bad the-api-secret ${huge}`,
        }),
    );
    const [answer] = await evaluateCalculations(client!, [
      { eventName: 'billing.bill.created', calculation: 'new.total > 1' },
    ]);
    expect(answer!.kind).toBe('invalid');
    const message = answer!.kind === 'invalid' ? answer!.message : '';
    expect(message.length).toBeLessThan(1000);
    expect(message).not.toContain('the-api-secret');
  });

  it('stops evaluating once m3ter cannot answer: each later calculation fails without another request', async () => {
    const { calls } = await fakeM3ter(
      () => EVENTS,
      () => 'reset',
    );
    const items = Array.from({ length: EVALUATE_CONCURRENCY * 3 }, (_, i) => ({
      eventName: 'billing.bill.created',
      calculation: `new.total > ${i}`,
    }));
    const answers = await evaluateCalculations(client!, items);
    expect(answers.map((a) => a.kind)).toEqual(items.map(() => 'failed'));
    const sent = [...calls.entries()].filter(([k]) => k !== 'types');
    // One batch, each retried by the client (maxRetries 3), and no more.
    expect(sent.length).toBe(EVALUATE_CONCURRENCY);
    expect(answers.at(-1)).toMatchObject({ message: expect.stringMatching(/not sent/) });
  });

  it('stops evaluating once evaluate answers 403 or 404: the rest are unavailable too, without a request each', async () => {
    const { calls } = await fakeM3ter(
      () => EVENTS,
      () => ({ status: 403, body: '' }),
    );
    const items = Array.from({ length: EVALUATE_CONCURRENCY * 3 }, (_, i) => ({
      eventName: 'billing.bill.created',
      calculation: `new.total > ${i}`,
    }));
    const answers = await evaluateCalculations(client!, items);
    expect(answers.map((a) => a.kind)).toEqual(items.map(() => 'unavailable'));
    expect([...calls.keys()].filter((k) => k !== 'types').length).toBe(EVALUATE_CONCURRENCY);
  });
});
