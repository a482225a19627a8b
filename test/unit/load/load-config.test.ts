import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deriveCode } from '../../../src/model/code.js';
import { normalizeCredentialIgnore } from '../../../src/load/ignore.js';
import { createIgnoreMatcher, globToRegExp, matchesIgnore } from '../../../src/model/glob.js';
import { loadConfig } from '../../../src/load/load-config.js';
import { Secret } from '../../../src/model/secret.js';

const SECRET_VALUES = {
  HOOK_KEY: 'k3y-value-never-printed',
  HOOK_SECRET: 's3cret-value-never-printed',
  CB_KEY: 'cb-value-never-printed',
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'm3cfg-load-'));
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

const WEBHOOK = `webhooks:
  - name: Orders → Slack (prod)
    description: Orders
    url: https://example.com/hook
    credentials:
      apiKey: { env: HOOK_KEY }
      secret: "\${env:HOOK_SECRET}"
`;
const RULES = `notificationRules:
  - code: bill_created
    name: Bill created
    description: Every bill
    eventName: billing.bill.created
`;
const LINKS = `links:
  - rule: bill_created
    webhook: orders_slack_prod
`;
const CREDS = `credentials:
  - name: billing
    destination: Chargebee
    type: CHARGEBEE_AUTH
    site: acme
    apiKey: { env: CB_KEY }
`;

