import { afterAll, describe, it } from 'vitest';
import type { FaultKind } from '../../../src/emulator/index.js';
import { KINDS } from '../../../src/model/kinds.js';
import type { DesiredState } from '../../../src/model/state.js';
import { applyUntilConverged, duplicates, missingAndExtra, startOrg } from '../../helpers/converge.js';
import { raceApplies, resolutionsOf } from '../../helpers/race.js';
import { hooksAndRules, withIntegrations, withScheduledEvents } from './fixtures.js';

/**
 * The fault matrix: seeded faults at 20% of API requests, one kind at a time or all mixed, across many seeds. Each
 * run applies a fresh org (creates), then a changed config (creates, updates, deletes) of every kind, rerunning apply until the plan
 * is empty as CI would. After every apply run the emulator's own state must hold no duplicate key; at the end, every
 * desired entity exists exactly once and nothing else does, and entities kept across the change kept their ids.
 */

export const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);
export const FAULT_RATE = 0.2;

interface SeedReport {
  seed: number;
  applyRuns: number;
  faults: number;
  requests: number;
  resolutions: Record<string, number>;
  /** Why a phase needed more than one apply run: failure codes of the runs that did not finish, and thrown errors. */
  rerunCauses: string[];
}

/**
 * The first config: 5 webhooks, rules and links, 3 credentials, 3 integrations using them, and 3 scheduled events
 * that rules listen to.
 */
function initial(): DesiredState {
  return withScheduledEvents(
    withIntegrations(hooksAndRules(5, 'x', 3), [
      { name: 'x-int-0', credential: 'x-cred-0' },
      { name: 'x-int-1', credential: 'x-cred-1' },
      { name: 'x-int-2', credential: 'x-cred-2' },
    ]),
    [{ name: 'x0' }, { name: 'x3' }, { name: 'x4' }],
    { 'x-rule-0': 'x0', 'x-rule-3': 'x3', 'x-rule-4': 'x4' },
  );
}

/**
 * The changed config: one set dropped (deletes), one added (creates), a rule renamed, a link off, a URL moved, a
 * credential's settings changed, one credential deleted and one added; an integration deleted, one with new
 * configData and disabled, one re-pointed from the deleted credential to the new one, and one added.
 */
function changed(): DesiredState {
  const next = withIntegrations(hooksAndRules(5, 'x', 3), [
    { name: 'x-int-1', credential: 'x-cred-1', batch: 250, active: false },
    { name: 'x-int-2', credential: 'y-cred-0' },
    { name: 'y-int-0', credential: 'x-cred-0' },
  ]);
  for (const kind of ['link', 'notificationRule', 'webhook'] as const) {
    for (const key of [...next.resources[kind].keys()])
      if (key.includes('-4')) next.resources[kind].delete(key);
  }
  next.resources.credential.delete('SALESFORCE/x-cred-2');
  const cred = next.resources.credential.get('SALESFORCE/x-cred-0')!;
  next.resources.credential.set('SALESFORCE/x-cred-0', {
    ...cred,
    attributes: { ...cred.attributes, settings: { username: 'rotated' } },
  });
  const extra = hooksAndRules(1, 'y', 1);
  for (const kind of ['link', 'notificationRule', 'webhook', 'credential'] as const) {
    for (const [key, r] of extra.resources[kind]) (next.resources[kind] as Map<string, typeof r>).set(key, r);
  }
  const rule = next.resources.notificationRule.get('x-rule-0')!;
  next.resources.notificationRule.set('x-rule-0', {
    ...rule,
    attributes: { ...rule.attributes, name: 'Renamed' },
  });
  const link = next.resources.link.get('x-rule-1->x-hook-1')!;
  next.resources.link.set('x-rule-1->x-hook-1', {
    ...link,
    attributes: { ...link.attributes, active: false },
  });
  const hook = next.resources.webhook.get('x-hook-2')!;
  next.resources.webhook.set('x-hook-2', {
    ...hook,
    attributes: { ...hook.attributes, url: 'https://hooks.example.test/moved' },
  });
  // A scheduled event's offset changed; a rule moved from x3 to a new one; x4 deleted after its rule.
  return withScheduledEvents(next, [{ name: 'x0', offset: 12 }, { name: 'x3' }, { name: 'y0' }], {
    'x-rule-0': 'x0',
    'x-rule-3': 'y0',
  });
}

