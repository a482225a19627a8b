import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KIND_SPECS } from '../../../src/kinds/index.js';
import { KINDS } from '../../../src/model/kinds.js';
import { canonicalJson } from '../../../src/render/canonical-json.js';
import { readSavedPlan, SavedPlanError, writeSavedPlan } from '../../../src/workflow/saved-plan.js';
import { createPlan } from '../../../src/plan/index.js';
import { serializePlan } from '../../../src/render/plan.js';
import { d, desiredState, l, liveState, options } from '../plan/builders.js';

function representativePlan() {
  const desired = desiredState([
    d.webhook('kept', { url: 'https://hooks.example.test/moved' }),
    d.webhook('new'),
    d.rule('r1'),
    d.link('r1', 'new'),
    d.credential('SALESFORCE', 'sf'),
  ]);
  const live = liveState([l.webhook('kept', {}, { version: 3 }), l.webhook('old'), l.rule('r1')]);
  return createPlan(desired, live, options({ secretMismatch: new Set(['kept']) }));
}

/** Every env variable the builders' secrets name, with their values. */
const ENV = {
  HOOK_KEPT_KEY: 'key-kept',
  HOOK_KEPT_SECRET: 'secret-kept',
  HOOK_NEW_KEY: 'key-new',
  HOOK_NEW_SECRET: 'secret-new',
  CRED_SF_PASSWORD: 'pw-sf',
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SavedPlanError);
    return (e as SavedPlanError).code;
  }
  return undefined;
}

describe('saved plans', () => {
  it('round-trips: the plan read back serialises to the same bytes, secrets resolved from the environment', () => {
    const plan = representativePlan();
    const text = writeSavedPlan(plan);
    const back = readSavedPlan(text, ENV);
    expect(serializePlan(back)).toBe(serializePlan(plan));
    expect(back.summary).toEqual(plan.summary);
    const hook = back.changes.find((c) => c.type === 'create' && c.key === 'new');
    expect(hook?.type === 'create' && hook.desired.secrets?.['secret']?.reveal()).toBe('secret-new');
    const update = back.changes.find((c) => c.type === 'update');
    expect(update?.type === 'update' && [update.id, update.version]).toEqual(['id-webhook-kept', 3]);
  });

  it('holds no secret value, only the names of the variables', () => {
    const text = writeSavedPlan(representativePlan());
    for (const value of Object.values(ENV)) expect(text).not.toContain(value);
    expect(text).toContain('"env": "HOOK_NEW_SECRET"');
    const doc = JSON.parse(text);
    expect(doc.formatVersion).toBe(1);
    expect(doc.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('refuses any edit with plan_checksum_mismatch', () => {
    const text = writeSavedPlan(representativePlan());
    const doc = JSON.parse(text);
    const update = doc.plan.changes.find((c: { action: string }) => c.action === 'update');
    update.version = 4;
    expect(codeOf(() => readSavedPlan(JSON.stringify(doc), ENV))).toBe('plan_checksum_mismatch');
    // Re-indenting or reordering keys is not an edit: the checksum is over the canonical content.
    const reformatted = JSON.stringify(JSON.parse(text));
    expect(codeOf(() => readSavedPlan(reformatted, ENV))).toBeUndefined();
    const noChecksum = JSON.parse(text);
    delete noChecksum.checksum;
    expect(codeOf(() => readSavedPlan(JSON.stringify(noChecksum), ENV))).toBe('plan_checksum_mismatch');
  });

  it('names every missing secret variable before anything is sent', () => {
    const text = writeSavedPlan(representativePlan());
    let error: unknown;
    try {
      readSavedPlan(text, { ...ENV, HOOK_NEW_SECRET: undefined, CRED_SF_PASSWORD: '' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SavedPlanError);
    expect((error as SavedPlanError).code).toBe('plan_secret_missing');
    expect((error as SavedPlanError).message).toContain('CRED_SF_PASSWORD, HOOK_NEW_SECRET');
    expect((error as SavedPlanError).meta['missing']).toEqual(['CRED_SF_PASSWORD', 'HOOK_NEW_SECRET']);
  });

  it('refuses other files and other format versions', () => {
    expect(codeOf(() => readSavedPlan('not json', ENV))).toBe('plan_invalid');
    expect(codeOf(() => readSavedPlan('{"formatVersion":1}', ENV))).toBe('plan_invalid');
    const doc = JSON.parse(writeSavedPlan(representativePlan()));
    doc.formatVersion = 2;
    expect(codeOf(() => readSavedPlan(JSON.stringify(doc), ENV))).toBe('plan_format_unsupported');
  });
});

describe('saved plans: checked per kind by schemas/saved-plan.schema.json', () => {
  const rechecksummed = (doc: { plan: unknown; checksum: string }) => {
    doc.checksum = `sha256:${createHash('sha256').update(canonicalJson(doc.plan), 'utf8').digest('hex')}`;
    return JSON.stringify(doc);
  };

  it('refuses a change whose attributes do not fit its kind, even with a recomputed checksum', () => {
    const doc = JSON.parse(writeSavedPlan(representativePlan()));
    const change = doc.plan.changes.find((c: { kind: string }) => c.kind === 'webhook');
    change.desired.attributes.active = 'yes';
    let error: unknown;
    try {
      readSavedPlan(rechecksummed(doc), ENV);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SavedPlanError);
    expect((error as SavedPlanError).code).toBe('plan_invalid');
    expect((error as SavedPlanError).message).toMatch(/^the saved plan is malformed at \/plan\/changes\/\d+/);
  });

  it('refuses a secret value written into a plan, and a kind it does not know', () => {
    const withValue = JSON.parse(writeSavedPlan(representativePlan()));
    const c = withValue.plan.changes.find((x: { desired?: { secrets: object } }) => x.desired?.secrets);
    const field = Object.keys(c.desired.secrets)[0] as string;
    c.desired.secrets[field].value = 'leaked';
    expect(codeOf(() => readSavedPlan(rechecksummed(withValue), ENV))).toBe('plan_invalid');

    const unknownKind = JSON.parse(writeSavedPlan(representativePlan()));
    unknownKind.plan.changes[0].kind = 'gateway';
    expect(codeOf(() => readSavedPlan(rechecksummed(unknownKind), ENV))).toBe('plan_invalid');
  });

  it('describes the attributes of every kind of the registry, field for field', () => {
    const schema = JSON.parse(
      readFileSync(new URL('../../../schemas/saved-plan.schema.json', import.meta.url), 'utf8'),
    );
    for (const kind of KINDS) {
      const def = schema.$defs[`attributes-${kind}`];
      expect(Object.keys(def.properties).sort(), kind).toEqual([...KIND_SPECS[kind].fieldOrder].sort());
    }
  });
});
