/**
 * The CLI as users run it (issue 10): `node bin/m3ter-config.js ...` (what `npx m3ter-config` runs: the built
 * dist/), timed from spawn to exit, against an emulator in another process with m3ter's 50 requests/second and a
 * latency of 0, 10, 30 and 100 ms. The org: 2,000 webhooks, each with its OWN api key and secret (fingerprints
 * written as the CLI writes them, keyed by the API secret), 4,000 rules, 4,000 links; the files declare exactly
 * that, so the plan is empty. Median of several runs. Also: --version and validate start-up, validate of 10,000
 * entities clean vs with 4,000 errors, and peak RSS of plan at 50,000 entities. Exits non-zero on a missed
 * target. Timings are only as quiet as the machine: run it alone.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchMain, startChild } from './child.js';
import { startEmulator } from '../src/emulator/index.js';
import { MAX_PAGE_SIZE } from '../src/live/paths.js';
import { FingerprintCache, newFingerprintSalt } from '../src/model/fingerprint.js';
import { Secret } from '../src/model/secret.js';
import { generateState, type SeedSizes } from '../test/integration/live/seed.js';

const CHILD_FLAG = 'M3TER_CLI_BENCH_CHILD';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin/m3ter-config.js');
const SIZES_10K: SeedSizes = { webhooks: 2_000, rules: 4_000, links: 4_000 };
const SIZES_50K: SeedSizes = { webhooks: 10_000, rules: 20_000, links: 20_000 };
const LATENCIES = [0, 10, 30, 100];
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);

const hookKey = (i: number) => `bench-key-${i}`;
const hookSecret = (i: number) => `bench-secret-${i}-${(i * 7919) % 10007}`;

interface Child {
  url: string;
  orgId: string;
  apiKey: string;
  apiSecret: string;
  process: ReturnType<typeof spawn>;
}

/** Child side: a seeded emulator; BENCH_SIZES and BENCH_LATENCY in its environment. */
async function runChild(): Promise<void> {
  const sizes = JSON.parse(process.env['BENCH_SIZES'] ?? '{}') as SeedSizes;
  const emu = await startEmulator({ latencyMs: Number(process.env['BENCH_LATENCY'] ?? 0), rateLimit: 50 });
  const state = generateState(emu.orgId, sizes);
  // Fingerprints as the CLI writes them: keyed by the API secret it runs with, one distinct secret per webhook.
  const cache = new FingerprintCache({ orgId: emu.orgId, reveal: () => emu.apiSecret });
  const salt = newFingerprintSalt();
  let i = 0;
  for (const c of state.credentials) {
    if (c.ownerWebhookId === undefined) continue;
    c.name = await cache.compute([new Secret('K', hookKey(i)), new Secret('S', hookSecret(i))], salt);
    i++;
  }
  await emu.admin.seed(state);
  process.stdout.write(
    `${JSON.stringify({ url: emu.url, orgId: emu.orgId, apiKey: emu.apiKey, apiSecret: emu.apiSecret })}\n`,
  );
  process.stdin.resume();
  process.stdin.once('end', () => void emu.close().then(() => process.exit(0)));
}

export function startEmu(sizes: SeedSizes, latency: number): Promise<Child> {
  process.env['BENCH_SIZES'] = JSON.stringify(sizes);
  process.env['BENCH_LATENCY'] = String(latency);
  return startChild<Omit<Child, 'process'>>(import.meta.url, CHILD_FLAG) as Promise<Child>;
}

export async function stopEmu(child: Child): Promise<void> {
  child.process.stdin?.end();
  await new Promise((r) => child.process.once('exit', r));
}

