import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/load/yaml.js';
import { type DriftOrg, startDriftOrg } from './drift-helpers.js';

/**
 * Against a remote org, plan reads it while the files load (issue 10): the token at once, each kind's lists as soon
 * as a file names it. Each list is still read once, and invalid files still stop everything before any write,
 * with a message that says only reads were sent.
 */
const EVALUATE = 'POST /organizations/{orgId}/notifications/evaluate';

describe('plan reads the org while the files load', () => {
  let org: DriftOrg | undefined;
  afterEach(async () => {
    await org?.close();
    org = undefined;
  });

  it('reads each list once, and plans as before', { timeout: 60_000 }, async () => {
    org = await startDriftOrg();
    org.emu.admin.resetCounters();
    const plan = await org.cli(['plan', '.', '--detailed-exitcode']);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('Plan: 7 to create');
    const { requests } = org.emu.admin.counters();
    // The quickstart org is empty: one token, one page of each list the files need.
    expect(requests['POST /oauth/token']).toBe(1);
    for (const [request, count] of Object.entries(requests)) {
      // Besides reads, plan evaluates each new calculation (it changes nothing): one request per rule that has one.
      if (request === EVALUATE) continue;
      expect(request.startsWith('GET ') || request === 'POST /oauth/token', request).toBe(true);
      expect(count, request).toBe(1);
    }
    expect(Object.keys(requests).length).toBeGreaterThan(2);
  });

  it(
    'a file in flow style (no section starts a line) still reads each list once',
    { timeout: 60_000 },
    async () => {
      org = await startDriftOrg();
      const file = path.join(org.cwd, 'm3ter.yaml');
      const data = parseYaml('m3ter.yaml', readFileSync(file, 'utf8')).data;
      // JSON is YAML in flow style: the guess from line starts finds no section; the parsed sections start the reads.
      writeFileSync(file, JSON.stringify(data, null, 2));
      org.emu.admin.resetCounters();
      const plan = await org.cli(['plan', '.', '--detailed-exitcode']);
      expect(plan.code).toBe(2);
      expect(plan.stdout).toContain('Plan: 7 to create');
      const { requests } = org.emu.admin.counters();
      for (const [request, count] of Object.entries(requests))
        if (request !== EVALUATE) expect(count, request).toBe(1);
      expect(Object.keys(requests).length).toBeGreaterThan(2);
    },
  );

  it(
    'with invalid files: exit 1, positioned issues, no write, and the message says only reads went',
    {
      timeout: 60_000,
    },
    async () => {
      org = await startDriftOrg();
      const file = path.join(org.cwd, 'm3ter.yaml');
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace('eventName: billing.bill.created', 'eventName: 42'),
      );
      org.emu.admin.resetCounters();
      const plan = await org.cli(['plan', '.']);
      expect(plan.code).toBe(1);
      expect(plan.stderr).toMatch(/m3ter\.yaml:\d+:\d+ \/notificationRules\/1\/eventName/);
      const { requests } = org.emu.admin.counters();
      const writes = Object.keys(requests).filter((r) => !r.startsWith('GET ') && r !== 'POST /oauth/token');
      expect(writes).toEqual([]);
      if (Object.keys(requests).length > 0)
        expect(plan.stderr).toContain('Nothing was changed in the API: only the reads');
      else expect(plan.stderr).toContain('Nothing was sent to the API.');
      expect(org.emu.admin.exportState().webhooks).toEqual([]);
    },
  );

  it('apply with invalid files writes nothing either', { timeout: 60_000 }, async () => {
    org = await startDriftOrg();
    const file = path.join(org.cwd, 'm3ter.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nunknownSection: true\n`);
    org.emu.admin.resetCounters();
    const apply = await org.cli(['apply', '.', '--auto-approve']);
    expect(apply.code).toBe(1);
    const { requests } = org.emu.admin.counters();
    expect(Object.keys(requests).filter((r) => !r.startsWith('GET ') && r !== 'POST /oauth/token')).toEqual(
      [],
    );
    expect(org.emu.admin.exportState().webhooks).toEqual([]);
  });
});
