import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../../src/emulator/index.js';
import type { ClientOptions } from '../../../src/live/client.js';
import { ApiError } from '../../../src/model/errors.js';
import type { Change } from '../../../src/model/plan.js';
import type { DesiredResource } from '../../../src/model/resource.js';
import { renderPlan } from '../../../src/render/plan.js';
import { runApply, verifyPlanApplied } from '../../../src/workflow/apply.js';
import { adapters } from '../../../src/live/index.js';
import { loadDesired, planAgainst } from '../../../src/workflow/plan.js';
import { openSession, type Session } from '../../../src/workflow/session.js';

/**
 * plan through the workflow, as the CLI runs it: YAML files -> desired state, the real client against the emulator
 * on 127.0.0.1:0 as a remote org, live state -> plan.
 */
const FAST: ClientOptions = {
  rateLimit: 0,
  backoffBaseMs: 1,
  backoffCapMs: 5,
  maxRetries: 2,
  timeoutMs: 2_000,
};
const SECRETS = {
  HOOK_KEY: 'hook-key-value-7f3a',
  HOOK_SECRET: 'hook-secret-value-91c2',
  HOOK_SECRET_2: 'rotated-secret-55d1',
};

let emulator: RunningEmulator | undefined;
const sessions: Session[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  await emulator?.close();
  emulator = undefined;
});

async function org(options: EmulatorOptions = {}): Promise<(client?: ClientOptions) => Promise<Session>> {
  emulator = await startEmulator({ rateLimit: 0, ...options });
  const e = emulator;
  return async (client = FAST) => {
    const s = await openSession({
      env: {
        M3TER_ORG_ID: e.orgId,
        M3TER_API_KEY: e.apiKey,
        M3TER_API_SECRET: e.apiSecret,
        M3TER_BASE_URL: e.url,
      },
      cwd: tmpdir(),
      client,
    });
    sessions.push(s);
    return s;
  };
}

function files(yaml: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'm3ter-plan-'));
  writeFileSync(path.join(dir, 'm3ter.yaml'), yaml);
  return dir;
}

function config(
  opts: { hooks?: number; rules?: number; secretVar?: string; ruleName?: string } = {},
): string {
  const hooks = opts.hooks ?? 1;
  const rules = opts.rules ?? 2;
  const lines = ['webhooks:'];
  for (let i = 0; i < hooks; i++) {
    lines.push(
      `  - code: hook_${i}`,
      `    name: Hook ${i}`,
      '    description: A webhook',
      `    url: https://hooks.example.com/${i}`,
      '    credentials:',
      '      apiKey: { env: HOOK_KEY }',
      `      secret: { env: ${opts.secretVar ?? 'HOOK_SECRET'} }`,
    );
  }
  lines.push('notificationRules:');
  for (let i = 0; i < rules; i++) {
    lines.push(
      `  - code: rule_${i}`,
      `    name: ${i === 0 && opts.ruleName ? opts.ruleName : `Rule ${i}`}`,
      '    description: A rule',
      '    eventName: billing.bill.created',
    );
  }
  lines.push('links:');
  for (let i = 0; i < rules; i++) lines.push(`  - rule: rule_${i}`, `    webhook: hook_${i % hooks}`);
  return `${lines.join('\n')}\n`;
}

function brief(changes: readonly Change[]): string[] {
  return changes.map(
    (c) =>
      `${c.type} ${c.kind} ${c.key}${c.type === 'update' ? ` ${c.fields.map((f) => f.field).join(',')}` : ''}`,
  );
}

async function load(yaml: string) {
  return (await loadDesired([files(yaml)], { env: SECRETS, cwd: tmpdir() })).state;
}

