import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOrg } from '../../../src/workflow/import.js';
import { planAgainst } from '../../../src/workflow/plan.js';
import { validate } from '../../../src/workflow/validate.js';
import type { DesiredState } from '../../../src/model/state.js';
import { type Org, startOrg } from '../../helpers/converge.js';
import { apiSeeder } from '../../helpers/seed-api.js';
import { freshDir, sessionOf } from './helpers.js';

const creds = (n: number) => ({
  type: 'M3TER_SIGNED_REQUEST',
  apiKey: `key-${n}`,
  secret: `secret-${n}`,
  destination: 'WEBHOOK',
});
const webhook = (code: string | undefined, n: number) => ({
  ...(code === undefined ? {} : { code }),
  name: `Webhook ${n}`,
  description: `d${n}`,
  url: `https://h.example.com/${n}`,
  credentials: creds(n),
});
const rule = (code: string, name = `Rule ${code}`) => ({
  code,
  name,
  description: 'd',
  eventName: 'billing.bill.created',
  alwaysFireEvent: true,
});
const link = (entityId: string, destinationId: string) => ({
  entityType: 'Notification',
  destination: 'Webhook',
  entityId,
  destinationId,
  configData: {},
});

describe('import: live entities without a natural key are reported with the way forward, never dropped', () => {
  let org: Org;
  beforeAll(async () => {
    org = await startOrg();
  });
  afterAll(async () => org.close());

  it('lists each under ignore with why, so the imported files validate and plan leaves them alone', async () => {
    org.emulator.admin.reset();
    const api = await apiSeeder(org.emulator);
    const good = await api.webhook(webhook('good', 1));
    const codeless = await api.webhook(webhook(undefined, 2));
    await api.webhook(webhook('twin', 3));
    const r1 = await api.rule(rule('r1'));
    const blank = await api.rule(rule('blank', '   '));
    await api.config(link(r1.id, good.id));
    // Two applies raced: the same link twice.
    const linkCopy = await api.config(link(r1.id, good.id));
    const toCodeless = await api.config(link(r1.id, codeless.id));
    const toBlank = await api.config(link(blank.id, good.id));
    const dangling = await api.config(link('00000000-0000-4000-8000-00000000dead', good.id));

    const dir = freshDir();
    const session = sessionOf(org.emulator, org.client);
    const outcome = await importOrg(session, { out: 'm3ter', cwd: dir, env: {} });
    const problems = outcome.model.problems.map((p) => [p.kind, p.code, p.id, p.ignore]);
    expect(problems).toEqual(
      expect.arrayContaining([
        ['webhook', 'no_natural_key', codeless.id, `id:${codeless.id}`],
        ['link', 'duplicate_key', linkCopy.id, `id:${linkCopy.id}`],
        ['notificationRule', 'not_expressible', blank.id, 'blank'],
        ['link', 'unresolved_reference', toCodeless.id, `id:${toCodeless.id}`],
        ['link', 'unresolved_reference', dangling.id, `id:${dangling.id}`],
        ['link', 'unresolved_reference', toBlank.id, 'blank->good'],
      ]),
    );
    expect(problems).toHaveLength(6);
    for (const p of outcome.model.problems) expect(p.hint).toMatch(/then import again/);
    const byId = new Map(outcome.model.problems.map((p) => [p.id, p.message]));
    expect(byId.get(toCodeless.id)).toContain(`webhook id ${codeless.id}, which has no usable key`);
    expect(byId.get(dangling.id)).toContain('which does not exist');
    expect(outcome.model.entities.webhook.map((e) => e.key)).toEqual(['good', 'twin']);
    expect(outcome.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const text = readFileSync(path.join(dir, 'm3ter/m3ter.yaml'), 'utf8');
    expect(text).toContain(`- id:${codeless.id}  # no_natural_key: webhook "id:${codeless.id}"`);

    // With the variables set, the plan adopts the two webhooks' secrets and touches nothing else.
    const env = Object.fromEntries(outcome.model.secrets.map((s) => [s.env, 'x']));
    const loaded = await validate(['m3ter'], { env, cwd: dir, requireEnv: true });
    const { plan } = await planAgainst(loaded.state as DesiredState, session);
    expect(
      plan.changes.map((c) => [c.type, c.key, c.type === 'update' ? c.fields.map((f) => f.reason) : []]),
    ).toEqual([
      ['update', 'good', ['adopt']],
      ['update', 'twin', ['adopt']],
    ]);
    expect(plan.unsafe).toEqual([]);
  });

  it('refuses to overwrite a file, naming it and --force', async () => {
    const dir = freshDir();
    mkdirSync(path.join(dir, 'm3ter'));
    writeFileSync(path.join(dir, 'm3ter/m3ter.yaml'), 'mine\n');
    const session = sessionOf(org.emulator, org.client);
    await expect(importOrg(session, { out: 'm3ter', cwd: dir, env: {} })).rejects.toThrow(
      /import would overwrite m3ter\/m3ter\.yaml.*--force/,
    );
    expect(readFileSync(path.join(dir, 'm3ter/m3ter.yaml'), 'utf8')).toBe('mine\n');
    expect(existsSync(path.join(dir, 'm3ter/m3ter.env.template'))).toBe(false);
    await importOrg(session, { out: 'm3ter', cwd: dir, env: {}, force: true });
    expect(readFileSync(path.join(dir, 'm3ter/m3ter.yaml'), 'utf8')).toMatch(
      /^# yaml-language-server: \$schema=/,
    );
  });
});

describe('import --only-unmanaged: adopts what was created beside the config', () => {
  let org: Org;
  beforeAll(async () => {
    org = await startOrg();
  });
  afterAll(async () => org.close());

  it('writes only what the config neither declares nor ignores, and plan of both adopts just that', async () => {
    const api = await apiSeeder(org.emulator);
    const managed = await api.webhook(webhook('managed', 1));
    const ruleA = await api.rule(rule('a'));
    await api.config(link(ruleA.id, managed.id));
    // Made in the Console afterwards: a new rule linked to the managed webhook, a new webhook, an ignored one.
    const ruleB = await api.rule(rule('b'));
    await api.config(link(ruleB.id, managed.id));
    await api.webhook(webhook('console', 2));
    await api.webhook(webhook('legacy_1', 3));

    const dir = freshDir();
    mkdirSync(path.join(dir, 'm3ter'));
    writeFileSync(
      path.join(dir, 'm3ter/m3ter.yaml'),
      [
        'webhooks:',
        '  - code: managed',
        '    name: Webhook 1',
        '    description: d1',
        '    url: https://h.example.com/1',
        '    credentials: { apiKey: { env: K }, secret: { env: S } }',
        'notificationRules:',
        '  - { code: a, name: Rule a, description: d, eventName: billing.bill.created, alwaysFireEvent: true }',
        'links:',
        '  - { rule: a, webhook: managed }',
        'ignore:',
        '  webhooks: [legacy_*]',
        '',
      ].join('\n'),
    );
    const session = sessionOf(org.emulator, org.client);
    const outcome = await importOrg(session, {
      out: 'm3ter',
      cwd: dir,
      env: {},
      onlyUnmanaged: { paths: ['m3ter'] },
    });
    expect(outcome.files).toEqual(['m3ter/unmanaged.yaml', 'm3ter/unmanaged.env.template']);
    expect(outcome.model.problems).toEqual([]);
    const keys = Object.fromEntries(
      outcome.model.kinds.map((k) => [k, outcome.model.entities[k].map((e) => e.key)]),
    );
    expect(keys).toEqual({ webhook: ['console'], notificationRule: ['b'], link: ['b->managed'] });
    expect(outcome.issues.filter((i) => i.severity === 'error')).toEqual([]);

    const env = {
      K: 'key-1',
      S: 'secret-1',
      ...Object.fromEntries(outcome.model.secrets.map((s) => [s.env, 'v'])),
    };
    const loaded = await validate(['m3ter'], { env, cwd: dir, requireEnv: true });
    const { plan } = await planAgainst(loaded.state as DesiredState, session);
    expect(
      plan.changes.map((c) => [c.type, c.key, c.type === 'update' ? c.fields.map((f) => f.reason) : []]),
    ).toEqual([
      ['update', 'console', ['adopt']],
      ['update', 'managed', ['adopt']],
    ]);
  });
});
