import { describe, expect, it } from 'vitest';
import type { DriftItem, DriftReport } from '../../../src/drift/index.js';
import type { LinkHealth } from '../../../src/model/link-health.js';
import { createPlan } from '../../../src/plan/index.js';
import { labelDisabledLinks } from '../../../src/plan/link-health.js';
import { driftDiagram, renderDrift } from '../../../src/render/drift.js';
import { escapeText } from '../../../src/render/escape.js';
import { codeSpan, prose } from '../../../src/render/markdown.js';
import { renderPlan } from '../../../src/render/plan.js';
import { DEFAULT_MARKDOWN_LIMIT } from '../../../src/render/plan-markdown.js';
import { markdownEffects, renderGfm } from '../../helpers/gfm.js';
import { d, desiredState, l, liveState, options } from '../plan/builders.js';
import { HOSTILE_VALUES } from './hostile-values.js';

/**
 * Every value from the files or from m3ter stays data in every Markdown report (plan, drift, the CI comment and
 * issue body they become): rendered as GitHub would (GFM, autolinks on), no link, image, HTML element or comment
 * comes from data, and no text outside code holds a mention, a reference, a URL or any part of a value.
 */

function planOf(v: string) {
  const desired = desiredState(
    [
      d.webhook(v, { name: v, description: v, url: v }),
      d.rule(v, { name: v, description: v, calculation: v }),
      d.link(v, v),
    ],
    { ignore: { link: ['*'] } },
  );
  const live = liveState([
    l.webhook(`${v}-old`, { name: v }),
    // An ignored link still pointing at the webhook the plan deletes: a linked_delete caution naming both.
    l.link('zz', `${v}-old`),
    l.rule(v, { name: v, description: 'before', calculation: null }),
  ]);
  const plan = createPlan(
    desired,
    live,
    options({ target: { type: 'm3ter', orgId: v, baseUrl: `https://api.m3ter.com/${v}` } }),
  );
  return { desired, live, plan };
}

/** What m3ter's integration runs say about a disabled link, every text of it `v`. */
function healthOf(v: string): LinkHealth {
  return { lastFailedRun: { id: v, status: v, error: v, at: v }, runsUnavailable: null, reenableRequest: v };
}

function driftOf(v: string): DriftReport {
  const common = { lastModifiedBy: v, dtLastModified: v, id: v, direction: 'm3ter' } as const;
  const items: DriftItem[] = [
    {
      kind: 'webhook',
      key: v,
      class: 'modified',
      fields: [
        { field: v, live: v, desired: v },
        { field: 'description', live: { [v]: [v] }, desired: null },
      ],
      source: { file: v, line: 1, col: 2, pointer: '/webhooks/0' },
      status: 'new',
      ...common,
    },
    { kind: 'notificationRule', key: v, class: 'unmanaged', duplicateOf: v, ...common },
    {
      kind: 'link',
      key: `${v}->${v}`,
      class: 'missing',
      ...common,
      source: { file: v, line: 3, col: 4, pointer: '/links/0' },
    },
    { kind: 'webhook', key: `${v}2`, class: 'secret', fingerprint: 'changed', ...common, direction: 'both' },
    { kind: 'link', key: `${v}->${v}2`, class: 'disabled', health: healthOf(v), ...common },
    {
      kind: 'link',
      key: `${v}->${v}3`,
      class: 'disabled',
      health: { ...healthOf(v), lastFailedRun: null, runsUnavailable: v },
      ...common,
    },
  ];
  return {
    formatVersion: 1,
    target: { type: 'local-emulator', statePath: v, orgId: v, baseUrl: `http://127.0.0.1/${v}` },
    drifted: true,
    managedKinds: ['webhook', 'notificationRule', 'link'],
    summary: { modified: 1, unmanaged: 1, missing: 1, secret: 1, disabled: 2 },
    since: { appliedAt: v, entities: 3 },
    items,
    resolved: [{ kind: 'webhook', key: v, class: 'missing' }],
    changedSincePrevious: true,
  };
}

const LIMITS = [DEFAULT_MARKDOWN_LIMIT, 0];

