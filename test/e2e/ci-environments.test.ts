import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, runCli, tempDir } from './run-cli.js';

/**
 * The CI templates for files with `environments:` (examples/ci/environments): plan and drift per environment as a
 * matrix, each with its own org and read-only service user; on merge the sandbox's reviewed plan applied to the
 * sandbox; production's reviewed plan (the saved plan, never one made later) applied only behind a manual approval
 * and with --confirm-org; every apply one at a time per org. ci-lint.test.ts lints them.
 */

const DIR = path.join(ROOT, 'examples/ci/environments');
const ENVIRONMENTS = ['sandbox', 'production'];

interface GithubStep {
  name?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string | number>;
  env?: Record<string, string>;
}
interface GithubJob {
  if?: string;
  needs?: string | string[];
  environment?: string;
  env?: unknown;
  strategy?: { 'fail-fast'?: boolean; matrix?: { include?: Record<string, string>[] } };
  concurrency?: { group?: string; 'cancel-in-progress'?: boolean };
  steps: GithubStep[];
}
interface GithubWorkflow {
  on: Record<string, unknown>;
  env?: unknown;
  jobs: Record<string, GithubJob>;
}
interface GitlabJob {
  extends?: string[];
  stage?: string;
  needs?: string[];
  script?: string[];
  before_script?: string[];
  variables?: Record<string, string>;
  parallel?: { matrix?: Record<string, string[]>[] };
  rules?: { if?: string; when?: string; allow_failure?: boolean }[];
  environment?: { name?: string };
  resource_group?: string;
  interruptible?: boolean;
}

const read = (file: string) => readFileSync(path.join(DIR, file), 'utf8');
const github = parse(read('.github/workflows/m3ter-config.yml')) as GithubWorkflow;
const githubDrift = parse(read('.github/workflows/m3ter-config-drift.yml')) as GithubWorkflow;
const gitlab = parse(read('.gitlab-ci.yml')) as Record<string, GitlabJob>;

const ACTION = 'YOUR-ORG/m3ter-config@v0.1.0';
const usesAction = (s: GithubStep) => s.uses === ACTION;
const matrixOf = (job: GithubJob) => job.strategy?.matrix?.include ?? [];

/**
 * The command line the action runs for a step (as action/main.mjs builds it), with the workflow's `${{ }}`
 * expressions given the values a run of that matrix entry would have.
 */
function actionCommand(step: GithubStep, values: Record<string, string>): string[] {
  const w = step.with ?? {};
  const fill = (v: unknown) =>
    String(v ?? '').replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
      const value = values[expr];
      if (value === undefined) throw new Error(`no value for ${expr}`);
      return value;
    });
  const args = [fill(w['command']), ...fill(w['paths']).split('\n').filter(Boolean)];
  if (w['format']) args.push('--format', fill(w['format']));
  if (w['out']) args.push('--out', fill(w['out']));
  return [...args, ...fill(w['args']).split(/\s+/).filter(Boolean)];
}
const githubCommands = (job: GithubJob, values: Record<string, string> = {}) =>
  job.steps.filter(usesAction).map((s) => actionCommand(s, values));

/** `node_modules/.bin/m3ter-config ...` lines of a GitLab job, up to the first shell operator, unquoted, filled. */
function gitlabCommands(job: GitlabJob, values: Record<string, string> = {}): string[][] {
  const out: string[][] = [];
  for (const line of job.script ?? []) {
    const m = /node_modules\/\.bin\/m3ter-config (.*)$/.exec(line);
    if (!m) continue;
    const args: string[] = [];
    for (const word of m[1]!.trim().split(/\s+/)) {
      if (/^(>|>>|\|\||&&|\||;|2>)/.test(word)) break;
      args.push(
        word.replace(/^"|"$/g, '').replace(/\$(\w+)/g, (whole, name: string) => values[name] ?? whole),
      );
    }
    out.push(args);
  }
  return out;
}
const gitlabJobs = Object.entries(gitlab).filter(([n, j]) => !n.startsWith('.') && Array.isArray(j.script));
/** A job with the variables and parallel settings of what it extends, as GitLab merges them. */
function resolved(job: GitlabJob): GitlabJob {
  let merged: GitlabJob = {};
  for (const parent of job.extends ?? []) merged = { ...merged, ...resolved(gitlab[parent] ?? {}) };
  return { ...merged, ...job, variables: { ...merged.variables, ...job.variables } };
}

