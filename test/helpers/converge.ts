import { expect } from 'vitest';
import { type ApplyOptions, type ApplyResult, applyPlan } from '../../src/apply/index.js';
import {
  type EmulatorOptions,
  type EmulatorState,
  type RunningEmulator,
  startEmulator,
} from '../../src/emulator/index.js';
import { type ClientOptions, createClient } from '../../src/live/client.js';
import type { IdMap, LiveClient, Target, WriteContext } from '../../src/live/contract.js';
import { adapters } from '../../src/live/index.js';
import { readLiveState } from '../../src/live/read-live-state.js';
import { FingerprintCache, newFingerprintSalt } from '../../src/model/fingerprint.js';
import type { Kind } from '../../src/model/kinds.js';
import type { Plan } from '../../src/model/plan.js';
import type { DesiredState, LiveState } from '../../src/model/state.js';
import { type PlanSettings, planAgainst as planWithWorkflow } from '../../src/workflow/plan.js';
import type { Session } from '../../src/workflow/session.js';

/**
 * Integration helpers for apply: an emulator on 127.0.0.1:0 with the real client, planning through the workflow's
 * plan path as the CLI does, and `applyAndConverge`, which applies a plan and fails
 * the test unless a second plan is empty.
 */

/**
 * Fast client settings for tests: small backoff, no client rate limit, and the emulator's `Retry-After: 1` on a 429
 * replaced by that small backoff (a Retry-After above `maxRetryAfterMs` falls back to our own), so a 429 costs
 * milliseconds instead of a second.
 */
export const FAST_CLIENT: ClientOptions = {
  rateLimit: 0,
  backoffBaseMs: 2,
  backoffCapMs: 20,
  maxRetries: 6,
  maxRetryAfterMs: 10,
  timeoutMs: 2_000,
};

export interface Org {
  emulator: RunningEmulator;
  client: LiveClient;
  /** A second client on the same org (racing applies). */
  newClient(options?: ClientOptions): LiveClient;
  close(): Promise<void>;
}

export function targetOf(emulator: RunningEmulator): Target {
  return {
    description: { type: 'm3ter', orgId: emulator.orgId, baseUrl: emulator.url },
    orgId: emulator.orgId,
    baseUrl: emulator.url,
    apiKey: emulator.apiKey,
    apiSecretReveal: () => emulator.apiSecret,
  };
}

export async function startOrg(
  emulatorOptions: EmulatorOptions = {},
  clientOptions: ClientOptions = {},
): Promise<Org> {
  const emulator = await startEmulator({ rateLimit: 0, latencyMs: 0, ...emulatorOptions });
  const clients: LiveClient[] = [];
  const newClient = (options: ClientOptions = {}): LiveClient => {
    const c = createClient(targetOf(emulator), { ...FAST_CLIENT, ...clientOptions, ...options });
    clients.push(c);
    return c;
  };
  const client = newClient();
  return {
    emulator,
    client,
    newClient,
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await emulator.close();
    },
  };
}

export interface Planned {
  plan: Plan;
  live: LiveState;
  ids: IdMap;
}

/** A write context for calling an adapter directly (an out-of-band write): the plan's ids, a fresh salt. */
export function writeContextFor(planned: Planned): WriteContext {
  return { ids: planned.ids, fingerprints: new FingerprintCache(), salt: newFingerprintSalt() };
}

/**
 * A session on the client's org for the workflow's plan path. Its target holds no credentials: the client is
 * already authenticated, and planning reads only the target's description.
 */
function sessionFor(client: LiveClient, fingerprints: FingerprintCache): Session {
  return {
    target: {
      description: { type: 'm3ter', orgId: client.orgId, baseUrl: client.baseUrl },
      orgId: client.orgId,
      baseUrl: client.baseUrl,
      apiKey: '',
      apiSecretReveal: () => '',
    },
    client,
    fingerprints,
    close: () => Promise.resolve(),
  };
}

/**
 * Reads live state and plans `desired` against it through the workflow's own plan path (workflow/plan.ts), the one
 * `m3ter-config plan` and `apply` take: secret fingerprints and their upgrades included.
 */
export async function planAgainst(
  client: LiveClient,
  desired: DesiredState,
  options: PlanSettings & { fingerprints?: FingerprintCache } = {},
): Promise<Planned> {
  const { fingerprints = new FingerprintCache(), ...settings } = options;
  const { plan, live, ids } = await planWithWorkflow(
    desired,
    sessionFor(client, fingerprints),
    settings,
    fingerprints,
  );
  return { plan, live, ids };
}

/** Applies a plan with the real adapters and readLiveState. */
export function applyWith(
  client: LiveClient,
  planned: Planned,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  // The emulator commits before it answers, so an unclear create needs no settling time here.
  return applyPlan(
    planned.plan,
    { client, adapters, ids: planned.ids, readLiveState },
    { unclearCreateSettleMs: 0, ...options },
  );
}

export interface Converged {
  first: Plan;
  result: ApplyResult;
  second: Plan;
}

/** Plans, applies, plans again: fails the test unless the apply succeeded and the second plan is empty. */
export async function applyAndConverge(
  client: LiveClient,
  desired: DesiredState,
  options: ApplyOptions = {},
): Promise<Converged> {
  const planned = await planAgainst(client, desired);
  const result = await applyWith(client, planned, options);
  expect(result.failed, 'apply failed').toEqual([]);
  expect(result.status).toBe('applied');
  const again = await planAgainst(client, desired);
  expect(
    again.plan.changes.map((c) => `${c.type} ${c.kind} ${c.key}`),
    'the second plan is not empty',
  ).toEqual([]);
  return { first: planned.plan, result, second: again.plan };
}

