import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigSources } from '../../../src/load/cdktf-synth.js';
import type { TerraformStack } from 'cdktf';
import { checkTerraformJson } from '../../helpers/tf-schema-check.js';
import { type Core, CORES } from '../../unit/cdktf/synth.js';

/**
 * One stack per environment, CDKTF's own idiom: an app with a sandbox and a production stack, differing in a
 * webhook's URL and `active`, each naming its environment with M3terEnvironment. `--env` picks the stack.
 */
const SANDBOX_ORG = 'org-sandbox-0001';
const PRODUCTION_ORG = 'org-production-0001';
const SECRETS = { TF_VAR_hook_key: 'fake-hook-key', TF_VAR_hook_secret: 'fake-hook-secret' };

interface StackSpec {
  stack: string;
  environment?: { name: string; orgId: string; production: boolean };
  url: string;
  active: boolean;
}

const TWO: readonly StackSpec[] = [
  {
    stack: 'ops-sandbox',
    environment: { name: 'sandbox', orgId: SANDBOX_ORG, production: false },
    url: 'https://sandbox.example.com/m3ter',
    active: false,
  },
  {
    stack: 'ops-production',
    environment: { name: 'production', orgId: PRODUCTION_ORG, production: true },
    url: 'https://hooks.example.com/m3ter',
    active: true,
  },
];

