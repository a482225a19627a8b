import { describe, expect, it } from 'vitest';
import {
  compareWithPrevious,
  computeDrift,
  createApplyRecord,
  type DriftOptions,
  type DriftReport,
} from '../../../src/drift/index.js';
import { driftDiagram, renderDrift } from '../../../src/render/drift.js';
import { markdownEffects } from '../../helpers/gfm.js';
import { d, desiredState, l, liveState, TARGET } from '../plan/builders.js';

/** The pure drift computation: the plan's diff read as drift items, and directions from an apply record. */

const opts = (over: Partial<DriftOptions> = {}): DriftOptions => ({
  target: TARGET,
  secretMismatch: new Set(),
  ...over,
});
const lines = (r: DriftReport) => r.items.map((i) => `${i.class} ${i.kind} ${i.key} ${i.direction}`);

describe('computeDrift', () => {
  it('is empty when the org matches, and never reports unmanaged kinds or ignored entities', () => {
    const desired = desiredState([d.rule('a')], {
      managed: ['notificationRule'],
      ignore: { notificationRule: ['x_*'] },
    });
    const live = liveState([l.rule('a'), l.rule('x_1'), l.webhook('w')]);
    const report = computeDrift(desired, live, opts());
    expect(report).toMatchObject({
      drifted: false,
      items: [],
      managedKinds: ['notificationRule'],
      since: null,
    });
    expect(report.summary).toEqual({ modified: 0, unmanaged: 0, missing: 0, secret: 0, disabled: 0 });
  });

  it('classes items, field by field, with attribution, sorted by class, level and key', () => {
    const by = { lastModifiedBy: 'USER_jo', dtLastModified: '2026-02-02T00:00:00.000Z' };
    const desired = desiredState([
      d.rule('a'),
      d.rule('b'),
      d.webhook('w'),
      d.credential('STRIPE', 's', { settings: { site: 'x' } }),
    ]);
    const live = liveState([
      l.rule('a', { description: 'live text', active: false }, by),
      l.rule('z', {}, by),
      l.webhook('w', {}, { ...by, secretFingerprint: 'm3cfg1.salt.hash' }),
      l.credential('STRIPE', 's', { settings: { site: 'y' } }),
    ]);
    const report = computeDrift(desired, live, opts({ secretMismatch: new Set(['w']) }));
    expect(lines(report)).toEqual([
      'modified credential STRIPE/s unknown',
      'modified notificationRule a unknown',
      'unmanaged notificationRule z unknown',
      'missing notificationRule b unknown',
      'secret webhook w unknown',
    ]);
    const [credential, rule, unmanaged, missing, secret] = report.items;
    // A credential's secrets are re-sent with any change but are no drift of their own (no fingerprint to compare).
    expect(credential!.fields).toEqual([{ field: 'settings.site', live: 'y', desired: 'x' }]);
    expect(rule).toMatchObject({
      fields: [
        { field: 'description', live: 'live text', desired: 'Fires a' },
        { field: 'active', live: false, desired: true },
      ],
      id: 'id-notificationRule-a',
      ...by,
      source: { file: 'm3ter.yaml' },
    });
    expect(unmanaged).toMatchObject({ ...by, id: 'id-notificationRule-z' });
    expect(unmanaged).not.toHaveProperty('source');
    expect(missing).toMatchObject({ id: null, lastModifiedBy: null, dtLastModified: null });
    expect(secret).toMatchObject({ fingerprint: 'changed', ...by });
    expect(JSON.stringify(report)).not.toMatch(/secret-w|key-w|pw-s/);
  });

  it('a webhook with no fingerprint live is a secret item "absent"; a copy is unmanaged with duplicateOf', () => {
    const desired = desiredState([d.webhook('w')], { managed: ['webhook'] });
    const live = liveState([
      l.webhook('w'),
      { ...l.webhook('w'), key: 'id:copy', live: { id: 'copy', version: 1, duplicateOf: 'w' } },
    ]);
    const report = computeDrift(desired, live, opts({ secretMismatch: new Set(['w']) }));
    expect(report.items).toMatchObject([
      { class: 'unmanaged', key: 'id:copy', duplicateOf: 'w' },
      { class: 'secret', key: 'w', fingerprint: 'absent' },
    ]);
  });
});

