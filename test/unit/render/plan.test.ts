import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/model/plan.js';
import { Secret } from '../../../src/model/secret.js';
import { createPlan } from '../../../src/plan/index.js';
import { canonicalJson } from '../../../src/render/canonical-json.js';
import { type PlanJson, planToJson, renderPlan, serializePlan } from '../../../src/render/plan.js';
import { DEFAULT_MARKDOWN_LIMIT } from '../../../src/render/plan-markdown.js';
import { markdownEffects } from '../../helpers/gfm.js';
import { d, desiredState, l, liveState, options } from '../plan/builders.js';

const SECRET_VALUE = 'SUPER-SECRET-VALUE-9f1c';
const API_KEY_VALUE = 'API-KEY-VALUE-77ab';

/** One of everything: creates with settings and secrets, updates with fields and a secret re-send, deletes, and
 * both safety rules. */
function representativePlan(): Plan {
  const hook = d.webhook('billing');
  hook.secrets = {
    apiKey: new Secret('BILLING_API_KEY', API_KEY_VALUE),
    secret: new Secret('BILLING_SECRET', SECRET_VALUE),
  };
  const changed = d.webhook('ops', {
    url: 'https://ops.example.test/v2',
    description: 'Ops "pager"\nline two',
  });
  changed.secrets = {
    apiKey: new Secret('OPS_API_KEY', API_KEY_VALUE),
    secret: new Secret('OPS_SECRET', SECRET_VALUE),
  };
  const cred = d.credential('CHARGEBEE', 'main', {
    type: 'CHARGEBEE_AUTH',
    settings: { site: 'acme', '10': 'x', '9': 'y' },
  });
  cred.secrets = { apiKey: new Secret('CHARGEBEE_API_KEY', SECRET_VALUE) };
  const desired = desiredState(
    [
      cred,
      hook,
      changed,
      d.rule('low_balance', { calculation: 'new.amountSpent >= new.amount * 0.9' }),
      d.rule('quiet'),
      d.link('low_balance', 'billing'),
      d.link('quiet', 'ops'),
    ],
    { ignore: { link: ['manual->*'], notificationRule: ['manual'] } },
  );
  const live = liveState([
    l.webhook('ops', {}, { id: 'uuid-ops', version: 4, secretFingerprint: 'm3cfg1.c2FsdHNhbHQ.aGFzaGhhc2g' }),
    l.webhook(
      'legacy',
      {},
      { id: 'uuid-legacy', version: 2, credentialId: 'uuid-cred', credentialVersion: 1 },
    ),
    l.rule('low_balance', {}, { id: 'uuid-lb', version: 1 }),
    l.rule('quiet', {}, { id: 'uuid-quiet', version: 3 }),
    l.rule('manual', {}, { id: 'uuid-manual', version: 1 }),
    l.link(
      'quiet',
      'ops',
      { active: false },
      { id: 'uuid-l1', version: 5, entityId: 'uuid-quiet', destinationId: 'uuid-ops' },
    ),
    l.link(
      'quiet',
      'legacy',
      {},
      { id: 'uuid-l2', version: 1, entityId: 'uuid-quiet', destinationId: 'uuid-legacy' },
    ),
    l.link(
      'manual',
      'legacy',
      {},
      { id: 'uuid-l3', version: 1, entityId: 'uuid-manual', destinationId: 'uuid-legacy' },
    ),
  ]);
  return createPlan(desired, live, options({ secretMismatch: new Set(['ops']), deleteBudget: { count: 0 } }));
}

