import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_SECTION } from '../../../src/kinds/index.js';
import { importOrg } from '../../../src/workflow/import.js';
import { planAgainst } from '../../../src/workflow/plan.js';
import { validate } from '../../../src/workflow/validate.js';
import type { DesiredState } from '../../../src/model/state.js';
import { type Org, startOrg } from '../../helpers/converge.js';
import { generateState } from '../live/seed.js';
import { freshDir, sessionOf } from './helpers.js';

/**
 * Importing 10,000 entities sends exactly the requests `plan` sends for the same kinds (the lower bound: every page
 * of every list, once), and the files it writes load at the loader's normal speed: compared with the same entities
 * written as one JSON document (YAML's plainest form), loaded by the same loader.
 */
describe('import at scale', () => {
  let org: Org;
  beforeAll(async () => {
    org = await startOrg();
    org.emulator.admin.seed(
      generateState(org.emulator.orgId, {
        webhooks: 2500,
        rules: 2500,
        links: 3000,
        credentials: 1000,
        otherConfigs: 1000,
      }),
    );
  });
  afterAll(async () => org.close());

  it('10,000 entities: the same requests as plan, and files that validate at normal loader speed', async () => {
    const session = sessionOf(org.emulator, org.client);
    const dir = freshDir();
    org.emulator.admin.resetCounters();
    const outcome = await importOrg(session, { out: 'm3ter', cwd: dir, env: {} });
    // The token is fetched once per client, by whichever command comes first; every other request is compared.
    const apiRequests = () =>
      Object.fromEntries(
        Object.entries(org.emulator.admin.counters().requests).filter(([r]) => !r.includes('/oauth/')),
      );
    const importRequests = apiRequests();
    const total = outcome.model.kinds.reduce((n, k) => n + outcome.model.entities[k].length, 0);
    expect(total).toBe(10_000);
    expect(outcome.model.problems).toEqual([]);
    expect(outcome.issues.filter((i) => i.severity === 'error')).toEqual([]);

    const env = Object.fromEntries(outcome.model.secrets.map((s) => [s.env, 'v']));
    let t = performance.now();
    const loaded = await validate(['m3ter'], { env, cwd: dir, requireEnv: true });
    const yamlMs = performance.now() - t;
    expect(loaded.errorCount).toBe(0);
    const desired = loaded.state as DesiredState;

    org.emulator.admin.resetCounters();
    await planAgainst(desired, session);
    expect(importRequests).toEqual(apiRequests());
    // One read of each list, nothing else: pages of 200 for 2,500 webhooks, 4,000 integration configs (links and
    // integrations) and 3,500 credentials (the webhooks' own ones are listed too), of 100 for 2,500 rules, and the
    // one page of the empty scheduled events list.
    expect(Object.values(importRequests).reduce((a, b) => a + b, 0)).toBe(13 + 20 + 18 + 25 + 1);

    // The same entities as one JSON document, through the same loader.
    const doc = Object.fromEntries(
      outcome.model.kinds.map((k) => [CONFIG_SECTION[k], outcome.model.entities[k].map((e) => e.entry)]),
    );
    const jsonDir = freshDir();
    writeFileSync(path.join(jsonDir, 'm3ter.yaml'), JSON.stringify(doc));
    t = performance.now();
    const reference = await validate(['m3ter.yaml'], { env, cwd: jsonDir, requireEnv: true });
    const jsonMs = performance.now() - t;
    expect(reference.errorCount).toBe(0);
    console.log(
      `import scale: validate of the imported YAML ${yamlMs.toFixed(0)} ms, of the same as JSON ${jsonMs.toFixed(0)} ms`,
    );
    expect(yamlMs).toBeLessThan(jsonMs * 3 + 500);
  });
});