describe('hostile values stay data in every Markdown report', () => {
  it.each(HOSTILE_VALUES.map((v) => [JSON.stringify(v).slice(0, 60), v]))('plan: %s', (_name, v) => {
    const { plan } = planOf(v);
    expect(plan.unsafe.length).toBeGreaterThan(0);
    for (const limit of LIMITS) {
      const md = renderPlan(plan, {
        format: 'markdown',
        color: false,
        markdown: { limit, savedPlan: v, fullMarkdown: v },
      });
      expect(markdownEffects(md).problems, `limit ${limit}`).toEqual([]);
      if (limit > 0) expect(md.length).toBeLessThanOrEqual(limit);
    }
  });

  it.each(HOSTILE_VALUES.map((v) => [JSON.stringify(v).slice(0, 60), v]))(
    'plan, re-enabling a link m3ter disabled: %s',
    (_name, v) => {
      const desired = desiredState([d.webhook('w'), d.rule('r'), d.link('r', 'w')]);
      const live = liveState([l.webhook('w'), l.rule('r'), l.link('r', 'w', { active: false })]);
      const plan = labelDisabledLinks(createPlan(desired, live, options()), new Map([['r->w', healthOf(v)]]));
      expect(plan.changes.some((c) => c.type === 'update' && c.health)).toBe(true);
      for (const limit of LIMITS) {
        const md = renderPlan(plan, { format: 'markdown', color: false, markdown: { limit } });
        expect(markdownEffects(md).problems, `limit ${limit}`).toEqual([]);
      }
    },
  );

  it.each(HOSTILE_VALUES.map((v) => [JSON.stringify(v).slice(0, 60), v]))('drift: %s', (_name, v) => {
    const report = driftOf(v);
    const { desired, live } = planOf(v);
    const diagram = driftDiagram(report, { desired: desired.resources, live: live.resources });
    for (const limit of LIMITS) {
      const md = renderDrift(report, {
        format: 'markdown',
        color: false,
        diagram,
        limit,
        savedReport: v,
        fullMarkdown: v,
      });
      const { problems, code } = markdownEffects(md);
      expect(problems, `limit ${limit}`).toEqual([]);
      if (limit > 0) expect(md.length).toBeLessThanOrEqual(limit);
      // lastModifiedBy arrives whole (a pipe after a backslash shows one backslash more: the price of the cell).
      if (limit === 0 && !/\\\|/.test(v)) expect(code).toContain(escapeText(v, { newlines: false }));
    }
  });
});

describe('codeSpan and prose', () => {
  it.each(HOSTILE_VALUES.map((v) => [JSON.stringify(v).slice(0, 60), v]))(
    'a code span shows the value as it is: %s',
    (_n, v) => {
      const shown = escapeText(v, { newlines: false });
      for (const md of [`x ${codeSpan(v)} y`, `| a |\n| --- |\n| ${codeSpan(v, { table: true })} |`]) {
        const { problems, code } = markdownEffects(md);
        expect(problems).toEqual([]);
        expect(code).toHaveLength(1);
        if (!md.startsWith('|') || !/\\\|/.test(v)) expect(code[0]).toBe(shown);
      }
    },
  );

  it('keeps a table row to its cells whatever the backslashes before a pipe', () => {
    for (const v of ['|', '\\|', '\\\\|', '\\\\\\|', 'a\\', '\\']) {
      const html = renderGfm(`| a | b |\n| --- | --- |\n| ${codeSpan(v, { table: true })} | end |`);
      expect(html, v).toMatch(/<td><code>[^<]*<\/code><\/td>\n<td>end<\/td>/);
    }
  });

  it('quotes the values of a message and leaves the words as text; a message it cannot split is one code span', () => {
    expect(prose('webhook "a@b" is planned for deletion')).toBe('webhook `"a@b"` is planned for deletion');
    expect(prose('remove it from `ignore.links`')).toBe('remove it from `ignore.links`');
    expect(prose('webhook "a" @b "c"')).toBe('`webhook "a" @b "c"`');
    expect(prose('webhook "a\\" https://x "b"')).toBe('`webhook "a\\" https://x "b"`');
  });
});
