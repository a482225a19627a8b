import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOrg, writeFilesTogether } from '../../../src/workflow/import.js';
import { planAgainst } from '../../../src/workflow/plan.js';
import { validate } from '../../../src/workflow/validate.js';
import { M3terConfigError } from '../../../src/model/errors.js';
import { type Org, startOrg } from '../../helpers/converge.js';
import { apiSeeder } from '../../helpers/seed-api.js';
import { freshDir, sessionOf } from './helpers.js';

/**
 * What `import` writes stays inside `--out`, is written all or nothing, and a mistake about where to write is a user
 * error; `--only-unmanaged` run twice keeps what the first run adopted and never gives one entity's secret variable to
 * another.
 */
const webhook = (code: string, n: number) => ({
  code,
  name: `Webhook ${n}`,
  description: `d${n}`,
  url: `https://h.example.com/${n}`,
  credentials: {
    type: 'M3TER_SIGNED_REQUEST',
    apiKey: `key-${n}`,
    secret: `secret-${n}`,
    destination: 'WEBHOOK',
  },
});

async function codeOf(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (e) {
    expect(e).toBeInstanceOf(M3terConfigError);
    expect((e as Error).message).not.toMatch(/internal error|EEXIST/);
    return (e as M3terConfigError).code;
  }
  return 'no error';
}

describe('import writes only inside --out, all or nothing', () => {
  let org: Org;
  beforeAll(async () => {
    org = await startOrg();
    const api = await apiSeeder(org.emulator);
    await api.webhook(webhook('ops', 1));
  });
  afterAll(async () => org.close());
  const session = () => sessionOf(org.emulator, org.client);

  it('refuses a link where a file goes, with --force too, and leaves the link’s target alone', async () => {
    const cwd = freshDir();
    const victim = path.join(cwd, 'victim.txt');
    writeFileSync(victim, 'precious');
    mkdirSync(path.join(cwd, 'org'));
    symlinkSync(victim, path.join(cwd, 'org', 'm3ter.yaml'));
    for (const force of [false, true]) {
      const code = await codeOf(importOrg(session(), { out: 'org', cwd, env: {}, force }));
      expect(code).toBe('import_target_is_link');
      expect(readFileSync(victim, 'utf8')).toBe('precious');
      expect(readdirSync(path.join(cwd, 'org'))).toEqual(['m3ter.yaml']);
    }
    // A dangling link too (it would create a file wherever it points).
    const dangling = path.join(cwd, 'dangling');
    mkdirSync(dangling);
    symlinkSync(path.join(cwd, 'elsewhere.yaml'), path.join(dangling, 'm3ter.env.template'));
    expect(await codeOf(importOrg(session(), { out: 'dangling', cwd, env: {}, force: true }))).toBe(
      'import_target_is_link',
    );
    expect(existsSync(path.join(cwd, 'elsewhere.yaml'))).toBe(false);
    expect(readdirSync(dangling)).toEqual(['m3ter.env.template']);
  });

  it('says `--out` names a file, rather than an internal error', async () => {
    const cwd = freshDir();
    writeFileSync(path.join(cwd, 'file'), 'x');
    expect(await codeOf(importOrg(session(), { out: 'file', cwd, env: {} }))).toBe('import_out_not_folder');
    expect(await codeOf(importOrg(session(), { out: 'file/sub', cwd, env: {} }))).toBe(
      'import_out_not_folder',
    );
    mkdirSync(path.join(cwd, 'org', 'm3ter.yaml'), { recursive: true });
    expect(await codeOf(importOrg(session(), { out: 'org', cwd, env: {}, force: true }))).toBe(
      'import_target_not_file',
    );
  });

  it('replaces nothing when a file cannot be written (no partial set), and no temporary is left', async () => {
    const cwd = freshDir();
    const out = path.join(cwd, 'org');
    mkdirSync(out);
    writeFileSync(path.join(out, 'm3ter.yaml'), 'old');
    // The second file cannot be created (its folder is missing): the first must not have replaced anything.
    const files = [
      { path: 'm3ter.yaml', text: 'new' },
      { path: 'missing/m3ter.env.template', text: 'new' },
    ];
    expect(await codeOf(writeFilesTogether(out, files, { force: true, cwd }))).toBe('import_write_failed');
    expect(readdirSync(out)).toEqual(['m3ter.yaml']);
    expect(readFileSync(path.join(out, 'm3ter.yaml'), 'utf8')).toBe('old');
  });

  it('with --force replaces a file by a new one (the old inode is not written through)', async () => {
    const cwd = freshDir();
    const out = path.join(cwd, 'org');
    mkdirSync(out);
    writeFileSync(path.join(out, 'm3ter.yaml'), 'old');
    const before = lstatSync(path.join(out, 'm3ter.yaml')).ino;
    await importOrg(session(), { out: 'org', cwd, env: {}, force: true });
    expect(readFileSync(path.join(out, 'm3ter.yaml'), 'utf8')).toContain('ops');
    expect(lstatSync(path.join(out, 'm3ter.yaml')).ino).not.toBe(before);
    expect(readdirSync(out).sort()).toEqual(['m3ter.env.template', 'm3ter.yaml']);
  });
});