describe('directions against an apply record', () => {
  const applied = desiredState([d.rule('a'), d.rule('b'), d.rule('c'), d.rule('gone')], {
    managed: ['notificationRule'],
  });
  const after = liveState([l.rule('a'), l.rule('b'), l.rule('c'), l.rule('gone'), l.rule('kept_ignored')]);
  const record = createApplyRecord(after, {
    target: TARGET,
    appliedAt: '2026-03-03T00:00:00.000Z',
    managedKinds: ['notificationRule'],
    desired: applied,
  });

  it('the record holds ids, versions and digests, no attribute value', () => {
    expect(record.entities.map((e) => [e.key, e.version, e.desiredDigest === null])).toEqual([
      ['a', 1, false],
      ['b', 1, false],
      ['c', 1, false],
      ['gone', 1, false],
      ['kept_ignored', 1, true],
    ]);
    expect(JSON.stringify(record)).not.toContain('Fires a');
  });

  it('m3ter, files, both or unknown, for every class', () => {
    // Since the apply: `a` edited live (v2), `b` re-described in the files, `c` both, `gone` deleted live and
    // `files_new` declared, `console` created live, `kept_ignored` no longer ignored.
    const desired = desiredState(
      [
        d.rule('a'),
        d.rule('b', { description: 'new text' }),
        d.rule('c', { description: 'new text' }),
        d.rule('gone'),
        d.rule('files_new'),
      ],
      { managed: ['notificationRule'] },
    );
    const live = liveState([
      l.rule('a', { name: 'edited' }, { version: 2, lastModifiedBy: 'USER_jo' }),
      l.rule('b'),
      l.rule('c', { name: 'edited' }, { version: 2 }),
      l.rule('console'),
      l.rule('kept_ignored'),
    ]);
    const report = computeDrift(desired, live, opts({ since: record }));
    expect(report.since).toEqual({ appliedAt: '2026-03-03T00:00:00.000Z', entities: 5 });
    expect(lines(report)).toEqual([
      'modified notificationRule a m3ter',
      'modified notificationRule b files',
      'modified notificationRule c both',
      'unmanaged notificationRule console m3ter',
      'unmanaged notificationRule kept_ignored files',
      'missing notificationRule files_new files',
      'missing notificationRule gone m3ter',
    ]);
    // A kind that apply did not manage: unknown.
    const other = computeDrift(
      desiredState([d.webhook('w')], { managed: ['webhook'] }),
      liveState([]),
      opts({ since: record }),
    );
    expect(lines(other)).toEqual(['missing webhook w unknown']);
  });

  it('a record from a saved plan takes the planned attributes, else the live ones', () => {
    const fromPlan = createApplyRecord(after, {
      target: TARGET,
      appliedAt: 'now',
      managedKinds: ['notificationRule'],
      plan: {
        formatVersion: 1,
        target: TARGET,
        managedKinds: ['notificationRule'],
        changes: [{ type: 'create', kind: 'notificationRule', key: 'a', desired: d.rule('a') }],
        unsafe: [],
        allowDeletes: false,
        summary: { create: 1, update: 0, delete: 0 },
      },
    });
    expect(fromPlan.entities.find((e) => e.key === 'a')?.desiredDigest).toBe(
      record.entities[0]?.desiredDigest,
    );
    expect(fromPlan.entities.find((e) => e.key === 'kept_ignored')?.desiredDigest).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('compareWithPrevious', () => {
  it('new, ongoing, resolved, and whether anything changed', () => {
    const desired = desiredState([d.rule('a'), d.rule('b')], { managed: ['notificationRule'] });
    const first = computeDrift(desired, liveState([l.rule('a', { name: 'x' })]), opts());
    const second = computeDrift(
      desired,
      liveState([l.rule('a', { name: 'y' }), l.rule('b'), l.rule('z')]),
      opts(),
    );
    const marked = compareWithPrevious(second, first);
    expect(marked.items.map((i) => `${i.key} ${i.status}`)).toEqual(['a ongoing', 'z new']);
    expect(marked.resolved).toEqual([{ kind: 'notificationRule', key: 'b', class: 'missing' }]);
    expect(marked.changedSincePrevious).toBe(true);
    expect(compareWithPrevious(first, first).changedSincePrevious).toBe(false);
    expect(compareWithPrevious(first, { items: [] }).items[0]?.status).toBe('new');
  });
});

describe('renderDrift', () => {
  const desired = desiredState([d.rule('a')], { managed: ['notificationRule'] });
  const report = computeDrift(
    desired,
    liveState([l.rule('a', { name: 'a | <b>`x`</b>\u202e' }, { lastModifiedBy: 'USER_<jo>' })]),
    opts(),
  );

  it('Markdown: escaped cells, and the diagram in its one place after the summary', () => {
    const md = renderDrift(report, {
      format: 'markdown',
      color: false,
      diagram: '```mermaid\ngraph LR\n```',
    });
    expect(md).toContain('``"a \\| <b>`x`</b>\\u202E"``');
    expect(md).toContain('`USER_<jo>`');
    expect(markdownEffects(md).problems).toEqual([]);
    const summary = md.indexOf('| notificationRule');
    const table = md.indexOf('| modified | 1 |');
    const diagram = md.indexOf('```mermaid');
    expect(table).toBeGreaterThan(0);
    expect(diagram).toBeGreaterThan(table);
    expect(md.indexOf('#### ~ Modified')).toBeGreaterThan(diagram);
    expect(summary).toBe(-1);
    expect(renderDrift(report, { format: 'markdown', color: false })).not.toContain('mermaid');
  });

  it('text and JSON', () => {
    const text = renderDrift(report, { format: 'text', color: false });
    expect(text).toContain('~ notification rule "a" modified: differs from the files');
    expect(text).toContain('last modified by USER_<jo>');
    expect(text).toContain('Drift: 1 item (1 modified).');
    expect(JSON.parse(renderDrift(report, { format: 'json', color: false }))).toEqual(
      JSON.parse(JSON.stringify(report)),
    );
  });
});

describe('the Markdown drift report', () => {
  it('embeds a picture of the drifted entities and their neighbours, golden', async () => {
    const desired = desiredState([
      d.rule('bill_created'),
      d.rule('gone_rule'),
      d.webhook('ops'),
      d.link('bill_created', 'ops'),
    ]);
    const by = { lastModifiedBy: 'SERVICE_USER_console', dtLastModified: '2026-02-02T00:00:00.000Z' };
    const live = liveState([
      l.rule('bill_created', { description: 'edited in the Console' }, by),
      l.rule('added_in_console', {}, by),
      l.webhook('ops'),
      l.link('bill_created', 'ops'),
      l.link('added_in_console', 'ops', {}, by),
    ]);
    const report = computeDrift(desired, live, opts());
    const diagram = driftDiagram(report, { desired: desired.resources, live: live.resources });
    expect(diagram).toContain('```mermaid');
    for (const key of ['bill_created', 'gone_rule', 'added_in_console', 'ops'])
      expect(diagram).toContain(key);
    await expect(renderDrift(report, { format: 'markdown', color: false, diagram })).toMatchFileSnapshot(
      '../../golden/drift/representative.md',
    );
  });

  it('draws nothing when nothing drifted', () => {
    const desired = desiredState([d.rule('a')]);
    const live = liveState([l.rule('a')]);
    expect(
      driftDiagram(computeDrift(desired, live, opts()), { desired: desired.resources, live: live.resources }),
    ).toBe('');
  });
});
