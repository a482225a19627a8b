/**
 * Plan of 10,000 entities (issue 4, point 9): 2,000 webhooks, 4,000 notification rules and 4,000 links in an
 * emulator with 30 ms of added latency per request and m3ter's 50 requests/second enforced, in a child process so
 * that the CPU and memory figures are the planner's and the client's alone. The desired state matches the live
 * one exactly (secret fingerprints included), so the plan must be empty.
 *
 * Reported: requests made against the lower bound (1 token + one request per page at the largest page size;
 * the ratio must be 1.00), wall time against the longest page chain times the latency (target within 1.3x),
 * 429s met, CPU time and peak memory. Run with `npx tsx bench/plan-10k.ts`.
 *
 * `BENCH_RATE` sets the emulator's enforced rate (0 = none) and `BENCH_CLIENT_RATE` the client limiter's (default:
 * the same), e.g. to see what the limiter costs. Note the arithmetic: the bound is 71 requests in 1.2 s, i.e. 59
 * per second, more than the 50 per second the limiter allows in any one-second window.
 */
import type { ChildProcess } from 'node:child_process';
import { benchMain, startChild } from './child.js';
import { startEmulator } from '../src/emulator/index.js';
import { createClient } from '../src/live/client.js';
import type { LiveClient, Target } from '../src/live/contract.js';
import { MAX_PAGE_SIZE } from '../src/live/paths.js';
import { FingerprintCache } from '../src/model/fingerprint.js';
import type { Kind } from '../src/model/kinds.js';
import { linkKey } from '../src/kinds/index.js';
import type { DesiredResource, SourceRef } from '../src/model/resource.js';
import { Secret } from '../src/model/secret.js';
import { type DesiredState, emptyDesiredState } from '../src/model/state.js';
import { planAgainst } from '../src/workflow/plan.js';
import { generateState } from '../test/integration/live/seed.js';

const CHILD_FLAG = 'M3TER_PLAN_BENCH_CHILD';
const SIZES = { webhooks: 2_000, rules: 4_000, links: 4_000 } as const;
const LATENCY_MS = 30;
const RATE_LIMIT = Number(process.env['BENCH_RATE'] ?? 50);
const CLIENT_RATE = Number(process.env['BENCH_CLIENT_RATE'] ?? RATE_LIMIT);
const WALL_TARGET = 1.3;
/** A distinct API key and secret per webhook (as real orgs, and test/, have them); fingerprints keyed as the CLI does. */
const hookKey = (i: number) => `bench-webhook-api-key-${i}`;
const hookSecret = (i: number) => `bench-webhook-secret-${i}`;
const SALT_HEX = '6d3363666742656e636853616c743031';

export interface PlanBenchRun {
  wallMs: number;
  readMs: number;
  planMs: number;
  requests: number;
  retries: number;
  rateLimited: number;
  emulatorRequests: number;
  emulator429s: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  peakRssMiB: number;
  peakHeapUsedMiB: number;
  changes: number;
}

export interface PlanBenchResult {
  name: 'plan-10k';
  entities: number;
  latencyMs: number;
  rateLimit: number;
  lowerBoundRequests: number;
  longestChainPages: number;
  /** Longest page chain times the latency. */
  chainBoundMs: number;
  runs: PlanBenchRun[];
  /** Of the median run by wall time. */
  requestRatio: number;
  wallRatio: number;
  /** Every run: requests at the lower bound, no 429, an empty plan. */
  ok: boolean;
  wallTargetMet: boolean;
}

interface Child {
  url: string;
  orgId: string;
  apiKey: string;
  apiSecret: string;
  process: ChildProcess;
}

function startChildEmulator(): Promise<Child> {
  return startChild<Omit<Child, 'process'>>(import.meta.url, CHILD_FLAG);
}

const keyed = (orgId: string, apiSecret: string) => new FingerprintCache({ orgId, reveal: () => apiSecret });

