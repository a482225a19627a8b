import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../../src/emulator/index.js';
import { OnlineCheckError } from '../../../src/model/errors.js';
import { runApply } from '../../../src/workflow/apply.js';
import { EVALUATE_CONCURRENCY } from '../../../src/workflow/online-checks.js';
import { loadDesired, type PlanSettings, planAgainst } from '../../../src/workflow/plan.js';
import { openSession, type Session } from '../../../src/workflow/session.js';

/**
 * The online checks of plan and apply (workflow/online-checks.ts) against the emulator, through planAgainst, the
 * path both commands take: what is checked, where each finding points, and which requests are sent.
 */

let emulator: RunningEmulator | undefined;
let session: Session | undefined;
afterEach(async () => {
  await session?.close();
  await emulator?.close();
  session = emulator = undefined;
});

function rule(code: string, eventName: string, calculation?: string, description = code): string {
  return `  - code: ${code}
    name: ${code}
    description: ${description}
    eventName: ${eventName}
${calculation === undefined ? '' : `    calculation: ${calculation}\n`}`;
}

async function setUp(options: EmulatorOptions = {}): Promise<{ dir: string; emu: RunningEmulator }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'm3ter-online-checks-'));
  emulator = await startEmulator({ rateLimit: 0, ...options });
  const e = emulator;
  session = await openSession({
    env: {
      M3TER_ORG_ID: e.orgId,
      M3TER_API_KEY: e.apiKey,
      M3TER_API_SECRET: e.apiSecret,
      M3TER_BASE_URL: e.url,
    },
    cwd: dir,
  });
  return { dir, emu: e };
}

async function planFiles(dir: string, yaml: string, settings: PlanSettings = {}) {
  writeFileSync(path.join(dir, 'rules.yaml'), yaml);
  const { state } = await loadDesired(['rules.yaml'], { env: {}, cwd: dir });
  return planAgainst(state, session!, { cwd: dir, ...settings });
}

/** The requests the emulator counted, token requests left out. */
function requests(emu: RunningEmulator): Record<string, number> {
  return Object.fromEntries(
    Object.entries(emu.admin.counters().requests).filter(([r]) => !r.includes('/oauth/token')),
  );
}

const where = (e: OnlineCheckError) =>
  e.issues.map((i) => [i.severity, i.code, `${i.file}:${i.line}:${i.col}`, i.pointer]);

const TYPES = 'GET /organizations/{orgId}/events/types';
const EVALUATE = 'POST /organizations/{orgId}/notifications/evaluate';
const FIELDS = 'GET /organizations/{orgId}/events/fields';

