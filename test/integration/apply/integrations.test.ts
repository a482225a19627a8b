import { afterEach, describe, expect, it } from 'vitest';
import type { DesiredResource, IntegrationAttributes } from '../../../src/model/resource.js';
import type { DesiredState } from '../../../src/model/state.js';
import { applyAndConverge, type Org, planAgainst, startOrg } from '../../helpers/converge.js';
import { d, desiredState } from '../../unit/plan/builders.js';

/**
 * Integrations against the emulator, through the real client: each step applies, checks what the emulator holds (the
 * oracle), and plans again to an empty plan.
 */

let org: Org | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

const A = 'SALESFORCE/sync-a';
const B = 'SALESFORCE/sync-b';

function config(
  credentials: readonly string[],
  integration: Partial<IntegrationAttributes> | undefined,
): DesiredState {
  const resources: DesiredResource[] = credentials.map((k) => d.credential('SALESFORCE', k.split('/')[1]!));
  if (integration) resources.push(d.integration('Account', 'Salesforce', integration));
  return desiredState(resources, { managed: ['credential', 'integration'] });
}

/** The emulator's integration configurations that are not links, as m3ter holds them. */
function held(o: Org) {
  const s = o.emulator.admin.exportState();
  const credentialId = new Map(s.credentials.map((c) => [c.id, `${c.destination}/${c.name}`]));
  return s.integrationConfigs
    .filter((c) => c.entityType !== 'Notification')
    .map((c) => ({
      entityType: c.entityType,
      destination: c.destination,
      name: c.name,
      credential: c.integrationCredentialsId && credentialId.get(c.integrationCredentialsId),
      configData: c.configData,
      enabled: c.enabled,
      version: c.version,
    }));
}

const order = (r: Awaited<ReturnType<typeof applyAndConverge>>) =>
  r.result.applied.map((o) => `${o.action} ${o.kind} ${o.key}`);

describe('integrations: apply converges', () => {
  it('creates, updates, re-points, disables, enables and deletes, with an empty plan after each', async () => {
    org = await startOrg();

    // A credential and the integration using it, in one apply: the credential first.
    const created = await applyAndConverge(
      org.client,
      config([A], { credential: A, configData: { batch: 10 } }),
    );
    expect(order(created)).toEqual([
      'create credential SALESFORCE/sync-a',
      'create integration Account->Salesforce',
    ]);
    expect(held(org)).toEqual([
      {
        entityType: 'Account',
        destination: 'Salesforce',
        name: undefined,
        credential: A,
        configData: { batch: 10 },
        enabled: true,
        version: 1,
      },
    ]);

    // configData changed: one update, field by field.
    const edit = await applyAndConverge(
      org.client,
      config([A], { credential: A, configData: { batch: 20, mode: 'full' } }),
    );
    expect(edit.first.changes).toMatchObject([
      {
        type: 'update',
        kind: 'integration',
        fields: [
          { field: 'configData.batch', from: 10, to: 20 },
          { field: 'configData.mode', from: null, to: 'full' },
        ],
      },
    ]);
    expect(held(org)[0]).toMatchObject({ configData: { batch: 20, mode: 'full' }, version: 2 });

    // Re-pointed to a new credential while the old one is deleted, in one plan: create, update, then delete.
    const moved = await applyAndConverge(
      org.client,
      config([B], { credential: B, configData: { batch: 20, mode: 'full' } }),
    );
    expect(moved.first.unsafe).toEqual([]);
    expect(order(moved)).toEqual([
      'create credential SALESFORCE/sync-b',
      'update integration Account->Salesforce',
      'delete credential SALESFORCE/sync-a',
    ]);
    expect(held(org)[0]).toMatchObject({ credential: B, version: 3 });

    // Disabled (m3ter's enabled: false), then enabled again.
    const off = await applyAndConverge(
      org.client,
      config([B], { credential: B, configData: { batch: 20, mode: 'full' }, active: false }),
    );
    expect(off.first.changes).toMatchObject([
      { type: 'update', fields: [{ field: 'active', from: true, to: false }] },
    ]);
    expect(held(org)[0]).toMatchObject({ enabled: false });
    await applyAndConverge(
      org.client,
      config([B], { credential: B, configData: { batch: 20, mode: 'full' } }),
    );
    expect(held(org)[0]).toMatchObject({ enabled: true });

    // Both deleted together: the integration first, then its credential.
    const gone = await applyAndConverge(org.client, config([], undefined));
    expect(order(gone)).toEqual([
      'delete integration Account->Salesforce',
      'delete credential SALESFORCE/sync-b',
    ]);
    expect(held(org)).toEqual([]);
    expect(org.emulator.admin.exportState().credentials).toEqual([]);
  });

  it('names are part of the key: two integrations of one entity type and destination live side by side', async () => {
    org = await startOrg();
    const both = desiredState(
      [
        d.credential('SALESFORCE', 'sync-a'),
        d.integration('Account', 'Salesforce', { credential: A }),
        d.integration('Account', 'Salesforce', { name: 'sandbox', active: false }),
      ],
      { managed: ['credential', 'integration'] },
    );
    await applyAndConverge(org.client, both);
    expect(held(org).map((i) => [i.name, i.credential, i.enabled])).toEqual(
      expect.arrayContaining([
        [undefined, A, true],
        ['sandbox', undefined, false],
      ]),
    );
  });

  it('refuses to delete a credential a live integration still uses, even one the files do not manage', async () => {
    org = await startOrg();
    await applyAndConverge(org.client, config([A], { credential: A }));
    // Only credentials are managed now; the integration is left alone, so its credential must stay.
    const planned = await planAgainst(org.client, desiredState([], { managed: ['credential'] }));
    expect(planned.plan.changes.map((c) => `${c.type} ${c.kind} ${c.key}`)).toEqual([
      'delete credential SALESFORCE/sync-a',
    ]);
    expect(planned.plan.unsafe.map((u) => [u.rule, u.referencedBy])).toEqual([
      ['linked_delete', [{ kind: 'integration', key: 'Account->Salesforce' }]],
    ]);
  });
});
