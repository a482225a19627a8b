import { describe, expect, it } from 'vitest';
import { compareOrgs, type CompareReport, type CompareSide } from '../../../src/compare/index.js';
import type { DesiredResource, LiveResource } from '../../../src/model/resource.js';
import type { DesiredOptions } from '../plan/builders.js';
import { d, desiredState, l, liveState } from '../plan/builders.js';

/** Two orgs compared with the files loaded once per environment: hand-made states, the exact items. */

const TARGET_A = { type: 'm3ter', orgId: 'org-sandbox', baseUrl: 'https://api.m3ter.com' } as const;
const TARGET_B = { type: 'm3ter', orgId: 'org-prod', baseUrl: 'https://api.m3ter.com' } as const;

function side(
  environment: 'sandbox' | 'production',
  declared: readonly DesiredResource[],
  live: readonly LiveResource[],
  options: DesiredOptions = {},
): CompareSide {
  return {
    environment,
    target: environment === 'sandbox' ? TARGET_A : TARGET_B,
    desired: desiredState(declared, options),
    live: liveState(live),
  };
}

/** A declared resource whose `vars` attributes the files write with a var. */
function withVars<R extends DesiredResource>(r: R, ...vars: string[]): R {
  return { ...r, varAttributes: new Set(vars) };
}

const lines = (r: CompareReport) => r.items.map((i) => `${i.class} ${i.kind} ${i.key}`);

