import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importedModelOf } from '../../../src/emit/index.js';
import { createIgnoreMatcher, escapeGlob } from '../../../src/model/glob.js';
import { KINDS } from '../../../src/model/kinds.js';
import type { LiveResource } from '../../../src/model/resource.js';
import { emptyResources } from '../../../src/model/state.js';
import { seededRandom } from '../../../src/model/random.js';
import { importOrg } from '../../../src/workflow/import.js';
import { planAgainst } from '../../../src/workflow/plan.js';
import { validate } from '../../../src/workflow/validate.js';
import { type Org, startOrg } from '../../helpers/converge.js';
import { apiSeeder } from '../../helpers/seed-api.js';
import { filesUnder, freshDir, sessionOf } from './helpers.js';

/**
 * What import cannot write safely is left under `ignore` (exit 5 in the CLI) with nothing of its values in the files:
 * a URL with a password, a credential type it does not know, a secret m3ter returned among a credential's settings
 * (written as text, a `${env:NAME}` there would read back as a reference and send NAME's value to m3ter). An
 * ignore entry for a key holding glob characters matches that key only.
 */
const PASSWORD = 'hunter2-very-secret';

describe('import leaves what it cannot write under ignore, writing none of its values', () => {
  let org: Org;
  beforeAll(async () => {
    org = await startOrg();
  });
  afterAll(async () => org.close());

  it('URL with user info, unknown credential type, a key with glob characters', async () => {
    const api = await apiSeeder(org.emulator);
    const creds = {
      type: 'M3TER_SIGNED_REQUEST',
      apiKey: 'k-1234',
      secret: 's-1234',
      destination: 'WEBHOOK',
    };
    const userinfo = await api.webhook({
      code: 'with_password',
      name: 'P',
      description: 'd',
      url: `https://ops:${PASSWORD}@hooks.example.com/x`,
      credentials: creds,
    });
    // Text that looks like a reference is text: only a secret field reads `${env:NAME}`, and import writes no live
    // value into one.
    await api.webhook({
      code: 'fine',
      name: 'F',
      description: '${env:AWS_SECRET_ACCESS_KEY}',
      url: 'https://h.example.com/f',
      credentials: creds,
    });
    const unknownType = await api.credential({
      name: 'odd',
      destination: 'STRIPE',
      type: 'M3TER_SERVICE_USER',
      settings: { token: PASSWORD },
      secrets: {},
    });
    const globbed = await api.credential({
      name: 'legacy*',
      destination: 'CHARGEBEE',
      type: 'M3TER_SERVICE_USER',
      settings: {},
      secrets: {},
    });
    const later = await api.credential({
      name: 'legacy-new',
      destination: 'CHARGEBEE',
      type: 'CHARGEBEE_AUTH',
      settings: { site: '${env:AWS_SECRET_ACCESS_KEY}' },
      secrets: { apiKey: 'y-1234' },
    });
    expect(later.id).toBeTruthy();

    const cwd = freshDir();
    const outcome = await importOrg(sessionOf(org.emulator, org.client), { out: 'org', cwd, env: {} });
    const problems = outcome.model.problems.map((p) => [p.code, p.id, p.ignore]);
    expect(problems).toEqual(
      expect.arrayContaining([
        ['secret_in_value', userinfo.id, 'with_password'],
        ['unknown_credential_type', unknownType.id, 'STRIPE/odd'],
        ['unknown_credential_type', globbed.id, 'CHARGEBEE/legacy\\*'],
      ]),
    );
    expect(problems).toHaveLength(3);
    for (const p of outcome.model.problems) expect(`${p.message} ${p.hint}`).not.toContain(PASSWORD);
    for (const { file, text } of filesUnder(path.join(cwd, 'org'))) {
      expect(text, file).not.toContain(PASSWORD);
    }
    expect(outcome.issues.filter((i) => i.severity === 'error')).toEqual([]);

    // The files plan clean, and the escaped ignore entry leaves `legacy-new` managed (imported, not ignored).
    const env = Object.fromEntries(outcome.model.secrets.map((s) => [s.env, `v-${s.env}`]));
    const loaded = await validate(['org'], {
      env: { ...env, AWS_SECRET_ACCESS_KEY: PASSWORD },
      cwd,
      requireEnv: true,
    });
    expect(loaded.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(loaded.state!.resources.credential.get('CHARGEBEE/legacy-new')?.attributes.settings).toEqual({
      site: '${env:AWS_SECRET_ACCESS_KEY}',
    });
    expect(loaded.state!.resources.webhook.get('fine')?.attributes.description).toBe(
      '${env:AWS_SECRET_ACCESS_KEY}',
    );
    const planned = await planAgainst(loaded.state!, sessionOf(org.emulator, org.client));
    expect(planned.plan.changes.filter((c) => c.type !== 'update')).toEqual([]);
    expect(JSON.stringify(planned.plan)).not.toContain(PASSWORD);
  });
});

describe('ignore patterns: an escaped key matches that key only', () => {
  it('for keys holding *, ? and \\ anywhere', () => {
    const random = seededRandom(5);
    const alphabet = ['*', '?', '\\', 'a', 'b', '/', '-'];
    const keys = new Set<string>();
    while (keys.size < 150) {
      let k = '';
      for (let n = 1 + Math.floor(random() * 6); n > 0; n--)
        k += alphabet[Math.floor(random() * alphabet.length)];
      keys.add(k);
    }
    for (const key of keys) {
      const matches = createIgnoreMatcher([escapeGlob(key)]);
      for (const other of keys) expect(matches(other), `${escapeGlob(key)} vs ${other}`).toBe(other === key);
    }
    // Unescaped, a glob stays a glob; a backslash before another character stays literal.
    expect(createIgnoreMatcher(['legacy*'])('legacy-new')).toBe(true);
    expect(createIgnoreMatcher(['a\\b'])('a\\b')).toBe(true);
  });
});

describe('import of a credential whose settings hold one of its type’s secrets', () => {
  it('writes neither the value nor a `${env:NAME}` that would read back as a reference', () => {
    const live = {
      resources: emptyResources<LiveResource>(),
      readKinds: new Set(KINDS),
    };
    const resource: LiveResource<'credential'> = {
      kind: 'credential',
      key: 'CHARGEBEE/main',
      attributes: {
        name: 'main',
        destination: 'CHARGEBEE',
        type: 'CHARGEBEE_AUTH',
        settings: { site: 'acme', apiKey: '${env:AWS_SECRET_ACCESS_KEY}' },
      },
      live: { id: 'c-1', version: 1 },
    } as LiveResource<'credential'>;
    live.resources.credential.set(resource.key, resource);
    const model = importedModelOf(live, { kinds: new Set(KINDS) });
    expect(model.problems.map((p) => [p.code, p.ignore])).toEqual([['secret_in_value', 'CHARGEBEE/main']]);
    expect(model.entities.credential).toEqual([]);
    expect(JSON.stringify(model)).not.toContain('AWS_SECRET_ACCESS_KEY');
  });
});
