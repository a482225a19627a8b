import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/load/load-config.js';
import { mayHoldVars } from '../../../src/load/environments.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'm3cfg-envs-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function files(map: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(map)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
}

const ENV = { HOOK_KEY: 'k3y-value', HOOK_SECRET: 's3cret-value' };
const load = (environment?: string, paths: string[] = ['.']) =>
  loadConfig(paths, { env: ENV, cwd: dir, ...(environment === undefined ? {} : { environment }) });

const ENVS = `environments:
  sandbox:
    orgId: org-sandbox
    production: false
    vars:
      receiverBase: https://sandbox.example.com
      opsActive: false
  production:
    orgId: org-prod
    production: true
    vars:
      receiverBase: https://example.com
      opsActive: true
    target:
      apiKey: { env: PROD_KEY }
`;

const hook = (url: string, active = '{ var: opsActive }') => `webhooks:
  - code: ops
    name: Ops
    description: Ops hook
    url: ${url}
    active: ${active}
    credentials:
      apiKey: { env: HOOK_KEY }
      secret: { env: HOOK_SECRET }
`;

const errors = (r: Awaited<ReturnType<typeof load>>) =>
  r.issues
    .filter((i) => i.severity === 'error')
    .map((i) => `${i.file}:${i.line}:${i.col} ${i.code} ${i.message}`);

describe('environments: selection', () => {
  it('loads the chosen environment and records it on the state', async () => {
    await files({ 'envs.yaml': ENVS, 'hooks.yaml': hook('"${var:receiverBase}/m3ter"') });
    const r = await load('production');
    expect(errors(r)).toEqual([]);
    expect(r.state?.environment).toMatchObject({
      name: 'production',
      orgId: 'org-prod',
      production: true,
      target: { apiKey: 'PROD_KEY' },
      source: { file: 'envs.yaml', line: 8, col: 3 },
    });
    const w = r.state?.resources.webhook.get('ops');
    expect(w?.attributes).toMatchObject({ url: 'https://example.com/m3ter', active: true });
    expect([...(w?.varAttributes ?? [])].sort()).toEqual(['active', 'url']);

    const s = await load('sandbox');
    expect(s.state?.resources.webhook.get('ops')?.attributes).toMatchObject({
      url: 'https://sandbox.example.com/m3ter',
      active: false,
    });
  });

  it('choosing none where environments are declared is one error at the section, listing them', async () => {
    await files({ 'hooks.yaml': hook('"${var:receiverBase}/m3ter"'), 'z.yaml': ENVS });
    const r = await load();
    expect(r.state).toBeUndefined();
    expect(errors(r)).toEqual([
      'z.yaml:1:1 environment_not_chosen the files declare environments ("sandbox", "production"); choose one',
    ]);
  });

  it('an unknown name is an error listing them, with a did-you-mean', async () => {
    await files({ 'envs.yaml': ENVS });
    const r = await load('prodution');
    expect(r.issues).toMatchObject([
      {
        code: 'unknown_environment',
        file: 'envs.yaml',
        line: 1,
        col: 1,
        hint: 'did you mean "production"? declared: "sandbox", "production"',
      },
    ]);
  });

  it("a credential setting written with a var marks the credential's settings (a Chargebee site per org)", async () => {
    await files({
      'envs.yaml': ENVS.replace('opsActive: false', 'opsActive: false\n      site: acme-test').replace(
        'opsActive: true',
        'opsActive: true\n      site: acme',
      ),
      'creds.yaml': `credentials:
  - name: billing
    destination: Chargebee
    type: CHARGEBEE_AUTH
    site: { var: site }
    apiKey: { env: CB_KEY }
`,
    });
    const r = await loadConfig(['.'], {
      env: { ...ENV, CB_KEY: 'cb-key-value' },
      cwd: dir,
      environment: 'sandbox',
    });
    expect(errors(r)).toEqual([]);
    const [c] = r.state?.resources.credential.values() ?? [];
    expect(c?.attributes).toMatchObject({ settings: { site: 'acme-test' } });
    expect([...(c?.varAttributes ?? [])]).toEqual(['settings']);
  });

  it('naming an environment where none is declared is an error', async () => {
    await files({ 'hooks.yaml': hook('https://example.com', 'true') });
    const r = await load('sandbox');
    expect(r.state).toBeUndefined();
    expect(r.issues.map((i) => i.code)).toEqual(['no_environments']);
  });

  it('a second environments section, in another file, is an error at its key', async () => {
    await files({
      'a.yaml': ENVS,
      'b.yaml': `webhooks: []\nenvironments:\n  x:\n    orgId: o\n    production: false\n`,
    });
    const r = await load('sandbox');
    expect(errors(r)).toEqual([
      'b.yaml:2:1 environments_twice `environments:` is already declared at a.yaml:1:1',
    ]);
  });

  it('files without environments load exactly as before (no varAttributes, no environment)', async () => {
    await files({ 'hooks.yaml': hook('https://example.com', 'true') });
    const r = await load();
    expect(r.issues).toEqual([]);
    expect(r.state?.environment).toBeUndefined();
    expect(r.state?.resources.webhook.get('ops')?.varAttributes).toBeUndefined();
  });

  it('the schema checks the section at its place', async () => {
    await files({
      'envs.yaml': `environments:\n  sandbox:\n    orgId: "org 1"\n    production: "no"\n  9bad:\n    orgId: x\n    production: true\n`,
    });
    const r = await load('sandbox');
    expect(r.issues.map((i) => `${i.line}:${i.col} ${i.code}`)).toEqual(
      expect.arrayContaining(['3:12 bad_org_id', '4:17 wrong_type', '5:3 bad_environment_name']),
    );
  });
  it("a bad environment or var name is one error at the name, never echoing the section's values", async () => {
    await files({
      'envs.yaml': `environments:\n  "bad name!":\n    orgId: org-x\n    production: false\n    vars:\n      note: VALUE-OF-BAD-ENV\n  sandbox:\n    orgId: org-s\n    production: false\n    vars:\n      "bad var": VALUE-OF-BAD-VAR\n      ok: fine\n`,
    });
    const r = await load('sandbox');
    expect(r.issues.map((i) => `${i.line}:${i.col} ${i.code} ${i.message}`)).toEqual([
      '2:3 bad_environment_name environment name "bad name!" is not allowed',
      '11:7 bad_var_name var name "bad var" is not allowed',
    ]);
    expect(JSON.stringify(r.issues)).not.toContain('VALUE-OF');
  });
});