/** The files: what the generator seeds, as YAML, with secret references; `errors` adds problems. */
export function writeFiles(
  sizes: SeedSizes,
  errors: 'none' | 'dangling' | 'schema' = 'none',
): { dir: string; env: Record<string, string> } {
  const s = generateState('org', sizes);
  const env: Record<string, string> = {};
  const out: string[] = ['webhooks:'];
  const hookCode = new Map<string, string>();
  const ruleCode = new Map<string, string>();
  s.webhooks.forEach((w, i) => {
    hookCode.set(w.id, w.code as string);
    env[`HOOK_${i}_KEY`] = hookKey(i);
    env[`HOOK_${i}_SECRET`] = hookSecret(i);
    out.push(
      `  - code: ${w.code}`,
      `    name: ${w.name}`,
      `    description: ${w.description}`,
      `    url: ${w.url}`,
      `    active: ${w.active}`,
      '    credentials:',
      '      type: M3TER_SIGNED_REQUEST',
      `      apiKey: { env: HOOK_${i}_KEY }`,
      `      secret: { env: HOOK_${i}_SECRET }`,
    );
  });
  out.push('notificationRules:');
  s.notifications.forEach((n, i) => {
    ruleCode.set(n.id, n.code);
    const bad = errors === 'schema' && i < 4_000;
    out.push(
      `  - code: ${n.code}`,
      `    name: ${n.name}`,
      `    description: ${n.description}`,
      `    eventName: ${bad ? 'Not An Event' : n.eventName}`,
      `    active: ${n.active}`,
      `    alwaysFireEvent: ${n.alwaysFireEvent}`,
    );
    if (n.calculation) out.push(`    calculation: ${JSON.stringify(n.calculation)}`);
  });
  out.push('links:');
  s.integrationConfigs.forEach((c, i) => {
    const hook = hookCode.get(c.destinationId ?? '') as string;
    const dangling = errors === 'dangling' && i < 4_000;
    out.push(
      `  - rule: ${ruleCode.get(c.entityId ?? '')}`,
      `    webhook: ${dangling ? `${hook}x` : hook}`,
      `    active: ${c.enabled}`,
    );
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'm3ter-bench-'));
  writeFileSync(path.join(dir, 'm3ter.yaml'), `${out.join('\n')}\n`);
  return { dir, env };
}

interface Timed {
  ms: number;
  code: number | null;
  peakRssMiB: number;
  stdout: string;
}

