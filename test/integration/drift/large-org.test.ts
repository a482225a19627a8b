import { afterEach, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/index.js';
import { emptyDesiredState } from '../../../src/model/state.js';
import { driftAgainst } from '../../../src/workflow/drift.js';
import { planAgainst } from '../../../src/workflow/plan.js';
import { openSession } from '../../../src/workflow/session.js';
import { generateState } from '../live/seed.js';

/**
 * A large org (10,000 entities) is read by drift with exactly the requests plan sends, route by route, and no
 * write. In process, against the emulator on loopback: the CLI adds nothing to what is read.
 */
describe('drift reads a large org with the same requests as plan', () => {
  let emu: RunningEmulator | undefined;
  afterEach(() => emu?.close());

  it(
    '10,000 entities: the same requests, route by route, and none that writes',
    { timeout: 60_000 },
    async () => {
      emu = await startEmulator({ port: 0, rateLimit: 0 });
      await emu.admin.seed(generateState(emu.orgId, { webhooks: 2_000, rules: 4_000, links: 4_000 }));
      // Every kind managed, nothing declared: all 10,000 are unmanaged (and the plan deletes them all).
      const desired = emptyDesiredState();
      for (const k of ['webhook', 'notificationRule', 'link'] as const) desired.managedKinds.add(k);
      const env = {
        M3TER_BASE_URL: emu.url,
        M3TER_ORG_ID: emu.orgId,
        M3TER_API_KEY: emu.apiKey,
        M3TER_API_SECRET: emu.apiSecret,
      };
      const counted = async <T>(work: (s: Awaited<ReturnType<typeof openSession>>) => Promise<T>) => {
        emu!.admin.resetCounters();
        const session = await openSession({ env, cwd: process.cwd(), readOnly: true });
        try {
          const result = await work(session);
          return { result, requests: emu!.admin.counters().requests };
        } finally {
          await session.close();
        }
      };
      const plan = await counted((s) => planAgainst(desired, s));
      expect(plan.result.plan.summary.delete).toBe(10_000);
      const drift = await counted((s) => driftAgainst(desired, s));
      expect(drift.requests).toEqual(plan.requests);
      expect(
        Object.keys(drift.requests).filter((r) => !r.startsWith('GET ') && r !== 'POST /oauth/token'),
      ).toEqual([]);
      expect(drift.result.report.summary).toEqual({
        modified: 0,
        unmanaged: 10_000,
        missing: 0,
        secret: 0,
        disabled: 0,
      });
      // One token, then every page at the largest page size (webhooks and configs 200, rules 100).
      const total = Object.values(drift.requests).reduce((a, b) => a + b, 0);
      expect(total).toBeLessThanOrEqual(1 + (2_000 / 200 + 1) + (4_000 / 100 + 1) + (4_000 / 200 + 1));
    },
  );
});
