import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Org, startOrg } from '../../helpers/converge.js';
import { importAndRoundTrip, seedHostileOrg, sessionOf } from './helpers.js';

/**
 * The round-trip property of import, over seeded random orgs made through the emulator's m3ter API with YAML-hostile
 * strings in every text field m3ter and the config language both accept: import, load back exactly, plan shows only
 * the adoption of webhook secrets, one apply, plan empty. A failing seed replays with SEEDS below.
 */

const SEEDS = Array.from({ length: Number(process.env['IMPORT_SEEDS'] ?? 12) }, (_, i) => i + 1);

describe('import round trip over seeded hostile orgs (property)', () => {
  let org: Org;
  beforeAll(async () => {
    org = await startOrg();
  });
  afterAll(async () => org.close());

  for (const seed of SEEDS) {
    it(`seed ${seed}: import, load back exactly, plan only adopts webhook secrets, apply once, plan empty`, async () => {
      org.emulator.admin.reset();
      await seedHostileOrg(org, seed);
      const { outcome } = await importAndRoundTrip(sessionOf(org.emulator, org.client), {
        secretValue: (s) => `value-of-${s.env}-${seed}`,
      });
      expect(outcome.model.entities.webhook.length).toBe(3);
      expect(outcome.model.entities.integration.length).toBe(2);
      expect(outcome.model.entities.link.length).toBe(3);
    });
  }
});