describe('examples/ci/environments: GitHub Actions', () => {
  it('plans every environment on a pull request (a matrix), each with its own org and read-only user', () => {
    const plan = github.jobs['plan']!;
    expect(plan.if).toBe("github.event_name == 'pull_request'");
    // No environment: a plan waits for no approval, and reads no apply secret.
    expect(plan.environment).toBeUndefined();
    expect(plan.strategy?.['fail-fast']).toBe(false);
    expect(matrixOf(plan).map((m) => m['environment'])).toEqual(ENVIRONMENTS);
    for (const entry of matrixOf(plan)) {
      const env = entry['environment']!;
      expect(githubCommands(plan, { 'matrix.environment': env })).toEqual([
        ['validate', 'm3ter', '--env', env, '--require-env'],
        [
          'plan',
          'm3ter',
          '--format',
          'markdown',
          '--out',
          `plan-${env}.json`,
          '--env',
          env,
          '--detailed-exitcode',
          '--markdown-full',
          `plan-${env}-full.md`,
        ],
      ]);
    }
    const planStep = plan.steps.find((s) => usesAction(s) && s.with?.['command'] === 'plan')!;
    expect(planStep.with).toMatchObject({
      'org-id': "${{ vars[format('M3TER_{0}_ORG_ID', matrix.vars)] }}",
      'api-key': "${{ vars[format('M3TER_{0}_PLAN_API_KEY', matrix.vars)] }}",
      'api-secret': "${{ secrets[format('M3TER_{0}_PLAN_API_SECRET', matrix.vars)] }}",
      'success-exit-codes': '0 2',
    });
    // Each environment's names differ, so its variables and secrets are its own.
    expect(new Set(matrixOf(plan).map((m) => m['vars'])).size).toBe(ENVIRONMENTS.length);
    expect(plan.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))?.with?.['name']).toBe(
      'm3ter-config-plan-${{ matrix.environment }}',
    );
  });

  it('on merge, applies the reviewed sandbox plan to the sandbox; production only its reviewed plan, approved, with --confirm-org', () => {
    const sandbox = github.jobs['apply-sandbox']!;
    const production = github.jobs['apply-production']!;
    expect(github.jobs['reviewed']?.if).toBe(
      "github.event_name == 'push' && github.ref == 'refs/heads/main'",
    );
    expect(sandbox.needs).toBe('reviewed');
    expect(sandbox.environment).toBe('sandbox');
    expect(githubCommands(sandbox)).toEqual([
      ['apply', 'plan-sandbox.json', '--env', 'sandbox', '--verify', '--record', 'apply-record-sandbox.json'],
    ]);
    // Production waits for the sandbox, and for the required reviewers of its GitHub environment.
    expect(production.needs).toEqual(['reviewed', 'apply-sandbox']);
    expect(production.environment).toBe('production');
    expect(githubCommands(production, { 'vars.M3TER_ORG_ID': 'prod-org' })).toEqual([
      [
        'apply',
        'plan-production.json',
        '--env',
        'production',
        '--verify',
        '--record',
        'apply-record-production.json',
        '--confirm-org',
        'prod-org',
      ],
    ]);
    for (const [job, env] of [
      [sandbox, 'sandbox'],
      [production, 'production'],
    ] as const) {
      // The saved plan the pull request's run made for this environment, nothing planned afterwards.
      expect(job.steps.find((s) => s.uses?.startsWith('actions/download-artifact'))?.with).toMatchObject({
        name: `m3ter-config-plan-${env}`,
        'run-id': '${{ needs.reviewed.outputs.run-id }}',
      });
      expect(job.steps.filter(usesAction).map((s) => s.with)).toEqual([
        expect.objectContaining({
          'org-id': '${{ vars.M3TER_ORG_ID }}',
          'api-key': '${{ vars.M3TER_APPLY_API_KEY }}',
          'api-secret': '${{ secrets.M3TER_APPLY_API_SECRET }}',
        }),
      ]);
      expect(job.concurrency).toEqual({
        group: 'm3ter-config-${{ vars.M3TER_ORG_ID }}',
        'cancel-in-progress': false,
      });
    }
    // No job applies the files as they are, nor skips the approval.
    for (const [name, job] of Object.entries(github.jobs))
      for (const c of githubCommands(job, {
        'matrix.environment': 'sandbox',
        'vars.M3TER_ORG_ID': 'org',
      })) {
        if (c[0] === 'apply') expect(c[1], name).toMatch(/^plan-\w+\.json$/);
        expect(c, name).not.toContain('--auto-approve');
      }
  });

  it("runs drift per environment (a matrix), with that environment's record and its own issue", () => {
    const drift = githubDrift.jobs['drift']!;
    expect(drift.environment).toBeUndefined();
    expect(matrixOf(drift).map((m) => m['environment'])).toEqual(ENVIRONMENTS);
    expect(githubCommands(drift, { 'matrix.environment': 'production' })).toEqual([
      [
        'drift',
        'm3ter',
        '--format',
        'markdown',
        '--out',
        'drift-production.json',
        '--env',
        'production',
        '--since',
        'apply-record-production.json',
        '--previous',
        'drift-previous-production.json',
        '--markdown-full',
        'drift-production-full.md',
      ],
    ]);
    expect(read('.github/workflows/m3ter-config-drift.yml')).toContain(
      'const label = `m3ter-config-drift-${environment}`',
    );
  });

  it("every job that reaches an org first fails unless that job's org id is set: with none of the target set, m3ter-config would run against a local emulator and pass", () => {
    const jobs: [GithubJob, string][] = [
      [github.jobs['plan']!, "${{ vars[format('M3TER_{0}_ORG_ID', matrix.vars)] }}"],
      [github.jobs['apply-sandbox']!, '${{ vars.M3TER_ORG_ID }}'],
      [github.jobs['apply-production']!, '${{ vars.M3TER_ORG_ID }}'],
      [githubDrift.jobs['drift']!, "${{ vars[format('M3TER_{0}_ORG_ID', matrix.vars)] }}"],
    ];
    for (const [job, orgId] of jobs) {
      const first = job.steps.findIndex(usesAction);
      const check = job.steps.findIndex(
        (s) => s.env?.['ORG_ID'] === orgId && /-z "\$ORG_ID"/.test(s.run ?? ''),
      );
      expect(check, JSON.stringify(job.steps.map((s) => s.name))).toBeGreaterThanOrEqual(0);
      expect(check).toBeLessThan(first);
      expect(job.steps[check]?.run).toContain('exit 1');
    }
  });

  it('on merge, takes the reviewed plans only from a run of this repository (not a fork pull request at the same commit)', () => {
    const script = String(github.jobs['reviewed']!.steps[0]!.with!['script']);
    expect(script).toMatch(/head_repository\?\.full_name === `\$\{owner\}\/\$\{repo\}`/);
  });

  it('secrets only as inputs of the m3ter-config steps; no workflow-, job- or step-wide env holds one', () => {
    for (const wf of [github, githubDrift]) {
      expect(wf.env).toBeUndefined();
      for (const [name, job] of Object.entries(wf.jobs)) {
        expect(job.env, name).toBeUndefined();
        for (const step of job.steps) {
          if (usesAction(step)) expect(step.env, name).toBeUndefined();
          else expect(JSON.stringify(step), name).not.toMatch(/secrets[.[]/);
        }
      }
    }
  });
});