/** Child side: the emulator with latency and the org rate limit, seeded; runs until stdin closes. */
async function runChild(): Promise<void> {
  const emu = await startEmulator({ latencyMs: LATENCY_MS, rateLimit: RATE_LIMIT });
  const state = generateState(emu.orgId, SIZES);
  const cache = keyed(emu.orgId, emu.apiSecret);
  let i = 0;
  for (const c of state.credentials) {
    if (c.ownerWebhookId === undefined) continue;
    c.name = await cache.compute(
      [new Secret('HOOK_KEY', hookKey(i)), new Secret('HOOK_SECRET', hookSecret(i))],
      Buffer.from(SALT_HEX, 'hex'),
    );
    i++;
  }
  await emu.admin.seed(state);
  process.stdout.write(
    `${JSON.stringify({ url: emu.url, orgId: emu.orgId, apiKey: emu.apiKey, apiSecret: emu.apiSecret })}\n`,
  );
  process.stdin.resume();
  process.stdin.once('end', () => void emu.close().then(() => process.exit(0)));
}

/** The files' side: exactly what the generator seeded, in canonical form. */
function desiredFromSeed(orgId: string): DesiredState {
  const s = generateState(orgId, SIZES);
  const d = emptyDesiredState();
  d.managedKinds = new Set<Kind>(['webhook', 'notificationRule', 'link']);
  const source = (pointer: string): SourceRef => ({ file: 'bench.yaml', line: 1, col: 1, pointer });
  const hookCode = new Map<string, string>();
  const ruleCode = new Map<string, string>();
  s.webhooks.forEach((w, i) => {
    const code = w.code as string;
    hookCode.set(w.id, code);
    const r: DesiredResource<'webhook'> = {
      kind: 'webhook',
      key: code,
      attributes: {
        name: w.name,
        description: w.description,
        url: w.url,
        active: w.active,
        credentialType: 'M3TER_SIGNED_REQUEST',
      },
      secrets: {
        apiKey: new Secret('HOOK_KEY', hookKey(i)),
        secret: new Secret('HOOK_SECRET', hookSecret(i)),
      },
      source: source(`/webhooks/${i}`),
    };
    d.resources.webhook.set(code, r);
  });
  s.notifications.forEach((n, i) => {
    ruleCode.set(n.id, n.code);
    const r: DesiredResource<'notificationRule'> = {
      kind: 'notificationRule',
      key: n.code,
      attributes: {
        name: n.name,
        description: n.description,
        eventName: n.eventName,
        calculation: n.calculation ?? null,
        active: n.active,
        alwaysFireEvent: n.alwaysFireEvent,
      },
      source: source(`/notificationRules/${i}`),
    };
    d.resources.notificationRule.set(n.code, r);
  });
  s.integrationConfigs.forEach((c, i) => {
    const rule = ruleCode.get(c.entityId ?? '') as string;
    const webhook = hookCode.get(c.destinationId ?? '') as string;
    const key = linkKey(rule, webhook);
    const r: DesiredResource<'link'> = {
      kind: 'link',
      key,
      attributes: { rule, webhook, active: c.enabled },
      source: source(`/links/${i}`),
    };
    d.resources.link.set(key, r);
  });
  return d;
}

