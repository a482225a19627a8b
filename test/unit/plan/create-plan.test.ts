import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/model/plan.js';
import type { DesiredState, LiveState } from '../../../src/model/state.js';
import {
  createPlan,
  isSecretAdoption,
  type PlanOptions,
  planIsEmpty,
  planIsUnsafe,
} from '../../../src/plan/index.js';
import { appliedState, d, desiredState, l, liveState, options, TARGET } from './builders.js';

/** `create webhook "a"`-style lines: the exact change list, in order. */
function steps(plan: Plan): string[] {
  return plan.changes.map((c) => `${c.type} ${c.kind} ${c.key}`);
}

/** Plans, and checks that planning is deterministic and leaves its inputs alone. */
function plan(desired: DesiredState, live: LiveState, over: Partial<PlanOptions> = {}): Plan {
  const before = JSON.stringify([desired, live, [...desired.managedKinds], [...live.readKinds]], mapReplacer);
  const p = createPlan(desired, live, options(over));
  expect(JSON.stringify([desired, live, [...desired.managedKinds], [...live.readKinds]], mapReplacer)).toBe(
    before,
  );
  expect(createPlan(desired, live, options(over))).toEqual(p);
  return p;
}

function mapReplacer(_key: string, value: unknown): unknown {
  return value instanceof Map ? [...value.entries()] : value;
}

describe('createPlan: creates, updates, deletes', () => {
  it('creates everything against an empty org, pinned nowhere, with the exact changes', () => {
    const hook = d.webhook('billing');
    const rule = d.rule('low_balance');
    const link = d.link('low_balance', 'billing');
    const p = plan(desiredState([link, rule, hook]), liveState([]));
    expect(p.changes).toEqual([
      { type: 'create', kind: 'webhook', key: 'billing', desired: hook },
      { type: 'create', kind: 'notificationRule', key: 'low_balance', desired: rule },
      { type: 'create', kind: 'link', key: 'low_balance->billing', desired: link },
    ]);
    expect(p).toMatchObject({
      formatVersion: 1,
      target: TARGET,
      managedKinds: ['credential', 'integration', 'webhook', 'scheduledEvent', 'notificationRule', 'link'],
      unsafe: [],
      allowDeletes: false,
      summary: { create: 3, update: 0, delete: 0 },
    });
    expect(planIsEmpty(p)).toBe(false);
    expect(planIsUnsafe(p)).toBe(false);
  });

  it('updates with field-level from -> to in a fixed field order, pinned to the live id and version', () => {
    const want = d.rule('r', { active: false, name: 'New name', calculation: 'new.amount > 10' });
    const have = l.rule('r', {}, { id: 'uuid-r', version: 7 });
    const p = plan(desiredState([want]), liveState([have]));
    expect(p.changes).toEqual([
      {
        type: 'update',
        kind: 'notificationRule',
        key: 'r',
        id: 'uuid-r',
        version: 7,
        desired: want,
        live: have,
        fields: [
          { field: 'name', from: 'Rule r', to: 'New name' },
          { field: 'calculation', from: null, to: 'new.amount > 10' },
          { field: 'active', from: true, to: false },
        ],
      },
    ]);
    expect(p.summary).toEqual({ create: 0, update: 1, delete: 0 });
  });

  it('diffs nested credential settings one entry at a time', () => {
    const want = d.credential('CHARGEBEE', 'main', { settings: { site: 'acme', username: 'svc' } });
    const have = l.credential('CHARGEBEE', 'main', { settings: { username: 'old', region: 'eu' } });
    const p = plan(desiredState([want]), liveState([have]));
    expect(p.changes[0]).toMatchObject({
      type: 'update',
      fields: [
        { field: 'settings.region', from: 'eu', to: null },
        { field: 'settings.site', from: null, to: 'acme' },
        { field: 'settings.username', from: 'old', to: 'svc' },
        // The PUT replaces the whole credential, so its secrets go too, and the plan says so.
        { field: 'secrets', from: { sensitive: true }, to: { sensitive: true } },
      ],
    });
  });

  it('a credential with no other change does not re-send its secrets unless asked', () => {
    const want = d.credential('CHARGEBEE', 'main', { settings: { site: 'acme' } });
    const have = l.credential('CHARGEBEE', 'main', { settings: { site: 'acme' } });
    expect(plan(desiredState([want]), liveState([have])).changes).toEqual([]);
  });

  it('the delete budget counts only the live entities the files manage, not ignored ones', () => {
    const managed = Array.from({ length: 10 }, (_, i) => l.webhook(`hook_${i}`));
    const legacy = Array.from({ length: 100 }, (_, i) => l.webhook(`legacy_${i}`));
    const desired = desiredState(managed.slice(3).map((w) => d.webhook(w.key)));
    desired.ignore.webhook = ['legacy_*'];
    const p = plan(desired, liveState([...managed, ...legacy]));
    expect(p.summary.delete).toBe(3);
    // 3 of 10 managed webhooks is over 25%, although 110 webhooks exist live.
    expect(p.unsafe).toMatchObject([
      { rule: 'delete_budget', kind: 'webhook', deletes: 3, liveCount: 10, budget: 2 },
    ]);
  });

  it('deletes undeclared live entities, pinned to id and version', () => {
    const gone = l.webhook('old', {}, { id: 'uuid-old', version: 3 });
    const p = plan(desiredState([]), liveState([gone]));
    expect(p.changes).toEqual([
      { type: 'delete', kind: 'webhook', key: 'old', id: 'uuid-old', version: 3, live: gone },
    ]);
  });

  it('plans empty for a config that was just applied (and ignores server-side meta)', () => {
    const desired = desiredState([
      d.credential('STRIPE', 'main'),
      d.webhook('a'),
      d.webhook('b', { active: false, description: 'off' }),
      d.rule('r1', { calculation: 'new.x > 1' }),
      d.rule('r2'),
      d.link('r1', 'a'),
      d.link('r2', 'b', { active: false }),
    ]);
    const live = appliedState(desired);
    for (const r of live.resources.webhook.values()) {
      r.live = { ...r.live, version: 9, dtLastModified: '2026-01-01T00:00:00Z', lastModifiedBy: 'x' };
    }
    const p = plan(desired, live);
    expect(p.changes).toEqual([]);
    expect(p.summary).toEqual({ create: 0, update: 0, delete: 0 });
    expect(planIsEmpty(p)).toBe(true);
  });

  it('treats a missing nullable field and null alike (no perpetual diff)', () => {
    const want = d.rule('r');
    const have = l.rule('r');
    (have.attributes as unknown as Record<string, unknown>).calculation = undefined;
    expect(plan(desiredState([want]), liveState([have])).changes).toEqual([]);
  });
});

