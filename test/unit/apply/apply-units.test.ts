import { describe, expect, it } from 'vitest';
import { isVersionConflict, planLevels, refuseUnsafePlan } from '../../../src/apply/index.js';
import { ApiError, UnsafePlanError } from '../../../src/model/errors.js';
import type { Plan, UnsafeReason } from '../../../src/model/plan.js';
import { createPlan } from '../../../src/plan/index.js';
import { d, desiredState, l, liveState, options } from '../plan/builders.js';

describe('planLevels', () => {
  it('runs creates and updates top-down, then deletes bottom-up, whatever the order of the changes', () => {
    const desired = desiredState([
      d.link('r', 'w'),
      d.rule('r'),
      d.webhook('w'),
      d.credential('SALESFORCE', 'c'),
    ]);
    const live = liveState([
      l.webhook('gone'),
      l.rule('gone-rule'),
      l.link('gone-rule', 'gone'),
      l.credential('SALESFORCE', 'old'),
    ]);
    const plan = createPlan(desired, live, options({ allowDeletes: true }));
    const shuffled = [...plan.changes].reverse();
    expect(
      planLevels(shuffled).map((lv) => `${lv.phase} ${lv.kind} ${lv.changes.map((c) => c.key).join(',')}`),
    ).toEqual([
      'upsert credential SALESFORCE/c',
      'upsert webhook w',
      'upsert notificationRule r',
      'upsert link r->w',
      'delete link gone-rule->gone',
      'delete notificationRule gone-rule',
      'delete webhook gone',
      'delete credential SALESFORCE/old',
    ]);
  });
});

describe('isVersionConflict', () => {
  const meta = { method: 'PUT', path: '/x' };
  it('reads a 409, or a 400 that mentions the version, as a conflict', () => {
    expect(isVersionConflict(new ApiError(409, 'Conflict', meta))).toBe(true);
    expect(
      isVersionConflict(new ApiError(400, 'PUT /x failed with HTTP 400: Version mismatch for webhook', meta)),
    ).toBe(true);
    expect(isVersionConflict(new ApiError(400, 'name must not be empty', meta))).toBe(false);
    expect(isVersionConflict(new ApiError(500, 'version', meta))).toBe(false);
    expect(isVersionConflict(new Error('version'))).toBe(false);
  });

  it('reads a 400 as a conflict only when its message has the shape of a version mismatch', () => {
    const at400 = (m: string) =>
      isVersionConflict(new ApiError(400, `PUT /x failed with HTTP 400: ${m}`, meta));
    for (const m of [
      'Version mismatch for webhook destination 1: the request has version 2 but the current version is 3',
      'version conflict',
      'The version 2 does not match the current version',
      'Stale version: expected version 4',
      'optimistic locking failure',
      'Entity was modified concurrently',
    ])
      expect(at400(m), m).toBe(true);
    for (const m of [
      'version is required on update',
      'version must be an integer',
      'invalid version format',
      'the API version header is unsupported',
      'apiVersion: unknown value',
      'name must not be empty; see version 2 of the docs',
    ])
      expect(at400(m), m).toBe(false);
  });
});

describe('refuseUnsafePlan', () => {
  const base: Plan = {
    formatVersion: 1,
    target: { type: 'm3ter', orgId: 'o', baseUrl: 'https://api.m3ter.com' },
    managedKinds: [],
    changes: [],
    unsafe: [],
    allowDeletes: false,
    summary: { create: 0, update: 0, delete: 0 },
  };
  const linked: UnsafeReason = {
    rule: 'linked_delete',
    kind: 'webhook',
    message: 'webhook w is linked',
    hint: 'h',
    referencedBy: [{ kind: 'link', key: 'r->w' }],
  };
  const budget: UnsafeReason = {
    rule: 'delete_budget',
    kind: 'webhook',
    message: 'too many deletes',
    hint: 'h',
  };

  it('passes a safe plan', () => {
    expect(() => refuseUnsafePlan(base, false)).not.toThrow();
  });
  it('lifts the delete budget only when allowed', () => {
    expect(() => refuseUnsafePlan({ ...base, unsafe: [budget] }, false)).toThrow(UnsafePlanError);
    expect(() => refuseUnsafePlan({ ...base, unsafe: [budget] }, true)).not.toThrow();
    expect(() => refuseUnsafePlan({ ...base, unsafe: [budget], allowDeletes: true }, false)).not.toThrow();
  });
  it('never lifts linked_delete', () => {
    expect(() => refuseUnsafePlan({ ...base, unsafe: [linked] }, true)).toThrow(/webhook w is linked/);
    expect(() => refuseUnsafePlan({ ...base, unsafe: [linked], allowDeletes: true }, true)).toThrow(
      UnsafePlanError,
    );
  });
});
