import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type EmulatorState, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { type HostileProxy, type HostileScenario, startHostileProxy } from '../helpers/hostile-proxy.js';
import { type CliRun, runCli, tempDir } from './run-cli.js';

/**
 * The core promise under a misbehaving server: a list answer that cannot be trusted never becomes a create or a
 * delete. The CLI runs against a hostile proxy in front of the emulator; the emulator's own counters and state
 * prove that no write reached it.
 */

const SECRETS = { HOOK_KEY: 'hostile-test-api-key', HOOK_SECRET: 'hostile-test-webhook-secret' };

const CONFIG = `webhooks:
  - code: hook_a
    name: Hook A
    description: The first webhook
    url: https://hooks.example.com/a
    credentials:
      type: M3TER_SIGNED_REQUEST
      apiKey: { env: HOOK_KEY }
      secret: { env: HOOK_SECRET }
  - code: hook_b
    name: Hook B
    description: The second webhook
    url: https://hooks.example.com/b
    credentials:
      type: M3TER_SIGNED_REQUEST
      apiKey: { env: HOOK_KEY }
      secret: { env: HOOK_SECRET }
notificationRules:
  - code: rule_a
    name: Rule A
    description: Bills
    eventName: billing.bill.created
  - code: rule_b
    name: Rule B
    description: Commitments
    eventName: configuration.commitment.updated
links:
  - rule: rule_a
    webhook: hook_a
  - rule: rule_b
    webhook: hook_b
`;

const WEBHOOKS = /\/integrationdestinations\/webhooks$/;
const RULES = /\/notifications\/configurations$/;
const RULES_AND_ONE = /\/notifications\/configurations(\/[^/]+)?$/;

let emulator: RunningEmulator;
let proxy: HostileProxy | undefined;
let cwd: string;

function env(baseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    M3TER_ORG_ID: emulator.orgId,
    M3TER_API_KEY: emulator.apiKey,
    M3TER_API_SECRET: emulator.apiSecret,
    M3TER_BASE_URL: baseUrl,
    ...SECRETS,
    ...extra,
  };
}

/** The org after the config was applied, once for the file (seeding is much faster than applying again). */
let applied: EmulatorState;

/** The applied org, the config edited by `edit` in a fresh folder, and the emulator's counters at zero. */
async function seed(edit: (yaml: string) => string = (y) => y): Promise<void> {
  await emulator.admin.seed(applied);
  writeFileSync(path.join(cwd, 'm3ter.yaml'), edit(CONFIG));
  emulator.admin.resetCounters();
}

async function hostile(scenario: HostileScenario, pageSize?: number): Promise<HostileProxy> {
  proxy = await startHostileProxy({
    target: emulator.url,
    scenario,
    ...(pageSize !== undefined ? { pageSize } : {}),
  });
  return proxy;
}

/** Writes that reached the emulator, by `METHOD /route`. */
function emulatorWrites(): string[] {
  return Object.keys(emulator.admin.counters().requests).filter(
    (k) => !k.startsWith('GET ') && !k.endsWith('/oauth/token'),
  );
}

function run(args: string[], extra: Record<string, string> = {}): Promise<CliRun> {
  if (!proxy) throw new Error('no proxy');
  return runCli(args, { cwd, env: env(proxy.url, extra) });
}

/** plan and apply through the proxy both fail with exit 1 and `message`, and the org is exactly as before. */
async function expectRefused(message: RegExp, extra: Record<string, string> = {}): Promise<void> {
  const before = emulator.admin.exportState();
  for (const args of [
    ['plan', '.'],
    ['apply', '.', '--auto-approve'],
  ]) {
    const r = await run(args, extra);
    expect(r.code, `${args[0]}: ${r.stdout}${r.stderr}`).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Nothing was planned or changed from it/);
    expect(r.stdout).not.toMatch(/to delete|to create/);
    for (const secret of Object.values(SECRETS)) expect(`${r.stdout}${r.stderr}`).not.toContain(secret);
  }
  expect(proxy?.writes).toEqual([]);
  expect(emulatorWrites()).toEqual([]);
  expect(emulator.admin.exportState()).toEqual(before);
}