describe('createPlan: which kinds are compared', () => {
  it('leaves kinds absent from the files untouched', () => {
    const p = plan(
      desiredState([d.webhook('a')], { managed: ['webhook'] }),
      liveState([l.webhook('a'), l.rule('r'), l.link('r', 'a'), l.credential('STRIPE', 'x')]),
    );
    expect(p.changes).toEqual([]);
    expect(p.managedKinds).toEqual(['webhook']);
  });

  it('fully manages a kind declared as an empty list', () => {
    const p = plan(
      desiredState([], { managed: ['notificationRule'] }),
      liveState([l.rule('r'), l.webhook('w')]),
    );
    expect(steps(p)).toEqual(['delete notificationRule r']);
  });

  it('never plans against a kind that was not read', () => {
    const p = plan(
      desiredState([d.webhook('new'), d.rule('r')]),
      liveState([l.webhook('old')], ['webhook', 'link', 'credential']),
    );
    expect(steps(p)).toEqual(['create webhook new', 'delete webhook old']);
    expect(p.managedKinds).toEqual(['credential', 'webhook', 'link']);
  });
});

describe('createPlan: ignore', () => {
  it('leaves live entities matched by codes or globs (* and ?) alone, per kind', () => {
    const p = plan(
      desiredState([], { ignore: { webhook: ['legacy-*', 'tmp?', 'exact'], notificationRule: ['keep_*'] } }),
      liveState([
        l.webhook('legacy-one'),
        l.webhook('legacy-'),
        l.webhook('tmp1'),
        l.webhook('tmp12'),
        l.webhook('exact'),
        l.webhook('exactly'),
        l.rule('keep_me'),
        l.rule('legacy-rule'),
      ]),
      { allowDeletes: true },
    );
    expect(steps(p)).toEqual([
      'delete notificationRule legacy-rule',
      'delete webhook exactly',
      'delete webhook tmp12',
    ]);
  });

  it('treats glob metacharacters other than * and ? literally', () => {
    const p = plan(
      desiredState([], { ignore: { link: ['r.*->w'], credential: ['STRIPE/[a]'] } }),
      liveState([
        l.link('r.x', 'w'),
        l.link('rx', 'w'),
        l.credential('STRIPE', '[a]'),
        l.credential('STRIPE', 'a'),
      ]),
    );
    expect(steps(p)).toEqual(['delete link rx->w', 'delete credential STRIPE/a']);
  });

  it('deletes links with unresolvable ids unless ignored', () => {
    const orphan = l.orphanLink('uuid-x', { version: 4 });
    const p = plan(desiredState([]), liveState([orphan, l.orphanLink('uuid-y')]), { allowDeletes: true });
    expect(steps(p)).toEqual(['delete link id:uuid-x', 'delete link id:uuid-y']);
    expect(p.changes[0]).toEqual({
      type: 'delete',
      kind: 'link',
      key: 'id:uuid-x',
      id: 'uuid-x',
      version: 4,
      live: orphan,
    });
    const kept = plan(desiredState([], { ignore: { link: ['id:*'] } }), liveState([orphan]));
    expect(kept.changes).toEqual([]);
  });

  it('compares a declared entity even when an ignore pattern matches it', () => {
    const p = plan(
      desiredState([d.webhook('legacy-a', { url: 'https://new.example.test' })], {
        ignore: { webhook: ['legacy-*'] },
      }),
      liveState([l.webhook('legacy-a')]),
    );
    expect(steps(p)).toEqual(['update webhook legacy-a']);
  });
});

