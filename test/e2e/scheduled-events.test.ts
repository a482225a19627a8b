import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { ROOT, runCli, tempDir } from './run-cli.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the test reads the emulator's replies ad hoc */

/**
 * The done-when of scheduled events, as a user runs the CLI against an org (the emulator on loopback): the example
 * applies in order and plans empty, `graph` draws it, `import` writes files that plan empty, `drift` reports an
 * offset changed by hand, and a plan deleting a scheduled event a live rule listens to is refused (exit 3); export
 * to Terraform JSON and a TypeScript stack refuse it with one clear error.
 */
const EXAMPLE = path.join(ROOT, 'examples/scheduled-events');
const CONSOLE = { apiKey: 'console-user', apiSecret: 'console-user-secret' } as const;

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('scheduled events from the CLI', () => {
  it('apply in order, plan empty, graph, import, drift, refusals', { timeout: 120_000 }, async () => {
    emu = await startEmulator({ port: 0, rateLimit: 0, users: [CONSOLE] });
    const e = emu;
    const cwd = tempDir();
    cpSync(EXAMPLE, cwd, { recursive: true });
    const env = {
      M3TER_BASE_URL: e.url,
      M3TER_ORG_ID: e.orgId,
      M3TER_API_KEY: e.apiKey,
      M3TER_API_SECRET: e.apiSecret,
    };
    const cli = (args: string[]) => runCli(args, { cwd, env });
    const dotenv = ['--env-file', 'scheduled-events.env'];

    const applied = await cli(['apply', '.', ...dotenv, '--auto-approve']);
    expect([applied.code, applied.stderr]).toEqual([0, '']);
    const state = e.admin.exportState();
    const seq = new Map<string, number>([
      ...state.scheduledEvents.map((x): [string, number] => [x.name, x.seq]),
      ...state.notifications.map((x): [string, number] => [x.code, x.seq]),
    ]);
    expect(seq.get('scheduled.bill.dueSoon')!).toBeLessThan(seq.get('bill_due_10_days_ago')!);
    expect(seq.get('scheduled.bill.endDateEvent')!).toBeLessThan(seq.get('bill_period_ended')!);

    const again = await cli(['plan', '.', ...dotenv, '--detailed-exitcode']);
    expect([again.code, again.stderr]).toEqual([0, '']);

    const graph = await cli(['graph', '.', ...dotenv]);
    expect(graph.code).toBe(0);
    expect(graph.stdout).toContain('scheduled event');
    expect(graph.stdout).toContain('scheduled.bill.dueSoon');

    // Imported back as YAML (the scheduled events and the rules on them), the files plan empty.
    const org = tempDir();
    const imported = await cli(['import', '--out', org, '--kinds', 'scheduledEvents,notificationRules']);
    expect(imported.code).toBe(0);
    const written = readFileSync(path.join(org, 'm3ter.yaml'), 'utf8');
    expect(written).toContain('scheduledEvents:');
    expect(written).toContain('offset: 10');
    const importedPlan = await cli(['plan', org, '--detailed-exitcode']);
    expect([importedPlan.code, importedPlan.stderr]).toEqual([0, '']);

    // Someone changes the offset by hand: drift reports it, naming the field.
    const token = await tokenOf(e);
    const base = `${e.url}/organizations/${e.orgId}/scheduledevents/configurations`;
    const list = (await (await fetch(base, { headers: { Authorization: `Bearer ${token}` } })).json()) as any;
    const due = list.data.find((x: any) => x.name === 'scheduled.bill.dueSoon');
    const put = await fetch(`${base}/${due.id}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: due.name,
        entity: due.entity,
        field: due.field,
        offset: 3,
        version: due.version,
      }),
    });
    expect(put.status).toBe(200);
    const drift = await cli(['drift', '.', ...dotenv, '--format', 'json']);
    expect([drift.code, drift.stderr]).toEqual([2, '']);
    const report = JSON.parse(drift.stdout);
    expect(report.items).toMatchObject([
      {
        kind: 'scheduledEvent',
        key: 'scheduled.bill.dueSoon',
        fields: [{ field: 'offset', live: 3, desired: 10 }],
      },
    ]);

    // Deleting a scheduled event a live rule listens to is refused, and nothing is deleted.
    const onlyEvents = tempDir();
    writeFileSync(path.join(onlyEvents, 'm3ter.yaml'), 'scheduledEvents: []\n');
    const unsafe = await cli(['apply', onlyEvents, '--auto-approve']);
    expect(unsafe.code).toBe(3);
    expect(unsafe.stderr + unsafe.stdout).toContain('linked_delete');
    expect(e.admin.exportState().scheduledEvents).toHaveLength(2);

    // Not yet in Terraform JSON or a TypeScript stack: one clear error each, nothing written.
    const exported = await cli(['export', '.', ...dotenv, '--format', 'tf-json']);
    expect(exported.code).toBe(1);
    expect(exported.stderr).toContain('cannot hold scheduled events yet');
    const stack = await cli(['import', '--out', tempDir(), '--format', 'cdktf']);
    expect(stack.code).toBe(1);
    expect(stack.stderr).toContain('cannot hold scheduled events yet');
  });
});

async function tokenOf(e: RunningEmulator): Promise<string> {
  const basic = Buffer.from(`${CONSOLE.apiKey}:${CONSOLE.apiSecret}`).toString('base64');
  const r = await fetch(`${e.url}/oauth/token`, {
    method: 'POST',
    headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/json' },
    body: '{"grant_type":"client_credentials"}',
  });
  return ((await r.json()) as { access_token: string }).access_token;
}