describe('online checks of plan and apply', () => {
  it('refuses a misspelt event name and a calculation m3ter rejects, at their field, before any write', async () => {
    const { dir, emu } = await setUp();
    const yaml = `notificationRules:\n${rule('typo', 'billing.bill.creatd')}${rule('symbols', 'configuration.commitment.updated', 'new.amount > 1 && old.amount > 1')}${rule('fine', 'configuration.commitment.updated', 'new.amount > 1')}`;
    const error = await planFiles(dir, yaml).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OnlineCheckError);
    expect(where(error as OnlineCheckError)).toEqual([
      ['error', 'unknown_event_name', 'rules.yaml:5:16', '/notificationRules/0/eventName'],
      ['error', 'invalid_calculation', 'rules.yaml:10:33', '/notificationRules/1/calculation'],
    ]);
    const [typo, symbols] = (error as OnlineCheckError).issues;
    expect(typo?.hint).toBe('did you mean billing.bill.created?');
    expect(symbols?.message).toMatch(/'&&' is not an operator/);
    // One events/types request; the rule with an unknown event is not evaluated; only reads and evaluations.
    const sent = requests(emu);
    expect([sent[TYPES], sent[EVALUATE]]).toEqual([1, 2]);
    expect(Object.keys(sent).filter((r) => !r.startsWith('GET ') && r !== EVALUATE)).toEqual([]);
    expect(emu.admin.exportState().notifications).toEqual([]);
  });

  it('warns about a field /events/fields does not list, with a did-you-mean, and plans', async () => {
    const { dir, emu } = await setUp();
    const outcome = await planFiles(
      dir,
      `notificationRules:\n${rule('near', 'configuration.commitment.updated', 'new.amuont > 1 AND old.amount > 1')}${rule('bill', 'billing.bill.created', 'new.whatever > 1')}`,
    );
    expect(outcome.plan.summary.create).toBe(2);
    const fieldWarnings = outcome.warnings.filter((w) => w.code === 'unknown_event_field');
    expect(fieldWarnings.map((w) => [`${w.file}:${w.line}:${w.col}`, w.hint])).toEqual([
      ['rules.yaml:6:18', 'did you mean new.amount?'],
    ]);
    // billing.bill.created has no published list: nothing is said about its fields.
    expect(requests(emu)[FIELDS]).toBe(2);
  });

  it("'off' (graph --plan, which only shows) neither checks nor warns, and sends no check request", async () => {
    const { dir, emu } = await setUp();
    const outcome = await planFiles(dir, `notificationRules:\n${rule('typo', 'billing.bill.creatd')}`, {
      onlineChecks: 'off',
    });
    expect(outcome.plan.summary.create).toBe(1);
    expect(outcome.warnings.filter((w) => w.code.startsWith('online'))).toEqual([]);
    expect(Object.keys(requests(emu)).filter((r) => [TYPES, EVALUATE, FIELDS].includes(r))).toEqual([]);
  });

  it('sends nothing when the plan creates or changes no rule', async () => {
    const { dir, emu } = await setUp();
    await planFiles(dir, 'notificationRules: []\n');
    const sent = Object.keys(requests(emu));
    expect(sent).toContain('GET /organizations/{orgId}/notifications/configurations');
    expect(sent.filter((r) => [TYPES, EVALUATE, FIELDS].includes(r))).toEqual([]);
  });

  it('checks only created or changed rules: an unchanged rule already live with a bad calculation is not re-checked', async () => {
    const { dir, emu } = await setUp();
    const live = rule('old_bad', 'configuration.commitment.updated', 'new.amount > 1 && old.amount > 1');
    const first = await planFiles(dir, `notificationRules:\n${live}`, { onlineChecks: 'skip' });
    expect(first.warnings.map((w) => w.code)).toContain('online_checks_skipped');
    await runApply(session!, first.plan, { planned: first });
    emu.admin.resetCounters();
    // Unchanged, and changed only in its description: neither is checked.
    await planFiles(dir, `notificationRules:\n${live}`);
    const described = await planFiles(
      dir,
      `notificationRules:\n${rule('old_bad', 'configuration.commitment.updated', 'new.amount > 1 && old.amount > 1', 'new words')}`,
    );
    expect(described.plan.summary.update).toBe(1);
    expect(requests(emu)[TYPES]).toBeUndefined();
    expect(requests(emu)[EVALUATE]).toBeUndefined();
    // Its calculation changed: evaluated (and refused); its event name did not: not looked up.
    const changed = await planFiles(
      dir,
      `notificationRules:\n${rule('old_bad', 'configuration.commitment.updated', 'new.amount > 2 && old.amount > 1')}`,
    ).catch((e: unknown) => e);
    expect(where(changed as OnlineCheckError)).toEqual([
      ['error', 'invalid_calculation', 'rules.yaml:6:33', '/notificationRules/0/calculation'],
    ]);
    expect(requests(emu)[TYPES]).toBeUndefined();
    expect(requests(emu)[EVALUATE]).toBe(1);
  });

  it('falls back to the offline check with a warning when events/types answers 404 or evaluate 403', async () => {
    const { dir, emu } = await setUp({ eventTypesEndpoint: 'absent', evaluateEndpoint: 'forbidden' });
    const outcome = await planFiles(
      dir,
      `notificationRules:\n${rule('typo', 'billing.bill.creatd')}${rule('symbols', 'configuration.commitment.updated', 'new.amount > 1 && old.amount > 1')}`,
    );
    expect(outcome.plan.summary.create).toBe(2);
    const fallbacks = outcome.warnings.filter((w) => w.code === 'online_check_unavailable');
    expect(fallbacks.map((w) => [`${w.file}:${w.line}:${w.col}`, w.message])).toEqual([
      // At the first rule checked, in plan order (symbols, then typo).
      ['rules.yaml:9:16', expect.stringMatching(/answered 404 to GET \/events\/types/)],
      ['rules.yaml:10:18', expect.stringMatching(/answered 403 to POST \/notifications\/evaluate/)],
    ]);
    expect(emu.admin.exportState().notifications).toEqual([]);
  });

  it('evaluates at most a few at a time and refuses each bad one', async () => {
    const { dir, emu } = await setUp();
    const n = EVALUATE_CONCURRENCY * 2 + 1;
    const rules = Array.from({ length: n }, (_, i) =>
      rule(`r${i}`, 'configuration.commitment.updated', `new.amount > ${i} && old.amount > 1`),
    ).join('');
    const error = (await planFiles(dir, `notificationRules:\n${rules}`).catch(
      (e: unknown) => e,
    )) as OnlineCheckError;
    expect(error.issues.filter((i) => i.code === 'invalid_calculation')).toHaveLength(n);
    expect(requests(emu)[EVALUATE]).toBe(n);
    expect(requests(emu)[TYPES]).toBe(1);
  });
  it('takes the scheduled events the same plan creates as known, and does not evaluate against them', async () => {
    const { dir, emu } = await setUp();
    const outcome = await planFiles(
      dir,
      `scheduledEvents:
  - name: scheduled.bill.dueSoon
    entity: Bill
    field: dueDate
    offset: 10
notificationRules:
${rule('due', 'scheduled.bill.dueSoon', 'new.amount > 1')}`,
    );
    expect(outcome.plan.summary.create).toBe(2);
    expect(outcome.warnings.map((w) => w.code)).toEqual([]);
    const sent = requests(emu);
    expect([sent[TYPES], sent[EVALUATE], sent[FIELDS]]).toEqual([undefined, undefined, undefined]);
    await runApply(session!, outcome.plan, { planned: outcome });
    // Once it exists, a changed calculation of a rule listening to it is evaluated against it.
    emu.admin.resetCounters();
    await planFiles(
      dir,
      `scheduledEvents:
  - name: scheduled.bill.dueSoon
    entity: Bill
    field: dueDate
    offset: 10
notificationRules:
${rule('due', 'scheduled.bill.dueSoon', 'new.amount > 2')}`,
    );
    expect(requests(emu)[EVALUATE]).toBe(1);
  });
});