describe('createPlan: secrets', () => {
  const SECRETS = { field: 'secrets', from: { sensitive: true }, to: { sensitive: true } };

  it('re-sends a webhook secret whose fingerprint does not match, alone or with attribute changes', () => {
    const fingerprinted = (code: string) => {
      const r = l.webhook(code);
      r.live.secretFingerprint = 'm3cfg1.c2FsdA.aGFzaA';
      return r;
    };
    const p = plan(
      desiredState([d.webhook('a'), d.webhook('b', { name: 'B' }), d.webhook('c')]),
      liveState([fingerprinted('a'), fingerprinted('b'), fingerprinted('c')]),
      { secretMismatch: new Set(['a', 'b', 'not-live']) },
    );
    expect(p.changes.map((c) => [c.key, c.type === 'update' ? c.fields : undefined])).toEqual([
      ['a', [{ ...SECRETS, reason: 'changed' }]],
      [
        'b',
        [
          { field: 'name', from: 'Webhook b', to: 'B' },
          { ...SECRETS, reason: 'changed' },
        ],
      ],
    ]);
    expect(p.changes.some(isSecretAdoption)).toBe(false);
  });

  it('labels the secrets of a webhook m3ter-config never wrote (no fingerprint, e.g. just imported) as adopted', () => {
    const p = plan(
      desiredState([d.webhook('a'), d.webhook('b', { name: 'B' })]),
      liveState([l.webhook('a'), l.webhook('b')]),
      {
        secretMismatch: new Set(['a', 'b']),
      },
    );
    expect(p.changes.map((c) => [c.key, c.type === 'update' ? c.fields : undefined])).toEqual([
      ['a', [{ ...SECRETS, reason: 'adopt' }]],
      [
        'b',
        [
          { field: 'name', from: 'Webhook b', to: 'B' },
          { ...SECRETS, reason: 'adopt' },
        ],
      ],
    ]);
    // Only the first is nothing but an adoption.
    expect(p.changes.map(isSecretAdoption)).toEqual([true, false]);
  });

  it('never adds a secrets change to a create', () => {
    const want = d.webhook('new');
    const p = plan(desiredState([want]), liveState([]), {
      secretMismatch: new Set(['new']),
      rotateSecrets: true,
    });
    expect(p.changes).toEqual([{ type: 'create', kind: 'webhook', key: 'new', desired: want }]);
  });

  it('--rotate-secrets re-sends every managed webhook and credential secret', () => {
    const p = plan(
      desiredState([d.webhook('a'), d.credential('STRIPE', 'main'), d.rule('r')]),
      liveState([l.webhook('a'), l.credential('STRIPE', 'main'), l.rule('r'), l.link('r', 'a')]),
      { rotateSecrets: true },
    );
    expect(p.changes.map((c) => [c.type, c.key, c.type === 'update' ? c.fields : []])).toEqual([
      ['update', 'STRIPE/main', [{ ...SECRETS, reason: 'rotate' }]],
      ['update', 'a', [{ ...SECRETS, reason: 'rotate' }]],
      ['delete', 'r->a', []],
    ]);
  });

  it('plans no credential secret update without --rotate-secrets (no fingerprint for credentials)', () => {
    const p = plan(
      desiredState([d.credential('STRIPE', 'main')]),
      liveState([l.credential('STRIPE', 'main')]),
      {
        secretMismatch: new Set(['STRIPE/main']),
      },
    );
    expect(p.changes).toEqual([]);
  });

  it('rotates only kinds that are managed', () => {
    const p = plan(
      desiredState([d.rule('r')], { managed: ['notificationRule'] }),
      liveState([l.webhook('a'), l.rule('r')]),
      {
        rotateSecrets: true,
      },
    );
    expect(p.changes).toEqual([]);
  });
});

