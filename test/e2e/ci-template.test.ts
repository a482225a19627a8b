import { execFile } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import {
  copyTemplate,
  packThisPackage,
  PLACEHOLDER_ADDRESS,
  runAction,
  TEMPLATE,
  type ActionRun,
  type UsesStep,
} from './ci-runner.js';
import { ROOT, tempDir } from './run-cli.js';

/**
 * examples/ci copied as a user copies it, with m3ter-config's address set to a tarball packed from this checkout:
 * the lock regenerated as its README says, m3ter-config installed by the GitHub Action's own steps (npm ci of that
 * lock) and by GitLab's before_script, and the whole loop of each CI system run against an emulator on loopback
 * with two service users (plan and apply) sharing one fingerprint key.
 */
const exec = promisify(execFile);

interface Job {
  environment?: string;
  steps: (UsesStep & { run?: string; name?: string })[];
}
interface Workflow {
  jobs: Record<string, Job>;
}
const workflow = (name: string) =>
  parse(readFileSync(path.join(TEMPLATE, '.github/workflows', name), 'utf8')) as Workflow;
const github = workflow('m3ter-config.yml');
const githubDrift = workflow('m3ter-config-drift.yml');
const usesAction = (s: UsesStep) => s.uses?.startsWith('YOUR-ORG/m3ter-config@') === true;
const actionSteps = (job: Job | undefined) => (job?.steps ?? []).filter(usesAction);

// Fake values, and what must never be printed.
const SECRETS = {
  M3TER_PLAN_API_SECRET: 'plan-secret-value-3b1f',
  M3TER_APPLY_API_SECRET: 'apply-secret-value-9c2e',
  M3TER_CONFIG_FINGERPRINT_KEY: 'shared-fingerprint-key-77aa',
  OPS_WEBHOOK_API_KEY: 'ci-example-fake-api-key',
  OPS_WEBHOOK_SECRET: 'ci-example-fake-webhook-secret',
};

let tarball = '';
let prepared = '';
let emulator: RunningEmulator | undefined;
beforeAll(async () => {
  tarball = await packThisPackage();
  prepared = await copyTemplate(`file:${tarball}`);
}, 120_000);
/** A fresh copy of the prepared repository (address set, lock regenerated; nothing installed yet). */
function repository(): string {
  const repo = tempDir();
  cpSync(prepared, repo, { recursive: true });
  return repo;
}
afterAll(async () => {
  await emulator?.close();
});

async function freshOrg(): Promise<RunningEmulator> {
  await emulator?.close();
  emulator = await startEmulator({
    rateLimit: 0,
    apiKey: 'plan-user',
    apiSecret: SECRETS.M3TER_PLAN_API_SECRET,
    users: [{ apiKey: 'apply-user', apiSecret: SECRETS.M3TER_APPLY_API_SECRET }],
  });
  return emulator;
}

function expectNoSecret(...texts: string[]) {
  for (const v of Object.values(SECRETS)) for (const t of texts) expect(t).not.toContain(v);
}