describe('plan against the emulator', () => {
  it('plans the creates in level order, then nothing once applied', async () => {
    const session = await (await org())();
    const desired = await load(config());
    const first = await planAgainst(desired, session);
    expect(brief(first.plan.changes)).toEqual([
      'create webhook hook_0',
      'create notificationRule rule_0',
      'create notificationRule rule_1',
      'create link rule_0->hook_0',
      'create link rule_1->hook_0',
    ]);
    const { result } = await runApply(session, first.plan, { planned: first });
    expect(result.status).toBe('applied');
    const again = await planAgainst(desired, session);
    expect(again.plan.changes).toEqual([]);
  });

  it('seeded live state: a changed field, a rotated secret and an undeclared rule plan exactly', async () => {
    const connect = await org();
    const session = await connect();
    const applied = await planAgainst(await load(config({ rules: 3 })), session);
    await runApply(session, applied.plan, { planned: applied });

    // In the files: rule_0 renamed, rule_2 (and its link) gone, the webhook's secret from another variable.
    const desired = await load(config({ rules: 2, ruleName: 'Rule zero', secretVar: 'HOOK_SECRET_2' }));
    const { plan } = await planAgainst(desired, await connect());
    expect(brief(plan.changes)).toEqual([
      'update webhook hook_0 secrets',
      'update notificationRule rule_0 name',
      'delete link rule_2->hook_0',
      'delete notificationRule rule_2',
    ]);
    const rename = plan.changes[1];
    expect(rename?.type === 'update' && rename.fields).toEqual([
      { field: 'name', from: 'Rule 0', to: 'Rule zero' },
    ]);
    expect(plan.unsafe).toEqual([]);

    // No output format carries a secret value.
    for (const format of ['text', 'json', 'markdown'] as const) {
      const out = renderPlan(plan, { format, color: false });
      for (const value of Object.values(SECRETS)) expect(out).not.toContain(value);
    }
  });

  it('upgrades version-1 fingerprints once, in a labelled plan change, then plans nothing', async () => {
    const connect = await org();
    const session = await connect();
    const desired = await load(config({ hooks: 2, rules: 1 }));
    // An older release: no key, so it writes version-1 (scrypt) fingerprints.
    const old: Session = { ...session, fingerprints: undefined };
    const first = await planAgainst(desired, old);
    await runApply(old, first.plan, { planned: first });

    const upgrade = await planAgainst(desired, await connect());
    expect(brief(upgrade.plan.changes)).toEqual([
      'update webhook hook_0 fingerprint',
      'update webhook hook_1 fingerprint',
    ]);
    const text = renderPlan(upgrade.plan, { format: 'text', color: false });
    expect(text).toContain('one-time upgrade');
    const { result } = await runApply(session, upgrade.plan, { planned: upgrade });
    expect(result.status).toBe('applied');
    const after = await planAgainst(desired, await connect());
    expect(after.plan.changes).toEqual([]);
    const fp = after.live.resources.webhook.get('hook_0')?.live.secretFingerprint ?? '';
    expect(fp.startsWith('m3cfg2.')).toBe(true);
    for (const value of Object.values(SECRETS)) expect(fp).not.toContain(value);
  });

  it('a run with another key cannot compare the secrets: a note, not a change; --rotate-secrets still re-sends them', async () => {
    const connect = await org();
    const session = await connect();
    const desired = await load(config({ hooks: 1, rules: 1 }));
    const first = await planAgainst(desired, session);
    await runApply(session, first.plan, { planned: first });
    const { FingerprintCache } = await import('../../../src/model/fingerprint.js');
    const otherKey = (): Session => ({
      ...session,
      fingerprints: new FingerprintCache({ orgId: session.target.orgId, reveal: () => 'another-api-secret' }),
    });
    const other = await planAgainst(desired, otherKey());
    expect(other.plan.changes).toEqual([]);
    expect(other.warnings.map((w) => [w.code, w.severity, w.pointer])).toEqual([
      ['fingerprint_key_differs', 'warning', '/webhooks/0'],
    ]);
    expect(other.warnings[0]?.message).toContain('cannot be compared under this fingerprint key');
    expect(other.warnings[0]?.hint).toContain('M3TER_CONFIG_FINGERPRINT_KEY');
    const rotated = await planAgainst(desired, otherKey(), { rotateSecrets: true });
    expect(brief(rotated.plan.changes)).toEqual(['update webhook hook_0 secrets']);
    const again = await planAgainst(desired, await connect());
    expect(again.plan.changes).toEqual([]);
    expect(again.warnings).toEqual([]);
  });

  it('reads every page of every kind (more than one page each) and plans empty', async () => {
    const session = await (await org())();
    // 201 webhooks (pages of 200), 101 rules (pages of 100), 201 links (pages of 200).
    const desired = await load(config({ hooks: 201, rules: 201 }));
    const first = await planAgainst(desired, session);
    expect(first.plan.summary).toEqual({ create: 201 + 201 + 201, update: 0, delete: 0 });
    const { result } = await runApply(session, first.plan, { planned: first });
    expect(result.status).toBe('applied');
    emulator!.admin.resetCounters();
    const again = await planAgainst(desired, session);
    expect(again.plan.changes).toEqual([]);
    const requests = emulator!.admin.counters().requests;
    expect(requests['GET /organizations/{orgId}/integrationdestinations/webhooks']).toBe(2);
    expect(requests['GET /organizations/{orgId}/notifications/configurations']).toBe(3);
    expect(requests['GET /organizations/{orgId}/integrationconfigs']).toBe(2);
  });

  it('integrations and links share one collection: paged together, read once, planned apart', async () => {
    const session = await (await org())();
    // 150 links and 60 integrations: 210 integration configurations, two pages of 200, read once per plan.
    const integrations = [
      'credentials:',
      '  - name: sync',
      '    destination: Stripe',
      '    type: STRIPE_SIGNED_REQUEST',
    ];
    integrations.push('    signingKey: { env: HOOK_SECRET }', 'integrations:');
    for (let i = 0; i < 60; i++) {
      integrations.push('  - entityType: Bill', '    destination: Stripe', `    name: sync-${i}`);
      integrations.push('    credential: Stripe/sync', `    configData: { batch: ${i} }`);
    }
    const desired = await load(`${config({ hooks: 1, rules: 150 })}${integrations.join('\n')}\n`);
    const first = await planAgainst(desired, session);
    expect(first.plan.summary).toEqual({ create: 1 + 150 + 150 + 1 + 60, update: 0, delete: 0 });
    const kinds = first.plan.changes.map((c) => c.kind);
    expect(kinds.lastIndexOf('credential')).toBeLessThan(kinds.indexOf('integration'));
    const { result } = await runApply(session, first.plan, { planned: first });
    expect(result.status).toBe('applied');
    emulator!.admin.resetCounters();
    const again = await planAgainst(desired, session);
    expect(again.plan.changes).toEqual([]);
    expect(again.live.resources.link.size).toBe(150);
    expect(again.live.resources.integration.size).toBe(60);
    expect(emulator!.admin.counters().requests['GET /organizations/{orgId}/integrationconfigs']).toBe(2);

    // One integration edited, one removed: exactly those, nothing among the links.
    const yaml = `${config({ hooks: 1, rules: 150 })}${integrations.join('\n')}\n`
      .replace('configData: { batch: 7 }', 'configData: { batch: 70 }')
      .replace(
        '  - entityType: Bill\n    destination: Stripe\n    name: sync-9\n    credential: Stripe/sync\n    configData: { batch: 9 }\n',
        '',
      );
    const changed = await planAgainst(await load(yaml), session);
    expect(brief(changed.plan.changes)).toEqual([
      'update integration Bill->Stripe/sync-7 configData.batch',
      'delete integration Bill->Stripe/sync-9',
    ]);
    await runApply(session, changed.plan, { planned: changed });
    expect((await planAgainst(await load(yaml), session)).plan.changes).toEqual([]);
  });

  it('verifies a saved plan after apply, and names what the org does not show', async () => {
    const session = await (await org())();
    const planned = await planAgainst(await load(config()), session);
    await runApply(session, planned.plan, { planned });
    expect(await verifyPlanApplied(session, planned.plan)).toEqual([]);

    // Someone renames rule_0 behind our back.
    const rule = planned.plan.changes.find((c) => c.kind === 'notificationRule' && c.key === 'rule_0');
    if (rule?.type !== 'create') throw new Error('expected a create of rule_0');
    const live = (await planAgainst(planned.desired, session)).live.resources.notificationRule.get('rule_0')!;
    const desiredRule = rule.desired as DesiredResource<'notificationRule'>;
    const renamed = { ...desiredRule, attributes: { ...desiredRule.attributes, name: 'Changed by hand' } };
    await adapters.notificationRule.update(session.client, live.live.id, live.live.version, renamed, {
      ids: planned.ids,
      fingerprints: planned.fingerprints,
      salt: Buffer.alloc(16),
    });
    expect(await verifyPlanApplied(session, planned.plan)).toEqual([
      'notification rule "rule_0" differs from the plan in name',
    ]);
  });

  it('refuses before any write when a rule a planned link points at was deleted since the plan', async () => {
    const session = await (await org())();
    // rule_1 exists, but unlinked; then a plan adds its link and a second webhook.
    const base = config({ rules: 2 }).replace('  - rule: rule_1\n    webhook: hook_0\n', '');
    const first = await planAgainst(await load(base), session);
    await runApply(session, first.plan, { planned: first });
    const planned = await planAgainst(await load(config({ hooks: 2, rules: 2 })), session);
    expect(brief(planned.plan.changes)).toEqual(['create webhook hook_1', 'create link rule_1->hook_1']);

    // Someone deletes rule_1 before the plan is applied.
    const rule1 = planned.live.resources.notificationRule.get('rule_1')!;
    await adapters.notificationRule.remove(session.client, rule1.live.id);
    emulator!.admin.resetCounters();

    await expect(runApply(session, planned.plan, { planned, checkCurrent: true })).rejects.toMatchObject({
      code: 'plan_stale',
      message: expect.stringContaining('points at notification rule "rule_1", which no longer exists'),
    });
    const writes = Object.entries(emulator!.admin.counters().requests).filter(
      ([route]) => !route.startsWith('GET'),
    );
    expect(writes).toEqual([]);
  });

  it('a read that keeps failing aborts the plan; it is never read as "missing"', async () => {
    // Every API request fails with a 5xx: the plan must throw, not plan creates for an org that looks empty.
    const session = await (await org({ faultRate: 1, faultKinds: ['5xx'], seed: 7 }))();
    await expect(planAgainst(await load(config()), session)).rejects.toBeInstanceOf(ApiError);
  });
});

describe('ignore patterns that match nothing', () => {
  it('are warned about after the live read, at the pattern, while patterns that match stay quiet', async () => {
    const session = await (await org())();
    const yaml = `${config()}ignore:\n  notificationRules: [rule_?, lgacy_*]\n  links: ['nope->*']\n`;
    const desired = await load(yaml);
    const first = await planAgainst(desired, session);
    expect(first.warnings.map((w) => [w.code, w.line, w.col, w.pointer])).toEqual([
      ['ignore_matches_nothing', 24, 31, '/ignore/notificationRules/1'],
      ['ignore_matches_nothing', 25, 11, '/ignore/links/0'],
    ]);
    expect(first.warnings[0]?.message).toBe(
      'ignore pattern "lgacy_*" matches no live or declared notification rule',
    );
  });
});