describe('examples/ci/environments: GitLab CI', () => {
  const envOf = (job: GitlabJob) => resolved(job).parallel?.matrix?.[0]?.['M3TER_CONFIG_ENV'];

  it('plans every environment on a merge request (parallel:matrix), each with its own read-only user', () => {
    const plan = resolved(gitlab['plan']!);
    expect(plan.rules?.[0]?.if).toBe('$CI_PIPELINE_SOURCE == "merge_request_event"');
    expect(envOf(gitlab['plan']!)).toEqual(ENVIRONMENTS);
    expect(plan.environment).toBeUndefined();
    expect(plan.variables).toEqual({ M3TER_CONFIG_USER: 'plan' });
    for (const env of ENVIRONMENTS)
      expect(gitlabCommands(plan, { M3TER_CONFIG_ENV: env })).toEqual([
        ['validate', 'm3ter', '--env', env, '--require-env'],
        [
          'plan',
          'm3ter',
          '--env',
          env,
          '--format',
          'markdown',
          '--detailed-exitcode',
          '--out',
          `plan-${env}.json`,
          '--markdown-full',
          `plan-${env}-full.md`,
        ],
      ]);
    // The read-only user's names come from the environment's name; every target variable must then be set.
    const before = gitlab['.m3ter-config']!.before_script!.join('\n');
    expect(before).toContain('printenv "${p}_PLAN_API_SECRET"');
    expect(before).toMatch(/for v in M3TER_CONFIG_ENV M3TER_ORG_ID M3TER_API_KEY M3TER_API_SECRET; do/);
  });

  it('applies the sandbox on the default branch; production by a manual job in its environment, with --confirm-org', () => {
    const sandbox = resolved(gitlab['apply-sandbox']!);
    const production = resolved(gitlab['apply-production']!);
    expect(sandbox.rules).toEqual([
      expect.objectContaining({
        if: '$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH',
      }),
    ]);
    expect(sandbox.rules?.[0]?.when).toBeUndefined();
    expect(production.rules).toEqual([
      expect.objectContaining({
        if: '$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH',
        when: 'manual',
        allow_failure: false,
      }),
    ]);
    expect(production.needs).toEqual(['apply-sandbox']);
    for (const [job, env] of [
      [sandbox, 'sandbox'],
      [production, 'production'],
    ] as const) {
      expect(job.environment?.name).toBe(env);
      expect(job.variables).toMatchObject({
        M3TER_CONFIG_ENV: env,
        M3TER_API_KEY: '$M3TER_APPLY_API_KEY',
        M3TER_API_SECRET: '$M3TER_APPLY_API_SECRET',
      });
      expect(job.variables?.['M3TER_CONFIG_USER']).toBeUndefined();
      expect([job.resource_group, job.interruptible]).toEqual([`m3ter-config-${env}`, false]);
      // The plan the merge request's matrix job made for this environment: GitLab names that job `plan: [env]`.
      expect(job.script?.[0]).toBe(`node scripts/gitlab.mjs reviewed-plan plan-${env}.json "plan: [${env}]"`);
      expect(envOf(gitlab['plan']!)).toContain(env);
    }
    expect(gitlabCommands(sandbox)).toEqual([
      ['apply', 'plan-sandbox.json', '--env', 'sandbox', '--verify', '--record', 'apply-record-sandbox.json'],
    ]);
    expect(gitlabCommands(production, { M3TER_ORG_ID: 'prod-org' })).toEqual([
      [
        'apply',
        'plan-production.json',
        '--env',
        'production',
        '--verify',
        '--record',
        'apply-record-production.json',
        '--confirm-org',
        'prod-org',
      ],
    ]);
    for (const [name, job] of gitlabJobs) {
      const applies = gitlabCommands(job).some((c) => c[0] === 'apply');
      expect(job.resource_group !== undefined, name).toBe(applies);
    }
  });

  it('runs drift per environment on schedules only', () => {
    const drift = resolved(gitlab['drift']!);
    expect(drift.rules?.[0]?.if).toBe(
      '$CI_PIPELINE_SOURCE == "schedule" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH',
    );
    expect(envOf(gitlab['drift']!)).toEqual(ENVIRONMENTS);
    expect(gitlabCommands(drift, { M3TER_CONFIG_ENV: 'sandbox' })[0]).toEqual(
      expect.arrayContaining(['drift', '--env', 'sandbox', '--since', 'apply-record-sandbox.json']),
    );
    expect(drift.script).toContain(
      'node scripts/gitlab.mjs drift-issue "drift-$M3TER_CONFIG_ENV.json" "drift-$M3TER_CONFIG_ENV.md" "$M3TER_CONFIG_ENV"',
    );
  });
});