describe('examples/ci as shipped', () => {
  it('pins m3ter-config by a placeholder address, with every other lock entry as npm resolved it', () => {
    const manifest = JSON.parse(readFileSync(path.join(TEMPLATE, 'package.json'), 'utf8'));
    expect(manifest.dependencies).toEqual({ 'm3ter-config': PLACEHOLDER_ADDRESS });
    const lock = JSON.parse(readFileSync(path.join(TEMPLATE, 'package-lock.json'), 'utf8'));
    const entry = lock.packages['node_modules/m3ter-config'];
    expect(entry.resolved).toBe(PLACEHOLDER_ADDRESS);
    // The bytes of a release not yet made are not known: no integrity until the user regenerates the lock.
    expect(entry.integrity).toBeUndefined();
    // In step with this package: the same version and dependencies (else: scripts/generate-ci-template-lock.ts).
    const self = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect([entry.version, entry.dependencies]).toEqual([self.version, self.dependencies]);
    for (const [name, version] of Object.entries(self.dependencies as Record<string, string>))
      expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(version);
    // And every other entry at the version this checkout's own lock installs (so npm's cache holds it: the tests
    // install offline).
    const own = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
    for (const [key, e] of Object.entries(lock.packages as Record<string, { version?: string }>))
      if (key !== '' && key !== 'node_modules/m3ter-config')
        expect(e.version, `${key}: run scripts/generate-ci-template-lock.ts`).toBe(
          own.packages[key]?.version,
        );
  });

  it('refuses to install until the address is set and the lock regenerated (GitHub and GitLab)', async () => {
    const repo = tempDir();
    cpSync(TEMPLATE, repo, { recursive: true });
    const r = await runAction(
      { with: { command: 'validate', paths: 'm3ter' } },
      { cwd: repo, context: {}, runnerTemp: tempDir() },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("still holds the template's placeholder address (YOUR-ORG)");
    expect(r.stdout).toContain('npm install --package-lock-only');
    expect(existsSync(path.join(repo, 'node_modules'))).toBe(false);
    const gitlab = await exec(process.execPath, ['scripts/gitlab.mjs', 'check-lock'], { cwd: repo }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(gitlab).toMatchObject({ code: 1 });
    expect((gitlab as { stderr: string }).stderr).toContain("the template's placeholder address");
    // The address set but the lock not regenerated: no integrity, still refused.
    const lockFile = path.join(repo, 'package-lock.json');
    writeFileSync(
      lockFile,
      readFileSync(lockFile, 'utf8').replaceAll(PLACEHOLDER_ADDRESS, `file:${tarball}`),
    );
    const unpinned = await runAction(
      { with: { command: 'validate' } },
      { cwd: repo, context: {}, runnerTemp: tempDir() },
    );
    expect(unpinned.code).toBe(1);
    expect(unpinned.stdout).toContain('records no integrity for m3ter-config');
  });
});

describe('examples/ci copied, address set, lock regenerated', () => {
  it(
    "GitHub: the workflows' m3ter-config steps run the loop through the action, each with its own service user",
    { timeout: 240_000 },
    async () => {
      const org = await freshOrg();
      const repo = repository();
      const runnerTemp = tempDir();
      const context = {
        'vars.M3TER_ORG_ID': org.orgId,
        'vars.M3TER_PLAN_API_KEY': 'plan-user',
        'vars.M3TER_APPLY_API_KEY': 'apply-user',
        ...Object.fromEntries(Object.entries(SECRETS).map(([k, v]) => [`secrets.${k}`, v])),
      };
      let bin: string | undefined;
      // The templates name m3ter's API; here it is the emulator (the one input the test adds).
      const act = async (step: UsesStep | undefined): Promise<ActionRun> => {
        expect(step).toBeDefined();
        const r = await runAction(step!, {
          cwd: repo,
          context,
          runnerTemp,
          overrides: { 'base-url': org.url },
          ...(bin === undefined ? {} : { installed: bin }),
        });
        bin ??= r.bin;
        expectNoSecret(r.stdout, r.stderr, r.summary);
        return r;
      };
      const file = (name: string) => readFileSync(path.join(repo, name), 'utf8');

      // Pull request: validate, then plan (exit 2: changes, a green step), the Markdown in plan.md and the summary.
      const [validate, planStep] = actionSteps(github.jobs['plan']);
      const validated = await act(validate);
      expect(validated.code).toBe(0);
      expect(validated.ran).toEqual(['Install m3ter-config', 'Run m3ter-config']);
      expect(bin).toBe(path.join(repo, 'node_modules/m3ter-config/bin/m3ter-config.js'));
      const planned = await act(planStep);
      expect(planned.code).toBe(0);
      expect(planned.outputs).toEqual({
        'exit-code': '2',
        'plan-file': 'plan.json',
        'markdown-file': 'plan.md',
      });
      expect(file('plan.md')).toContain('3 to create');
      expect(planned.summary).toContain('3 to create');
      // The whole plan in Markdown too, kept in the artifact beside plan.json.
      expect(file('plan-full.md')).toContain('3 to create');
      expectNoSecret(file('plan.md'), file('plan.json'), file('plan-full.md'));

      // Merge: the reviewed plan, by the apply user, verified and recorded.
      const applied = await act(actionSteps(github.jobs['apply'])[0]);
      expect([applied.code, applied.outputs['exit-code']]).toEqual([0, '0']);
      expect(JSON.parse(file('apply-record.json')).entities).toHaveLength(3);
      const state = JSON.stringify(org.admin.exportState());
      expect(state).toContain('SERVICE_USER_apply-user');
      expect(state).not.toContain('SERVICE_USER_plan-user');

      // Nightly, by the plan user: no drift; then the files change without an apply: drift (exit 2, green).
      const driftStep = actionSteps(githubDrift.jobs['drift'])[0];
      const keep = githubDrift.jobs['drift']!.steps.find(
        (s) => s.name === 'Keep this report for the next run',
      );
      const clean = await act(driftStep);
      expect([clean.code, clean.outputs['exit-code']]).toEqual([0, '0']);
      expect(file('drift.md')).toContain('No drift');
      expect(file('drift-full.md')).toContain('No drift');
      await exec('bash', ['-c', keep!.run!], { cwd: repo });
      const config = path.join(repo, 'm3ter/m3ter.yaml');
      writeFileSync(
        config,
        readFileSync(config, 'utf8').replace('Fires on every new bill', 'Changed in the files'),
      );
      const drifted = await act(driftStep);
      expect([drifted.code, drifted.outputs['exit-code']]).toEqual([0, '2']);
      expect(JSON.parse(file('drift.json'))).toMatchObject({
        changedSincePrevious: true,
        items: [{ class: 'modified', direction: 'files', status: 'new' }],
      });

      // By hand: apply main as it is; the drift is resolved.
      const main = await act(actionSteps(github.jobs['apply-main'])[0]);
      expect(main.code).toBe(0);
      await exec('bash', ['-c', keep!.run!], { cwd: repo });
      const resolved = await act(driftStep);
      expect(resolved.code).toBe(0);
      expect(JSON.parse(file('drift.json'))).toMatchObject({ drifted: false });
    },
  );

  it(
    "GitLab: the jobs' lines run the loop (npm ci without the job's secrets), each with its own service user",
    { timeout: 240_000 },
    async () => {
      const org = await freshOrg();
      const repo = repository();
      const gitlab = parse(readFileSync(path.join(repo, '.gitlab-ci.yml'), 'utf8')) as Record<
        string,
        {
          extends?: string[];
          before_script?: string[];
          script?: string[];
          variables?: Record<string, string>;
          artifacts?: { paths?: string[] };
        }
      >;
      // Project variables, as Settings > CI/CD > Variables holds them; M3TER_BASE_URL points at the emulator.
      const project: Record<string, string> = {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? tempDir(),
        M3TER_ORG_ID: org.orgId,
        M3TER_PLAN_API_KEY: 'plan-user',
        M3TER_APPLY_API_KEY: 'apply-user',
        M3TER_BASE_URL: org.url,
        ...SECRETS,
      };
      let installed = false;
      const job = async (name: string) => {
        const spec = gitlab[name]!;
        const env = { ...project };
        for (const parent of spec.extends ?? [])
          for (const [k, v] of Object.entries(gitlab[parent]?.variables ?? {}))
            env[k] = v.replace(/^\$(\w+)$/, (_, ref: string) => project[ref] ?? '');
        const lines = [...(gitlab['.m3ter-config']?.before_script ?? []), ...(spec.script ?? [])].filter(
          (line) => {
            // GitLab's API is not here (scripts/gitlab.mjs has its own test); npm ci once (it is slow here).
            if (line.startsWith('node scripts/gitlab.mjs')) return line.includes('check-lock');
            if (!line.includes('npm ci')) return true;
            return !installed && (installed = true);
          },
        );
        // As GitLab's runner does: one shell, stopped by the first line that fails.
        const r = await exec('bash', ['-eo', 'pipefail', '-c', lines.join('\n')], { cwd: repo, env }).catch(
          (e: { code: number; stdout: string; stderr: string }) => e,
        );
        const out = r.stdout + r.stderr;
        expect([name, 'code' in r ? r.code : 0, out]).toEqual([name, 0, expect.any(String)]);
        expectNoSecret(out);
        return out;
      };
      const file = (name: string) => readFileSync(path.join(repo, name), 'utf8');

      expect(await job('plan')).toContain('3 to create');
      for (const kept of gitlab['plan']?.artifacts?.paths ?? [])
        expect(existsSync(path.join(repo, kept)), kept).toBe(true);
      expect(file('plan-full.md')).toContain('3 to create');
      expect(existsSync(path.join(repo, 'node_modules/m3ter-config/bin/m3ter-config.js'))).toBe(true);
      await job('apply');
      expect(JSON.parse(file('apply-record.json')).entities).toHaveLength(3);
      expect(JSON.stringify(org.admin.exportState())).not.toContain('SERVICE_USER_plan-user');
      expect(await job('drift')).toContain('No drift');
      expect(file('drift-full.md')).toContain('No drift');
      const config = path.join(repo, 'm3ter/m3ter.yaml');
      writeFileSync(
        config,
        readFileSync(config, 'utf8').replace('Fires on every new bill', 'Changed in the files'),
      );
      await job('drift');
      expect(JSON.parse(file('drift.json'))).toMatchObject({ drifted: true, changedSincePrevious: true });
      await job('apply-main');
      await job('drift');
      expect(JSON.parse(file('drift.json'))).toMatchObject({ drifted: false });
    },
  );
});