beforeAll(async () => {
  emulator = await startEmulator();
  cwd = tempDir();
  writeFileSync(path.join(cwd, 'm3ter.yaml'), CONFIG);
  const r = await runCli(['apply', '.', '--auto-approve'], { cwd, env: env(emulator.url) });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  applied = emulator.admin.exportState();
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(() => {
  cwd = tempDir();
});

afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

describe('a list that repeats an entity (offset paging while something is created)', () => {
  it('once: the list is read again, the plan is exact, and apply writes only the declared update', async () => {
    await seed((y) => y.replace('name: Hook A', 'name: Hook A (renamed)'));
    await hostile({ type: 'repeat-item', path: WEBHOOKS, reads: 1 }, 1);
    const plan = await run(['plan', '.']);
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('Plan: 0 to create, 1 to update, 0 to delete.');
    expect(proxy?.spoiled).toBe(1);
    expect(emulatorWrites()).toEqual([]);

    await proxy?.close();
    await hostile({ type: 'repeat-item', path: WEBHOOKS, reads: 1 }, 1);
    const apply = await run(['apply', '.', '--auto-approve']);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect(proxy?.spoiled).toBe(1);
    expect(proxy?.writes).toEqual([
      expect.stringMatching(/^PUT .*\/integrationdestinations\/webhooks\/[^/]+$/),
    ]);
    expect(
      emulator.admin
        .exportState()
        .webhooks.map((w) => w.name)
        .sort(),
    ).toEqual(['Hook A (renamed)', 'Hook B']);
  });

  it('always: plan and apply stop with a clear error and nothing is written', async () => {
    await seed();
    await hostile({ type: 'repeat-item', path: WEBHOOKS, reads: 1_000 }, 1);
    await expectRefused(
      /m3ter's list of webhook destinations cannot be trusted: GET \/integrationdestinations\/webhooks: the id "[^"]+" appears twice .*read again from the first page/,
    );
  });

  it('the same for notification rules', async () => {
    await seed();
    await hostile({ type: 'repeat-item', path: RULES, reads: 1_000 }, 1);
    await expectRefused(/list of notification rules cannot be trusted: .*appears twice/);
  });

  it('the same for links (integration configurations)', async () => {
    await seed();
    await hostile({ type: 'repeat-item', path: /\/integrationconfigs$/, reads: 1_000 }, 1);
    await expectRefused(/list of integration configurations cannot be trusted: .*appears twice/);
  });
});

describe('page tokens', () => {
  it('a nextToken chain that never ends stops at the page bound, in bounded time', async () => {
    await seed();
    await hostile({ type: 'endless-tokens', path: RULES });
    await expectRefused(/still sent a next page after 25 pages; the list never ends/, {
      M3TER_CONFIG_MAX_LIST_PAGES: '25',
    });
    // plan and apply each read 25 pages and no more (the bound is not retried).
    expect(proxy?.pagesServed).toBe(50);
  });

  it.each([
    ['a number', 42],
    ['an object', { next: 'abc' }],
  ])('a nextToken that is %s is an error, not the last page', async (kind, token) => {
    await seed();
    await hostile({ type: 'token', path: RULES, token }, 1);
    await expectRefused(new RegExp(`page 1 has a nextToken that is ${kind}, not a string`));
  });

  it('a bad list bound in the environment is a clear error before anything is read', async () => {
    await seed();
    await hostile({ type: 'endless-tokens', path: RULES });
    const r = await run(['plan', '.'], { M3TER_CONFIG_MAX_LIST_PAGES: 'lots' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('M3TER_CONFIG_MAX_LIST_PAGES must be a whole number');
    expect(proxy?.pagesServed).toBe(0);
  });
});

describe('entities without a version', () => {
  it('are an error, never version 0, and no PUT is sent', async () => {
    await seed((y) => y.replace('name: Rule A', 'name: Rule A (renamed)'));
    await hostile({ type: 'strip-version', path: RULES_AND_ONE });
    await expectRefused(/list of notification rules cannot be trusted: .*has no version/);
  });
});