describe('renderPlan: golden outputs', () => {
  const plan = representativePlan();

  it('text', async () => {
    await expect(renderPlan(plan, { format: 'text', color: false })).toMatchFileSnapshot(
      '../../golden/plan/representative.txt',
    );
  });

  it('json', async () => {
    await expect(renderPlan(plan, { format: 'json', color: false })).toMatchFileSnapshot(
      '../../golden/plan/representative.json',
    );
  });

  it('markdown', async () => {
    await expect(renderPlan(plan, { format: 'markdown', color: false })).toMatchFileSnapshot(
      '../../golden/plan/representative.md',
    );
  });

  it('an empty plan, in every format', async () => {
    const empty = createPlan(desiredState([d.webhook('a')]), liveState([l.webhook('a')]), options());
    await expect(renderPlan(empty, { format: 'text', color: false })).toMatchFileSnapshot(
      '../../golden/plan/empty.txt',
    );
    await expect(renderPlan(empty, { format: 'markdown', color: false })).toMatchFileSnapshot(
      '../../golden/plan/empty.md',
    );
    expect(JSON.parse(renderPlan(empty, { format: 'json', color: false }))).toMatchObject({
      formatVersion: 1,
      changes: [],
      summary: { create: 0, update: 0, delete: 0 },
    });
  });
});

describe('renderPlan: text', () => {
  it('names the target on the first line and ends with the summary line', () => {
    const plan = representativePlan();
    const lines = renderPlan(plan, { format: 'text', color: false }).trimEnd().split('\n');
    expect(lines[0]).toBe('Target: m3ter org org-1 at https://api.m3ter.com');
    expect(lines.at(-1)).toBe('Plan: 3 to create, 3 to update, 2 to delete.');
  });

  it('names the local emulator and its state file', () => {
    const plan = createPlan(
      desiredState([]),
      liveState([]),
      options({
        target: {
          type: 'local-emulator',
          statePath: '.m3ter/local.json',
          orgId: 'local',
          baseUrl: 'http://127.0.0.1:0',
        },
      }),
    );
    const text = renderPlan(plan, { format: 'text', color: false });
    expect(text.split('\n')[0]).toBe('Target: local m3ter emulator (state .m3ter/local.json), org local');
    expect(text.trimEnd().split('\n').at(-1)).toBe('No changes. Live state matches the configuration.');
  });

  it('names the environment and the kind of org after the target, in text and Markdown', () => {
    const plan: Plan = {
      ...representativePlan(),
      environment: { name: 'production', orgId: 'org-1', production: true, target: {} },
      orgType: 'PRODUCTION',
    };
    const text = renderPlan(plan, { format: 'text', color: false });
    expect(text.split('\n')[0]).toBe(
      'Target: m3ter org org-1 at https://api.m3ter.com (environment "production", a PRODUCTION org)',
    );
    const md = renderPlan(plan, { format: 'markdown', color: false });
    expect(md.split('\n')[0]).toBe(
      '### m3ter-config plan: `m3ter org org-1 at https://api.m3ter.com` (`environment "production", a PRODUCTION org`)',
    );
  });

  it('emits ANSI escapes only when colour is asked for', () => {
    const plan = representativePlan();
    for (const format of ['text', 'json', 'markdown'] as const) {
      expect(renderPlan(plan, { format, color: false })).not.toMatch(/\u001b/);
    }
    const coloured = renderPlan(plan, { format: 'text', color: true });
    expect(coloured).toContain('\u001b[32m+\u001b[0m webhook "billing"');
    expect(coloured).toContain('\u001b[31m-\u001b[0m link "quiet->legacy"');
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(renderPlan(plan, { format: 'text', color: false }));
  });

  it('escapes control characters in values, so the terminal only sees our own escapes', () => {
    const plan = createPlan(
      desiredState([d.webhook('w', { description: 'evil \u001b[2J' })]),
      liveState([l.webhook('w')]),
      options(),
    );
    expect(renderPlan(plan, { format: 'text', color: false })).toContain(
      'description: "Sends to w" -> "evil \\u001b[2J"',
    );
  });
});