/** Synthesizes an app of these stacks into a fresh cdktf.out; returns its path. */
function synthApp(core: Core, specs: readonly StackSpec[]): string {
  const outdir = mkdtempSync(path.join(tmpdir(), `m3ter-envs-${core.name}-`));
  const app = new core.lib.App({ outdir });
  for (const spec of specs) {
    const stack: TerraformStack = new core.lib.TerraformStack(app, spec.stack);
    const m3 = core.m3;
    if (spec.environment) {
      const env = new m3.M3terEnvironment(stack, 'environment', {
        ...spec.environment,
        target: { apiKey: { env: `${spec.environment.name.toUpperCase()}_API_KEY` } },
      });
      new m3.M3terProvider(stack, 'm3ter', { orgId: env.orgId });
    } else new m3.M3terProvider(stack, 'm3ter');
    const hook = new m3.Webhook(stack, 'ops', {
      code: 'ops',
      name: 'Ops',
      description: 'Ops receiver',
      url: spec.url,
      active: spec.active,
      apiKey: m3.sensitiveVariable(stack, 'hook_key'),
      secret: m3.sensitiveVariable(stack, 'hook_secret'),
    });
    new m3.NotificationRule(stack, 'bill', {
      code: 'bill_created',
      name: 'Bill created',
      description: 'Every bill',
      eventName: 'billing.bill.created',
      alwaysFireEvent: true,
    }).notify(hook);
  }
  app.synth();
  return outdir;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.each(CORES)('$name: a cdktf.out with a stack per environment', (core) => {
  let out: string;
  beforeAll(() => {
    out = synthApp(core, TWO);
    dirs.push(out);
  });
  const load = (options: { environment?: string; stack?: string }, paths = [out]) =>
    loadConfigSources(paths, { env: SECRETS, cwd: out, ...options });

  it('synthesizes stacks valid against the provider schema, naming their environment and no secret', () => {
    for (const spec of TWO) {
      const text = readFileSync(path.join(out, 'stacks', spec.stack, 'cdk.tf.json'), 'utf8');
      expect(checkTerraformJson(JSON.parse(text))).toEqual([]);
      expect(text).toContain(`"name": "${spec.environment?.name ?? ''}"`);
      for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
    }
  });

  it('--env picks the stack naming it: its values, and the environment the YAML section would give', async () => {
    for (const spec of TWO) {
      const r = await load({ environment: spec.environment?.name ?? '' });
      expect(r.issues).toEqual([]);
      const state = r.state!;
      expect(state.resources.webhook.get('ops')?.attributes).toMatchObject({
        url: spec.url,
        active: spec.active,
      });
      expect(state.environment).toEqual({
        ...spec.environment,
        vars: {},
        include: [],
        target: { apiKey: `${(spec.environment?.name ?? '').toUpperCase()}_API_KEY` },
        source: {
          file: `stacks/${spec.stack}/cdk.tf.json`,
          line: expect.any(Number) as unknown,
          col: expect.any(Number) as unknown,
          pointer: '/~1~1/m3ter-config/environment',
        },
      });
      // --stack and --env agreeing is the same.
      const both = await load({ environment: spec.environment?.name ?? '', stack: spec.stack });
      expect(both.state?.environment?.name).toBe(spec.environment?.name);
    }
  });

  it('a stack naming an environment, read without --env, is refused as the YAML section is: choose one', async () => {
    const r = await load({}, [path.join(out, 'stacks/ops-sandbox')]);
    expect(r.state).toBeUndefined();
    expect(r.issues.map((i) => `${i.file} ${i.code} ${i.pointer}: ${i.message} (${i.hint ?? ''})`)).toEqual([
      expect.stringMatching(
        /^stacks\/ops-sandbox\/cdk\.tf\.json environment_not_chosen \/~1~1\/m3ter-config\/environment: ops-sandbox\/environment \(.*\): the files declare environments \("sandbox"\); choose one \(run with --env NAME/,
      ),
    ]);
    const other = await load({ environment: 'production' }, [path.join(out, 'stacks/ops-sandbox')]);
    expect(other.issues.map((i) => i.code)).toEqual(['unknown_environment']);
  });

  it('bad environment fields in hand-edited synth output are placed on the synth file, naming the construct', async () => {
    const file = path.join(out, 'stacks/ops-sandbox/cdk.tf.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      '//': { 'm3ter-config': { environment: Record<string, unknown> } };
    };
    doc['//']['m3ter-config'].environment['production'] = 'no';
    const bad = mkdtempSync(path.join(tmpdir(), 'm3ter-envs-bad-'));
    dirs.push(bad);
    writeFileSync(path.join(bad, 'cdk.tf.json'), JSON.stringify(doc, null, 2));
    const r = await loadConfigSources([bad], { env: SECRETS, cwd: bad, environment: 'sandbox' });
    expect(r.issues.map((i) => `${i.code} ${i.pointer}`)).toEqual([
      'wrong_type /~1~1/m3ter-config/environment/production',
    ]);
    expect(r.issues[0]?.message).toMatch(
      /^ops-sandbox\/environment \(.*\): production must be true or false/,
    );
    expect(r.issues[0]?.line).toBeGreaterThan(1);
  });

  it('a hand-edited synth environment with keys the construct never writes (include, vars) is refused, nothing loaded from them', async () => {
    const file = path.join(out, 'stacks/ops-sandbox/cdk.tf.json');
    for (const [key, value] of [
      ['include', ['../../../../etc/passwd']],
      ['vars', { receiverBase: 'https://evil.example' }],
    ] as const) {
      const doc = JSON.parse(readFileSync(file, 'utf8')) as {
        '//': { 'm3ter-config': { environment: Record<string, unknown> } };
      };
      doc['//']['m3ter-config'].environment[key] = value;
      const bad = mkdtempSync(path.join(tmpdir(), 'm3ter-envs-bad-'));
      dirs.push(bad);
      writeFileSync(path.join(bad, 'cdk.tf.json'), JSON.stringify(doc, null, 2));
      const r = await loadConfigSources([bad], { env: SECRETS, cwd: bad, environment: 'sandbox' });
      expect(r.state).toBeUndefined();
      expect(r.issues.map((i) => `${i.file} ${i.code} ${i.pointer}`)).toEqual([
        `cdk.tf.json unknown_key /~1~1/m3ter-config/environment/${key}`,
      ]);
      expect(r.issues[0]?.message).toContain(`M3terEnvironment writes no ${key}`);
    }
  });

  it('--stack naming another environment than --env is an error naming both', async () => {
    const r = await load({ environment: 'production', stack: 'ops-sandbox' });
    expect(r.state).toBeUndefined();
    expect(r.issues.map((i) => `${i.code}: ${i.message} (${i.hint ?? ''})`)).toEqual([
      'stack_environment_mismatch: stack "ops-sandbox" is for environment "sandbox", not "production" (stack "ops-production" names environment "production": pass --stack ops-production, or leave --stack out)',
    ]);
  });

  it('without --env or --stack, the error lists the environments and the stacks', async () => {
    const r = await load({});
    expect(r.issues.map((i) => `${i.code}: ${i.hint ?? ''}`)).toEqual([
      'stack_required: pass --env NAME (one of "production", "sandbox") or --stack NAME (one of "ops-production", "ops-sandbox")',
    ]);
  });

  it('an environment no stack names is an error listing those they name', async () => {
    const r = await load({ environment: 'staging' });
    expect(r.issues.map((i) => `${i.code}: ${i.message} (${i.hint ?? ''})`)).toEqual([
      expect.stringMatching(
        /^no_stack_for_environment: no stack of \/.* names environment "staging" \(its stacks name "production", "sandbox"; or add new M3terEnvironment/,
      ),
    ]);
  });

  it('two stacks naming one environment is an error naming both', async () => {
    const [sandbox, production] = TWO as [StackSpec, StackSpec];
    const twice = synthApp(core, [
      sandbox,
      { ...production, stack: 'ops-sandbox-2', environment: sandbox.environment! },
    ]);
    dirs.push(twice);
    const r = await loadConfigSources([twice], { env: SECRETS, cwd: twice, environment: 'sandbox' });
    expect(r.issues.map((i) => `${i.code}: ${i.message}`)).toEqual([
      expect.stringMatching(
        /^environment_in_several_stacks: 2 stacks of \/.* name environment "sandbox": "ops-sandbox", "ops-sandbox-2"$/,
      ),
    ]);
    const chosen = await loadConfigSources([twice], {
      env: SECRETS,
      cwd: twice,
      environment: 'sandbox',
      stack: 'ops-sandbox-2',
    });
    expect(chosen.issues.filter((i) => i.code === 'environment_in_several_stacks')).toEqual([]);
  });
});
