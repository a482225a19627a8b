/**
 * createPlan at 100,000 entities (20,000 webhooks, 40,000 rules, 40,000 links) with 10% of the webhooks and rules
 * deleted while their links stay declared: every delete is a linked-delete check. Target (issue 10): under 200 ms,
 * median of 7, in process (createPlan is pure: no I/O). test/unit/scale/ keeps it linear by operation counts.
 */
import { fileURLToPath } from 'node:url';
import type { DesiredResource, LiveResource } from '../src/model/resource.js';
import type * as PlanModule from '../src/plan/index.js';
import { d, desiredState, l, liveState, options } from '../test/unit/plan/builders.js';

const TARGET_MS = 200;

export async function run(): Promise<{ ok: boolean; medianMs: number }> {
  // The built code (`npm run bench` builds first), as users run it: tsx's transform adds a helper call to every
  // function it names, which costs createPlan a third of its time.
  const built = new URL('../dist/plan/index.js', import.meta.url).href;
  const { createPlan } = (await import(built)) as typeof PlanModule;
  const hooks = 20_000;
  const rules = 40_000;
  const desired: DesiredResource[] = [];
  const live: LiveResource[] = [];
  for (let i = 0; i < hooks; i++) {
    live.push(l.webhook(`hook_${i}`));
    if (i % 10 !== 0) desired.push(d.webhook(`hook_${i}`));
  }
  for (let i = 0; i < rules; i++) {
    live.push(l.rule(`rule_${i}`), l.link(`rule_${i}`, `hook_${i % hooks}`));
    if (i % 10 !== 1) desired.push(d.rule(`rule_${i}`));
    desired.push(d.link(`rule_${i}`, `hook_${i % hooks}`));
  }
  const want = desiredState(desired);
  const have = liveState(live);
  const times: number[] = [];
  let deletes = 0;
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    const plan = createPlan(want, have, options({ allowDeletes: true }));
    times.push(performance.now() - t0);
    deletes = plan.summary.delete;
  }
  const medianMs = Math.round([...times].sort((a, b) => a - b)[3] as number);
  const ok = medianMs < TARGET_MS;
  console.log(
    `createPlan 100k, ${deletes} deletes: median ${medianMs} ms of [${times.map(Math.round).join(', ')}] ` +
      `(target < ${TARGET_MS} ms: ${ok ? 'met' : 'MISSED'})`,
  );
  return { ok, medianMs };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await run();
  if (!r.ok) process.exitCode = 1;
}
