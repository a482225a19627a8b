import { afterEach, describe, expect, it } from 'vitest';
import { integrationKey } from '../../../src/kinds/index.js';
import { adapters } from '../../../src/live/index.js';
import type { DesiredResource } from '../../../src/model/resource.js';
import { d, desiredState } from '../../unit/plan/builders.js';
import {
  applyAndConverge,
  applyWith,
  countByKey,
  type Org,
  planAgainst,
  startOrg,
  writeContextFor,
} from '../../helpers/converge.js';
import { sharedSecrets } from './fixtures.js';

/**
 * Issue 8 point 6: apply reads the referencing kinds right before each DELETE of a referenced entity, so a reference
 * made after the plan (and after the pre-write check) stops the delete. The emulator is told not to refuse such a
 * delete itself, so only apply's own check stands in the way.
 */

let org: Org | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

function integration(credential: string): DesiredResource<'integration'> {
  const key = integrationKey('Bill', 'Stripe', null);
  return {
    kind: 'integration',
    key,
    attributes: {
      entityType: 'Bill',
      destination: 'Stripe',
      name: null,
      credential,
      configData: {},
      active: true,
    },
    source: { file: 'm3ter.yaml', line: 1, col: 1, pointer: `/integrations/${key}` },
  };
}

describe('a referenced entity that gained a live reference after the plan is not deleted', () => {
  it('a notification rule newly linked to a webhook', async () => {
    org = await startOrg({ refuseDeleteWhenReferenced: false });
    const hook = { ...d.webhook('keep'), secrets: sharedSecrets() };
    const base = desiredState([hook, d.rule('r-keep'), d.rule('r-drop'), d.link('r-keep', 'keep')], {
      managed: ['webhook', 'notificationRule', 'link'],
    });
    await applyAndConverge(org.client, base);
    // Links left unmanaged: they are read (they reference rules) but never deleted by this plan.
    const next = desiredState([hook, d.rule('r-keep')], { managed: ['webhook', 'notificationRule'] });
    const planned = await planAgainst(org.client, next);
    expect(planned.plan.changes.map((c) => `${c.type} ${c.kind} ${c.key}`)).toEqual([
      'delete notificationRule r-drop',
    ]);
    expect(planned.plan.unsafe).toEqual([]);

    // Someone links the rule meanwhile; the pre-write check does not look at links to deleted entities.
    await adapters.link.create(org.newClient(), d.link('r-drop', 'keep'), writeContextFor(planned));
    const result = await applyWith(org.client, planned);
    expect(result.status).toBe('failed');
    expect(result.failed.map((o) => [o.key, o.error?.code])).toEqual([['r-drop', 'linked_delete']]);
    expect(result.failed[0]?.error?.message).toContain('live link "r-drop->keep" still references it');
    const counts = countByKey(org.emulator.admin.exportState());
    expect(counts.notificationRule.get('r-drop')).toBe(1);
    expect(counts.link.get('r-drop->keep')).toBe(1);
  });

  it('an integration credential newly referenced by an integration', async () => {
    org = await startOrg({ refuseDeleteWhenReferenced: false });
    const keep = d.credential('SALESFORCE', 'keep');
    const base = desiredState([keep, d.credential('SALESFORCE', 'drop')], { managed: ['credential'] });
    await applyAndConverge(org.client, base);
    const next = desiredState([keep], { managed: ['credential'] });
    const planned = await planAgainst(org.client, next);
    expect(planned.plan.changes.map((c) => `${c.type} ${c.kind} ${c.key}`)).toEqual([
      'delete credential SALESFORCE/drop',
    ]);
    expect(planned.plan.unsafe).toEqual([]);

    // Someone configures an integration with that credential meanwhile.
    await adapters.integration.create(
      org.newClient(),
      integration('SALESFORCE/drop'),
      writeContextFor(planned),
    );
    const result = await applyWith(org.client, planned);
    expect(result.status).toBe('failed');
    expect(result.failed.map((o) => [o.key, o.error?.code])).toEqual([['SALESFORCE/drop', 'linked_delete']]);
    expect(result.failed[0]?.error?.message).toContain('live integration "Bill->Stripe" still references it');
    const state = org.emulator.admin.exportState();
    expect(countByKey(state).credential.get('SALESFORCE/drop')).toBe(1);
    const drop = state.credentials.find((c) => c.name === 'drop');
    expect(state.integrationConfigs.map((c) => c.integrationCredentialsId)).toEqual([drop?.id]);
  });

  it('without the fresh read the same delete would go through: the server allows it', async () => {
    // The control: the emulator really does delete a referenced credential when told not to refuse, so the test
    // above proves apply's check, not the server's.
    org = await startOrg({ refuseDeleteWhenReferenced: false });
    const base = desiredState([d.credential('SALESFORCE', 'drop')], { managed: ['credential'] });
    await applyAndConverge(org.client, base);
    const planned = await planAgainst(org.client, base);
    await adapters.integration.create(
      org.newClient(),
      integration('SALESFORCE/drop'),
      writeContextFor(planned),
    );
    const id = planned.live.resources.credential.get('SALESFORCE/drop')!.live.id;
    await adapters.credential.remove(org.client, id);
    expect(countByKey(org.emulator.admin.exportState()).credential.get('SALESFORCE/drop')).toBeUndefined();
  });
});