describe('compareOrgs', () => {
  it('matches two orgs that hold the same entities, with ids and audit fields of their own', () => {
    const files = [d.webhook('w'), d.rule('r'), d.link('r', 'w')];
    const report = compareOrgs(
      side('sandbox', files, [l.webhook('w', {}, { id: 'a1' }), l.rule('r'), l.link('r', 'w')], {
        managed: ['webhook', 'notificationRule', 'link'],
      }),
      side('production', files, [
        l.webhook('w', {}, { id: 'b1', version: 7, lastModifiedBy: 'x' }),
        l.rule('r'),
        l.link('r', 'w'),
      ]),
    );
    expect(report).toMatchObject({
      formatVersion: 1,
      differ: false,
      items: [],
      secretsCompared: false,
      comparedKinds: ['credential', 'integration', 'webhook', 'scheduledEvent', 'notificationRule', 'link'],
      summary: { 'only-in-a': 0, 'only-in-b': 0, differs: 0, varFieldsInOrder: 0, oneEnvironmentEntities: 0 },
      a: { environment: 'sandbox', target: TARGET_A },
      b: { environment: 'production', target: TARGET_B },
    });
  });

  it('reports entities only in one org and fields that differ, per kind in level order, then by key', () => {
    const files = [d.webhook('w'), d.rule('r')];
    const by = { lastModifiedBy: 'USER_jo', dtLastModified: '2026-12-06T10:00:00Z' };
    const report = compareOrgs(
      side('sandbox', files, [l.webhook('w'), l.rule('r'), l.rule('only_a'), l.webhook('z_only_a')]),
      side('production', files, [
        l.webhook('w', { active: false, url: 'https://other.example/w' }, by),
        l.rule('r'),
        l.rule('b_only', {}, by),
      ]),
    );
    expect(lines(report)).toEqual([
      'differs webhook w',
      'only-in-a webhook z_only_a',
      'only-in-b notificationRule b_only',
      'only-in-a notificationRule only_a',
    ]);
    expect(report.items[0]).toEqual({
      kind: 'webhook',
      key: 'w',
      class: 'differs',
      fields: [
        { field: 'url', a: 'https://hooks.example.test/w', b: 'https://other.example/w' },
        { field: 'active', a: true, b: false },
      ],
      a: { id: 'id-webhook-w', lastModifiedBy: null, dtLastModified: null },
      b: { id: 'id-webhook-w', ...by },
    });
    expect(report.items[2]).toMatchObject({ a: null, b: { id: 'id-notificationRule-b_only', ...by } });
    expect(report.summary).toEqual({
      'only-in-a': 2,
      'only-in-b': 1,
      differs: 1,
      varFieldsInOrder: 0,
      oneEnvironmentEntities: 0,
    });
    expect(report.differ).toBe(true);
  });

  it('compares only kinds the files manage and both orgs were read for', () => {
    const a = side('sandbox', [d.rule('r')], [l.rule('r'), l.webhook('x')], {
      managed: ['notificationRule'],
    });
    const b = side('production', [d.rule('r')], [l.rule('r', { name: 'Other' })], {
      managed: ['notificationRule'],
    });
    expect(lines(compareOrgs(a, b))).toEqual(['differs notificationRule r']);
    b.live.readKinds.delete('notificationRule');
    expect(compareOrgs(a, b)).toMatchObject({ comparedKinds: [], items: [], differ: false });
  });

  it('leaves out what an ignore pattern of either environment covers, and its copies, unless declared', () => {
    const a = side('sandbox', [d.rule('tmp_keep')], [l.rule('tmp_1'), l.rule('tmp_keep'), l.rule('keep')], {
      ignore: { notificationRule: ['tmp_*'] },
    });
    const b = side(
      'production',
      [d.rule('tmp_keep')],
      [
        l.rule('x_9'),
        { ...l.rule('tmp_1'), key: 'id:dup', live: { id: 'dup', version: 1, duplicateOf: 'tmp_1' } },
      ],
    );
    b.desired.ignore.notificationRule = ['x_*'];
    expect(lines(compareOrgs(a, b))).toEqual([
      'only-in-a notificationRule keep',
      'only-in-a notificationRule tmp_keep',
    ]);
  });

  it('a field written with a var is no difference when each org holds its own environment value', () => {
    const sandboxUrl = 'https://sandbox.example/m3ter';
    const prodUrl = 'https://prod.example/m3ter';
    const a = side(
      'sandbox',
      [withVars(d.webhook('w', { url: sandboxUrl, active: false }), 'url', 'active')],
      [l.webhook('w', { url: sandboxUrl, active: false })],
    );
    const b = side(
      'production',
      [withVars(d.webhook('w', { url: prodUrl, active: true }), 'url', 'active')],
      [l.webhook('w', { url: prodUrl, active: true })],
    );
    const report = compareOrgs(a, b);
    expect(report).toMatchObject({ differ: false, items: [] });
    expect(report.summary.varFieldsInOrder).toBe(2);
  });

  it('an org that does not hold its own environment value is reported, saying what was expected', () => {
    const sandboxUrl = 'https://sandbox.example/m3ter';
    const prodUrl = 'https://prod.example/m3ter';
    // Production still holds sandbox's URL: the two orgs agree, and that is the difference.
    const a = side(
      'sandbox',
      [withVars(d.webhook('w', { url: sandboxUrl }), 'url')],
      [l.webhook('w', { url: sandboxUrl })],
    );
    const b = side(
      'production',
      [withVars(d.webhook('w', { url: prodUrl }), 'url')],
      [l.webhook('w', { url: sandboxUrl })],
    );
    expect(compareOrgs(a, b).items).toEqual([
      expect.objectContaining({
        class: 'differs',
        fields: [{ field: 'url', a: sandboxUrl, b: sandboxUrl, expected: { a: sandboxUrl, b: prodUrl } }],
      }),
    ]);
  });

  it('a var whose value is the same in both environments is compared org against org', () => {
    const a = side('sandbox', [withVars(d.rule('r', { active: true }), 'active')], [l.rule('r')]);
    const b = side(
      'production',
      [withVars(d.rule('r', { active: true }), 'active')],
      [l.rule('r', { active: false, description: 'edited' })],
    );
    expect(compareOrgs(a, b).items[0]?.fields).toEqual([
      { field: 'description', a: 'Fires r', b: 'edited' },
      { field: 'active', a: true, b: false },
    ]);
  });

  it('nested entries (credential settings) are compared one by one, with their own expected values', () => {
    const a = side(
      'sandbox',
      [withVars(d.credential('STRIPE', 's', { settings: { username: 'sbx', site: 'one' } }), 'settings')],
      [l.credential('STRIPE', 's', { settings: { username: 'sbx', site: 'one' } })],
    );
    const b = side(
      'production',
      [withVars(d.credential('STRIPE', 's', { settings: { username: 'prd', site: 'one' } }), 'settings')],
      [l.credential('STRIPE', 's', { settings: { username: 'prd', site: 'two' } })],
    );
    const report = compareOrgs(a, b);
    expect(report.items[0]?.fields).toEqual([{ field: 'settings.site', a: 'one', b: 'two' }]);
    expect(report.summary.varFieldsInOrder).toBe(1);
  });

  it('an entity one environment does not declare has no expected values: compared org against org', () => {
    const a = side(
      'sandbox',
      [withVars(d.webhook('w', { url: 'https://a.example' }), 'url')],
      [l.webhook('w', { url: 'https://a.example' })],
    );
    const b = side('production', [], [l.webhook('w', { url: 'https://b.example' })]);
    expect(compareOrgs(a, b).items[0]?.fields).toEqual([
      { field: 'url', a: 'https://a.example', b: 'https://b.example' },
    ]);
  });

  it("an entity one environment alone declares (its include), held by that environment's org alone, is by design", () => {
    const a = side('sandbox', [d.rule('r')], [l.rule('r'), l.rule('stray')]);
    const b = side(
      'production',
      [d.rule('r'), d.rule('prod_only'), d.rule('prod_missing')],
      [l.rule('r'), l.rule('prod_only')],
    );
    const report = compareOrgs(a, b);
    expect(lines(report)).toEqual(['only-in-a notificationRule stray']);
    expect(report.summary.oneEnvironmentEntities).toBe(1);
    // Declared for production only, yet held by sandbox only: a difference.
    const swapped = compareOrgs(
      side('sandbox', [], [l.rule('prod_only')]),
      side('production', [d.rule('prod_only')], []),
    );
    expect(lines(swapped)).toEqual(['only-in-a notificationRule prod_only']);
  });

  it('never carries a secret: the files secrets and live fingerprints stay out of the report', () => {
    const a = side('sandbox', [d.webhook('w')], [l.webhook('w', {}, { secretFingerprint: 'm3cfg2.fp-a' })]);
    const b = side(
      'production',
      [d.webhook('w')],
      [l.webhook('w', {}, { secretFingerprint: 'm3cfg2.fp-b' })],
    );
    const report = compareOrgs(a, b);
    expect(report.differ).toBe(false);
    expect(JSON.stringify(report)).not.toMatch(/secret-w|key-w|fp-a|fp-b/);
  });
});
