import { describe, expect, it } from 'vitest';
import { createApplyRecord } from '../../../src/drift/record.js';
import type { EnvironmentStamp } from '../../../src/model/environment.js';
import { createPlan } from '../../../src/plan/index.js';
import { assertRecordEnvironment } from '../../../src/workflow/drift.js';
import { checkPlanEnvironment, OrgGuardError, stampPlan } from '../../../src/workflow/org-guard.js';
import { readSavedPlan, writeSavedPlan } from '../../../src/workflow/saved-plan.js';
import { d, desiredState, liveState, options } from '../plan/builders.js';

const SANDBOX: EnvironmentStamp = {
  name: 'sandbox',
  orgId: 'org-s',
  production: false,
  target: { apiKey: 'SB_KEY', apiSecret: 'SB_SECRET' },
};

function plan() {
  return createPlan(desiredState([d.rule('r1')]), liveState([]), options());
}

describe('stamps of an environment', () => {
  it('a saved plan keeps its environment and the kind of org seen, under its checksum', () => {
    const stamped = stampPlan(plan(), SANDBOX, { type: 'SANDBOX' });
    const text = writeSavedPlan(stamped);
    const read = readSavedPlan(text, {});
    expect(read.environment).toEqual(SANDBOX);
    expect(read.orgType).toBe('SANDBOX');
    const edited = text.replace('"name": "sandbox"', '"name": "production"');
    expect(edited).not.toBe(text);
    expect(() => readSavedPlan(edited, {})).toThrow(/checksum/);
  });

  it('a plan without environments has neither field, and its saved form is as before', () => {
    const bare = stampPlan(plan(), undefined, undefined);
    expect('environment' in bare).toBe(false);
    expect('orgType' in bare).toBe(false);
    const text = writeSavedPlan(bare);
    expect(text).not.toContain('environment');
    expect(text).not.toContain('orgType');
    expect(readSavedPlan(text, {}).environment).toBeUndefined();
    // An unknown kind is not stamped.
    expect('orgType' in stampPlan(plan(), SANDBOX, { type: 'unknown', reason: 'r' })).toBe(false);
  });

  it('apply PLANFILE refuses an --env naming another environment, or one for a plan made without', () => {
    expect(() => checkPlanEnvironment(SANDBOX, undefined)).not.toThrow();
    expect(() => checkPlanEnvironment(SANDBOX, 'sandbox')).not.toThrow();
    expect(() => checkPlanEnvironment(undefined, undefined)).not.toThrow();
    for (const [planned, chosen] of [
      [SANDBOX, 'production'],
      [undefined, 'production'],
    ] as const) {
      try {
        checkPlanEnvironment(planned, chosen);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(OrgGuardError);
        expect((e as OrgGuardError).code).toBe('plan_environment_mismatch');
      }
    }
  });

  it('the apply record names the environment of its plan; drift --since refuses it under another', () => {
    const record = createApplyRecord(liveState([]), {
      target: { type: 'm3ter', orgId: 'org-s', baseUrl: 'https://api.m3ter.com' },
      appliedAt: '2026-12-06T00:00:00.000Z',
      managedKinds: [],
      plan: stampPlan(plan(), SANDBOX, { type: 'SANDBOX' }),
    });
    expect(record.environment).toEqual(SANDBOX);
    expect(record.orgType).toBe('SANDBOX');
    expect(() => assertRecordEnvironment('sandbox', 'sandbox')).not.toThrow();
    expect(() => assertRecordEnvironment(undefined, 'sandbox')).not.toThrow();
    expect(() => assertRecordEnvironment('sandbox', 'production')).toThrow(
      /made for environment sandbox, but this run is for environment production/,
    );
  });
});