describe('createPlan: order', () => {
  it('runs creates and updates top-down by level, then deletes bottom-up; by key within a kind', () => {
    const p = plan(
      desiredState([
        d.link('r2', 'w2'),
        d.link('r1', 'w1'),
        d.rule('r2'),
        d.rule('r1', { name: 'changed' }),
        d.webhook('w2'),
        d.webhook('w1', { active: false }),
        d.credential('STRIPE', 'b'),
        d.credential('NETSUITE', 'a', { type: 'NETSUITE_AUTH' }),
      ]),
      liveState([
        l.credential('NETSUITE', 'a'),
        l.credential('STRIPE', 'old'),
        l.webhook('w1'),
        l.webhook('zz'),
        l.webhook('aa'),
        l.rule('r1'),
        l.rule('gone'),
        l.link('gone', 'aa'),
        l.link('r1', 'zz'),
      ]),
      { allowDeletes: true },
    );
    expect(steps(p)).toEqual([
      'update credential NETSUITE/a',
      'create credential STRIPE/b',
      'update webhook w1',
      'create webhook w2',
      'update notificationRule r1',
      'create notificationRule r2',
      'create link r1->w1',
      'create link r2->w2',
      'delete link gone->aa',
      'delete link r1->zz',
      'delete notificationRule gone',
      'delete webhook aa',
      'delete webhook zz',
      'delete credential STRIPE/old',
    ]);
    expect(p.unsafe).toEqual([]);
  });

  it('is deterministic whatever the insertion order of the inputs', () => {
    const resources = [d.webhook('c'), d.webhook('a'), d.rule('z'), d.rule('b'), d.link('b', 'a')];
    const live = [l.webhook('q'), l.webhook('b', { name: 'x' }), l.rule('y'), l.link('y', 'q')];
    const p1 = createPlan(desiredState(resources), liveState(live), options({ allowDeletes: true }));
    const p2 = createPlan(
      desiredState([...resources].reverse()),
      liveState([...live].reverse()),
      options({ allowDeletes: true }),
    );
    expect(p2).toEqual(p1);
    expect(JSON.stringify(p2)).toBe(JSON.stringify(p1));
  });

  it('sorts keys by code point, not locale', () => {
    const p = plan(
      desiredState([d.webhook('b'), d.webhook('B'), d.webhook('a'), d.webhook('_')]),
      liveState([]),
    );
    expect(p.changes.map((c) => c.key)).toEqual(['B', '_', 'a', 'b']);
  });
});