describe('renderPlan: secrets', () => {
  it('never shows a secret value in any format, nor in the serialized plan', () => {
    const plan = representativePlan();
    const outputs = [
      renderPlan(plan, { format: 'text', color: false }),
      renderPlan(plan, { format: 'text', color: true }),
      renderPlan(plan, { format: 'json', color: false }),
      renderPlan(plan, { format: 'markdown', color: false }),
      serializePlan(plan),
      JSON.stringify(plan),
    ];
    for (const out of outputs) {
      expect(out).not.toContain(SECRET_VALUE);
      expect(out).not.toContain(API_KEY_VALUE);
    }
    expect(outputs[0]).toContain('secrets: (sensitive) -> (sensitive)');
    expect(outputs[0]).toContain('secrets.secret: (sensitive)');
  });

  it('does not carry the live secret fingerprint into the JSON form', () => {
    const json = renderPlan(representativePlan(), { format: 'json', color: false });
    expect(json).not.toContain('m3cfg1');
    expect(json).not.toContain('secretFingerprint');
  });
});

describe('renderPlan: json and serializePlan', () => {
  it('carries what apply needs: desired attributes, secret env names and source; id, version and live meta', () => {
    const plan = representativePlan();
    const json = JSON.parse(renderPlan(plan, { format: 'json', color: false })) as PlanJson;
    expect(json).toEqual(planToJson(plan));
    expect(json.formatVersion).toBe(1);
    const create = json.changes.find((c) => c.action === 'create' && c.key === 'billing');
    expect(create).toEqual({
      action: 'create',
      kind: 'webhook',
      key: 'billing',
      desired: {
        attributes: {
          name: 'Webhook billing',
          description: 'Sends to billing',
          url: 'https://hooks.example.test/billing',
          active: true,
          credentialType: 'M3TER_SIGNED_REQUEST',
        },
        secrets: {
          apiKey: { sensitive: true, env: 'BILLING_API_KEY' },
          secret: { sensitive: true, env: 'BILLING_SECRET' },
        },
        source: { file: 'm3ter.yaml', line: 1, col: 1, pointer: '/webhook/billing' },
      },
    });
    const update = json.changes.find((c) => c.action === 'update' && c.key === 'ops');
    expect(update).toMatchObject({
      id: 'uuid-ops',
      version: 4,
      fields: [
        { field: 'description', from: 'Sends to ops', to: 'Ops "pager"\nline two' },
        { field: 'url', from: 'https://hooks.example.test/ops', to: 'https://ops.example.test/v2' },
        { field: 'secrets', from: { sensitive: true }, to: { sensitive: true } },
      ],
      desired: { secrets: { secret: { sensitive: true, env: 'OPS_SECRET' } } },
      live: { meta: { id: 'uuid-ops', version: 4 } },
    });
    const del = json.changes.find((c) => c.action === 'delete' && c.key === 'legacy');
    expect(del).toEqual({
      action: 'delete',
      kind: 'webhook',
      key: 'legacy',
      id: 'uuid-legacy',
      version: 2,
      live: {
        attributes: expect.objectContaining({ name: 'Webhook legacy' }),
        meta: { id: 'uuid-legacy', version: 2, credentialId: 'uuid-cred', credentialVersion: 1 },
      },
    });
    expect(json.unsafe.map((u) => u.rule)).toEqual(['linked_delete', 'delete_budget', 'delete_budget']);
  });

  it('serializes canonically: sorted keys at every depth, no whitespace, stable', () => {
    const plan = representativePlan();
    const text = serializePlan(plan);
    expect(text).toBe(serializePlan(representativePlan()));
    expect(text).not.toMatch(/\n/);
    expect(text.startsWith('{"allowDeletes":false,"changes":[')).toBe(true);
    expect(JSON.parse(text)).toEqual(planToJson(plan));
    expect(canonicalJson({ b: 1, a: { '9': 1, '10': 2, z: [3, { y: 1, x: undefined }] } })).toBe(
      '{"a":{"10":2,"9":1,"z":[3,{"y":1}]},"b":1}',
    );
  });
});