describe('loadConfig', () => {
  it('merges every file below a directory, sorted and recursive, skipping hidden dirs and node_modules', async () => {
    await files({
      'b/links.yml': LINKS,
      'a/webhooks.yaml': WEBHOOK,
      'a/z/rules.yaml': RULES,
      'creds.yaml': CREDS,
      '.hidden/bad.yaml': 'not: [valid',
      'node_modules/x/bad.yaml': 'not: [valid',
      'notes.txt': 'ignored',
    });
    const r = await loadConfig(['.'], { env: SECRET_VALUES, cwd: dir });
    expect(r.issues).toEqual([]);
    expect(r.files).toEqual(['a/webhooks.yaml', 'a/z/rules.yaml', 'b/links.yml', 'creds.yaml']);
    const s = r.state!;
    expect(s.files).toEqual(r.files);
    expect([...s.managedKinds].sort()).toEqual(['credential', 'link', 'notificationRule', 'webhook']);
    expect([...s.resources.webhook.keys()]).toEqual(['orders_slack_prod']);
    expect([...s.resources.link.keys()]).toEqual(['bill_created->orders_slack_prod']);
    expect([...s.resources.credential.keys()]).toEqual(['CHARGEBEE/billing']);
  });

  it('applies defaults so attributes match the canonical model exactly', async () => {
    await files({ 'c.yaml': WEBHOOK + RULES + LINKS + CREDS });
    const s = (await loadConfig(['c.yaml'], { env: SECRET_VALUES, cwd: dir })).state!;
    const w = s.resources.webhook.get('orders_slack_prod')!;
    expect(w.attributes).toEqual({
      name: 'Orders → Slack (prod)',
      description: 'Orders',
      url: 'https://example.com/hook',
      active: true,
      credentialType: 'M3TER_SIGNED_REQUEST',
    });
    expect(w.source).toEqual({ file: 'c.yaml', line: 2, col: 5, pointer: '/webhooks/0' });
    expect(Object.keys(w.secrets!)).toEqual(['apiKey', 'secret']);
    expect(w.secrets!['apiKey']!.reveal()).toBe(SECRET_VALUES.HOOK_KEY);
    expect(w.secrets!['secret']!.env).toBe('HOOK_SECRET');
    expect(s.resources.notificationRule.get('bill_created')!.attributes).toEqual({
      name: 'Bill created',
      description: 'Every bill',
      eventName: 'billing.bill.created',
      calculation: null,
      active: true,
      alwaysFireEvent: false,
    });
    expect(s.resources.link.get('bill_created->orders_slack_prod')!.attributes).toEqual({
      rule: 'bill_created',
      webhook: 'orders_slack_prod',
      active: true,
    });
    const c = s.resources.credential.get('CHARGEBEE/billing')!;
    expect(c.attributes).toEqual({
      name: 'billing',
      destination: 'CHARGEBEE',
      type: 'CHARGEBEE_AUTH',
      settings: { site: 'acme' },
    });
    expect(c.secrets!['apiKey']).toBeInstanceOf(Secret);
  });

  it('keeps explicit values over defaults', async () => {
    await files({
      'c.yaml': `notificationRules:
  - code: r
    name: R
    description: D
    eventName: scheduled.bill.endDateEvent
    calculation: new.x > 1
    active: false
    alwaysFireEvent: false
`,
    });
    const s = (await loadConfig(['c.yaml'], { env: {}, cwd: dir })).state!;
    expect(s.resources.notificationRule.get('r')!.attributes).toMatchObject({
      calculation: 'new.x > 1',
      active: false,
      eventName: 'scheduled.bill.endDateEvent',
    });
  });

  it('marks a kind managed when its section appears, even empty, and only then', async () => {
    await files({ 'a.yaml': 'webhooks: []\nignore:\n  links: ["*->*"]\n', 'b.yaml': '# nothing\n' });
    const s = (await loadConfig(['.'], { env: {}, cwd: dir })).state!;
    expect([...s.managedKinds]).toEqual(['webhook']);
    expect(s.ignore.link).toEqual(['*->*']);
  });

  it('collects ignore lists from every file and normalises credential destinations', async () => {
    await files({
      'a.yaml': 'ignore:\n  webhooks: [legacy_*]\n  credentials: [Stripe/prod-*, "sandbox-?"]\n',
      'b.yaml':
        'ignore:\n  webhooks: [legacy_*, console_test]\n  notificationRules: [manual_*]\n  credentials: [AWS/x]\n',
    });
    const s = (await loadConfig(['.'], { env: {}, cwd: dir })).state!;
    expect(s.ignore).toEqual({
      webhook: ['legacy_*', 'console_test'],
      notificationRule: ['manual_*'],
      link: [],
      integration: [],
      scheduledEvent: [],
      credential: ['STRIPE/prod-*', '*/sandbox-?', 'AWS/x'],
    });
  });

  it('takes `id:<id>` for one live entity without a usable key, in every kind (as import writes them)', async () => {
    const id = 'id:0f0e0d0c-0000-4000-8000-000000000001';
    await files({
      'a.yaml': `ignore:\n  links: [${id}]\n  credentials: [${id}]\n  webhooks: [${id}]\n  integrations: [${id}]\n  scheduledEvents: [${id}]\n`,
    });
    const loaded = await loadConfig(['.'], { env: {}, cwd: dir });
    expect(loaded.issues).toEqual([]);
    expect(loaded.state!.ignore).toEqual({
      webhook: [id],
      notificationRule: [],
      link: [id],
      integration: [id],
      credential: [id],
      scheduledEvent: [id],
    });
  });

  it('warns when an ignore pattern matches a declared entity', async () => {
    await files({ 'a.yaml': `${RULES}ignore:\n  notificationRules: [bill_*]\n` });
    const r = await loadConfig(['.'], { env: {}, cwd: dir });
    expect(r.issues.map((i) => [i.code, i.severity, i.line, i.col])).toEqual([
      ['ignored_but_declared', 'warning', 2, 5],
    ]);
    expect(r.state).toBeDefined();
  });

  it('refuses codes and credential names that differ only in case, naming both places', async () => {
    await files({
      'a.yaml': RULES,
      'b.yaml': `notificationRules:
  - code: Bill_Created
    name: Bill created again
    description: Every bill
    eventName: billing.bill.created
credentials:
  - name: billing
    destination: Chargebee
    type: CHARGEBEE_AUTH
    site: acme
    apiKey: { env: CB_KEY }
  - name: Billing
    destination: Chargebee
    type: CHARGEBEE_AUTH
    site: acme
    apiKey: { env: CB_KEY }
  - name: Billing
    destination: Stripe
    type: STRIPE_SIGNED_REQUEST
    signingKey: { env: CB_KEY }
`,
    });
    const r = await loadConfig(['.'], { env: SECRET_VALUES, cwd: dir });
    expect(r.issues.map((i) => `${i.file}:${i.line}:${i.col} ${i.code}`)).toEqual([
      'b.yaml:2:11 case_duplicate_code',
      'b.yaml:12:11 case_duplicate_name',
    ]);
    expect(r.issues[0]?.message).toContain(
      '"Bill_Created" differs only in case from "bill_created", declared at a.yaml:2:',
    );
    expect(r.issues[1]?.message).toContain('b.yaml:7:');
    expect(r.state).toBeUndefined();
  });

  it('reports every issue from every file at once, sorted by file, line and column', async () => {
    await files({
      'a.yaml':
        'webhooks:\n  - name: ""\n    description: x\n    url: ftp://x\n    credentials: { apiKey: literal, secret: { env: NOPE } }\n',
      'b.yaml': 'links:\n  - rule: nope\n    webhook: nope\n',
      'c.yaml': 'oops: [',
    });
    const r = await loadConfig(['.'], { env: {}, cwd: dir });
    expect(r.issues.map((i) => `${i.file}:${i.line}:${i.col} ${i.code}`)).toEqual([
      'a.yaml:2:11 empty_string',
      'a.yaml:4:10 bad_url',
      'a.yaml:5:28 literal_secret',
      'a.yaml:5:45 missing_env',
      'b.yaml:2:11 dangling_link',
      'b.yaml:3:14 dangling_link',
      'c.yaml:1:8 yaml_syntax',
    ]);
    expect(r.state).toBeUndefined();
  });

  it('reports a missing path and an empty file list without throwing', async () => {
    const r = await loadConfig(['missing.yaml'], { env: {}, cwd: dir });
    expect(r.issues.map((i) => [i.code, i.file, i.line])).toEqual([['path_not_found', 'missing.yaml', 0]]);
  });

  it('reads a file given twice once', async () => {
    await files({ 'a.yaml': RULES });
    const r = await loadConfig(['a.yaml', '.', './a.yaml'], { env: {}, cwd: dir });
    expect(r.issues).toEqual([]);
    expect(r.files).toEqual(['a.yaml']);
  });

  it('follows YAML anchors and places issues inside aliased nodes', async () => {
    await files({
      'a.yaml': `x-creds: &creds
  apiKey: { env: HOOK_KEY }
  secret: { env: HOOK_SECRET }
`,
      'b.yaml': `webhooks:
  - code: one
    name: One
    description: d
    url: https://example.com/1
    credentials: &c
      apiKey: { env: HOOK_KEY }
      secret: { env: HOOK_SECRET }
  - code: two
    name: Two
    description: d
    url: https://example.com/2
    credentials: *c
`,
    });
    const r = await loadConfig(['b.yaml'], { env: SECRET_VALUES, cwd: dir });
    expect(r.issues).toEqual([]);
    expect(r.state!.resources.webhook.get('two')!.secrets!['secret']!.reveal()).toBe(
      SECRET_VALUES.HOOK_SECRET,
    );
    const r2 = await loadConfig(['b.yaml'], { env: {}, cwd: dir });
    expect(r2.issues.map((i) => `${i.line}:${i.col} ${i.pointer}`)).toEqual([
      '7:15 /webhooks/0/credentials/apiKey',
      '7:15 /webhooks/1/credentials/apiKey',
      '8:15 /webhooks/0/credentials/secret',
      '8:15 /webhooks/1/credentials/secret',
    ]);
  });

  it('reads env files; the given env wins over them', async () => {
    await files({ 'c.yaml': WEBHOOK, 'x.env': 'HOOK_KEY=from-file\nHOOK_SECRET=from-file-secret\n' });
    const r = await loadConfig(['c.yaml'], { env: { HOOK_KEY: 'from-env' }, cwd: dir, envFiles: ['x.env'] });
    expect(r.issues).toEqual([]);
    const w = r.state!.resources.webhook.get('orders_slack_prod')!;
    expect(w.secrets!['apiKey']!.reveal()).toBe('from-env');
    expect(w.secrets!['secret']!.reveal()).toBe('from-file-secret');
  });

  it('with missingEnv: warning keeps the state and leaves the secret out', async () => {
    await files({ 'c.yaml': WEBHOOK });
    const r = await loadConfig(['c.yaml'], { env: { HOOK_KEY: 'k' }, cwd: dir, missingEnv: 'warning' });
    expect(r.issues.map((i) => [i.severity, i.code, i.pointer])).toEqual([
      ['warning', 'missing_env', '/webhooks/0/credentials/secret'],
    ]);
    expect(Object.keys(r.state!.resources.webhook.get('orders_slack_prod')!.secrets!)).toEqual(['apiKey']);
  });

  it('never lets a secret value reach JSON, inspect or an issue', async () => {
    await files({
      'c.yaml': WEBHOOK + RULES + LINKS + CREDS,
      'bad.yaml': `webhooks:
  - code: bad
    name: Bad
    description: d
    url: https://user:${SECRET_VALUES.HOOK_SECRET}@example.com/
    credentials:
      apiKey: ${SECRET_VALUES.HOOK_KEY}
      secret: { env: HOOK_SECRET, default: ${SECRET_VALUES.CB_KEY} }
`,
    });
    const good = await loadConfig(['c.yaml'], { env: SECRET_VALUES, cwd: dir });
    const bad = await loadConfig(['.'], { env: SECRET_VALUES, cwd: dir });
    expect(bad.issues.map((i) => i.code)).toEqual(['url_credentials', 'literal_secret', 'unknown_key']);
    const printed = [
      JSON.stringify(good),
      JSON.stringify({
        ...good.state,
        resources: Object.fromEntries(
          Object.entries(good.state!.resources).map(([k, m]) => [k, [...m.values()]]),
        ),
      }),
      inspect(good, { depth: Number.POSITIVE_INFINITY }),
      inspect(good.state!.resources, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
      String(good.state!.resources.webhook.get('orders_slack_prod')!.secrets!['secret']),
      JSON.stringify(bad),
      inspect(bad, { depth: Number.POSITIVE_INFINITY }),
    ].join('\n');
    for (const v of Object.values(SECRET_VALUES)) expect(printed).not.toContain(v);
    expect(printed).toContain('HOOK_SECRET');
  });
});

describe('deriveCode', () => {
  it.each([
    ['Orders', 'orders'],
    ['Orders → Slack (prod)', 'orders_slack_prod'],
    ['  Commitment under 10%  ', 'commitment_under_10'],
    ['Café déjà-vu', 'cafe_deja_vu'],
    ['already_a_code', 'already_a_code'],
    ['ABC--123', 'abc_123'],
    ['!!!', ''],
  ])('%s -> %s', (name, code) => {
    expect(deriveCode(name)).toBe(code);
  });
});

describe('ignore globs', () => {
  it('match * and ? and nothing else', () => {
    expect(matchesIgnore(['legacy_*'], 'legacy_orders')).toBe(true);
    expect(matchesIgnore(['legacy_*'], 'legacy_')).toBe(true);
    expect(matchesIgnore(['legacy_*'], 'new_legacy_x')).toBe(false);
    expect(matchesIgnore(['rule_?'], 'rule_1')).toBe(true);
    expect(matchesIgnore(['rule_?'], 'rule_12')).toBe(false);
    expect(matchesIgnore(['a.b'], 'aXb')).toBe(false);
    expect(matchesIgnore(['legacy_*->*'], 'legacy_r->any_hook')).toBe(true);
    expect(matchesIgnore(['*->console_test'], 'r->console_test')).toBe(true);
    expect(matchesIgnore(['*/sandbox-?'], 'STRIPE/sandbox-1')).toBe(true);
    expect(globToRegExp('(x)+[y]').test('(x)+[y]')).toBe(true);
  });

  it('are one matcher for the loader and the planner: ? is one code point', async () => {
    expect(matchesIgnore(['STRIPE/prod-?'], 'STRIPE/prod-🚀')).toBe(true);
    expect(matchesIgnore(['STRIPE/prod-??'], 'STRIPE/prod-🚀')).toBe(false);
    expect(createIgnoreMatcher(['STRIPE/prod-?'])('STRIPE/prod-🚀')).toBe(true);
    await files({
      'm3ter.yaml': `credentials:
  - name: prod-🚀
    destination: Stripe
    type: STRIPE_SIGNED_REQUEST
    signingKey: { env: CB_KEY }
ignore:
  credentials: [STRIPE/prod-?]
`,
    });
    const r = await loadConfig([dir], { env: SECRET_VALUES, cwd: dir });
    expect(r.issues.map((i) => [i.code, i.line])).toEqual([['ignored_but_declared', 2]]);
  });
  it('normalise credential entries to DESTINATION/name', () => {
    expect(normalizeCredentialIgnore('Stripe/prod')).toBe('STRIPE/prod');
    expect(normalizeCredentialIgnore('AWS Marketplace/x*')).toBe('AWS/x*');
    expect(normalizeCredentialIgnore('STRIPE/prod')).toBe('STRIPE/prod');
    expect(normalizeCredentialIgnore('prod-*')).toBe('*/prod-*');
    expect(normalizeCredentialIgnore('*/x')).toBe('*/x');
  });
});
