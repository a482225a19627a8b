/**
 * Benchmark: 1,000 creates (300 webhooks, 400 notification rules, 300 links) applied to an emulator that enforces
 * m3ter's 50 requests per second per org, with the real client and its default limiter and retry settings.
 *
 * Figures: the apply's wall time against the rate-limit bound (its requests / 50 per second; target within 1.1x, issue 10),
 * the requests against the changes plus the reads the apply makes (token, the check before the first write), and
 * the 429s the emulator sent. Run: `npx tsx bench/apply-1000.ts` (about 20 s).
 */
import { pathToFileURL } from 'node:url';
import { applyPlan } from '../src/apply/index.js';
import { startEmulator } from '../src/emulator/index.js';
import { adapters, createClient, createIdMap, readLiveState } from '../src/live/index.js';
import { linkKey } from '../src/kinds/index.js';
import { KINDS } from '../src/model/kinds.js';
import type { DesiredResource, Resource } from '../src/model/resource.js';
import { Secret } from '../src/model/secret.js';
import { type DesiredState, emptyIgnore, emptyResources } from '../src/model/state.js';
import { createPlan } from '../src/plan/index.js';

const WEBHOOKS = 300;
const RULES = 400;
const LINKS = 300;
const RATE = 50;
const TARGET_RATIO = 1.1;

export interface ApplyBenchResult {
  ok: boolean;
  changes: number;
  wallMs: number;
  boundMs: number;
  ratio: number;
  requests: number;
  /** Changes plus the reads the apply itself makes (its token request and the pre-write check's list pages). */
  expectedRequests: number;
  reads: number;
  rateLimited429: number;
  clientRetries: number;
  planMs: number;
}

function source(pointer: string) {
  return { file: 'bench.yaml', line: 1, col: 1, pointer };
}

function desiredState(): DesiredState {
  const resources = emptyResources<DesiredResource>();
  const secrets = {
    apiKey: new Secret('BENCH_KEY', 'bench-api-key'),
    secret: new Secret('BENCH_SECRET', 'bench-secret'),
  };
  const add = (r: Resource & { source: ReturnType<typeof source> }) =>
    (resources[r.kind] as Map<string, DesiredResource>).set(r.key, r as DesiredResource);
  for (let i = 0; i < WEBHOOKS; i++) {
    add({
      kind: 'webhook',
      key: `hook-${i}`,
      attributes: {
        name: `Hook ${i}`,
        description: `Bench webhook ${i}`,
        url: `https://hooks.example.test/${i}`,
        active: true,
        credentialType: 'M3TER_SIGNED_REQUEST',
      },
      secrets,
      source: source(`/webhooks/${i}`),
    });
  }
  for (let i = 0; i < RULES; i++) {
    add({
      kind: 'notificationRule',
      key: `rule-${i}`,
      attributes: {
        name: `Rule ${i}`,
        description: `Bench rule ${i}`,
        eventName: 'configuration.commitment.updated',
        calculation: null,
        active: true,
        alwaysFireEvent: false,
      },
      source: source(`/notificationRules/${i}`),
    });
  }
  for (let i = 0; i < LINKS; i++) {
    const rule = `rule-${i}`;
    const webhook = `hook-${i}`;
    add({
      kind: 'link',
      key: linkKey(rule, webhook),
      attributes: { rule, webhook, active: true },
      source: source(`/links/${i}`),
    });
  }
  return {
    resources,
    managedKinds: new Set(KINDS.filter((k) => k !== 'credential')),
    ignore: emptyIgnore(),
    files: ['bench.yaml'],
  };
}

export async function run(): Promise<ApplyBenchResult> {
  const emulator = await startEmulator({ rateLimit: RATE, latencyMs: 0 });
  const client = createClient(
    {
      description: { type: 'm3ter', orgId: emulator.orgId, baseUrl: emulator.url },
      orgId: emulator.orgId,
      baseUrl: emulator.url,
      apiKey: emulator.apiKey,
      apiSecretReveal: () => emulator.apiSecret,
    },
    { rateLimit: RATE },
  );
  try {
    const desired = desiredState();
    const planStart = performance.now();
    const live = await readLiveState(client, desired.managedKinds);
    const plan = createPlan(desired, live, {
      target: { type: 'm3ter', orgId: emulator.orgId, baseUrl: emulator.url },
      rotateSecrets: false,
      secretMismatch: new Set(),
      deleteBudget: {},
      allowDeletes: false,
    });
    const planMs = performance.now() - planStart;
    const changes = plan.changes.length;

    emulator.admin.resetCounters();
    const before = client.stats();
    const t0 = performance.now();
    const result = await applyPlan(plan, { client, adapters, ids: createIdMap(live), readLiveState });
    const wallMs = performance.now() - t0;
    const after = client.stats();
    if (result.status !== 'applied')
      throw new Error(`apply did not finish: ${JSON.stringify(result.failed)}`);

    const counters = emulator.admin.counters();
    const requests = result.requests;
    const reads = Object.entries(counters.requests)
      .filter(([route]) => route.startsWith('GET '))
      .reduce((n, [, v]) => n + v, 0);
    const tokens = after.tokenRequests - before.tokenRequests;
    const boundMs = (requests / RATE) * 1000;
    const ratio = wallMs / boundMs;
    const out: ApplyBenchResult = {
      ok: ratio <= TARGET_RATIO,
      changes,
      wallMs,
      boundMs,
      ratio,
      requests,
      expectedRequests: changes + reads + tokens,
      reads,
      rateLimited429: counters.statuses['429'] ?? 0,
      clientRetries: result.retries,
      planMs,
    };
    const f = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(
      `apply-1000: ${changes} creates (${WEBHOOKS} webhooks, ${RULES} rules, ${LINKS} links) at ${RATE} req/s`,
    );
    console.log(
      `  wall time        ${f(wallMs)}  (bound ${f(boundMs)} = ${requests} requests / ${RATE} per s)`,
    );
    console.log(`  ratio            ${ratio.toFixed(3)}x  (target <= ${TARGET_RATIO}x)`);
    console.log(
      `  requests         ${requests}  (changes ${changes} + reads ${reads} + token ${tokens} = ${out.expectedRequests})`,
    );
    console.log(`  429s met         ${out.rateLimited429}  (client retries ${out.clientRetries})`);
    console.log(`  plan (reads)     ${f(planMs)}`);
    console.log(`  ${out.ok ? 'target met' : 'TARGET MISSED'}`);
    return out;
  } finally {
    await client.close();
    await emulator.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await run();
  process.exitCode = r.ok ? 0 : 1;
}
