import { describe, expect, it } from 'vitest';
import type { ApplyResult, ChangeOutcome } from '../../../src/apply/index.js';
import { applyResultToJson, renderApplyEvent, renderApplyResult } from '../../../src/render/apply.js';
import { d } from '../plan/builders.js';

const created: ChangeOutcome = {
  kind: 'webhook',
  key: 'ops-hook',
  action: 'create',
  status: 'applied',
  id: 'w1',
  version: 1,
  durationMs: 120,
};
const updated: ChangeOutcome = {
  kind: 'notificationRule',
  key: 'r1',
  action: 'update',
  status: 'applied',
  id: 'r1id',
  version: 4,
  durationMs: 80,
  resolution: 'confirmed',
};
const gone: ChangeOutcome = {
  kind: 'link',
  key: 'r0->w0',
  action: 'delete',
  status: 'applied',
  durationMs: 5,
  resolution: 'already_deleted',
};
const failed: ChangeOutcome = {
  kind: 'notificationRule',
  key: 'r2',
  action: 'update',
  status: 'failed',
  id: 'r2id',
  durationMs: 30,
  error: { code: 'plan_stale', message: 'notification rule "r2" changed since the plan was made' },
};
const webhook = d.webhook('late');

function result(over: Partial<ApplyResult>): ApplyResult {
  return {
    status: 'applied',
    applied: [],
    failed: [],
    notAttempted: [],
    durationMs: 1234,
    requests: 17,
    retries: 2,
    rateLimited: 1,
    ...over,
  };
}

describe('apply rendering', () => {
  it('one line per finished change', () => {
    const line = (o: ChangeOutcome) =>
      renderApplyEvent(
        { type: o.status === 'failed' ? 'failed' : 'finished', outcome: o, completed: 1, total: 3 },
        { color: false },
      );
    expect(line(created)).toBe('+ webhook "ops-hook" created (v1, 120 ms)');
    expect(line(updated)).toBe(
      '~ notification rule "r1" updated (v4, confirmed after a retried update, 80 ms)',
    );
    expect(line(gone)).toBe('- link "r0->w0" already deleted (5 ms)');
    expect(line(failed)).toBe(
      '! notification rule "r2" update failed (30 ms): notification rule "r2" changed since the plan was made',
    );
    expect(
      renderApplyEvent(
        { type: 'started', kind: 'webhook', key: 'x', action: 'create', completed: 0, total: 1 },
        { color: false },
      ),
    ).toBeUndefined();
    expect(
      renderApplyEvent({ type: 'finished', outcome: created, completed: 1, total: 1 }, { color: true }),
    ).toContain('\u001b[32m+\u001b[0m');
  });

  it('summarises a complete apply in one line', () => {
    expect(
      renderApplyResult(result({ applied: [created, updated, gone] }), { format: 'text', color: false }),
    ).toBe('Apply complete: 1 created, 1 updated, 1 deleted (1.2 s, 17 requests).\n');
  });

  it('gives an exact account of a failed apply and the advice to plan again', () => {
    const text = renderApplyResult(
      result({
        status: 'stale',
        applied: [created],
        failed: [failed],
        notAttempted: [{ type: 'create', kind: 'webhook', key: 'late', desired: webhook }],
      }),
      { format: 'text', color: false },
    );
    expect(text).toBe(
      [
        'Apply stopped: the plan is out of date. 1 of 3 changes applied (1 created, 0 updated, 0 deleted), 1 failed, 1 not attempted (1.2 s, 17 requests).',
        '',
        'Applied:',
        '  + webhook "ops-hook" created (v1)',
        '',
        'Failed:',
        '  ! notification rule "r2" update failed: notification rule "r2" changed since the plan was made',
        '',
        'Not attempted:',
        '  + webhook "late" create',
        '',
        'The live state changed since the plan was made. Run plan again, review the new plan, and apply that.',
        '',
      ].join('\n'),
    );
  });

  it('JSON is stable, versioned and holds no secret', () => {
    const r = result({
      status: 'failed',
      applied: [created],
      failed: [failed],
      notAttempted: [{ type: 'create', kind: 'webhook', key: 'late', desired: webhook }],
    });
    const json = renderApplyResult(r, { format: 'json', color: true });
    expect(json).toBe(renderApplyResult(r, { format: 'json', color: false }));
    const doc = JSON.parse(json);
    expect(doc.formatVersion).toBe(1);
    expect(doc.summary).toEqual({ created: 1, updated: 0, deleted: 0, failed: 1, notAttempted: 1 });
    expect(doc.notAttempted).toEqual([{ kind: 'webhook', key: 'late', action: 'create' }]);
    expect(doc.advice).toMatch(/Run plan again/);
    expect(json).not.toContain('secret-late');
    expect(json).not.toContain('key-late');
    // Canonical: keys sorted at every depth, so the same result always gives the same bytes.
    expect(Object.keys(doc)).toEqual(Object.keys(applyResultToJson(r)).sort());
  });
});