export function faultMatrix(name: string, kinds: readonly FaultKind[]): void {
  const reports: SeedReport[] = [];
  const hang = kinds.includes('hang');

  describe(`fault matrix: ${name} at ${FAULT_RATE * 100}%`, () => {
    afterAll(() => {
      const runs = reports.map((r) => r.applyRuns);
      const resolutions: Record<string, number> = {};
      for (const r of reports) {
        for (const [k, n] of Object.entries(r.resolutions)) resolutions[k] = (resolutions[k] ?? 0) + n;
      }
      const faults = reports.reduce((s, r) => s + r.faults, 0);
      const causes: Record<string, number> = {};
      for (const r of reports) for (const c of r.rerunCauses) causes[c] = (causes[c] ?? 0) + 1;
      // One line per matrix row, for the report.
      console.log(
        `[fault-matrix] ${name}: ${reports.length} seeds converged; apply runs per seed (2 phases) min ${Math.min(...runs)} max ${Math.max(...runs)} total ${runs.reduce((a, b) => a + b, 0)}; faults injected ${faults}; resolutions ${JSON.stringify(resolutions)}; rerun causes ${JSON.stringify(causes)}`,
      );
    });

    for (const seed of SEEDS) {
      // Seeds run concurrently (each has its own emulator and client): hangs wait on timers, not on the CPU.
      it.concurrent(
        `seed ${seed}: converges with no duplicate and nothing lost`,
        async ({ expect }) => {
          const org = await startOrg(
            {
              faultRate: FAULT_RATE,
              faultKinds: kinds,
              seed,
              hangMs: 2_000,
              // Let the server accept duplicate codes, so only the applier stands between a fault and a duplicate.
              codeUniqueness: 'allow',
            },
            // As in the concurrent matrix: a timeout far below the hang, but not so short that a plain answer slowed by
            // the other seeds running in this process counts as a hang (at 100 ms one such answer once left a copy).
            hang ? { timeoutMs: 1_000 } : {},
          );
          try {
            const resolutions: Record<string, number> = {};
            let applyRuns = 0;
            const afterRun = () => {
              applyRuns++;
              expect(
                duplicates(org.emulator.admin.exportState()),
                `duplicates after apply run ${applyRuns}`,
              ).toEqual([]);
            };
            const rerunCauses: string[] = [];
            const count = (r: Awaited<ReturnType<typeof applyUntilConverged>>) => {
              for (const e of r.errors) rerunCauses.push((e as { code?: string }).code ?? String(e));
              for (const run of r.runs) {
                for (const f of run.failed) rerunCauses.push(f.error?.code ?? 'unknown');
                for (const o of run.applied) {
                  if (o.resolution) resolutions[o.resolution] = (resolutions[o.resolution] ?? 0) + 1;
                }
              }
            };

            const first = initial();
            // Every kind is created, updated and deleted under faults.
            expect([...first.managedKinds].sort()).toEqual([...KINDS].sort());
            const r1 = await applyUntilConverged(org.client, first, { afterRun });
            count(r1);
            expect(r1.final.changes.map((c) => `${c.type} ${c.kind} ${c.key}`)).toEqual([]);
            const s1 = org.emulator.admin.exportState();
            expect(missingAndExtra(s1, first)).toEqual({ missing: [], extra: [] });

            const second = changed();
            const r2 = await applyUntilConverged(org.client, second, { afterRun });
            count(r2);
            expect(r2.final.changes.map((c) => `${c.type} ${c.kind} ${c.key}`)).toEqual([]);
            const s2 = org.emulator.admin.exportState();
            expect(duplicates(s2)).toEqual([]);
            expect(missingAndExtra(s2, second)).toEqual({ missing: [], extra: [] });
            // Kept entities were updated in place, never deleted and made again.
            const ids = (s: typeof s1) => new Map(s.webhooks.map((w) => [w.code, w.id]));
            for (const [code, id] of ids(s1)) if (code !== 'x-hook-4') expect(ids(s2).get(code)).toBe(id);
            const integrationIds = (s: typeof s1) =>
              new Map(
                s.integrationConfigs.filter((c) => c.entityType === 'Account').map((c) => [c.name, c.id]),
              );
            for (const name of ['x-int-1', 'x-int-2'])
              expect(integrationIds(s2).get(name)).toBe(integrationIds(s1).get(name));

            const counters = org.emulator.admin.counters();
            reports.push({
              seed,
              applyRuns,
              faults: counters.faultsInjected,
              requests: counters.total,
              resolutions,
              rerunCauses,
            });
          } finally {
            await org.close();
          }
        },
        120_000,
      );
    }
  });
}

