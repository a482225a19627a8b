import { describe, expect, it } from 'vitest';
import type { ApplyEvent, ApplyResult } from '../../../src/apply/index.js';
import { UnsafePlanError } from '../../../src/model/errors.js';
import type { Plan } from '../../../src/model/plan.js';
import {
  ApplyProgress,
  emptyApplyResult,
  judgeApply,
  refuseUnsafePlan,
} from '../../../src/workflow/apply-steps.js';

const applied: ApplyResult = emptyApplyResult();

function planWith(changes: number, unsafe: Plan['unsafe'] = []): Plan {
  return {
    changes: Array.from({ length: changes }, () => ({})),
    unsafe,
    allowDeletes: false,
  } as unknown as Plan;
}

describe('judgeApply', () => {
  it('passes a run that did not apply everything through by its status', () => {
    for (const status of ['interrupted', 'stale', 'failed'] as const)
      expect(judgeApply({ result: { ...applied, status } })).toEqual({ type: status });
  });

  it('fails a verify whose new plan is not empty, or whose saved plan the org does not show', () => {
    const left = planWith(1);
    expect(judgeApply({ result: applied, verifyPlan: left })).toEqual({
      type: 'verify_plan_failed',
      plan: left,
    });
    expect(
      judgeApply({ result: applied, verifyMismatches: ['webhook "a" should exist but was not found'] }),
    ).toEqual({
      type: 'verify_mismatches',
      mismatches: ['webhook "a" should exist but was not found'],
    });
  });

  it('says how an applied run was verified', () => {
    expect(judgeApply({ result: applied })).toEqual({ type: 'applied' });
    expect(judgeApply({ result: applied, verifyPlan: planWith(0) })).toEqual({
      type: 'applied',
      verified: 'plan',
    });
    expect(judgeApply({ result: applied, verifyMismatches: [] })).toEqual({
      type: 'applied',
      verified: 'saved_plan',
    });
  });
});

describe('refuseUnsafePlan', () => {
  const linked = { rule: 'linked_delete', message: 'linked_delete: webhook "w" is still used', hint: 'h' };
  const budget = { rule: 'delete_budget', message: 'delete_budget: too many', hint: 'h2' };

  it('lets --allow-deletes lift the delete budget, never a linked delete', () => {
    expect(() => refuseUnsafePlan(planWith(1, [budget] as Plan['unsafe']), true)).not.toThrow();
    expect(() => refuseUnsafePlan(planWith(1, [budget] as Plan['unsafe']), false)).toThrow(UnsafePlanError);
    expect(() => refuseUnsafePlan(planWith(1, [linked] as Plan['unsafe']), true)).toThrow(
      'the plan is unsafe, nothing was applied: linked_delete: webhook "w" is still used',
    );
  });
});

describe('ApplyProgress', () => {
  it('counts changes in flight, shows each ended change and the status line', () => {
    const shown: string[] = [];
    const progress = new ApplyProgress({
      ended: (e) => shown.push(`ended ${e.outcome.key}`),
      status: (s) => shown.push(s ?? 'clear'),
    });
    const base = { kind: 'webhook', action: 'create', total: 2 } as const;
    progress.onEvent({ ...base, type: 'started', key: 'a', completed: 0 });
    progress.onEvent({ ...base, type: 'started', key: 'b', completed: 0 });
    expect(progress.inFlight).toBe(2);
    expect(progress.stoppingMessage('SIGINT', 5000)).toBe(
      'SIGINT: stopping; no new change starts. Waiting for 2 in-flight changes to finish (at most 5 s).',
    );
    progress.onEvent({
      type: 'finished',
      outcome: { key: 'a' },
      completed: 1,
      total: 2,
    } as unknown as ApplyEvent);
    expect(progress.inFlight).toBe(1);
    expect(progress.stoppingMessage('SIGTERM', 5000)).toContain('Waiting for 1 in-flight change to finish');
    expect(shown).toEqual([
      'applying: 0/2 done',
      'applying: 0/2 done',
      'clear',
      'ended a',
      'applying: 1/2 done',
    ]);
  });
});