describe('examples/ci/environments: the commands the templates run', async () => {
  const cwd = tempDir();
  // --env comes with environments, --confirm-org with the guard: a command is checked once this build has its
  // flags; until then the templates are only linted and checked above.
  const help = async (command: string) => (await runCli([command, '--help'], { cwd })).stdout;
  const hasEnv = /--env(?![-\w])/.test(await help('plan'));
  const hasConfirm = /--confirm-org(?![-\w])/.test(await help('apply'));
  const all: string[][] = [];
  for (const env of ENVIRONMENTS) {
    const values = { 'matrix.environment': env, 'vars.M3TER_ORG_ID': 'org-1' };
    for (const wf of [github, githubDrift])
      for (const job of Object.values(wf.jobs)) all.push(...githubCommands(job, values));
    for (const [, job] of gitlabJobs)
      all.push(...gitlabCommands(job, { M3TER_CONFIG_ENV: env, M3TER_ORG_ID: 'org-1' }));
  }
  const unique = [...new Map(all.map((c) => [c.join(' '), c])).values()];
  const confirming = unique.filter((c) => c.includes('--confirm-org'));

  it('include an apply with --confirm-org, and every command names its environment', () => {
    expect(confirming.length).toBeGreaterThan(0);
    for (const c of unique) expect(c, c.join(' ')).toContain('--env');
  });

  it.runIf(hasEnv)('without --confirm-org: accepted by the CLI, flags and all', async () => {
    for (const args of unique.filter((c) => !c.includes('--confirm-org'))) {
      const r = await runCli([...args, '--help'], { cwd });
      expect([r.code, r.stderr], args.join(' ')).toEqual([0, '']);
    }
  });

  it.runIf(hasEnv && hasConfirm)('with --confirm-org: accepted by the CLI, flags and all', async () => {
    for (const args of confirming) {
      const r = await runCli([...args, '--help'], { cwd });
      expect([r.code, r.stderr], args.join(' ')).toEqual([0, '']);
    }
  });
});