describe('environments: include', () => {
  it('loads the included paths (relative to the declaring file) only for that environment', async () => {
    const envs = ENVS.replace('      opsActive: true\n', '      opsActive: true\n    include: [prod-only]\n');
    await files({
      'conf/envs.yaml': envs,
      'conf/prod-only/extra.yaml': hook('https://example.com/extra', 'true').replace(
        'code: ops',
        'code: extra',
      ),
    });
    const prod = await load('production', ['conf/envs.yaml']);
    expect(errors(prod)).toEqual([]);
    expect([...(prod.state?.resources.webhook.keys() ?? [])]).toEqual(['extra']);
    expect(prod.files).toEqual(['conf/envs.yaml', 'conf/prod-only/extra.yaml']);
    const sandbox = await load('sandbox', ['conf/envs.yaml']);
    expect(sandbox.state?.resources.webhook.size).toBe(0);
  });

  it('a folder given as PATH that holds an include loads it only for the environment that includes it', async () => {
    const envs = ENVS.replace('      opsActive: true\n', '      opsActive: true\n    include: [prod-only]\n');
    await files({
      'conf/envs.yaml': envs,
      'conf/prod-only/extra.yaml': hook('https://example.com/extra', 'true').replace(
        'code: ops',
        'code: extra',
      ),
    });
    const sandbox = await load('sandbox', ['conf']);
    expect(errors(sandbox)).toEqual([]);
    expect(sandbox.files).toEqual(['conf/envs.yaml']);
    const prod = await load('production', ['conf']);
    expect(prod.files).toEqual(['conf/envs.yaml', 'conf/prod-only/extra.yaml']);
    expect([...(prod.state?.resources.webhook.keys() ?? [])]).toEqual(['extra']);
  });

  it('a missing include is an error at its entry; an included file may not declare environments', async () => {
    const envs = ENVS.replace(
      '      opsActive: true\n',
      '      opsActive: true\n    include: [nope.yaml, inc.yaml]\n',
    );
    await files({ 'envs.yaml': envs, 'inc.yaml': 'environments: {}\n' });
    const r = await load('production', ['envs.yaml']);
    expect(errors(r)).toEqual([
      'envs.yaml:14:15 path_not_found include "nope.yaml" of environment "production": no such file or directory',
      'inc.yaml:1:1 environments_in_include a file included by an environment may not declare `environments:`',
    ]);
  });
  it('an include may not leave the repository (a path out, an absolute path, a symlink out): an error, nothing read', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'm3cfg-outside-'));
    try {
      await writeFile(path.join(outside, 'leak.yaml'), 'webhooks: OUTSIDE-VALUE\n');
      await mkdir(path.join(dir, 'repo', '.git'), { recursive: true });
      const rel = path.relative(path.join(dir, 'repo', 'conf'), path.join(outside, 'leak.yaml'));
      const envs = ENVS.replace(
        '      opsActive: true\n',
        `      opsActive: true\n    include: [${JSON.stringify(rel)}, ${JSON.stringify(path.join(outside, 'leak.yaml'))}, linked, ../sibling.yaml]\n`,
      );
      await files({ 'repo/conf/envs.yaml': envs, 'repo/sibling.yaml': 'webhooks: []\n' });
      await symlink(outside, path.join(dir, 'repo', 'conf', 'linked'));
      const r = await load('production', ['repo/conf/envs.yaml']);
      expect(r.issues.map((i) => `${i.file}:${i.line} ${i.code}`)).toEqual([
        'repo/conf/envs.yaml:14 include_outside',
        'repo/conf/envs.yaml:14 include_outside',
        'repo/conf/envs.yaml:14 include_outside',
      ]);
      expect(r.files).toEqual(['repo/conf/envs.yaml', 'repo/sibling.yaml']);
      expect(JSON.stringify(r.issues)).not.toContain('OUTSIDE-VALUE');
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
  it('an include holding the declaring file is an error for every environment, not every file dropped for the others', async () => {
    const envs = ENVS.replace('      opsActive: true\n', '      opsActive: true\n    include: ["."]\n');
    await files({ 'envs.yaml': envs, 'hooks.yaml': hook('https://example.com', 'true') });
    const r = await load('sandbox');
    expect(errors(r)).toEqual([
      'envs.yaml:14:15 include_holds_declaring_file include "." of environment "production" holds the file declaring `environments:`',
    ]);
  });
});

