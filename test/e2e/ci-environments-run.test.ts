import { execFile } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { copyTemplate, packThisPackage, runAction, type UsesStep } from './ci-runner.js';
import { runCli, tempDir } from './run-cli.js';

/**
 * examples/ci/environments/.gitlab-ci.yml run as GitLab runs its jobs' lines (as ci-template.test.ts runs the
 * single-org one), over examples/ci copied and pinned to a tarball of this checkout, against two emulators: a
 * SANDBOX org and a PRODUCTION org, each with a plan and an apply service user. GitLab's API (the notes, the reviewed
 * plan, the issues) is not here: the plan job's saved plan is where the apply job reads it.
 */
const exec = promisify(execFile);

const SECRETS = {
  M3TER_SANDBOX_PLAN_API_SECRET: 'sandbox-plan-secret-1a2b',
  M3TER_PRODUCTION_PLAN_API_SECRET: 'production-plan-secret-3c4d',
  SANDBOX_APPLY_SECRET: 'sandbox-apply-secret-5e6f',
  PRODUCTION_APPLY_SECRET: 'production-apply-secret-7a8b',
  M3TER_CONFIG_FINGERPRINT_KEY: 'shared-fingerprint-key-9c0d',
  OPS_WEBHOOK_API_KEY: 'ci-example-fake-api-key',
  OPS_WEBHOOK_SECRET: 'ci-example-fake-webhook-secret',
};
const ORG = { sandbox: 'org-sandbox-5b0', production: 'org-production-91d' } as const;
type Env = keyof typeof ORG;

const CONFIG = `environments:
  sandbox:
    orgId: ${ORG.sandbox}
    production: false
    vars: { receiverBase: https://sandbox.example.com }
  production:
    orgId: ${ORG.production}
    production: true
    vars: { receiverBase: https://example.com }
webhooks:
  - code: ops_alerts
    name: Ops alerts
    description: Receives billing notifications for the ops team
    url: "\${var:receiverBase}/m3ter/ops"
    credentials:
      type: M3TER_SIGNED_REQUEST
      apiKey: { env: OPS_WEBHOOK_API_KEY }
      secret: { env: OPS_WEBHOOK_SECRET }
notificationRules:
  - code: bill_created
    name: Bill created
    description: Fires on every new bill
    eventName: billing.bill.created
    alwaysFireEvent: true
links:
  - rule: bill_created
    webhook: ops_alerts
`;

interface GitlabJob {
  extends?: string[];
  before_script?: string[];
  script?: string[];
  variables?: Record<string, string>;
}

const orgs: Partial<Record<Env, RunningEmulator>> = {};
let repo = '';
let gitlab: Record<string, GitlabJob> = {};
let installed = false;
// The production apply runs once this build has --confirm-org (the guard); until then it is reported skipped.
const hasConfirm = /--confirm-org(?![-\w])/.test(
  (await runCli(['apply', '--help'], { cwd: tempDir() })).stdout,
);

beforeAll(async () => {
  repo = await copyTemplate(`file:${await packThisPackage()}`);
  // The environments' CI file in place of the single-org one, and a config with environments.
  cpSync(path.join(repo, 'environments/.gitlab-ci.yml'), path.join(repo, '.gitlab-ci.yml'));
  writeFileSync(path.join(repo, 'm3ter/m3ter.yaml'), CONFIG);
  gitlab = parse(readFileSync(path.join(repo, '.gitlab-ci.yml'), 'utf8')) as Record<string, GitlabJob>;
  for (const env of ['sandbox', 'production'] as const)
    orgs[env] = await startEmulator({
      rateLimit: 0,
      orgId: ORG[env],
      orgType: env === 'production' ? 'PRODUCTION' : 'SANDBOX',
      apiKey: `${env}-plan`,
      apiSecret:
        SECRETS[env === 'sandbox' ? 'M3TER_SANDBOX_PLAN_API_SECRET' : 'M3TER_PRODUCTION_PLAN_API_SECRET'],
      users: [
        {
          apiKey: `${env}-apply`,
          apiSecret: SECRETS[env === 'sandbox' ? 'SANDBOX_APPLY_SECRET' : 'PRODUCTION_APPLY_SECRET'],
        },
      ],
    });
}, 240_000);
afterAll(async () => {
  for (const e of Object.values(orgs)) await e?.close();
});