describe('renderPlan: markdown', () => {
  it('keeps user text from breaking out of code blocks or injecting HTML', () => {
    const plan = createPlan(
      desiredState([d.webhook('w', { description: 'a ```` fence' })], {
        managed: ['webhook', 'notificationRule'],
      }),
      liveState([l.webhook('w'), l.rule('<b>x</b>'), l.link('<b>x</b>', 'w')]),
      options(),
    );
    const md = renderPlan(plan, { format: 'markdown', color: false });
    expect(md).toContain('`````diff\n~ webhook "w"\n    description: "Sends to w" -> "a ```` fence"\n`````');
    expect(md).toContain('```diff\n- notification rule "<b>x</b>"\n```');
    // The caution names the rule's key as a value: a code span, never HTML.
    expect(md).toContain('notification rule `"<b>x</b>"` is planned for deletion');
    expect(markdownEffects(md).problems).toEqual([]);
  });
});

describe('renderPlan: size', () => {
  it(
    'renders 200,000 creates with backticks in their descriptions as Markdown without overflowing the stack',
    { timeout: 90_000 },
    () => {
      const hooks = Array.from({ length: 200_000 }, (_, i) => d.webhook(`w${i}`, { description: 'a `b` c' }));
      const plan = createPlan(desiredState(hooks), liveState([]), options());
      const md = renderPlan(plan, { format: 'markdown', color: false, markdown: { limit: 0 } });
      expect(md).toContain('```diff');
      expect(md).not.toContain('not shown');
    },
  );

  it('fits 10,000 creates in a pull-request comment: summary and picture first, then what fits, then what was left out and where', () => {
    const hooks = Array.from({ length: 10_000 }, (_, i) => d.webhook(`w${i}`));
    const plan = createPlan(desiredState(hooks), liveState([]), options());
    const md = renderPlan(plan, { format: 'markdown', color: false, markdown: { savedPlan: 'plan.json' } });
    // 2,457,997 characters before there was a limit; GitHub refuses a comment over 65,536.
    expect(md.length).toBeLessThanOrEqual(DEFAULT_MARKDOWN_LIMIT);
    expect(DEFAULT_MARKDOWN_LIMIT + '<!-- m3ter-config plan -->\n'.length).toBeLessThan(65_536);
    expect(md.indexOf('| webhook | 10000 | 0 | 0 |')).toBeGreaterThan(0);
    expect(md.indexOf('```mermaid')).toBeGreaterThan(md.indexOf('| webhook |'));
    expect(md).toMatch(/<summary>webhook: 10000 to create \(\d+ shown\)<\/summary>/);
    const shown = md.match(/^\+ webhook "/gm)?.length ?? 0;
    expect(shown).toBeGreaterThan(100);
    expect(md.trimEnd().split('\n').at(-1)).toBe(
      `**${10_000 - shown} of 10000 changes are not shown here**, to keep this under 64000 characters (\`--markdown-limit\`). ` +
        "The whole plan is in the saved plan (`plan.json`) and in the full Markdown (`--markdown-full FILE`), kept with this run's artifacts by the CI templates.",
    );
    expect(markdownEffects(md).problems).toEqual([]);
    const unlimited = renderPlan(plan, { format: 'markdown', color: false, markdown: { limit: 0 } });
    expect(unlimited.match(/^\+ webhook "/gm)).toHaveLength(10_000);
  });

  it('cuts a very long value with a limit, and keeps it whole without', () => {
    const plan = createPlan(
      desiredState([d.webhook('w', { description: 'x'.repeat(100_000) })]),
      liveState([]),
      options(),
    );
    const md = renderPlan(plan, { format: 'markdown', color: false });
    expect(md.length).toBeLessThanOrEqual(DEFAULT_MARKDOWN_LIMIT);
    expect(md).toMatch(/x… \(98019 more characters\)\n/);
    expect(md).not.toContain('not shown here');
    const whole = renderPlan(plan, { format: 'markdown', color: false, markdown: { limit: 0 } });
    expect(whole).toContain(`"${'x'.repeat(100_000)}"`);
  });
});
