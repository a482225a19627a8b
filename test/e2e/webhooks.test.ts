import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signM3terRequest, verifyM3terRequest } from '../../src/signing/index.js';
import { BIN, runCli, type SpawnedCli, spawnCli, tempDir } from './run-cli.js';

const HOOK_KEY = 'e2e-hook-key';
const HOOK_SECRET = 'e2e-hook-secret-value';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A receiver on loopback answering each request with the next of `statuses` (then 200). */
async function receiver(statuses: number[] = []): Promise<{ port: number; got: Received[]; server: Server }> {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, got, server };
}

function config(dir: string, url: string): void {
  writeFileSync(
    path.join(dir, 'm3ter.yaml'),
    `webhooks:
  - code: local_receiver
    name: Local receiver
    description: Receives the e2e notifications
    url: ${url}
    credentials:
      type: M3TER_SIGNED_REQUEST
      apiKey: { env: HOOK_KEY }
      secret: { env: HOOK_SECRET }
notificationRules:
  - code: commitment_90
    name: Commitment nearly spent
    description: Fires at 90% of a commitment
    eventName: configuration.commitment.updated
    calculation: (new.amountSpent >= ((new.amount*90)/100)) AND ((old.amountSpent < ((old.amount*90)/100)) OR (old.amountSpent == null))
links:
  - rule: commitment_90
    webhook: local_receiver
`,
  );
}

const crossing = {
  eventName: 'configuration.commitment.updated',
  new: { amount: 100, amountSpent: 95 },
  old: { amount: 100, amountSpent: 50 },
};