/** One CLI process, spawn to exit; peak RSS from GNU time when it is there. */
function cli(args: string[], env: Record<string, string | undefined>): Promise<Timed> {
  const gnuTime = existsSync('/usr/bin/time');
  const cmd = gnuTime ? '/usr/bin/time' : process.execPath;
  const argv = gnuTime ? ['-f', 'M3TER_BENCH_RSS %M', process.execPath, BIN, ...args] : [BIN, ...args];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(cmd, argv, {
      env: { PATH: process.env['PATH'], ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.once('error', reject);
    p.once('exit', (code) => {
      const ms = performance.now() - t0;
      const rss = /M3TER_BENCH_RSS (\d+)/.exec(stderr);
      resolve({ ms, code, peakRssMiB: rss ? Number(rss[1]) / 1024 : Number.NaN, stdout });
    });
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const round = (x: number): number => Math.round(x);

interface Check {
  name: string;
  value: string;
  bound: string;
  ok: boolean;
}

async function counters(child: Child): Promise<{ total: number; statuses: Record<string, number> }> {
  return (await (await fetch(`${child.url}/_emulator/counters`)).json()) as {
    total: number;
    statuses: Record<string, number>;
  };
}

async function planRuns(sizes: SeedSizes, latency: number, runs: number) {
  const files = writeFiles(sizes);
  const child = await startEmu(sizes, latency);
  try {
    const env = {
      ...files.env,
      M3TER_ORG_ID: child.orgId,
      M3TER_API_KEY: child.apiKey,
      M3TER_API_SECRET: child.apiSecret,
      M3TER_BASE_URL: child.url,
      NO_COLOR: '1',
    };
    const out: (Timed & { requests: number; r429: number })[] = [];
    for (let i = 0; i < runs; i++) {
      await fetch(`${child.url}/_emulator/counters/reset`, { method: 'POST' });
      // A fresh second: earlier runs' requests must not share the emulator's window.
      await new Promise((r) => setTimeout(r, 1100));
      const t = await cli(['plan', files.dir, '--detailed-exitcode'], env);
      const c = await counters(child);
      out.push({ ...t, requests: c.total, r429: c.statuses['429'] ?? 0 });
    }
    return out;
  } finally {
    await stopEmu(child);
  }
}

export async function run(): Promise<{ ok: boolean; checks: Check[] }> {
  if (!existsSync(path.join(ROOT, 'dist/cli/bin.js'))) throw new Error('run `npm run build` first');
  const checks: Check[] = [];
  const check = (name: string, value: string, bound: string, ok: boolean) => {
    checks.push({ name, value, bound, ok });
    console.log(`${ok ? 'ok    ' : 'MISSED'} ${name}: ${value} (bound ${bound})`);
  };

  // Start-up.
  const version: number[] = [];
  const validateQs: number[] = [];
  const node0: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    version.push((await cli(['--version'], {})).ms);
    validateQs.push((await cli(['validate', path.join(ROOT, 'examples/quickstart')], {})).ms);
    const t0 = performance.now();
    await new Promise((r) => spawn(process.execPath, ['-e', '0']).once('exit', r));
    node0.push(performance.now() - t0);
  }
  console.log(`node -e 0: ${round(median(node0))} ms (the floor on this machine)`);
  check('--version, whole process', `${round(median(version))} ms`, '120 ms', median(version) < 120);
  check(
    'validate examples/quickstart',
    `${round(median(validateQs))} ms`,
    '200 ms',
    median(validateQs) < 200,
  );

  // validate at 10,000 entities: clean, 4,000 dangling links, 4,000 schema errors.
  const v: Record<string, number> = {};
  for (const kind of ['none', 'dangling', 'schema'] as const) {
    const files = writeFiles(SIZES_10K, kind);
    const ms: number[] = [];
    for (let i = 0; i < Math.max(3, Math.floor(RUNS / 2)); i++) {
      const t = await cli(['validate', files.dir], files.env);
      if ((t.code === 0) !== (kind === 'none')) throw new Error(`validate (${kind}) exited ${t.code}`);
      ms.push(t.ms);
    }
    v[kind] = median(ms);
  }
  console.log(
    `validate 10k: clean ${round(v['none']!)} ms, 4,000 dangling ${round(v['dangling']!)} ms, 4,000 schema errors ${round(v['schema']!)} ms`,
  );
  for (const kind of ['dangling', 'schema'] as const) {
    const ratio = v[kind]! / v['none']!;
    check(`validate 10k with 4,000 ${kind} errors vs clean`, `${ratio.toFixed(2)}x`, '1.5x', ratio <= 1.5);
  }

  // plan at 10,000 entities, distinct secrets, every latency.
  const pages =
    Math.ceil(SIZES_10K.webhooks / MAX_PAGE_SIZE.webhook) +
    Math.ceil(SIZES_10K.rules / MAX_PAGE_SIZE.notificationRule) +
    Math.ceil(SIZES_10K.links / MAX_PAGE_SIZE.integrationConfig);
  const lowerBound = 1 + pages; // the token and every page (the files manage no credentials: not read)
  const chainPages = Math.ceil(SIZES_10K.rules / MAX_PAGE_SIZE.notificationRule);
  const planMs: Record<number, number> = {};
  for (const latency of LATENCIES) {
    const runs = await planRuns(SIZES_10K, latency, RUNS);
    for (const r of runs)
      if (r.code !== 0) throw new Error(`plan exited ${r.code}: ${r.stdout.slice(0, 500)}`);
    const m = median(runs.map((r) => r.ms));
    planMs[latency] = m;
    const requests = median(runs.map((r) => r.requests));
    const r429 = Math.max(...runs.map((r) => r.r429));
    const bound = (1 + chainPages) * latency;
    console.log(
      `plan 10k @ ${latency} ms: median ${round(m)} ms of [${runs.map((r) => round(r.ms)).join(', ')}], ` +
        `chain bound ${bound} ms, ${requests} requests (lower bound ${lowerBound}), ${r429} 429s, ` +
        `peak rss ${round(median(runs.map((r) => r.peakRssMiB)))} MiB`,
    );
    check(
      `plan 10k @ ${latency} ms requests / lower bound`,
      (requests / lowerBound).toFixed(2),
      '1.00',
      requests === lowerBound,
    );
    check(`plan 10k @ ${latency} ms 429s`, String(r429), '0', r429 === 0);
    if (latency === 30)
      check(
        'plan 10k @ 30 ms, whole process',
        `${round(m)} ms`,
        `1.5 x ${bound} = ${round(1.5 * bound)} ms`,
        m <= 1.5 * bound,
      );
    if (latency === 0) check('plan 10k @ 0 ms, whole process', `${round(m)} ms`, '1500 ms', m < 1500);
  }
  for (let i = 1; i < LATENCIES.length; i++) {
    const lo = LATENCIES[i - 1] as number;
    const hi = LATENCIES[i] as number;
    check(
      `plan @ ${lo} ms no slower than @ ${hi} ms`,
      `${round(planMs[lo]!)} vs ${round(planMs[hi]!)} ms`,
      '<=',
      planMs[lo]! <= planMs[hi]! * 1.05,
    );
  }

  // Peak RSS of plan at 50,000 entities (0 ms latency; three runs).
  const big = await planRuns(SIZES_50K, 0, 3);
  const rss = median(big.map((r) => r.peakRssMiB));
  console.log(`plan 50k @ 0 ms: ${round(median(big.map((r) => r.ms)))} ms, exit ${big[0]?.code}`);
  check('plan 50k peak RSS', `${round(rss)} MiB`, '300 MiB', rss < 300);

  const ok = checks.every((c) => c.ok);
  console.log(`cli-e2e: ${checks.filter((c) => c.ok).length}/${checks.length} targets met`);
  return { ok, checks };
}

await benchMain(import.meta.url, CHILD_FLAG, { runChild, run });
