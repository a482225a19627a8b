import { afterEach, describe, expect, it } from 'vitest';
import { CONSOLE_AUDIT_NAME, type DriftOrg, itemLines, startDriftOrg } from './drift-helpers.js';
import { QUICKSTART_SECRETS } from './run-cli.js';

/**
 * The "done when", exactly: after applying the quickstart `drift` exits 0; after a second user edits a
 * rule, adds a rule and deletes a link, `drift --format json` exits 2 and reports exactly those three items with the
 * second user named; after `apply`, `drift` exits 0 again. The org is an emulator on loopback with two users; the
 * CLI runs as a user runs it.
 */
describe('drift: the done-when scenario', () => {
  let org: DriftOrg;
  afterEach(() => org?.close());

  it(
    '0 after apply, 2 with exactly the three edits of a second user named, 0 again after apply',
    { timeout: 90_000 },
    async () => {
      org = await startDriftOrg();
      expect((await org.cli(['apply', '.', '--auto-approve'])).code).toBe(0);
      const clean = await org.cli(['drift', '.']);
      expect([clean.code, clean.stderr]).toEqual([0, '']);
      expect(clean.stdout).toContain('No drift');

      const rules = await org.list('/notifications/configurations');
      const billCreated = rules.find((r) => r.code === 'bill_created');
      const edited = await org.asConsoleUser('PUT', `/notifications/configurations/${billCreated.id}`, {
        ...billCreated,
        description: 'Edited in the Console',
      });
      expect(edited.status).toBe(200);
      const added = await org.asConsoleUser('POST', '/notifications/configurations', {
        code: 'console_rule',
        name: 'Made in the Console',
        description: 'Nobody declared this',
        eventName: 'billing.bill.updated',
      });
      expect(added.status).toBe(200);
      const configs = await org.list('/integrationconfigs');
      const link = configs.find((c) => c.entityType === 'Notification' && c.entityId === billCreated.id);
      expect((await org.asConsoleUser('DELETE', `/integrationconfigs/${link.id}`)).status).toBe(200);

      const drift = await org.cli(['drift', '.', '--format', 'json']);
      expect([drift.code, drift.stderr]).toEqual([2, '']);
      const report = JSON.parse(drift.stdout);
      expect(report).toMatchObject({
        formatVersion: 1,
        drifted: true,
        target: { type: 'm3ter', orgId: org.emu.orgId },
        summary: { modified: 1, unmanaged: 1, missing: 1, secret: 0, disabled: 0 },
      });
      expect(itemLines(report)).toEqual([
        'modified notificationRule bill_created',
        'unmanaged notificationRule console_rule',
        'missing link bill_created->quickstart_receiver',
      ]);
      const [modified, unmanaged, missing] = report.items;
      expect(modified).toMatchObject({
        fields: [{ field: 'description', live: 'Edited in the Console', desired: 'Fires on every new bill' }],
        lastModifiedBy: CONSOLE_AUDIT_NAME,
        id: billCreated.id,
        direction: 'unknown',
        source: { file: 'm3ter.yaml', line: 25, col: 5, pointer: '/notificationRules/1' },
      });
      expect(typeof modified.dtLastModified).toBe('string');
      expect(unmanaged).toMatchObject({ lastModifiedBy: CONSOLE_AUDIT_NAME, id: added.body.id });
      expect(missing).toMatchObject({ id: null, lastModifiedBy: null, source: { pointer: '/links/1' } });
      for (const s of QUICKSTART_SECRETS) expect(drift.stdout).not.toContain(s);

      expect((await org.cli(['apply', '.', '--auto-approve'])).code).toBe(0);
      const again = await org.cli(['drift', '.']);
      expect([again.code, again.stdout]).toEqual([0, expect.stringContaining('No drift')]);
    },
  );
});