describe('createPlan: linked_delete', () => {
  it('is unsafe when an unmanaged live link still points at a deleted webhook, naming the link', () => {
    const p = plan(
      desiredState([], { managed: ['webhook'] }),
      liveState([l.webhook('w'), l.rule('r'), l.link('r', 'w')]),
    );
    expect(steps(p)).toEqual(['delete webhook w']);
    expect(p.unsafe).toEqual([
      {
        rule: 'linked_delete',
        kind: 'webhook',
        message:
          'linked_delete: webhook "w" is planned for deletion, but live link "r->w" not deleted by this plan still points at it.',
        hint: 'Delete them in the same plan (add a `links` section to the files (live links it does not declare are deleted first)), or keep webhook "w" in the files. --allow-deletes does not override this rule.',
        referencedBy: [{ kind: 'link', key: 'r->w' }],
      },
    ]);
    expect(planIsUnsafe(p)).toBe(true);
  });

  it('counts managed links that are declared, and ignored ones, and names each', () => {
    const p = plan(
      desiredState([d.webhook('w'), d.link('r', 'w'), d.link('r2', 'w')], {
        managed: ['notificationRule', 'link', 'webhook'],
        ignore: { link: ['r3->*'] },
      }),
      liveState([l.webhook('w'), l.rule('r'), l.link('r', 'w'), l.link('r2', 'w'), l.link('r3', 'w')]),
    );
    // r is deleted, r2 is not in live rules, so creating a link to it is the loader's problem, not ours.
    expect(steps(p)).toEqual(['delete notificationRule r']);
    expect(p.unsafe).toEqual([
      expect.objectContaining({
        rule: 'linked_delete',
        kind: 'notificationRule',
        referencedBy: [{ kind: 'link', key: 'r->w' }],
        hint: 'Delete them in the same plan (remove the links from the files), or keep notification rule "r" in the files. --allow-deletes does not override this rule.',
      }),
    ]);

    const q = plan(
      desiredState([], { ignore: { link: ['*'] } }),
      liveState([l.webhook('w'), l.link('r1', 'w'), l.link('r2', 'w')]),
      { allowDeletes: true },
    );
    expect(q.unsafe).toEqual([
      expect.objectContaining({
        rule: 'linked_delete',
        kind: 'webhook',
        referencedBy: [
          { kind: 'link', key: 'r1->w' },
          { kind: 'link', key: 'r2->w' },
        ],
        hint: 'Delete them in the same plan (remove them from `ignore.links`), or keep webhook "w" in the files. --allow-deletes does not override this rule.',
      }),
    ]);
  });

  it('does not count links that are deleted in the same plan', () => {
    const p = plan(desiredState([]), liveState([l.webhook('w'), l.rule('r'), l.link('r', 'w')]));
    expect(steps(p)).toEqual(['delete link r->w', 'delete notificationRule r', 'delete webhook w']);
    expect(p.unsafe).toEqual([]);
  });

  it('finds links by live id too (an orphan link whose webhook id resolves to a webhook being deleted)', () => {
    const p = plan(
      desiredState([], { managed: ['webhook'] }),
      liveState([
        l.webhook('w', {}, { id: 'uuid-w' }),
        l.orphanLink('uuid-link', { destinationId: 'uuid-w' }),
      ]),
    );
    expect(p.unsafe.map((u) => [u.rule, u.referencedBy])).toEqual([
      ['linked_delete', [{ kind: 'link', key: 'id:uuid-link' }]],
    ]);
  });

  it('is unsafe when links were not read at all', () => {
    const p = plan(desiredState([], { managed: ['webhook'] }), liveState([l.webhook('w')], ['webhook']));
    expect(p.unsafe).toEqual([
      expect.objectContaining({ rule: 'linked_delete', kind: 'webhook', referencedBy: [] }),
    ]);
  });

  it('is not lifted by --allow-deletes', () => {
    const p = plan(
      desiredState([], { managed: ['webhook'] }),
      liveState([l.webhook('w'), l.link('r', 'w')]),
      {
        allowDeletes: true,
      },
    );
    expect(p.unsafe.map((u) => u.rule)).toEqual(['linked_delete']);
  });
});

