import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DesiredState } from '../../../src/model/state.js';
import { runApply } from '../../../src/workflow/apply.js';
import { importOrg } from '../../../src/workflow/import.js';
import { planAgainst } from '../../../src/workflow/plan.js';
import { validate } from '../../../src/workflow/validate.js';
import { type Org, startOrg } from '../../helpers/converge.js';
import { apiSeeder } from '../../helpers/seed-api.js';
import { seededRandom } from '../../unit/emit/hostile.js';
import { calcString, freshDir, importAndRoundTrip, sessionOf } from './helpers.js';

/**
 * Live text holding `${` (a reference's syntax) is imported escaped as `$${` and loads back as the same text: the
 * round trip plans nothing but the adoption of webhook secrets, and a live description naming an environment
 * variable never carries that variable's value into a plan or to m3ter.
 */
const FORMS = ['${env:X}', '${var:X}', '$${', '$$${', '${', '$', '$${env:AWS_SECRET_ACCESS_KEY}', '${}'];
const ATTACK = '${env:AWS_SECRET_ACCESS_KEY}';
const STOLEN = 'wJalrXUtnFEMI-stolen-if-seen';

describe('import writes a literal ${ as $${ (seeded forms)', () => {
  let org: Org;
  beforeAll(async () => {
    org = await startOrg();
  });
  afterAll(async () => org.close());

  async function seed(seedNo: number): Promise<string[]> {
    await org.emulator.admin.reset();
    const random = seededRandom(seedNo);
    const api = await apiSeeder(org.emulator);
    const text = () => {
      let s = '';
      for (let i = 1 + Math.floor(random() * 4); i > 0; i--) s += FORMS[Math.floor(random() * FORMS.length)];
      return `t${s}`;
    };
    const descriptions = [ATTACK, text(), text()];
    for (const [i, description] of descriptions.entries()) {
      await api.webhook({
        code: `hook_${i}`,
        name: text(),
        description,
        url: 'https://example.com/hook',
        active: true,
        credentials: {
          type: 'M3TER_SIGNED_REQUEST',
          apiKey: `key-${i}`,
          secret: `secret-${i}`,
          destination: 'WEBHOOK',
        },
      });
    }
    await api.rule({
      code: 'rule_0',
      name: text(),
      description: text(),
      eventName: 'billing.bill.created',
      calculation: `new.x == ${calcString(text())}`,
      active: true,
      alwaysFireEvent: false,
    });
    return descriptions;
  }

  for (const seedNo of [1, 2, 3]) {
    it(`seed ${seedNo}: import, load back exactly, plan only adopts secrets, apply, plan empty`, async () => {
      await seed(seedNo);
      const { dir } = await importAndRoundTrip(sessionOf(org.emulator, org.client), {
        secretValue: (s) => `value-of-${s.env}`,
      });
      const yaml = readFileSync(path.join(dir, 'm3ter', 'm3ter.yaml'), 'utf8');
      expect(yaml).toContain('description: "$${env:AWS_SECRET_ACCESS_KEY}"');
      expect(yaml).not.toMatch(/(?<!\$)\$\{(?!env:[A-Z_]+\}")/);
    });
  }

  it('a live description ${env:AWS_SECRET_ACCESS_KEY}, with that variable set, never sends its value', async () => {
    await seed(4);
    const session = sessionOf(org.emulator, org.client);
    const dir = freshDir();
    const outcome = await importOrg(session, { out: 'm3ter', cwd: dir, env: {} });
    const env = {
      ...Object.fromEntries(outcome.model.secrets.map((s) => [s.env, `value-of-${s.env}`])),
      AWS_SECRET_ACCESS_KEY: STOLEN,
    };
    const saved = process.env['AWS_SECRET_ACCESS_KEY'];
    process.env['AWS_SECRET_ACCESS_KEY'] = STOLEN;
    try {
      const loaded = await validate(['m3ter'], { env, cwd: dir, requireEnv: true });
      const desired = loaded.state as DesiredState;
      expect(desired.resources.webhook.get('hook_0')?.attributes.description).toBe(ATTACK);
      const planned = await planAgainst(desired, session);
      expect(JSON.stringify(planned.plan)).not.toContain(STOLEN);
      await runApply(session, planned.plan, { planned, checkCurrent: true });
      const again = await planAgainst(desired, session);
      expect(again.plan.changes).toEqual([]);
      const state = JSON.stringify(org.emulator.admin.exportState());
      expect(state).not.toContain(STOLEN);
      expect(state).toContain(JSON.stringify(ATTACK).slice(1, -1));
    } finally {
      if (saved === undefined) delete process.env['AWS_SECRET_ACCESS_KEY'];
      else process.env['AWS_SECRET_ACCESS_KEY'] = saved;
    }
  });
});
