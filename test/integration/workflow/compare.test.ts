import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/index.js';
import type { Environment } from '../../../src/model/environment.js';
import type { DesiredState } from '../../../src/model/state.js';
import { runApply } from '../../../src/workflow/apply.js';
import {
  compareEnvironments,
  environmentTargetEnv,
  type LoadedEnvironment,
} from '../../../src/workflow/compare.js';
import { loadDesired, planAgainst } from '../../../src/workflow/plan.js';
import { openSession } from '../../../src/workflow/session.js';

/**
 * compare's workflow against two emulators on loopback: the same files applied to both match; a change by hand in
 * one org is found; each org is read with its own environment's target, never with the shell's M3TER_* variables.
 */

const emulators: RunningEmulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

const SECRETS = { HOOK_KEY: 'hook-key-value', HOOK_SECRET: 'hook-secret-value-123' };

function files(url: string): string {
  return `webhooks:
  - code: ops
    name: Ops
    description: Ops alerts
    url: ${url}
    credentials:
      apiKey: { env: HOOK_KEY }
      secret: { env: HOOK_SECRET }
notificationRules:
  - code: low
    name: Low balance
    description: Balance is low
    eventName: configuration.commitment.updated
links:
  - rule: low
    webhook: ops
`;
}

async function applyTo(emu: RunningEmulator, dir: string, yaml: string): Promise<DesiredState> {
  writeFileSync(path.join(dir, 'm3ter.yaml'), yaml);
  const { state } = await loadDesired(['m3ter.yaml'], { env: SECRETS, cwd: dir });
  const session = await openSession({
    env: {
      M3TER_ORG_ID: emu.orgId,
      M3TER_API_KEY: emu.apiKey,
      M3TER_API_SECRET: emu.apiSecret,
      M3TER_BASE_URL: emu.url,
    },
    cwd: dir,
  });
  try {
    const planned = await planAgainst(state, session, { cwd: dir, onlineChecks: 'skip' });
    await runApply(session, planned.plan, { planned });
  } finally {
    await session.close();
  }
  return state;
}

function environmentOf(name: string, emu: RunningEmulator, production: boolean): Environment {
  const prefix = name.toUpperCase();
  return {
    name,
    orgId: emu.orgId,
    production,
    vars: {},
    target: { apiKey: `${prefix}_KEY`, apiSecret: `${prefix}_SECRET`, baseUrl: `${prefix}_URL` },
    include: [],
    source: { file: 'm3ter.yaml', line: 1, col: 1, pointer: `/environments/${name}` },
  };
}

function targetEnv(...emus: [string, RunningEmulator][]): Record<string, string> {
  const env: Record<string, string> = {
    // The shell's own target: compare must not read it (there are two orgs).
    M3TER_ORG_ID: 'not-this-org',
    M3TER_API_KEY: 'not-this-key',
    M3TER_API_SECRET: 'not-this-secret',
    M3TER_BASE_URL: 'http://127.0.0.1:9',
  };
  for (const [name, emu] of emus) {
    const p = name.toUpperCase();
    env[`${p}_KEY`] = emu.apiKey;
    env[`${p}_SECRET`] = emu.apiSecret;
    env[`${p}_URL`] = emu.url;
  }
  return env;
}

