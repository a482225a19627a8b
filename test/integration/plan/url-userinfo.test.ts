import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDrift } from '../../../src/render/drift.js';
import { renderPlan } from '../../../src/render/plan.js';
import { driftAgainst } from '../../../src/workflow/drift.js';
import { planAgainst } from '../../../src/workflow/plan.js';
import { validate } from '../../../src/workflow/validate.js';
import { type Org, startOrg } from '../../helpers/converge.js';
import { apiSeeder } from '../../helpers/seed-api.js';
import { sessionOf } from '../import/helpers.js';

/** A live webhook URL with user info (set in the Console) never shows its password in a plan or drift report. */
const PASSWORD = 'hunter2-in-the-url';

describe('live URLs with user info are masked in every text output', () => {
  let org: Org;
  beforeAll(async () => {
    org = await startOrg();
  });
  afterAll(async () => org.close());

  it('plan (text, markdown) and drift (text, markdown)', async () => {
    const api = await apiSeeder(org.emulator);
    const creds = {
      type: 'M3TER_SIGNED_REQUEST',
      apiKey: 'k-1234',
      secret: 's-1234',
      destination: 'WEBHOOK',
    };
    for (const [code, url] of [
      ['ops', `https://ops:${PASSWORD}@h.example.com/x`],
      ['slashy', `https://u:1/${PASSWORD}@h.example.com/y`],
    ] as const)
      await api.webhook({ code, name: code, description: 'd', url, credentials: creds });
    const dir = mkdtempSync(path.join(tmpdir(), 'm3ter-userinfo-'));
    writeFileSync(
      path.join(dir, 'm3ter.yaml'),
      ['ops', 'slashy']
        .map(
          (c) => `  - code: ${c}
    name: ${c}
    description: d
    url: https://h.example.com/${c}
    credentials: { apiKey: { env: K }, secret: { env: S } }`,
        )
        .join('\n')
        .replace(/^/, 'webhooks:\n')
        .concat('\n'),
    );
    const loaded = await validate(['m3ter.yaml'], { env: { K: 'key-1234', S: 'sec-1234' }, cwd: dir });
    const session = sessionOf(org.emulator, org.client);
    const planned = await planAgainst(loaded.state!, session);
    expect(planned.plan.changes.some((c) => c.type === 'update')).toBe(true);
    for (const format of ['text', 'markdown'] as const) {
      const out = renderPlan(planned.plan, { format, color: false });
      expect(out).toContain('***@h.example.com');
      expect(out, format).not.toContain(PASSWORD);
    }
    const { report } = await driftAgainst(loaded.state!, session);
    for (const format of ['text', 'markdown'] as const) {
      const out = renderDrift(report, { format, color: false });
      expect(out, format).not.toContain(PASSWORD);
    }
  });
});