/** Seeds of the concurrent matrix: fewer, since each seed runs two applies per phase and its reruns. */
export const CONCURRENT_SEEDS = Array.from({ length: 10 }, (_, i) => i + 1);

/**
 * Two applies of the same files at once, under faults: per phase (a fresh org, then the changed config) two applies
 * race, both past their pre-write checks, on a server that accepts duplicate codes; then apply is rerun until the
 * plan is empty, as CI would. Whatever the faults did to the race and to the heal after each level's creates, the end
 * state holds every desired entity exactly once and nothing else, and the reruns never add a duplicate.
 */
export function concurrentFaultMatrix(name: string, kinds: readonly FaultKind[]): void {
  const lines: { seed: number; resolutions: Record<string, number>; raceErrors: string[]; reruns: number }[] =
    [];
  const hang = kinds.includes('hang');

  describe(`fault matrix, two concurrent applies: ${name} at ${FAULT_RATE * 100}%`, () => {
    afterAll(() => {
      const resolutions: Record<string, number> = {};
      for (const l of lines) {
        for (const [k, n] of Object.entries(l.resolutions)) resolutions[k] = (resolutions[k] ?? 0) + n;
      }
      const errors: Record<string, number> = {};
      for (const l of lines) for (const e of l.raceErrors) errors[e] = (errors[e] ?? 0) + 1;
      console.log(
        `[fault-matrix] concurrent ${name}: ${lines.length} seeds converged; reruns total ${lines.reduce((a, l) => a + l.reruns, 0)}; racing resolutions ${JSON.stringify(resolutions)}; racing failures ${JSON.stringify(errors)}`,
      );
    });

    for (const seed of CONCURRENT_SEEDS) {
      it.concurrent(
        `seed ${seed}: two racing applies converge with no duplicate and nothing lost`,
        async ({ expect }) => {
          const org = await startOrg(
            {
              faultRate: FAULT_RATE,
              faultKinds: kinds,
              seed,
              hangMs: 2_000,
              latencyMs: seed % 3,
              codeUniqueness: 'allow',
            },
            // A client timeout far below the hang, but not so short that a slow machine's plain answer counts as a
            // hang: at 100 ms, on 2 loaded cores, reads timed out six times in a row and seeds failed without a fault.
            hang ? { timeoutMs: 1_000 } : {},
          );
          try {
            const line = {
              seed,
              resolutions: {} as Record<string, number>,
              raceErrors: [] as string[],
              reruns: 0,
            };
            const race = async (desired: DesiredState, phase: number) => {
              let outcome: Awaited<ReturnType<typeof raceApplies>> | undefined;
              // Planning reads under faults too: a race whose plans could not be read is tried again (bounded).
              for (let i = 0; i < 3 && !outcome; i++) {
                try {
                  outcome = await raceApplies([org.newClient(), org.newClient()], desired, seed * 10 + phase);
                } catch (error) {
                  line.raceErrors.push((error as { code?: string }).code ?? 'plan');
                }
              }
              for (const r of outcome?.runs ?? []) {
                if (r instanceof Error) line.raceErrors.push((r as { code?: string }).code ?? r.message);
                else for (const f of r.failed) line.raceErrors.push(f.error?.code ?? 'unknown');
              }
              for (const [k, n] of Object.entries(resolutionsOf(outcome?.runs ?? []))) {
                line.resolutions[k] = (line.resolutions[k] ?? 0) + n;
              }
            };
            // The reruns run one at a time: each may leave a copy for the next to remove, but never adds one.
            const settle = async (desired: DesiredState) => {
              let before = duplicates(org.emulator.admin.exportState()).length;
              const afterRun = () => {
                line.reruns++;
                const now = duplicates(org.emulator.admin.exportState()).length;
                expect(now, `duplicates after rerun ${line.reruns}`).toBeLessThanOrEqual(before);
                before = now;
              };
              const r = await applyUntilConverged(org.client, desired, { afterRun });
              expect(r.final.changes.map((c) => `${c.type} ${c.kind} ${c.key}`)).toEqual([]);
              const state = org.emulator.admin.exportState();
              expect(duplicates(state)).toEqual([]);
              expect(missingAndExtra(state, desired)).toEqual({ missing: [], extra: [] });
            };

            const first = hooksAndRules(5, 'x', 3);
            await race(first, 1);
            await settle(first);
            const second = changed();
            await race(second, 2);
            await settle(second);
            lines.push(line);
          } finally {
            await org.close();
          }
        },
        // Each hang now costs a second of waiting: room for the reruns on a slow machine.
        120_000,
      );
    }
  });
}
