import { describe, expect, it } from 'vitest';
import type { EnvironmentStamp } from '../../../src/model/environment.js';
import { UnsafePlanError } from '../../../src/model/errors.js';
import {
  allowsUnknownOrgType,
  checkConfirmOrg,
  checkOrgId,
  checkOrgKind,
  confirmOrgOf,
  effectiveOrgType,
  OrgGuardError,
} from '../../../src/workflow/org-guard.js';

const PROD: EnvironmentStamp = { name: 'production', orgId: 'org-p', production: true, target: {} };
const SANDBOX: EnvironmentStamp = { name: 'sandbox', orgId: 'org-s', production: false, target: {} };

function refusal(f: () => unknown): OrgGuardError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(OrgGuardError);
    expect(e).toBeInstanceOf(UnsafePlanError);
    return e as OrgGuardError;
  }
  throw new Error('expected a refusal');
}

describe('the production guard', () => {
  it('refuses another org id, naming both and the fix', () => {
    expect(() => checkOrgId(PROD, 'org-p')).not.toThrow();
    const e = refusal(() => checkOrgId(PROD, 'org-s'));
    expect(e.code).toBe('org_id_mismatch');
    expect(e.message).toContain('org-p');
    expect(e.message).toContain('org-s');
    expect(e.message).toContain('--env');
  });

  it('refuses an org of the other kind, both ways', () => {
    expect(checkOrgKind(PROD, { type: 'PRODUCTION' }, false)).toEqual([]);
    expect(checkOrgKind(SANDBOX, { type: 'SANDBOX' }, false)).toEqual([]);
    const a = refusal(() => checkOrgKind(SANDBOX, { type: 'PRODUCTION' }, false));
    expect(a.code).toBe('org_kind_mismatch');
    expect(a.message).toMatch(/production: false.*PRODUCTION org/);
    expect(refusal(() => checkOrgKind(PROD, { type: 'SANDBOX' }, true)).code).toBe('org_kind_mismatch');
  });

  it('refuses an unreadable kind for an environment unless allowed; without one it only warns', () => {
    const reading = { type: 'unknown' as const, reason: 'm3ter answered 403 to GET /users/me' };
    const e = refusal(() => checkOrgKind(PROD, reading, false));
    expect(e.code).toBe('org_kind_unknown');
    expect(e.message).toContain('403');
    expect(e.message).toContain('--allow-unknown-org-type');
    expect(checkOrgKind(PROD, reading, true)[0]).toContain('going on');
    expect(checkOrgKind(undefined, reading, false)[0]).toContain('not known');
    expect(checkOrgKind(undefined, { type: 'PRODUCTION' }, false)).toEqual([]);
  });

  it('takes the allow option from its flag or its variable', () => {
    expect(allowsUnknownOrgType(true, {})).toBe(true);
    expect(allowsUnknownOrgType(undefined, { M3TER_CONFIG_ALLOW_UNKNOWN_ORG_TYPE: '1' })).toBe(true);
    expect(allowsUnknownOrgType(undefined, { M3TER_CONFIG_ALLOW_UNKNOWN_ORG_TYPE: '0' })).toBe(false);
    expect(allowsUnknownOrgType(undefined, {})).toBe(false);
  });

  it('needs --confirm-org equal to the org id for an unprompted apply to production', () => {
    expect(() => checkConfirmOrg({ orgType: 'SANDBOX', orgId: 'o', confirmOrg: undefined })).not.toThrow();
    expect(() => checkConfirmOrg({ orgType: undefined, orgId: 'o', confirmOrg: undefined })).not.toThrow();
    expect(() => checkConfirmOrg({ orgType: 'PRODUCTION', orgId: 'o', confirmOrg: 'o' })).not.toThrow();
    const none = refusal(() => checkConfirmOrg({ orgType: 'PRODUCTION', orgId: 'o', confirmOrg: undefined }));
    expect(none.code).toBe('production_unconfirmed');
    expect(none.message).toContain('--confirm-org o');
    const other = refusal(() => checkConfirmOrg({ orgType: 'PRODUCTION', orgId: 'o', confirmOrg: 'x' }));
    expect(other.message).toContain('names org x');
    expect(confirmOrgOf(undefined, { M3TER_CONFIG_CONFIRM_ORG: ' o ' })).toBe('o');
    expect(confirmOrgOf('f', { M3TER_CONFIG_CONFIRM_ORG: 'o' })).toBe('f');
  });

  it('goes by the environment when the kind is unreadable', () => {
    const unknown = { type: 'unknown' as const, reason: 'r' };
    expect(effectiveOrgType(PROD, unknown)).toBe('PRODUCTION');
    expect(effectiveOrgType(undefined, unknown)).toBeUndefined();
    expect(effectiveOrgType(SANDBOX, { type: 'PRODUCTION' })).toBe('PRODUCTION');
  });
});