describe('vars', () => {
  it('an unknown var is an error at its line and column, with a suggestion', async () => {
    await files({ 'envs.yaml': ENVS, 'hooks.yaml': hook('"${var:receiverBse}/m3ter"', '{ var: opsActiv }') });
    const r = await load('sandbox');
    expect(r.issues.map((i) => `${i.file}:${i.line}:${i.col} ${i.code} ${i.hint}`)).toEqual([
      'hooks.yaml:5:11 unknown_var did you mean "receiverBase"? add it under `vars:` of environment "sandbox" (envs.yaml:2:3)',
      'hooks.yaml:6:13 unknown_var did you mean "opsActive"? add it under `vars:` of environment "sandbox" (envs.yaml:2:3)',
    ]);
  });

  it('an unknown var inside a block scalar or a flow mapping is placed at its `$`', async () => {
    const block = hook('https://example.com', 'true').replace(
      'description: Ops hook',
      'description: |\n      first line\n      then ${var:nope} here',
    );
    await files({ 'envs.yaml': ENVS, 'hooks.yaml': block });
    const r = await load('sandbox');
    expect(errors(r).map((e) => e.split(' ').slice(0, 2).join(' '))).toEqual(['hooks.yaml:6:12 unknown_var']);
    await files({
      'hooks.yaml': `webhooks: [{ code: ops, name: Ops, description: "d \${var:nope}", url: https://example.com, active: true, credentials: { apiKey: { env: HOOK_KEY }, secret: { env: HOOK_SECRET } } }]\n`,
    });
    const f = await load('sandbox');
    expect(errors(f).map((e) => e.split(' ').slice(0, 2).join(' '))).toEqual(['hooks.yaml:1:52 unknown_var']);
  });

  it('a var of the wrong type is reported by the schema at the var, naming it', async () => {
    await files({ 'envs.yaml': ENVS, 'hooks.yaml': hook('{ var: opsActive }', '{ var: receiverBase }') });
    const r = await load('sandbox');
    expect(errors(r)).toEqual([
      'hooks.yaml:5:10 wrong_type url must be a string, not a boolean (from var "opsActive" of environment "sandbox")',
      'hooks.yaml:6:13 wrong_type active must be true or false, not a string (from var "receiverBase" of environment "sandbox")',
    ]);
  });

  it('`$${var:` is a literal `${var:`, and a var value is taken as written', async () => {
    const envs = ENVS.replace(
      'receiverBase: https://sandbox.example.com',
      () => 'receiverBase: "https://sandbox.example.com/$${x}"',
    );
    await files({ 'envs.yaml': envs, 'hooks.yaml': hook('"${var:receiverBase}?q=$${var:receiverBase}"') });
    const r = await load('sandbox');
    expect(errors(r)).toEqual([]);
    expect(r.state?.resources.webhook.get('ops')?.attributes.url).toBe(
      'https://sandbox.example.com/$${x}?q=${var:receiverBase}',
    );
  });

  it('a var in a secret field is an error telling to use { env: NAME }', async () => {
    const text = hook('https://example.com').replace(
      'apiKey: { env: HOOK_KEY }',
      'apiKey: { var: receiverBase }',
    );
    await files({ 'envs.yaml': ENVS, 'hooks.yaml': text });
    const r = await load('sandbox');
    expect(r.issues.filter((i) => i.severity === 'error')).toMatchObject([
      {
        code: 'var_in_secret',
        file: 'hooks.yaml',
        line: 8,
        col: 15,
        hint: expect.stringContaining('{ env: NAME }'),
      },
    ]);
    const named = hook('https://example.com').replace('{ env: HOOK_KEY }', '"${var:receiverBase}"');
    await files({ 'hooks.yaml': named.replace('receiverBase', 'secretRef') });
    const envs2 = ENVS.replace(
      'opsActive: false\n',
      'opsActive: false\n      secretRef: "${env:HOOK_KEY}"\n',
    );
    await files({ 'envs.yaml': envs2 });
    const r2 = await load('sandbox');
    expect(r2.issues.filter((i) => i.severity === 'error').map((i) => i.code)).toEqual(['var_in_secret']);
  });

  it('a var where no environments are declared is an error at the var', async () => {
    await files({ 'hooks.yaml': hook('https://example.com') });
    const r = await load();
    expect(errors(r)).toEqual([
      'hooks.yaml:6:13 var_without_environments var "opsActive" is used, but no file declares `environments:`',
    ]);
  });
});

describe('files without vars', () => {
  it('are not walked for vars: only text with `var:` (a key, or in `${var:`) is', () => {
    expect(mayHoldVars('description: various variables\n')).toBe(false);
    for (const t of [
      'a: { var: x }',
      'a:\n  var: x',
      '{"a": {"var": "x"}}',
      'url: "${var:x}/y"',
      "a: {'var' : x}",
    ])
      expect(mayHoldVars(t), t).toBe(true);
  });
});
