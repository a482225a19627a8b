import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { runCli, tempDir } from './run-cli.js';

/**
 * A link whose deliveries keep failing, as a user meets it: the emulator (m3ter) disables it after three failed
 * deliveries, `drift` names it as disabled by m3ter with the failed run's error, `plan` labels its re-enable the
 * same way, and applying the saved plan re-enables it. Without the run endpoints (404) the link is still reported.
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- reports are read ad hoc */

const HOOK_SECRET = 'disabled-link-hook-secret';

async function failingReceiver(): Promise<{ url: string; hits: () => number; close(): Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hits++;
      res.writeHead(500).end('down');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/m3ter`,
    hits: () => hits,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

interface Org {
  emu: RunningEmulator;
  cli(args: string[]): ReturnType<typeof runCli>;
  runRequests(): number;
}

async function startOrg(receiverUrl: string, options: EmulatorOptions = {}): Promise<Org> {
  const emu = await startEmulator({
    port: 0,
    rateLimit: 0,
    deliveryAutoRetry: false,
    deliveryRetryDelaysMs: [],
    disableLinkAfterFailures: 3,
    ...options,
  });
  const cwd = tempDir();
  writeFileSync(
    path.join(cwd, 'm3ter.yaml'),
    [
      'webhooks:',
      '  - code: ops',
      '    name: Ops receiver',
      '    description: Receives bills',
      `    url: ${receiverUrl}`,
      '    credentials:',
      '      type: M3TER_SIGNED_REQUEST',
      '      apiKey: { env: HOOK_KEY }',
      '      secret: { env: HOOK_SECRET }',
      'notificationRules:',
      '  - code: bill_created',
      '    name: Bill created',
      '    description: Fires on every new bill',
      '    eventName: billing.bill.created',
      '    alwaysFireEvent: true',
      'links:',
      '  - rule: bill_created',
      '    webhook: ops',
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(cwd, 'hook.env'), `HOOK_KEY=disabled-link-hook-key\nHOOK_SECRET=${HOOK_SECRET}\n`);
  const env = {
    M3TER_BASE_URL: emu.url,
    M3TER_ORG_ID: emu.orgId,
    M3TER_API_KEY: emu.apiKey,
    M3TER_API_SECRET: emu.apiSecret,
  };
  return {
    emu,
    cli: (args) => runCli([...args, '--env-file', 'hook.env'], { cwd, env }),
    runRequests: () =>
      Object.entries(emu.admin.counters().requests)
        .filter(([route]) => route.includes('/integrationruns'))
        .reduce((n, [, c]) => n + c, 0),
  };
}

async function failThreeDeliveries(org: Org): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const fired = await org.emu.admin.fireEvent({
      eventName: 'billing.bill.created',
      new: { id: `bill-${i}` },
    });
    expect(fired.deliveries[0]?.status).toBe('failed');
  }
}

describe('a link disabled by m3ter after failed deliveries', () => {
  let org: Org | undefined;
  let rx: Awaited<ReturnType<typeof failingReceiver>> | undefined;
  afterEach(async () => {
    await org?.emu.close();
    await rx?.close();
    org = rx = undefined;
  });

  it(
    'drift names it with the failed run, plan labels the re-enable, and the saved plan re-enables it',
    { timeout: 90_000 },
    async () => {
      rx = await failingReceiver();
      org = await startOrg(rx.url);
      expect((await org.cli(['apply', '.', '--auto-approve'])).code).toBe(0);
      // A healthy org: drift reads no integration run.
      expect((await org.cli(['drift', '.'])).code).toBe(0);
      expect(org.runRequests()).toBe(0);

      await failThreeDeliveries(org);
      expect(rx.hits()).toBe(3);

      const json = await org.cli(['drift', '.', '--format', 'json']);
      expect(json.code).toBe(2);
      const report = JSON.parse(json.stdout);
      expect(report.summary).toEqual({ modified: 0, unmanaged: 0, missing: 0, secret: 0, disabled: 1 });
      const [item] = report.items as any[];
      expect(item).toMatchObject({
        kind: 'link',
        key: 'bill_created->ops',
        class: 'disabled',
        lastModifiedBy: 'SYSTEM',
        health: {
          lastFailedRun: { status: 'ERROR', error: 'the webhook answered HTTP 500' },
          runsUnavailable: null,
          reenableRequest: `POST /organizations/${org.emu.orgId}/integrationconfigs/${item.id}/enable`,
        },
      });
      expect(item.dtLastModified).toEqual(expect.any(String));
      expect(item.health.lastFailedRun.at).toEqual(expect.any(String));
      expect(org.runRequests()).toBeGreaterThan(0);

      const text = await org.cli(['drift', '.']);
      expect(text.code).toBe(2);
      expect(text.stdout).toContain(
        'x link "bill_created->ops" disabled: disabled by m3ter; the files declare it active',
      );
      expect(text.stdout).toContain('error "the webhook answered HTTP 500"');
      expect(text.stdout).toContain("re-enable: fix the webhook's receiver, then m3ter-config apply");
      const md = await org.cli(['drift', '.', '--format', 'markdown']);
      expect(md.stdout).toContain('#### x Links disabled by m3ter');
      expect(md.stdout).toContain('`the webhook answered HTTP 500`');

      const plan = await org.cli(['plan', '.', '--out', 'plan.json']);
      expect(plan.code).toBe(0);
      expect(plan.stdout).toContain('active: false -> true  (re-enable: disabled by m3ter)');
      expect(plan.stdout).toContain('error "the webhook answered HTTP 500"');
      for (const out of [json.stdout, text.stdout, md.stdout, plan.stdout])
        expect(out).not.toContain(HOOK_SECRET);

      const applied = await org.cli(['apply', 'plan.json']);
      expect(applied.code).toBe(0);
      expect((await org.cli(['drift', '.'])).code).toBe(0);
    },
  );

  it(
    'is still reported, without the run detail, when the run endpoints answer 404',
    { timeout: 60_000 },
    async () => {
      rx = await failingReceiver();
      org = await startOrg(rx.url, { integrationRuns: 'absent' });
      expect((await org.cli(['apply', '.', '--auto-approve'])).code).toBe(0);
      await failThreeDeliveries(org);
      org.emu.admin.resetCounters();
      const json = await org.cli(['drift', '.', '--format', 'json']);
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stdout).items).toMatchObject([
        {
          class: 'disabled',
          key: 'bill_created->ops',
          health: { lastFailedRun: null, runsUnavailable: 'HTTP 404' },
        },
      ]);
      const text = await org.cli(['drift', '.']);
      expect(text.stdout).toContain(
        'why is not known: m3ter\'s integration runs could not be read ("HTTP 404")',
      );
      const plan = await org.cli(['plan', '.']);
      expect(plan.code).toBe(0);
      expect(plan.stdout).toContain('(re-enable: disabled by m3ter)');
      // drift and plan sent only reads, to the (absent) run endpoints as elsewhere.
      const sent = Object.keys(org.emu.admin.counters().requests).filter((r) => !r.endsWith('/oauth/token'));
      expect(sent.filter((r) => !r.startsWith('GET '))).toEqual([]);
      expect(sent).toContain('GET (unmatched)');
    },
  );
});
