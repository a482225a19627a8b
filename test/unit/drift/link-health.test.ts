import { describe, expect, it } from 'vitest';
import { computeDrift, type DriftReport, markDisabledLinks } from '../../../src/drift/index.js';
import type { LinkHealth } from '../../../src/model/link-health.js';
import { linksToExplain } from '../../../src/model/link-health.js';
import { labelDisabledLinks } from '../../../src/plan/link-health.js';
import { createPlan } from '../../../src/plan/index.js';
import { renderDrift } from '../../../src/render/drift.js';
import { planFromJson, planToJson, renderPlanJson } from '../../../src/render/plan-json.js';
import { renderPlanMarkdown } from '../../../src/render/plan-markdown.js';
import { renderPlanText } from '../../../src/render/plan-text.js';
import { painter } from '../../../src/render/ansi.js';
import { documentValidator } from '../../../src/schema/validators.js';
import { markdownEffects } from '../../helpers/gfm.js';
import { d, desiredState, l, liveState, TARGET } from '../plan/builders.js';

/** A link the files declare active and m3ter disabled: its own drift class, and a labelled re-enable in the plan. */

const HOSTILE_ERROR =
  'evil \u001b[31mred\u001b[0m @evil-team [evil](https://evil.example.com) <img src=x> | `tick` \u202Eevil';
const HEALTH: LinkHealth = {
  lastFailedRun: { id: 'run-9', status: 'ERROR', error: HOSTILE_ERROR, at: '2026-03-01T00:00:05Z' },
  runsUnavailable: null,
  reenableRequest: 'POST /organizations/org/integrationconfigs/link-id/enable',
};
const UNREAD: LinkHealth = { ...HEALTH, lastFailedRun: null, runsUnavailable: 'HTTP 404' };

function org() {
  const desired = desiredState(
    [d.webhook('w'), d.rule('r'), d.rule('s'), d.link('r', 'w'), d.link('s', 'w', { active: false })],
    { managed: ['webhook', 'notificationRule', 'link'] },
  );
  const live = liveState([
    l.webhook('w'),
    l.rule('r'),
    l.rule('s'),
    l.link(
      'r',
      'w',
      { active: false },
      { id: 'link-id', lastModifiedBy: 'SYSTEM', dtLastModified: '2026-03-01T00:00:06Z' },
    ),
    l.link('s', 'w', { active: true }),
  ]);
  return { desired, live };
}

describe('links disabled by m3ter', () => {
  it('asks only about links declared active and live inactive', () => {
    const { desired, live } = org();
    expect(linksToExplain(desired, live).map((x) => [x.key, x.id])).toEqual([['r->w', 'link-id']]);
    expect(linksToExplain(desired, liveState([...live.resources.link.values()], ['webhook']))).toEqual([]);
  });

  it('drift: its own class with the run, escaped in text and Markdown, valid JSON', () => {
    const { desired, live } = org();
    const plain = computeDrift(desired, live, { target: TARGET, secretMismatch: new Set() });
    expect(plain.items.map((i) => `${i.class} ${i.key}`)).toEqual(['modified r->w', 'modified s->w']);
    const report = markDisabledLinks(plain, new Map([['r->w', HEALTH]]));
    expect(report.items.map((i) => `${i.class} ${i.key}`)).toEqual(['modified s->w', 'disabled r->w']);
    expect(report.summary).toMatchObject({ modified: 1, disabled: 1 });
    const item = report.items[1]!;
    expect(item).toMatchObject({ class: 'disabled', health: HEALTH, lastModifiedBy: 'SYSTEM' });
    expect(item.fields).toBeUndefined();

    const text = renderDrift(report, { format: 'text', color: false });
    expect(text).toContain('x link "r->w" disabled: disabled by m3ter; the files declare it active');
    expect(text).toContain('last failed run: "ERROR" at "2026-03-01T00:00:05Z", error "evil \\u001b[31mred');
    expect(text).toContain('\\u202Eevil');
    expect(text).toContain(
      're-enable: fix the webhook\'s receiver, then m3ter-config apply (it sends "POST /organizations/org/integrationconfigs/link-id/enable")',
    );
    expect(text).not.toMatch(/[\u001b\u202e]/);
    expect(text).toContain('Drift: 2 items (1 modified, 1 disabled).');

    const md = renderDrift(report, { format: 'markdown', color: false });
    expect(md).toContain('#### x Links disabled by m3ter');
    expect(markdownEffects(md).problems).toEqual([]);
    expect(
      markdownEffects(md).code.some((c) => c.includes('@evil-team [evil](https://evil.example.com)')),
    ).toBe(true);

    const json = JSON.parse(renderDrift(report, { format: 'json', color: false })) as DriftReport;
    expect(documentValidator('drift-report.schema.json')(json)).toBe(true);
    expect(json.items[1]?.health?.lastFailedRun?.error).toBe(HOSTILE_ERROR);
  });

  it('drift: without the runs the link is still reported, saying why the detail is missing', () => {
    const { desired, live } = org();
    const report = markDisabledLinks(
      computeDrift(desired, live, { target: TARGET, secretMismatch: new Set() }),
      new Map([['r->w', UNREAD]]),
    );
    expect(report.items.find((i) => i.key === 'r->w')?.class).toBe('disabled');
    const text = renderDrift(report, { format: 'text', color: false });
    expect(text).toContain('why is not known: m3ter\'s integration runs could not be read ("HTTP 404")');
  });

  it('plan: labels the re-enable the same way, in text, Markdown and a saved plan', () => {
    const { desired, live } = org();
    const plan = labelDisabledLinks(
      createPlan(desired, live, {
        target: TARGET,
        rotateSecrets: false,
        secretMismatch: new Set(),
        deleteBudget: {},
        allowDeletes: false,
      }),
      new Map([['r->w', HEALTH]]),
    );
    const [first, second] = plan.changes;
    expect(first?.type === 'update' && first.key === 'r->w' && first.health).toEqual(HEALTH);
    expect(second?.type === 'update' && second.health).toBe(undefined);
    const text = renderPlanText(plan, painter(false));
    expect(text).toContain('active: false -> true  (re-enable: disabled by m3ter)');
    expect(text).toContain(
      '      last failed run: "ERROR" at "2026-03-01T00:00:05Z", error "evil \\u001b[31mred',
    );
    expect(text).not.toMatch(/[\u001b\u202e]/);
    const md = renderPlanMarkdown(plan, {});
    expect(md).toContain('(re-enable: disabled by m3ter)');
    expect(markdownEffects(md).problems).toEqual([]);
    const json = JSON.parse(renderPlanJson(plan)) as Parameters<typeof planFromJson>[0];
    const back = planFromJson(json, () => undefined).plan;
    expect(back.changes[0]).toMatchObject({ health: HEALTH });
    expect(planToJson(back)).toEqual(planToJson(plan));
  });
});