describe('signed webhooks end to end', () => {
  const cleanups: (() => Promise<unknown> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function emulator(dir: string): Promise<{ url: string; env: Record<string, string> }> {
    const run: SpawnedCli = spawnCli(
      process.execPath,
      [BIN, 'emulator', '--port', '0', '--state-file', 'state.json'],
      {
        cwd: dir,
      },
    );
    cleanups.push(async () => {
      run.child.kill('SIGTERM');
      await run.done;
    });
    await run.waitFor(/export M3TER_API_SECRET=\S+/);
    const value = (name: string) => new RegExp(`export ${name}=(\\S+)`).exec(run.stdout())?.[1] as string;
    return {
      url: value('M3TER_BASE_URL'),
      env: {
        M3TER_BASE_URL: value('M3TER_BASE_URL'),
        M3TER_ORG_ID: value('M3TER_ORG_ID'),
        M3TER_API_KEY: value('M3TER_API_KEY'),
        M3TER_API_SECRET: value('M3TER_API_SECRET'),
        HOOK_KEY,
        HOOK_SECRET,
      },
    };
  }

  const admin = async (base: string, method: string, route: string, body?: unknown) =>
    (await fetch(`${base}${route}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    }).then((r) => r.json())) as any; // eslint-disable-line @typescript-eslint/no-explicit-any

  it('applies a webhook on a local receiver, fires an event, and the delivery verifies; failing links show in plan', async () => {
    const dir = tempDir();
    const answers: number[] = [];
    const rx = await receiver(answers);
    cleanups.push(() => new Promise((r) => rx.server.close(r)));
    const hookUrl = `http://127.0.0.1:${rx.port}/m3ter/notifications`;
    config(dir, hookUrl);
    const emu = await emulator(dir);
    const applied = await runCli(['apply', '--auto-approve'], { cwd: dir, env: emu.env });
    expect(applied.code, applied.stderr).toBe(0);

    const fired = await admin(emu.url, 'POST', '/_emulator/events', crossing);
    expect(fired.deliveries.map((d: { status: string }) => d.status)).toEqual(['delivered']);
    expect(rx.got).toHaveLength(1);
    const delivery = rx.got[0]!;
    expect(delivery.path).toBe('/m3ter/notifications');
    expect(
      verifyM3terRequest({
        url: hookUrl,
        body: delivery.body,
        headers: delivery.headers,
        secrets: [HOOK_SECRET],
      }),
    ).toEqual({ ok: true, apiKey: HOOK_KEY });
    expect(JSON.parse(delivery.body)).toMatchObject({ eventName: 'configuration.commitment.updated' });

    // The receiver now fails every attempt: after three failed deliveries the emulator disables the link.
    answers.push(...Array<number>(12).fill(500));
    for (let i = 0; i < 3; i++) {
      await admin(emu.url, 'POST', '/_emulator/events', crossing);
      for (let k = 0; k < 3; k++) await admin(emu.url, 'POST', '/_emulator/deliveries/retry');
    }
    const statuses = (await admin(emu.url, 'GET', '/_emulator/deliveries')).data.map(
      (d: { status: string }) => d.status,
    );
    expect(statuses).toEqual(['delivered', 'failed', 'failed', 'failed']);
    expect(rx.got).toHaveLength(1 + 12);
    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: dir, env: emu.env });
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).toMatch(/commitment_90->local_receiver/);
    expect(plan.stdout).toMatch(/active/);
    for (const out of [applied.stdout, applied.stderr, plan.stdout, plan.stderr]) {
      expect(out).not.toContain(HOOK_SECRET);
    }
  });

  it('webhook listen checks signatures against the declared secret; test-send signs with it', async () => {
    const dir = tempDir();
    const rx = await receiver();
    cleanups.push(() => new Promise((r) => rx.server.close(r)));
    const declared = `http://127.0.0.1:${rx.port}/hooks/m3ter`;
    config(dir, declared);
    const env = { HOOK_KEY, HOOK_SECRET };

    const online = await runCli(['validate', '--online'], { cwd: dir, env });
    expect(online.code, online.stderr).toBe(0);
    expect(online.stdout).toMatch(/online checks passed/);

    const sent = await runCli(['webhook', 'test-send', 'local_receiver'], { cwd: dir, env });
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toMatch(/event configuration\.commitment\.updated/);
    expect(sent.stdout).toMatch(/answer: 200/);
    const got = rx.got[0]!;
    expect(
      verifyM3terRequest({ url: declared, body: got.body, headers: got.headers, secrets: [HOOK_SECRET] }).ok,
    ).toBe(true);

    const listen = spawnCli(process.execPath, [BIN, 'webhook', 'listen', '--port', '0'], { cwd: dir, env });
    cleanups.push(async () => {
      listen.child.kill('SIGTERM');
      await listen.done;
    });
    await listen.waitFor(/Listening on http:\/\/127\.0\.0\.1:(\d+)/);
    const port = /Listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(listen.stdout())?.[1];
    const body = JSON.stringify({ eventName: 'billing.bill.created', m3terEvent: { eventData: {} } });
    const post = async (secret: string, payload = body) => {
      const { headers } = signM3terRequest({ url: declared, body, apiKey: HOOK_KEY, secret });
      const res = await fetch(`http://127.0.0.1:${port}/hooks/m3ter`, {
        method: 'POST',
        headers,
        body: payload,
      });
      return res.status;
    };
    expect(await post(HOOK_SECRET)).toBe(200);
    await listen.waitFor(/billing\.bill\.created {2}webhook local_receiver: signature ok/);
    expect(await post('a-wrong-secret')).toBe(401);
    expect(await post(HOOK_SECRET, body.replace('bill', 'charge'))).toBe(401);
    await listen.waitFor(/signature FAILED \(signature_mismatch[\s\S]*signature FAILED \(signature_mismatch/);
    expect(listen.stdout()).not.toContain(HOOK_SECRET);
    expect(listen.stdout()).not.toContain(HOOK_KEY);

    // --forward passes the raw body and the X-m3ter-* headers on, and answers what the target answered.
    const relay = spawnCli(
      process.execPath,
      [BIN, 'webhook', 'listen', '--port', '0', '--forward', `http://127.0.0.1:${rx.port}/forwarded`],
      { cwd: dir, env },
    );
    cleanups.push(async () => {
      relay.child.kill('SIGTERM');
      await relay.done;
    });
    await relay.waitFor(/Listening on http:\/\/127\.0\.0\.1:(\d+)/);
    const relayPort = /Listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(relay.stdout())?.[1];
    const { headers } = signM3terRequest({ url: declared, body, apiKey: HOOK_KEY, secret: HOOK_SECRET });
    const relayed = await fetch(`http://127.0.0.1:${relayPort}/hooks/m3ter`, {
      method: 'POST',
      headers,
      body,
    });
    expect(relayed.status).toBe(200);
    await relay.waitFor(/signature ok {2}forwarded: 200/);
    const forwarded = rx.got.find((g) => g.path === '/forwarded')!;
    expect(forwarded.body).toBe(body);
    expect(
      verifyM3terRequest({
        url: declared,
        body: forwarded.body,
        headers: forwarded.headers,
        secrets: [HOOK_SECRET],
      }).ok,
    ).toBe(true);
  });
});
