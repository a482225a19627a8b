/**
 * Emulator GET throughput: one emulator process (one core) over loopback, no faults, no rate limit, driven by a
 * keep-alive undici Pool from a separate process so the load generator does not share the emulator's core.
 * Target: at least 5,000 GETs per second. Run on its own with `npx tsx bench/emulator-get.ts`.
 */
import type { ChildProcess } from 'node:child_process';
import { Pool } from 'undici';
import { benchMain, startChild } from './child.js';
import { startEmulator } from '../src/emulator/index.js';

const CHILD_FLAG = 'M3TER_EMULATOR_BENCH_CHILD';
const TARGET_PER_SECOND = 5_000;

export interface EmulatorGetResult {
  name: 'emulator-get';
  /** GET one webhook by id, per second. */
  getByIdPerSecond: number;
  /** GET a list page of 10 webhooks, per second. */
  listPerSecond: number;
  requests: number;
  errors: number;
  durationMs: number;
  target: number;
  ok: boolean;
}

interface Child {
  url: string;
  orgId: string;
  token: string;
  ids: string[];
  process: ChildProcess;
}

function startChildEmulator(): Promise<Child> {
  return startChild<Omit<Child, 'process'>>(import.meta.url, CHILD_FLAG);
}

/** Child side: start the emulator, seed 100 webhooks, print what the parent needs, run until stdin closes. */
async function runChild(): Promise<void> {
  const emu = await startEmulator({ rateLimit: 0 });
  const basic = Buffer.from(`${emu.apiKey}:${emu.apiSecret}`).toString('base64');
  const tokenRes = await fetch(`${emu.url}/oauth/token`, {
    method: 'POST',
    headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/json' },
    body: '{"grant_type":"client_credentials"}',
  });
  const token = ((await tokenRes.json()) as { access_token: string }).access_token;
  const ids: string[] = [];
  for (let i = 0; i < 100; i++) {
    const r = await fetch(`${emu.url}/organizations/${emu.orgId}/integrationdestinations/webhooks`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: `Hook ${i}`,
        description: 'bench',
        url: `https://hooks.example.com/${i}`,
        code: `hook_${i}`,
        credentials: { type: 'M3TER_SIGNED_REQUEST', apiKey: 'k', secret: 's' },
      }),
    });
    ids.push(((await r.json()) as { id: string }).id);
  }
  process.stdout.write(`${JSON.stringify({ url: emu.url, orgId: emu.orgId, token, ids })}\n`);
  process.stdin.resume();
  process.stdin.once('end', () => void emu.close().then(() => process.exit(0)));
}

async function drive(
  pool: Pool,
  paths: (i: number) => string,
  token: string,
  ms: number,
  inFlight: number,
): Promise<{ done: number; errors: number }> {
  const deadline = performance.now() + ms;
  let done = 0;
  let errors = 0;
  let i = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const r = await pool.request({
        method: 'GET',
        path: paths(i++),
        headers: { authorization: `Bearer ${token}` },
      });
      await r.body.dump();
      if (r.statusCode === 200) done++;
      else errors++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { done, errors };
}

export async function run(options: { durationMs?: number } = {}): Promise<EmulatorGetResult> {
  const durationMs = options.durationMs ?? 3_000;
  const child = await startChildEmulator();
  const pool = new Pool(child.url, { connections: 8, pipelining: 8, keepAliveTimeout: 30_000 });
  try {
    const base = `/organizations/${child.orgId}/integrationdestinations/webhooks`;
    const byId = (i: number) => `${base}/${child.ids[i % child.ids.length]}`;
    const list = () => `${base}?pageSize=10`;
    await drive(pool, byId, child.token, 500, 64); // warm-up
    const get = await drive(pool, byId, child.token, durationMs, 64);
    const lst = await drive(pool, list, child.token, durationMs, 64);
    const getByIdPerSecond = Math.round((get.done * 1000) / durationMs);
    const listPerSecond = Math.round((lst.done * 1000) / durationMs);
    const result: EmulatorGetResult = {
      name: 'emulator-get',
      getByIdPerSecond,
      listPerSecond,
      requests: get.done + lst.done,
      errors: get.errors + lst.errors,
      durationMs: durationMs * 2,
      target: TARGET_PER_SECOND,
      ok: getByIdPerSecond >= TARGET_PER_SECOND && get.errors + lst.errors === 0,
    };
    console.log(
      `emulator-get: ${getByIdPerSecond} GET/s by id, ${listPerSecond} GET/s list of 10 (one emulator core, loopback, no faults; target >= ${TARGET_PER_SECOND}/s) ${result.ok ? 'OK' : 'BELOW TARGET'}`,
    );
    return result;
  } finally {
    await pool.close();
    child.process.stdin?.end();
    await new Promise((r) => child.process.once('exit', r));
  }
}

await benchMain(import.meta.url, CHILD_FLAG, { runChild, run });