export interface Reconverged {
  runs: ApplyResult[];
  /** Errors thrown by plan or apply (a read that finally failed, a stale plan before the first write). */
  errors: unknown[];
  final: Plan;
}

/**
 * Plans and applies until the plan is empty, at most `maxRuns` times, as a CI job rerun would. Any run may fail
 * (faults); the test asserts the end state.
 */
export async function applyUntilConverged(
  client: LiveClient,
  desired: DesiredState,
  options: ApplyOptions & { maxRuns?: number; afterRun?: (result: ApplyResult | undefined) => void } = {},
): Promise<Reconverged> {
  const { maxRuns = 8, afterRun, ...applyOptions } = options;
  const fingerprints = new FingerprintCache();
  const runs: ApplyResult[] = [];
  const errors: unknown[] = [];
  for (let i = 0; i < maxRuns; i++) {
    let planned: Planned;
    try {
      planned = await planAgainst(client, desired, { fingerprints });
    } catch (error) {
      errors.push(error);
      continue;
    }
    const last = runs[runs.length - 1];
    if (last && last.status !== 'applied') {
      // A rerun shows exactly the remainder: nothing the last run applied comes back.
      const left = new Set([...last.failed, ...last.notAttempted].map((c) => `${c.kind} ${c.key}`));
      for (const c of planned.plan.changes)
        expect(left.has(`${c.kind} ${c.key}`), `${c.kind} ${c.key}`).toBe(true);
    }
    if (planned.plan.changes.length === 0) return { runs, errors, final: planned.plan };
    let result: ApplyResult | undefined;
    try {
      result = await applyWith(client, planned, { fingerprints, ...applyOptions });
      runs.push(result);
      // An exact account: every change once, in exactly one of the three lists.
      expect(result.applied.length + result.failed.length + result.notAttempted.length).toBe(
        planned.plan.changes.length,
      );
    } catch (error) {
      errors.push(error);
    }
    afterRun?.(result);
  }
  // The last look may meet faults too: a read is retried by the client, and the whole plan up to three times.
  for (let i = 0; ; i++) {
    try {
      return { runs, errors, final: (await planAgainst(client, desired, { fingerprints })).plan };
    } catch (error) {
      if (i >= 2) throw error;
      errors.push(error);
    }
  }
}

/** Keys of the entities in an emulator export, as m3ter-config keys them, with how many entities hold each. */
export type KeyCounts = Record<Kind, Map<string, number>>;

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/**
 * Counts entities by key straight from the emulator's exported state (the oracle, no m3ter-config code involved):
 * webhooks and rules by code, links by `ruleCode->webhookCode`, standalone credentials by `DESTINATION/name`,
 * integrations by `entityType->destination[/name]`, scheduled events by name.
 */
export function countByKey(state: EmulatorState): KeyCounts {
  const counts: KeyCounts = {
    webhook: new Map(),
    notificationRule: new Map(),
    link: new Map(),
    credential: new Map(),
    integration: new Map(),
    scheduledEvent: new Map(),
  };
  const hookCode = new Map<string, string>();
  const ruleCode = new Map<string, string>();
  for (const w of state.webhooks) {
    bump(counts.webhook, w.code ?? `id:${w.id}`);
    hookCode.set(w.id, w.code ?? `id:${w.id}`);
  }
  for (const n of state.notifications) {
    bump(counts.notificationRule, n.code);
    ruleCode.set(n.id, n.code);
  }
  for (const c of state.integrationConfigs) {
    if (c.entityType.toLowerCase() !== 'notification') {
      bump(counts.integration, `${c.entityType}->${c.destination}${c.name ? `/${c.name}` : ''}`);
      continue;
    }
    const rule = ruleCode.get(c.entityId ?? '') ?? `id:${c.entityId}`;
    const hook = hookCode.get(c.destinationId ?? '') ?? `id:${c.destinationId}`;
    bump(counts.link, `${rule}->${hook}`);
  }
  for (const e of state.scheduledEvents) bump(counts.scheduledEvent, e.name);
  for (const c of state.credentials)
    if (!c.ownerWebhookId) bump(counts.credential, `${c.destination}/${c.name}`);
  return counts;
}

/** Keys held by more than one entity, as `kind key ×n`. Empty when there is no duplicate. */
export function duplicates(state: EmulatorState): string[] {
  const out: string[] = [];
  for (const [kind, map] of Object.entries(countByKey(state))) {
    for (const [key, n] of map as Map<string, number>) if (n > 1) out.push(`${kind} ${key} x${n}`);
  }
  return out;
}

/** Desired keys missing from the emulator, and emulator keys the files do not declare (managed kinds only). */
export function missingAndExtra(
  state: EmulatorState,
  desired: DesiredState,
): { missing: string[]; extra: string[] } {
  const counts = countByKey(state);
  const missing: string[] = [];
  const extra: string[] = [];
  for (const kind of desired.managedKinds) {
    for (const key of desired.resources[kind].keys())
      if (!counts[kind].has(key)) missing.push(`${kind} ${key}`);
    for (const key of counts[kind].keys())
      if (!desired.resources[kind].has(key)) extra.push(`${kind} ${key}`);
  }
  return { missing, extra };
}
