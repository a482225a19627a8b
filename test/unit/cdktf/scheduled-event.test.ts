import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigSources } from '../../../src/load/cdktf-synth.js';
import { checkTerraformJson } from '../../helpers/tf-schema-check.js';
import { CORES, synth } from './synth.js';

/** The ScheduledEvent construct, and a rule given one as its eventName, in both entry points. */
describe.each(CORES)('$name ScheduledEvent', (core) => {
  it('synthesizes m3ter_scheduled_event_configuration, a rule naming it by reference, and reads back', async () => {
    const { json, outdir } = synth(
      core,
      (stack, m3) => {
        const due = new m3.ScheduledEvent(stack, 'due', {
          name: 'scheduled.bill.dueSoon',
          entity: 'Bill',
          field: 'dueDate',
          offset: 10,
        });
        new m3.NotificationRule(stack, 'late', {
          code: 'bill_late',
          name: 'Bill late',
          description: '10 days after the due date',
          eventName: due,
        });
      },
      { keep: true },
    );
    try {
      expect(checkTerraformJson(json)).toEqual([]);
      const resources = json['resource'] as Record<string, Record<string, Record<string, unknown>>>;
      const [eventId, event] =
        Object.entries(resources['m3ter_scheduled_event_configuration'] ?? {})[0] ?? [];
      expect(event).toMatchObject({
        name: 'scheduled.bill.dueSoon',
        entity: 'Bill',
        field: 'dueDate',
        offset: 10,
      });
      const rule = Object.values(resources['m3ter_notification_configuration'] ?? {})[0];
      expect(rule?.['event_name']).toBe(`\${m3ter_scheduled_event_configuration.${eventId}.name}`);

      const loaded = await loadConfigSources([path.join(outdir, 'stacks/stack')], { env: {}, cwd: outdir });
      expect(loaded.issues).toEqual([]);
      expect([...loaded.state!.resources.scheduledEvent.values()].map((r) => r.attributes)).toEqual([
        { name: 'scheduled.bill.dueSoon', entity: 'Bill', field: 'dueDate', offset: 10 },
      ]);
      expect(loaded.state!.resources.notificationRule.get('bill_late')?.attributes.eventName).toBe(
        'scheduled.bill.dueSoon',
      );
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('checks its props with the loader’s rules (offset at least 1)', () => {
    expect(() =>
      synth(core, (stack, m3) => {
        new m3.ScheduledEvent(stack, 'bad', {
          name: 'scheduled.bill.x',
          entity: 'Bill',
          field: 'dueDate',
          offset: 0,
        });
      }),
    ).toThrow(/bad\.offset/);
  });

  it('a rule given a scheduled event name as text writes it as it is (one made elsewhere)', () => {
    const { json } = synth(core, (stack, m3) => {
      new m3.NotificationRule(stack, 'late', {
        code: 'bill_late',
        name: 'Bill late',
        description: 'x',
        eventName: 'scheduled.bill.dueSoon',
      });
    });
    const rule = Object.values(
      (json['resource'] as Record<string, Record<string, Record<string, unknown>>>)[
        'm3ter_notification_configuration'
      ] ?? {},
    )[0];
    expect(rule?.['event_name']).toBe('scheduled.bill.dueSoon');
  });
});