describe('import --only-unmanaged, run again', () => {
  let org: Org;
  beforeAll(async () => {
    org = await startOrg();
  });
  afterAll(async () => org.close());
  const session = () => sessionOf(org.emulator, org.client);

  it('keeps what the first run adopted, and never reuses a variable the config gives another webhook', async () => {
    const api = await apiSeeder(org.emulator);
    await api.webhook(webhook('ops', 1));
    await api.webhook(webhook('billing', 2));
    const cwd = freshDir();
    mkdirSync(path.join(cwd, 'cfg'));
    // The config names billing's secrets with the variables import would pick for ops.
    writeFileSync(
      path.join(cwd, 'cfg', 'm3ter.yaml'),
      `webhooks:
  - code: billing
    name: Webhook 2
    description: d2
    url: https://h.example.com/2
    credentials: { apiKey: { env: OPS_WEBHOOK_API_KEY }, secret: { env: ops_webhook_secret } }
`,
    );
    const first = await importOrg(session(), {
      out: 'cfg',
      cwd,
      env: {},
      onlyUnmanaged: { paths: ['cfg'] },
    });
    expect(first.model.entities.webhook.map((e) => e.key)).toEqual(['ops']);
    const envs = first.model.secrets.map((s) => s.env);
    expect(envs.map((e) => e.toUpperCase())).not.toContain('OPS_WEBHOOK_API_KEY');
    expect(envs.map((e) => e.toUpperCase())).not.toContain('OPS_WEBHOOK_SECRET');

    const second = await importOrg(session(), {
      out: 'cfg',
      cwd,
      env: {},
      force: true,
      onlyUnmanaged: { paths: ['cfg'] },
    });
    expect(second.model.entities.webhook.map((e) => e.key)).toEqual(['ops']);
    const env = Object.fromEntries(
      [...second.model.secrets.map((s) => s.env), 'OPS_WEBHOOK_API_KEY', 'ops_webhook_secret'].map((e) => [
        e,
        `value-${e}`,
      ]),
    );
    const loaded = await validate(['cfg'], { env, cwd, requireEnv: true });
    expect(loaded.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const planned = await planAgainst(loaded.state!, session());
    expect(planned.plan.changes.filter((c) => c.type === 'delete')).toEqual([]);
    const ops = loaded.state!.resources.webhook.get('ops')!;
    const billing = loaded.state!.resources.webhook.get('billing')!;
    expect(ops.secrets?.['apiKey']?.env).not.toBe(billing.secrets?.['apiKey']?.env);
    expect(ops.secrets?.['secret']?.env.toUpperCase()).not.toBe(
      billing.secrets?.['secret']?.env.toUpperCase(),
    );
  });
});