describe('createPlan: delete budget', () => {
  const hooks = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`);
  const budgetPlan = (liveCount: number, deletes: number, over: Partial<PlanOptions> = {}) => {
    const codes = hooks(liveCount);
    return plan(
      desiredState(
        codes.slice(deletes).map((c) => d.webhook(c)),
        { managed: ['webhook'] },
      ),
      liveState(codes.map((c) => l.webhook(c))),
      over,
    );
  };

  it('below 8 live, allows at most half of a small kind', () => {
    expect(budgetPlan(7, 3).unsafe).toEqual([]);
    expect(budgetPlan(2, 1).unsafe).toEqual([]);
    const p = budgetPlan(7, 4);
    expect(p.summary.delete).toBe(4);
    expect(p.unsafe).toEqual([
      {
        rule: 'delete_budget',
        kind: 'webhook',
        message:
          'delete_budget: the plan deletes 4 of 7 live webhook(s), more than the budget of 3 (half of a small kind: 7 live, fewer than 8).',
        hint: 'Check that the files still declare everything they should (a missing file or entry is planned as a delete); if these deletes are intended, run again with --allow-deletes.',
        deletes: 4,
        liveCount: 7,
        budget: 3,
      },
    ]);
  });

  it('refuses deleting every live entity of a kind (`webhooks: []`), from 2 live on', () => {
    const p = budgetPlan(7, 7);
    expect(p.summary.delete).toBe(7);
    expect(p.unsafe).toEqual([
      {
        rule: 'delete_budget',
        kind: 'webhook',
        message:
          'delete_budget: the plan deletes every one of the 7 live webhook(s), more than the budget of 3 (half of a small kind: 7 live, fewer than 8).',
        hint: 'Check that the files still declare everything they should (a missing file or entry, or an empty `webhooks` section, is planned as a delete); if these deletes are intended, run again with --allow-deletes.',
        deletes: 7,
        liveCount: 7,
        budget: 3,
      },
    ]);
    expect(budgetPlan(2, 2).unsafe).toMatchObject([{ rule: 'delete_budget', deletes: 2, budget: 1 }]);
    // Whatever budget is configured: a count, a share, even 100%.
    expect(budgetPlan(5, 5, { deleteBudget: { count: 10 } }).unsafe).toMatchObject([
      { budget: 4, message: expect.stringContaining('(never every one of 5 live)') },
    ]);
    expect(budgetPlan(20, 20, { deleteBudget: { percent: 100 } }).unsafe).toMatchObject([{ budget: 19 }]);
    expect(budgetPlan(20, 19, { deleteBudget: { percent: 100 } }).unsafe).toEqual([]);
    expect(budgetPlan(7, 7, { allowDeletes: true }).unsafe).toEqual([]);
  });

  it('allows deleting the only live entity of a kind', () => {
    expect(budgetPlan(1, 1).unsafe).toEqual([]);
  });

  it('never counts copies (duplicateOf): deleting every copy of a small kind is safe', () => {
    const codes = hooks(3);
    const copies = codes.map((c, i) => l.webhook(c, {}, { id: `copy-${i}`, duplicateOf: c }));
    const live = liveState(codes.map((c) => l.webhook(c)));
    for (const copy of copies)
      live.resources.webhook.set(`id:${copy.live.id}`, { ...copy, key: `id:${copy.live.id}` });
    const p = plan(
      desiredState(
        codes.map((c) => d.webhook(c)),
        { managed: ['webhook'] },
      ),
      live,
    );
    expect(p.summary.delete).toBe(3);
    expect(p.unsafe).toEqual([]);
    // Copies and one real delete: the real one is judged against the 3 real live entities.
    const p2 = plan(
      desiredState(
        codes.slice(1).map((c) => d.webhook(c)),
        { managed: ['webhook'] },
      ),
      live,
    );
    expect(p2.summary.delete).toBe(4);
    expect(p2.unsafe).toEqual([]);
    const p3 = plan(desiredState([], { managed: ['webhook'] }), live);
    expect(p3.unsafe).toMatchObject([{ rule: 'delete_budget', deletes: 3, liveCount: 3, budget: 1 }]);
  });

  it('allows 25% of 8 (2 deletes)', () => {
    expect(budgetPlan(8, 2).unsafe).toEqual([]);
  });

  it('trips on 3 of 8, saying which rule and how to proceed', () => {
    const p = budgetPlan(8, 3);
    expect(p.unsafe).toEqual([
      {
        rule: 'delete_budget',
        kind: 'webhook',
        message:
          'delete_budget: the plan deletes 3 of 8 live webhook(s), more than the budget of 2 (25% of 8 live).',
        hint: 'Check that the files still declare everything they should (a missing file or entry is planned as a delete); if these deletes are intended, run again with --allow-deletes.',
        deletes: 3,
        liveCount: 8,
        budget: 2,
      },
    ]);
  });

  it('is lifted by --allow-deletes and recorded in the plan', () => {
    const p = budgetPlan(8, 8, { allowDeletes: true });
    expect(p.unsafe).toEqual([]);
    expect(p.allowDeletes).toBe(true);
  });

  it('takes a count budget, which applies at any size', () => {
    expect(budgetPlan(3, 2, { deleteBudget: { count: 1 } }).unsafe).toEqual([
      expect.objectContaining({ rule: 'delete_budget', deletes: 2, liveCount: 3, budget: 1 }),
    ]);
    expect(budgetPlan(20, 5, { deleteBudget: { count: 5 } }).unsafe).toEqual([]);
    expect(budgetPlan(20, 6, { deleteBudget: { count: 5 } }).unsafe[0]?.message).toContain('a count of 5');
  });

  it('takes a percentage and a minimum size', () => {
    expect(budgetPlan(10, 5, { deleteBudget: { percent: 50 } }).unsafe).toEqual([]);
    expect(budgetPlan(10, 6, { deleteBudget: { percent: 50 } }).unsafe).toHaveLength(1);
    expect(budgetPlan(4, 2, { deleteBudget: { percent: 25, minLive: 4 } }).unsafe).toEqual([
      expect.objectContaining({ budget: 1 }),
    ]);
    // Below a raised minLive the kind is small: half of it.
    expect(budgetPlan(9, 4, { deleteBudget: { minLive: 10 } }).unsafe).toEqual([]);
    expect(budgetPlan(9, 5, { deleteBudget: { minLive: 10 } }).unsafe).toMatchObject([{ budget: 4 }]);
  });

  it('takes the smaller of a count and a percentage', () => {
    expect(budgetPlan(40, 6, { deleteBudget: { count: 5, percent: 50 } }).unsafe).toEqual([
      expect.objectContaining({
        budget: 5,
        message: expect.stringContaining('50% of 40 live and a count of 5'),
      }),
    ]);
  });

  it('is checked per kind', () => {
    const rules = hooks(8).map((c) => `r${c}`);
    const p = plan(
      desiredState([...rules.slice(2).map((c) => d.rule(c))], { managed: ['webhook', 'notificationRule'] }),
      liveState([...hooks(8).map((c) => l.webhook(c)), ...rules.map((c) => l.rule(c))]),
    );
    expect(p.unsafe.map((u) => [u.rule, u.kind, u.deletes, u.liveCount])).toEqual([
      ['delete_budget', 'webhook', 8, 8],
    ]);
  });
});

describe('createPlan: size', () => {
  it('plans 250,000 creates without overflowing the call stack', () => {
    const hooks = Array.from({ length: 250_000 }, (_, i) => d.webhook(`w${i}`));
    const p = createPlan(desiredState(hooks), liveState([]), options());
    expect(p.changes).toHaveLength(250_000);
  });
});

describe('createPlan: integrations', () => {
  const cred = 'STRIPE/prod';

  it('creates an integration after the credential it references, with the exact change', () => {
    const c = d.credential('STRIPE', 'prod');
    const i = d.integration('Bill', 'Stripe', { credential: cred, configData: { syncOnApproval: true } });
    const p = plan(desiredState([i, c]), liveState([]));
    expect(p.changes).toEqual([
      { type: 'create', kind: 'credential', key: cred, desired: c },
      { type: 'create', kind: 'integration', key: 'Bill->Stripe', desired: i },
    ]);
    expect(p.summary).toEqual({ create: 2, update: 0, delete: 0 });
  });

  it('updates field by field, configData one entry at a time, pinned to the live id and version', () => {
    const want = d.integration('Account', 'NetSuite', {
      credential: 'NETSUITE/b',
      configData: { subsidiary: '2', currency: 'USD', nested: { a: 1 } },
      active: false,
    });
    const have = l.integration(
      'Account',
      'NetSuite',
      { credential: 'NETSUITE/a', configData: { subsidiary: '1', legacy: true, nested: { a: 1 } } },
      { id: 'uuid-i', version: 4 },
    );
    const p = plan(
      desiredState([want, d.credential('NETSUITE', 'a'), d.credential('NETSUITE', 'b')]),
      liveState([have, l.credential('NETSUITE', 'a'), l.credential('NETSUITE', 'b')]),
    );
    expect(p.changes).toEqual([
      {
        type: 'update',
        kind: 'integration',
        key: 'Account->NetSuite',
        id: 'uuid-i',
        version: 4,
        desired: want,
        live: have,
        fields: [
          { field: 'credential', from: 'NETSUITE/a', to: 'NETSUITE/b' },
          { field: 'configData.currency', from: null, to: 'USD' },
          { field: 'configData.legacy', from: true, to: null },
          { field: 'configData.subsidiary', from: '1', to: '2' },
          { field: 'active', from: true, to: false },
        ],
      },
    ]);
  });

  it('plans empty for an integration just applied, and keys named integrations apart', () => {
    const desired = desiredState([
      d.credential('STRIPE', 'prod'),
      d.integration('Bill', 'Stripe', { credential: cred }),
      d.integration('Bill', 'Stripe', { name: 'eu', configData: { region: 'eu' } }),
    ]);
    expect([...desired.resources.integration.keys()]).toEqual(['Bill->Stripe', 'Bill->Stripe/eu']);
    expect(plan(desired, appliedState(desired)).changes).toEqual([]);
  });

  it('deletes undeclared integrations before the credentials they reference', () => {
    const p = plan(
      desiredState([]),
      liveState([
        l.credential('STRIPE', 'prod', {}, { id: 'uuid-c' }),
        l.integration(
          'Bill',
          'Stripe',
          { credential: cred },
          { id: 'uuid-i', integrationCredentialsId: 'uuid-c' },
        ),
      ]),
    );
    expect(steps(p)).toEqual(['delete integration Bill->Stripe', 'delete credential STRIPE/prod']);
    expect(p.changes[0]).toMatchObject({ type: 'delete', id: 'uuid-i', version: 1 });
    expect(p.unsafe).toEqual([]);
  });

  it('leaves ignored integrations alone', () => {
    const p = plan(
      desiredState([], { ignore: { integration: ['Bill->*'] } }),
      liveState([
        l.integration('Bill', 'Stripe'),
        l.integration('Bill', 'Xero', { name: 'x' }),
        l.integration('Account', 'NetSuite'),
      ]),
    );
    expect(steps(p)).toEqual(['delete integration Account->NetSuite']);
  });

  it('linked_delete: deleting a credential a live integration references is unsafe, naming the integration', () => {
    const p = plan(
      desiredState([d.integration('Bill', 'Stripe', { credential: cred })], {
        managed: ['credential', 'integration'],
      }),
      liveState([
        l.credential('STRIPE', 'prod', {}, { id: 'uuid-c' }),
        l.integration('Bill', 'Stripe', { credential: cred }, { integrationCredentialsId: 'uuid-c' }),
      ]),
      { allowDeletes: true },
    );
    expect(steps(p)).toEqual(['delete credential STRIPE/prod']);
    expect(p.unsafe).toEqual([
      {
        rule: 'linked_delete',
        kind: 'credential',
        message:
          'linked_delete: integration credential "STRIPE/prod" is planned for deletion, but live integration "Bill->Stripe" not deleted by this plan still points at it.',
        hint: 'Delete them in the same plan (remove the integrations from the files), or keep integration credential "STRIPE/prod" in the files. --allow-deletes does not override this rule.',
        referencedBy: [{ kind: 'integration', key: 'Bill->Stripe' }],
      },
    ]);
    expect(planIsUnsafe(p)).toBe(true);
  });

  it('linked_delete: found by the live credential id too, and for integrations not managed or ignored', () => {
    // Integrations are not in the files: the one pointing at the credential by id still blocks its delete.
    const unmanaged = plan(
      desiredState([], { managed: ['credential'] }),
      liveState([
        l.credential('STRIPE', 'prod', {}, { id: 'uuid-c' }),
        l.integration('Bill', 'Stripe', { credential: 'id:uuid-c' }, { integrationCredentialsId: 'uuid-c' }),
        l.integration('Account', 'Stripe'),
      ]),
    );
    expect(unmanaged.unsafe.map((u) => [u.rule, u.kind, u.referencedBy, u.hint])).toEqual([
      [
        'linked_delete',
        'credential',
        [{ kind: 'integration', key: 'Bill->Stripe' }],
        'Delete them in the same plan (add a `integrations` section to the files (live integrations it does not declare are deleted first)), or keep integration credential "STRIPE/prod" in the files. --allow-deletes does not override this rule.',
      ],
    ]);
    const ignored = plan(
      desiredState([], { ignore: { integration: ['Bill->*'] } }),
      liveState([l.credential('STRIPE', 'prod'), l.integration('Bill', 'Stripe', { credential: cred })]),
    );
    expect(ignored.unsafe.map((u) => [u.referencedBy, u.hint])).toEqual([
      [
        [{ kind: 'integration', key: 'Bill->Stripe' }],
        'Delete them in the same plan (remove them from `ignore.integrations`), or keep integration credential "STRIPE/prod" in the files. --allow-deletes does not override this rule.',
      ],
    ]);
  });

  it('linked_delete: not when the integration is deleted in the same plan, or re-pointed away', () => {
    const live = liveState([
      l.credential('STRIPE', 'prod', {}, { id: 'uuid-c' }),
      l.credential('STRIPE', 'next', {}, { id: 'uuid-n' }),
      l.integration('Bill', 'Stripe', { credential: cred }, { integrationCredentialsId: 'uuid-c' }),
    ]);
    const together = plan(desiredState([d.credential('STRIPE', 'next')]), live);
    expect(steps(together)).toEqual(['delete integration Bill->Stripe', 'delete credential STRIPE/prod']);
    expect(together.unsafe).toEqual([]);
    // Re-pointed to another credential in the same plan: updates run before deletes, so the old one is free.
    const repointed = plan(
      desiredState([
        d.credential('STRIPE', 'next'),
        d.integration('Bill', 'Stripe', { credential: 'STRIPE/next' }),
      ]),
      live,
    );
    expect(steps(repointed)).toEqual(['update integration Bill->Stripe', 'delete credential STRIPE/prod']);
    expect(repointed.unsafe).toEqual([]);
    // An update that keeps pointing at it (here, a configData change) does not free it.
    const kept = plan(
      desiredState([
        d.credential('STRIPE', 'next'),
        d.integration('Bill', 'Stripe', { credential: cred, configData: { x: 1 } }),
      ]),
      live,
    );
    expect(kept.unsafe.map((u) => [u.rule, u.referencedBy])).toEqual([
      ['linked_delete', [{ kind: 'integration', key: 'Bill->Stripe' }]],
    ]);
  });

  it('linked_delete: unsafe when integrations were not read at all', () => {
    const p = plan(
      desiredState([], { managed: ['credential'] }),
      liveState([l.credential('STRIPE', 'prod')], ['credential']),
    );
    expect(p.unsafe).toEqual([
      expect.objectContaining({ rule: 'linked_delete', kind: 'credential', referencedBy: [] }),
    ]);
    expect(p.unsafe[0]?.message).toContain('integrations were not read');
  });
});