/** A change by hand: the rule read, its description edited, and written back with its version. */
async function editRuleByHand(emu: RunningEmulator, code: string, description: string): Promise<void> {
  const basic = Buffer.from(`${emu.apiKey}:${emu.apiSecret}`).toString('base64');
  const token = (
    (await (
      await fetch(`${emu.url}/oauth/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credentials' }),
      })
    ).json()) as { access_token: string }
  ).access_token;
  const base = `${emu.url}/organizations/${emu.orgId}/notifications/configurations`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const list = (await (await fetch(base, { headers })).json()) as { data: { id: string; code: string }[] };
  const rule = list.data.find((r) => r.code === code)!;
  const current = (await (await fetch(`${base}/${rule.id}`, { headers })).json()) as Record<string, unknown>;
  const res = await fetch(`${base}/${rule.id}`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ ...current, description }),
  });
  expect(res.status).toBe(200);
}

describe('compareEnvironments', () => {
  it('the same files applied to two orgs match; an edit by hand in one is found, field by field', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'm3ter-compare-'));
    const [sbx, prd] = [await startEmulator({ rateLimit: 0 }), await startEmulator({ rateLimit: 0 })];
    emulators.push(sbx, prd);
    const desired = await applyTo(sbx, dir, files('https://hooks.example.test/ops'));
    await applyTo(prd, dir, files('https://hooks.example.test/ops'));
    const a: LoadedEnvironment = { environment: environmentOf('sandbox', sbx, false), desired };
    const b: LoadedEnvironment = { environment: environmentOf('production', prd, true), desired };
    const env = targetEnv(['sandbox', sbx], ['production', prd]);

    const same = await compareEnvironments(a, b, { env, cwd: dir });
    expect(same.report).toMatchObject({
      differ: false,
      items: [],
      comparedKinds: ['webhook', 'notificationRule', 'link'],
      a: { environment: 'sandbox', target: { type: 'm3ter', orgId: sbx.orgId, baseUrl: sbx.url } },
      b: { environment: 'production', target: { type: 'm3ter', orgId: prd.orgId, baseUrl: prd.url } },
    });

    await editRuleByHand(prd, 'low', 'edited in the Console');
    for (const emu of [sbx, prd]) emu.admin.resetCounters();
    const differ = await compareEnvironments(a, b, { env, cwd: dir });
    expect(differ.report.items).toEqual([
      expect.objectContaining({
        kind: 'notificationRule',
        key: 'low',
        class: 'differs',
        fields: [{ field: 'description', a: 'Balance is low', b: 'edited in the Console' }],
      }),
    ]);
    // Only reads were sent to either org (and each org's token request).
    for (const emu of [sbx, prd]) {
      const sent = Object.keys(emu.admin.counters().requests);
      expect(sent.some((r) => r.startsWith('GET '))).toBe(true);
      expect(sent.filter((r) => !r.startsWith('GET ') && !r.includes('/oauth/token'))).toEqual([]);
    }
    expect(JSON.stringify(differ.report)).not.toContain(SECRETS.HOOK_SECRET);
  });

  it('a field the files write with a var is held to each org own environment value', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'm3ter-compare-'));
    const [sbx, prd] = [await startEmulator({ rateLimit: 0 }), await startEmulator({ rateLimit: 0 })];
    emulators.push(sbx, prd);
    const withUrlVar = (s: DesiredState): DesiredState => {
      const hook = s.resources.webhook.get('ops')!;
      s.resources.webhook.set('ops', { ...hook, varAttributes: new Set(['url']) });
      return s;
    };
    const desiredA = withUrlVar(await applyTo(sbx, dir, files('https://sandbox.example.test/ops')));
    const desiredB = withUrlVar(await applyTo(prd, dir, files('https://prod.example.test/ops')));
    const a = { environment: environmentOf('sandbox', sbx, false), desired: desiredA };
    const b = { environment: environmentOf('production', prd, true), desired: desiredB };
    const env = targetEnv(['sandbox', sbx], ['production', prd]);
    const { report } = await compareEnvironments(a, b, { env, cwd: dir });
    expect(report).toMatchObject({ differ: false, summary: { varFieldsInOrder: 1 } });
    // Production made to hold sandbox's URL: the orgs now agree, and that is the difference.
    await applyTo(prd, dir, files('https://sandbox.example.test/ops'));
    const after = await compareEnvironments(a, b, { env, cwd: dir });
    expect(after.report.items).toEqual([
      expect.objectContaining({
        key: 'ops',
        fields: [
          {
            field: 'url',
            a: 'https://sandbox.example.test/ops',
            b: 'https://sandbox.example.test/ops',
            expected: { a: 'https://sandbox.example.test/ops', b: 'https://prod.example.test/ops' },
          },
        ],
      }),
    ]);
  });

  it('a target with no variable, or an unset one, is an error naming it, before any request', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'm3ter-compare-'));
    const sbx = await startEmulator({ rateLimit: 0 });
    emulators.push(sbx);
    const desired = await applyTo(sbx, dir, files('https://hooks.example.test/ops'));
    sbx.admin.resetCounters();
    const a = { environment: environmentOf('sandbox', sbx, false), desired };
    const b = { environment: environmentOf('production', sbx, true), desired };
    const env = targetEnv(['sandbox', sbx]);
    await expect(compareEnvironments(a, b, { env, cwd: dir })).rejects.toThrow(
      'environment "production" reads its org with PRODUCTION_KEY, PRODUCTION_SECRET and PRODUCTION_URL (its target), but PRODUCTION_KEY, PRODUCTION_SECRET and PRODUCTION_URL are not set',
    );
    expect(sbx.admin.counters().requests).toEqual({});
    const noTarget = { ...b, environment: { ...b.environment, target: { apiKey: 'PRODUCTION_KEY' } } };
    expect(() => environmentTargetEnv(noTarget.environment, env)).toThrow(
      'environment "production" has no target apiSecret',
    );
  });

  it('two environments naming the same org are refused before any request: an org compared with itself always matches', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'm3ter-compare-'));
    const sbx = await startEmulator({ rateLimit: 0 });
    emulators.push(sbx);
    const desired = await applyTo(sbx, dir, files('https://hooks.example.test/ops'));
    sbx.admin.resetCounters();
    const a = { environment: environmentOf('sandbox', sbx, false), desired };
    const b = { environment: environmentOf('production', sbx, true), desired };
    const env = targetEnv(['sandbox', sbx], ['production', sbx]);
    await expect(compareEnvironments(a, b, { env, cwd: dir })).rejects.toThrow(
      `environments "sandbox" and "production" both name org ${JSON.stringify(sbx.orgId)}`,
    );
    expect(sbx.admin.counters().requests).toEqual({});
  });

  it('an org that answers a bad list is an error, never a match nor a difference', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'm3ter-compare-'));
    const sbx = await startEmulator({ rateLimit: 0 });
    emulators.push(sbx);
    const desired = await applyTo(sbx, dir, files('https://hooks.example.test/ops'));
    // A server that grants a token, then answers every list with something that is not a list.
    const bad = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url?.includes('/oauth/token'))
        res.end(JSON.stringify({ access_token: 't', token_type: 'Bearer', expires_in: 3600 }));
      else if (req.url?.includes('/users/me'))
        res.end(JSON.stringify({ organization: { id: 'org-bad', type: 'PRODUCTION' } }));
      else res.end(JSON.stringify({ data: { not: 'a list' } }));
    });
    await new Promise<void>((r) => bad.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(bad.address() as AddressInfo).port}`;
      const a = { environment: environmentOf('sandbox', sbx, false), desired };
      const b = {
        environment: environmentOf('production', { orgId: 'org-bad' } as RunningEmulator, true),
        desired,
      };
      const env = {
        ...targetEnv(['sandbox', sbx]),
        PRODUCTION_KEY: 'k',
        PRODUCTION_SECRET: 's',
        PRODUCTION_URL: url,
      };
      const failed = await compareEnvironments(a, b, { env, cwd: dir }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(String(failed)).toMatch(/list of .* cannot be trusted/);
    } finally {
      await new Promise((r) => bad.close(r));
    }
  });

  it("the session env: the environment's org id and named variables, none of the shell's M3TER_* target", () => {
    const env = {
      A_KEY: 'k',
      A_SECRET: 's',
      M3TER_ORG_ID: 'x',
      M3TER_BASE_URL: 'https://elsewhere',
      HTTPS_PROXY: 'p',
    };
    const environment = {
      ...environmentOf('a', { orgId: 'org-a' } as RunningEmulator, false),
      target: { apiKey: 'A_KEY', apiSecret: 'A_SECRET' },
    };
    // No base URL variable named: m3ter's own (the session's default), never the shell's M3TER_BASE_URL.
    expect(environmentTargetEnv(environment, env)).toEqual({
      M3TER_ORG_ID: 'org-a',
      M3TER_API_KEY: 'k',
      M3TER_API_SECRET: 's',
      A_KEY: 'k',
      A_SECRET: 's',
      HTTPS_PROXY: 'p',
    });
    const withUrl = { ...environment, target: { ...environment.target, baseUrl: 'A_URL' } };
    expect(environmentTargetEnv(withUrl, { ...env, A_URL: 'https://a.example' })).toMatchObject({
      M3TER_BASE_URL: 'https://a.example',
    });
    // A base URL variable named but unset is an error, not a quiet fall back to m3ter's URL.
    expect(() => environmentTargetEnv(withUrl, env)).toThrow(
      'environment "a" reads its org with A_KEY, A_SECRET and A_URL (its target), but A_URL is not set: set it for compare',
    );
  });
});
