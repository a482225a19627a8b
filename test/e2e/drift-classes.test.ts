import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONSOLE_AUDIT_NAME, type DriftOrg, startDriftOrg } from './drift-helpers.js';
import { QUICKSTART_SECRETS } from './run-cli.js';

/**
 * Every class of drift, with attribution and direction, through the CLI against the emulator: edits made by a second
 * user ("the Console"), changes made in the files, and both, judged against the record of the last apply.
 */

function edit(cwd: string, from: string, to: string): void {
  const file = path.join(cwd, 'm3ter.yaml');
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`m3ter.yaml has no ${JSON.stringify(from)}`);
  writeFileSync(file, text.replace(from, to));
}

type Item = {
  class: string;
  kind: string;
  key: string;
  direction: string;
  lastModifiedBy: string | null;
} & Record<string, unknown>;

const byKey = (items: Item[]) => Object.fromEntries(items.map((i) => [`${i.class} ${i.kind} ${i.key}`, i]));

describe('drift: classes, attribution and direction', () => {
  let org: DriftOrg;
  afterEach(() => org?.close());

  it(
    'modified, unmanaged and missing, each from m3ter, from the files or from both',
    { timeout: 90_000 },
    async () => {
      org = await startDriftOrg();
      const applied = await org.cli(['apply', '.', '--auto-approve', '--record', 'record.json']);
      expect(applied.code).toBe(0);
      expect(applied.stdout).toContain('Recorded the apply in record.json.');
      const record = readFileSync(path.join(org.cwd, 'record.json'), 'utf8');
      for (const s of QUICKSTART_SECRETS) expect(record).not.toContain(s);
      expect(record).not.toContain('Fires on every new bill'); // ids and versions, no attribute value

      // In m3ter only: a rule edited, a rule added, a link deleted.
      const bill = await org.editRule('bill_created', { description: 'Console' });
      await org.addRule('console_rule');
      const configs = await org.list('/integrationconfigs');
      const billLink = configs.find((c) => c.entityType === 'Notification' && c.entityId === bill.id);
      expect((await org.asConsoleUser('DELETE', `/integrationconfigs/${billLink.id}`)).status).toBe(200);
      // In both: the commitment rule renamed in the Console and re-described in the files.
      await org.editRule('commitment_under_10_percent', { name: 'Renamed in the Console' });
      edit(org.cwd, "Fires when a commitment's spend crosses 90%", 'Re-described in the files');
      // In the files only: an integration setting changed, a link dropped, a rule added.
      edit(org.cwd, 'syncOnApproval: true', 'syncOnApproval: false');
      edit(org.cwd, '  - rule: commitment_under_10_percent\n    webhook: quickstart_receiver\n', '');
      edit(
        org.cwd,
        'notificationRules:\n',
        'notificationRules:\n  - code: files_rule\n    name: Files rule\n    description: Declared, not applied\n    eventName: billing.bill.deleted\n',
      );

      const drift = await org.cli(['drift', '.', '--format', 'json', '--since', 'record.json']);
      expect([drift.code, drift.stderr]).toEqual([2, '']);
      const report = JSON.parse(drift.stdout);
      expect(report.since).toMatchObject({ entities: 7 });
      expect(report.summary).toEqual({ modified: 3, unmanaged: 2, missing: 2, secret: 0, disabled: 0 });
      const items = byKey(report.items);
      expect(Object.keys(items).sort()).toEqual(
        [
          'missing link bill_created->quickstart_receiver',
          'missing notificationRule files_rule',
          'modified integration Bill->Stripe',
          'modified notificationRule bill_created',
          'modified notificationRule commitment_under_10_percent',
          'unmanaged link commitment_under_10_percent->quickstart_receiver',
          'unmanaged notificationRule console_rule',
        ].sort(),
      );
      expect(items['modified notificationRule bill_created']).toMatchObject({
        direction: 'm3ter',
        lastModifiedBy: CONSOLE_AUDIT_NAME,
        fields: [{ field: 'description', live: 'Console', desired: 'Fires on every new bill' }],
      });
      expect(items['unmanaged notificationRule console_rule']).toMatchObject({
        direction: 'm3ter',
        lastModifiedBy: CONSOLE_AUDIT_NAME,
      });
      expect(items['missing link bill_created->quickstart_receiver']).toMatchObject({ direction: 'm3ter' });
      expect(items['modified notificationRule commitment_under_10_percent']).toMatchObject({
        direction: 'both',
        lastModifiedBy: CONSOLE_AUDIT_NAME,
        fields: [
          { field: 'name', live: 'Renamed in the Console', desired: 'Commitment has under 10% remaining' },
          {
            field: 'description',
            live: "Fires when a commitment's spend crosses 90%",
            desired: 'Re-described in the files',
          },
        ],
      });
      const mainUser = `SERVICE_USER_${org.emu.apiKey}`;
      expect(items['modified integration Bill->Stripe']).toMatchObject({
        direction: 'files',
        lastModifiedBy: mainUser,
        fields: [{ field: 'configData.syncOnApproval', live: true, desired: false }],
      });
      expect(items['unmanaged link commitment_under_10_percent->quickstart_receiver']).toMatchObject({
        direction: 'files',
        lastModifiedBy: mainUser,
      });
      expect(items['missing notificationRule files_rule']).toMatchObject({
        direction: 'files',
        lastModifiedBy: null,
      });

      // Text and Markdown say the same, name the Console user, and show no secret.
      const text = await org.cli(['drift', '.', '--since', 'record.json']);
      expect(text.code).toBe(2);
      expect(text.stdout).toContain(
        `changed in m3ter since the apply of ${report.since.appliedAt} (by ${CONSOLE_AUDIT_NAME})`,
      );
      expect(text.stdout).toContain('Drift: 7 items (3 modified, 2 unmanaged, 2 missing).');
      const md = await org.cli(['drift', '.', '--since', 'record.json', '--format', 'markdown']);
      expect(md.code).toBe(2);
      expect(md.stdout).toMatch(/^### m3ter-config drift: `m3ter org /);
      expect(md.stdout).toContain('| modified | 3 |');
      expect(md.stdout).toContain(`(by \`${CONSOLE_AUDIT_NAME}\`)`);
      for (const s of QUICKSTART_SECRETS)
        for (const out of [drift, text, md]) expect(out.stdout).not.toContain(s);

      // Without a record, no guess.
      const unknown = JSON.parse((await org.cli(['drift', '.', '--format', 'json'])).stdout);
      expect(new Set(unknown.items.map((i: Item) => i.direction))).toEqual(new Set(['unknown']));
    },
  );

  it(
    'secret: a secret changed in the files, and a secret re-set in m3ter by another user',
    { timeout: 90_000 },
    async () => {
      org = await startDriftOrg();
      expect((await org.cli(['apply', '.', '--auto-approve', '--record', 'record.json'])).code).toBe(0);
      const rotated = await org.cli(['drift', '.', '--format', 'json', '--since', 'record.json'], {
        QUICKSTART_WEBHOOK_SECRET: 'a-new-secret-in-the-files',
      });
      expect(rotated.code).toBe(2);
      expect(rotated.stdout).not.toContain('a-new-secret-in-the-files');
      expect(JSON.parse(rotated.stdout).items).toMatchObject([
        {
          class: 'secret',
          kind: 'webhook',
          key: 'quickstart_receiver',
          fingerprint: 'changed',
          direction: 'files',
        },
      ]);

      const [hook] = await org.list('/integrationdestinations/webhooks');
      const reset = await org.asConsoleUser('PUT', `/integrationdestinations/webhooks/${hook.id}`, {
        ...hook,
        credentials: { type: 'M3TER_SIGNED_REQUEST', apiKey: 'console-key', secret: 'console-secret' },
      });
      expect(reset.status).toBe(200);
      const drift = await org.cli(['drift', '.', '--format', 'json', '--since', 'record.json']);
      expect(drift.code).toBe(2);
      expect(drift.stdout).not.toContain('console-secret');
      expect(JSON.parse(drift.stdout).items).toMatchObject([
        {
          class: 'secret',
          key: 'quickstart_receiver',
          fingerprint: 'absent',
          direction: 'm3ter',
          lastModifiedBy: CONSOLE_AUDIT_NAME,
          source: { pointer: '/webhooks/0' },
        },
      ]);
    },
  );

  it(
    '--previous marks items new or ongoing and lists the resolved ones; --out keeps the JSON for the next run',
    { timeout: 90_000 },
    async () => {
      org = await startDriftOrg();
      expect((await org.cli(['apply', '.', '--auto-approve'])).code).toBe(0);
      await org.editRule('bill_created', { active: false });
      const first = await org.cli(['drift', '.', '--format', 'markdown', '--out', 'drift.json']);
      expect(first.code).toBe(2);
      const saved = JSON.parse(readFileSync(path.join(org.cwd, 'drift.json'), 'utf8'));
      expect(saved.items).toMatchObject([{ class: 'modified', key: 'bill_created' }]);

      const same = JSON.parse(
        (await org.cli(['drift', '.', '--format', 'json', '--previous', 'drift.json'])).stdout,
      );
      expect(same).toMatchObject({
        changedSincePrevious: false,
        resolved: [],
        items: [{ status: 'ongoing' }],
      });

      // The rule is fixed by hand, and something else drifts.
      await org.editRule('bill_created', { active: true });
      await org.addRule('another');
      const next = await org.cli(['drift', '.', '--previous', 'drift.json', '--format', 'json']);
      expect(next.code).toBe(2);
      expect(JSON.parse(next.stdout)).toMatchObject({
        changedSincePrevious: true,
        items: [{ class: 'unmanaged', key: 'another', status: 'new' }],
        resolved: [{ class: 'modified', kind: 'notificationRule', key: 'bill_created' }],
      });
      const text = await org.cli(['drift', '.', '--previous', 'drift.json']);
      expect(text.stdout).toContain('resolved: notification rule "bill_created" modified');
    },
  );

  it(
    'refuses a record of another org, and a file that is not a record, before reading anything',
    { timeout: 90_000 },
    async () => {
      org = await startDriftOrg();
      writeFileSync(path.join(org.cwd, 'bad.json'), '{"formatVersion": 1}');
      const bad = await org.cli(['drift', '.', '--since', 'bad.json']);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('bad.json is not an apply record');
      const other = {
        formatVersion: 1,
        type: 'm3ter-config-apply-record',
        target: { type: 'm3ter', orgId: 'another-org', baseUrl: 'https://api.m3ter.com' },
        appliedAt: '2026-01-01T00:00:00.000Z',
        managedKinds: [],
        entities: [],
      };
      writeFileSync(path.join(org.cwd, 'other.json'), JSON.stringify(other));
      org.emu.admin.resetCounters();
      const refused = await org.cli(['drift', '.', '--since', 'other.json']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('the apply record was made for m3ter org another-org');
      expect(org.emu.admin.counters().requests).toEqual({});
    },
  );
});