/** Runs a job's lines in one bash, as GitLab's runner does, with the variables a pipeline of `env` would give it. */
async function job(name: string, env: Env): Promise<{ code: number; out: string }> {
  const spec = gitlab[name]!;
  const org = orgs[env]!;
  const vars: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? tempDir(),
    // Project variables: each environment's org and read-only user, under its own names.
    M3TER_SANDBOX_ORG_ID: ORG.sandbox,
    M3TER_SANDBOX_PLAN_API_KEY: 'sandbox-plan',
    M3TER_PRODUCTION_ORG_ID: ORG.production,
    M3TER_PRODUCTION_PLAN_API_KEY: 'production-plan',
    M3TER_SANDBOX_PLAN_API_SECRET: SECRETS.M3TER_SANDBOX_PLAN_API_SECRET,
    M3TER_PRODUCTION_PLAN_API_SECRET: SECRETS.M3TER_PRODUCTION_PLAN_API_SECRET,
    M3TER_CONFIG_FINGERPRINT_KEY: SECRETS.M3TER_CONFIG_FINGERPRINT_KEY,
    OPS_WEBHOOK_API_KEY: SECRETS.OPS_WEBHOOK_API_KEY,
    OPS_WEBHOOK_SECRET: SECRETS.OPS_WEBHOOK_SECRET,
    // m3ter's API, here the environment's emulator.
    M3TER_BASE_URL: org.url,
    // The parallel:matrix value of this run.
    M3TER_CONFIG_ENV: env,
  };
  // Variables scoped to the job's deployment environment (the apply jobs only).
  const scoped: Record<string, string> = {
    M3TER_ORG_ID: ORG[env],
    M3TER_APPLY_API_KEY: `${env}-apply`,
    M3TER_APPLY_API_SECRET:
      env === 'sandbox' ? SECRETS.SANDBOX_APPLY_SECRET : SECRETS.PRODUCTION_APPLY_SECRET,
  };
  const own = {
    ...Object.assign({}, ...(spec.extends ?? []).map((p) => gitlab[p]?.variables ?? {})),
    ...spec.variables,
  };
  if (own['M3TER_API_KEY']) Object.assign(vars, scoped);
  for (const [k, v] of Object.entries(own as Record<string, string>))
    vars[k] = v.replace(/^\$(\w+)$/, (_, ref: string) => vars[ref] ?? '');
  const lines = [...(gitlab['.m3ter-config']?.before_script ?? []), ...(spec.script ?? [])].filter((line) => {
    if (line.startsWith('node scripts/gitlab.mjs')) return line.includes('check-lock');
    if (!line.includes('npm ci')) return true;
    return !installed && (installed = true);
  });
  const r = await exec('bash', ['-eo', 'pipefail', '-c', lines.join('\n')], { cwd: repo, env: vars }).then(
    (ok) => ({ code: 0, stdout: ok.stdout, stderr: ok.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
  const out = r.stdout + r.stderr;
  for (const secret of Object.values(SECRETS)) expect(out).not.toContain(secret);
  return { code: r.code, out };
}

const webhookUrls = (env: Env) => orgs[env]!.admin.exportState().webhooks.map((w) => w.url);
const file = (name: string) => readFileSync(path.join(repo, name), 'utf8');

describe('examples/ci/environments/.gitlab-ci.yml against a sandbox and a production org', () => {
  it(
    'plans each environment with its own values and user; the merge applies the sandbox plan to the sandbox only',
    { timeout: 300_000 },
    async () => {
      for (const env of ['sandbox', 'production'] as const) {
        const planned = await job('plan', env);
        expect([env, planned.code]).toEqual([env, 0]);
        expect(file(`plan-${env}.md`)).toContain('3 to create');
        expect(file(`plan-${env}.json`)).toContain(
          env === 'sandbox' ? 'https://sandbox.example.com/m3ter/ops' : 'https://example.com/m3ter/ops',
        );
      }
      // Plans only read.
      expect([webhookUrls('sandbox'), webhookUrls('production')]).toEqual([[], []]);

      const applied = await job('apply-sandbox', 'sandbox');
      expect(applied.code).toBe(0);
      expect(webhookUrls('sandbox')).toEqual(['https://sandbox.example.com/m3ter/ops']);
      expect(JSON.stringify(orgs.sandbox!.admin.exportState())).toContain('SERVICE_USER_sandbox-apply');
      expect(webhookUrls('production')).toEqual([]);
      expect(existsSync(path.join(repo, 'apply-record-sandbox.json'))).toBe(true);

      const drift = await job('drift', 'sandbox');
      expect(drift.code).toBe(0);
      expect(file('drift-sandbox.md')).toContain('No drift');
    },
  );

  it.runIf(hasConfirm)(
    'applies production only its reviewed plan, with --confirm-org, and refuses it without',
    { timeout: 120_000 },
    async () => {
      // The plan the merge request reviewed for production.
      expect((await job('plan', 'production')).code).toBe(0);
      // The production job with its --confirm-org taken away: refused, nothing written.
      const production = gitlab['apply-production']!;
      gitlab['apply-production-unconfirmed'] = {
        ...production,
        script: production.script!.map((l) => l.replace(/ --confirm-org "\$M3TER_ORG_ID"/, '')),
      };
      const refused = await job('apply-production-unconfirmed', 'production');
      expect(refused.code).not.toBe(0);
      expect(refused.out).toContain('--confirm-org');
      expect(webhookUrls('production')).toEqual([]);
      const applied = await job('apply-production', 'production');
      expect(applied.code).toBe(0);
      expect(webhookUrls('production')).toEqual(['https://example.com/m3ter/ops']);
    },
  );
});

/**
 * GitHub's matrix expressions as GitHub evaluates them for one matrix entry: `${{ matrix.X }}` and
 * `${{ vars[format('..{0}..', matrix.X)] }}` (and secrets) become the value and the plain `${{ vars.NAME }}` that
 * the action runner of these tests resolves.
 */
function forEntry(step: UsesStep, entry: Record<string, string>): UsesStep {
  const fill = (text: string) =>
    text
      .replace(
        /\$\{\{\s*(vars|secrets)\[format\('([^']*)', matrix\.(\w+)\)\]\s*\}\}/g,
        (_, ctx: string, fmt: string, key: string) =>
          `\${{ ${ctx}.${fmt.replace('{0}', entry[key] ?? '')} }}`,
      )
      .replace(/\$\{\{\s*matrix\.(\w+)\s*\}\}/g, (_, key: string) => entry[key] ?? '');
  return {
    ...step,
    with: Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, fill(String(v))])),
  };
}

describe('examples/ci/environments GitHub workflows against a sandbox and a production org', () => {
  interface Job {
    environment?: string;
    strategy?: { matrix?: { include?: Record<string, string>[] } };
    steps: (UsesStep & { name?: string })[];
  }
  const workflow = (name: string) =>
    parse(readFileSync(path.join(repo, 'environments/.github/workflows', name), 'utf8')) as {
      jobs: Record<string, Job>;
    };
  const actionSteps = (job: Job) => job.steps.filter((s) => s.uses?.startsWith('YOUR-ORG/m3ter-config@'));

  it(
    'the matrix plans each environment with its own org and user; the merge applies the sandbox plan to the sandbox only',
    { timeout: 300_000 },
    async () => {
      for (const org of Object.values(orgs)) await org!.admin.reset();
      const github = workflow('m3ter-config.yml');
      const githubDrift = workflow('m3ter-config-drift.yml');
      const runnerTemp = tempDir();
      let bin: string | undefined;
      const act = async (step: UsesStep, env: Env, context: Record<string, string>) => {
        const r = await runAction(step, {
          cwd: repo,
          context: {
            'vars.M3TER_SANDBOX_ORG_ID': ORG.sandbox,
            'vars.M3TER_SANDBOX_PLAN_API_KEY': 'sandbox-plan',
            'vars.M3TER_PRODUCTION_ORG_ID': ORG.production,
            'vars.M3TER_PRODUCTION_PLAN_API_KEY': 'production-plan',
            ...Object.fromEntries(Object.entries(SECRETS).map(([k, v]) => [`secrets.${k}`, v])),
            ...context,
          },
          runnerTemp,
          overrides: { 'base-url': orgs[env]!.url },
          ...(bin === undefined ? {} : { installed: bin }),
        });
        bin ??= r.bin;
        for (const secret of Object.values(SECRETS))
          for (const text of [r.stdout, r.stderr, r.summary]) expect(text).not.toContain(secret);
        return r;
      };

      const plan = github.jobs['plan']!;
      for (const entry of plan.strategy!.matrix!.include!) {
        const env = entry['environment'] as Env;
        for (const step of actionSteps(plan)) {
          const r = await act(forEntry(step, entry), env, {});
          expect([env, step.with?.['command'], r.code]).toEqual([env, step.with?.['command'], 0]);
        }
        expect(file(`plan-${env}.md`)).toContain('3 to create');
      }
      expect([webhookUrls('sandbox'), webhookUrls('production')]).toEqual([[], []]);

      // The sandbox environment's own variables, as GitHub gives them to a job of that environment.
      const sandboxEnvironment = {
        'vars.M3TER_ORG_ID': ORG.sandbox,
        'vars.M3TER_APPLY_API_KEY': 'sandbox-apply',
        'secrets.M3TER_APPLY_API_SECRET': SECRETS.SANDBOX_APPLY_SECRET,
      };
      const apply = github.jobs['apply-sandbox']!;
      expect(apply.environment).toBe('sandbox');
      const applied = await act(actionSteps(apply)[0]!, 'sandbox', sandboxEnvironment);
      expect(applied.code).toBe(0);
      expect(webhookUrls('sandbox')).toEqual(['https://sandbox.example.com/m3ter/ops']);
      expect(webhookUrls('production')).toEqual([]);

      const drift = githubDrift.jobs['drift']!;
      const sandboxEntry = drift.strategy!.matrix!.include!.find((e) => e['environment'] === 'sandbox')!;
      const clean = await act(forEntry(actionSteps(drift)[0]!, sandboxEntry), 'sandbox', {});
      expect([clean.code, clean.outputs['exit-code']]).toEqual([0, '0']);
      expect(file('drift-sandbox.md')).toContain('No drift');
    },
  );
});
