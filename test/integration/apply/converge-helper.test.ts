import { afterEach, describe, expect, it } from 'vitest';
import { FingerprintCache } from '../../../src/model/fingerprint.js';
import { applyAndConverge, type Org, planAgainst, startOrg } from '../../helpers/converge.js';
import { quickstart } from './fixtures.js';

let org: Org | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

describe('the convergence helper plans through the workflow', () => {
  it('plans the upgrade of an unkeyed secret fingerprint, as `m3ter-config plan` does', async () => {
    org = await startOrg();
    // Applied with an unkeyed cache: the webhook carries a version-1 fingerprint of its secrets.
    await applyAndConverge(org.client, quickstart());
    const orgId = org.client.orgId;
    const keyed = new FingerprintCache({ orgId, reveal: () => 'the-api-secret' });
    const { plan } = await planAgainst(org.client, quickstart(), { fingerprints: keyed });
    expect(plan.changes.map((c) => `${c.type} ${c.kind} ${c.key}`)).toEqual(['update webhook ops-hook']);
  });
});