function mib(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

async function once(child: Child, desired: DesiredState): Promise<PlanBenchRun> {
  const target: Target = {
    description: { type: 'm3ter', orgId: child.orgId, baseUrl: child.url },
    orgId: child.orgId,
    baseUrl: child.url,
    apiKey: child.apiKey,
    apiSecretReveal: () => child.apiSecret,
  };
  const admin = async (path: string, method = 'GET') =>
    (await (await fetch(`${child.url}/_emulator/${path}`, { method })).json()) as {
      total: number;
      statuses: Record<string, number>;
    };
  await admin('counters/reset', 'POST');
  // Starts on a fresh second so that earlier runs' requests do not share the emulator's window.
  await new Promise((r) => setTimeout(r, 1100));

  const client = createClient(target, { rateLimit: CLIENT_RATE });
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const sampler = setInterval(sample, 5);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  // The real plan path, as `m3ter-config plan` runs it: read every kind, check fingerprints, createPlan.
  // The proxy only notes when the last list page arrived, to split the wall time into read and plan.
  let t1 = 0;
  const timed = new Proxy(client, {
    get(c, prop) {
      if (prop === 'list') {
        return async (...args: Parameters<LiveClient['list']>) => {
          const pages = await c.list(...args);
          t1 = performance.now();
          return pages;
        };
      }
      const value: unknown = Reflect.get(c, prop);
      return typeof value === 'function' ? value.bind(c) : value;
    },
  });
  const { plan } = await planAgainst(desired, {
    target,
    client: timed,
    fingerprints: keyed(child.orgId, child.apiSecret),
    close: () => client.close(),
  });
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  sample();
  clearInterval(sampler);
  const stats = client.stats();
  await client.close();
  const counters = await admin('counters');
  return {
    wallMs: Math.round(t2 - t0),
    readMs: Math.round(t1 - t0),
    planMs: Math.round(t2 - t1),
    requests: stats.requests,
    retries: stats.retries,
    rateLimited: stats.rateLimited,
    emulatorRequests: counters.total,
    emulator429s: counters.statuses['429'] ?? 0,
    cpuUserMs: Math.round(cpu.user / 1000),
    cpuSystemMs: Math.round(cpu.system / 1000),
    peakRssMiB: mib(peakRss),
    peakHeapUsedMiB: mib(peakHeap),
    changes: plan.changes.length,
  };
}

export async function run(options: { runs?: number } = {}): Promise<PlanBenchResult> {
  const child = await startChildEmulator();
  try {
    const desired = desiredFromSeed(child.orgId);
    const pages = {
      webhook: Math.ceil(SIZES.webhooks / MAX_PAGE_SIZE.webhook),
      notificationRule: Math.ceil(SIZES.rules / MAX_PAGE_SIZE.notificationRule),
      link: Math.ceil(SIZES.links / MAX_PAGE_SIZE.integrationConfig),
    };
    const lowerBoundRequests = 1 + pages.webhook + pages.notificationRule + pages.link;
    const longestChainPages = Math.max(pages.webhook, pages.notificationRule, pages.link);
    const chainBoundMs = longestChainPages * LATENCY_MS;
    const runs: PlanBenchRun[] = [];
    for (let i = 0; i < (options.runs ?? 3); i++) runs.push(await once(child, desired));
    const median = [...runs].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(runs.length / 2)] as PlanBenchRun;
    const requestRatio = Math.round((median.requests / lowerBoundRequests) * 100) / 100;
    const wallRatio = Math.round((median.wallMs / chainBoundMs) * 100) / 100;
    const result: PlanBenchResult = {
      name: 'plan-10k',
      entities: SIZES.webhooks + SIZES.rules + SIZES.links,
      latencyMs: LATENCY_MS,
      rateLimit: RATE_LIMIT,
      lowerBoundRequests,
      longestChainPages,
      chainBoundMs,
      runs,
      requestRatio,
      wallRatio,
      ok: runs.every((r) => r.requests === lowerBoundRequests && r.changes === 0 && r.emulator429s === 0),
      wallTargetMet: wallRatio <= WALL_TARGET,
    };
    for (const [i, r] of runs.entries()) {
      console.log(
        `plan-10k run ${i + 1}: wall ${r.wallMs} ms (read ${r.readMs}, plan ${r.planMs}), ${r.requests} requests, ` +
          `${r.emulator429s} 429s, cpu ${r.cpuUserMs}+${r.cpuSystemMs} ms, peak rss ${r.peakRssMiB} MiB, ` +
          `heap ${r.peakHeapUsedMiB} MiB, ${r.changes} changes`,
      );
    }
    console.log(
      `plan-10k: requests ${median.requests} / lower bound ${lowerBoundRequests} = ${requestRatio.toFixed(2)}; ` +
        `wall ${median.wallMs} ms / (${longestChainPages} pages x ${LATENCY_MS} ms = ${chainBoundMs} ms) = ` +
        `${wallRatio.toFixed(2)}x (target <= ${WALL_TARGET}x: ${result.wallTargetMet ? 'met' : 'missed'}); ` +
        `client limiter ${CLIENT_RATE || 'off'}/s, emulator ${RATE_LIMIT || 'no'} limit; ${result.ok ? 'OK' : 'FAILED'}`,
    );
    return result;
  } finally {
    child.process.stdin?.end();
    await new Promise((r) => child.process.once('exit', r));
  }
}

await benchMain(import.meta.url, CHILD_FLAG, { runChild, run });
