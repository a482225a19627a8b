import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, runCli, tempDir } from './run-cli.js';

/**
 * The shipped CI workflows (examples/ci): the GitOps loop (plan on a pull request as one comment, apply the reviewed
 * saved plan on merge with --verify and an apply record, nightly drift as one issue), two applies never at once
 * against one org (the CI system's own concurrency control), and every m3ter-config command they contain run, in
 * the loop's order, in a copy of the folder against the embedded emulator.
 */

const CI = path.join(ROOT, 'examples/ci');
const GITHUB = path.join(CI, '.github/workflows/m3ter-config.yml');
const GITHUB_DRIFT = path.join(CI, '.github/workflows/m3ter-config-drift.yml');
const GITLAB = path.join(CI, '.gitlab-ci.yml');

interface GithubJob {
  if?: string;
  concurrency?: { group?: string; 'cancel-in-progress'?: boolean };
  steps: { run?: string; uses?: string; with?: Record<string, unknown> }[];
}
interface GithubWorkflow {
  on: Record<string, unknown>;
  concurrency?: unknown;
  jobs: Record<string, GithubJob>;
}
type GitlabJob = {
  script?: string[];
  before_script?: string[];
  extends?: string;
  resource_group?: string;
  interruptible?: boolean;
  rules?: { if?: string }[];
};

const github = parse(readFileSync(GITHUB, 'utf8')) as GithubWorkflow;
const githubDrift = parse(readFileSync(GITHUB_DRIFT, 'utf8')) as GithubWorkflow;
const gitlab = parse(readFileSync(GITLAB, 'utf8')) as Record<string, GitlabJob>;

/** The argument lists of every `npx m3ter-config ...` in a shell text, up to the first shell operator. */
function commandsIn(shell: string): string[][] {
  const out: string[][] = [];
  for (const m of shell.matchAll(/npx m3ter-config ([^\n]*)/g)) {
    const args: string[] = [];
    for (const word of (m[1] as string).trim().split(/\s+/)) {
      if (/^(>|>>|\|\||&&|\||;|2>)/.test(word)) break;
      args.push(word);
    }
    out.push(args);
  }
  return out;
}

const githubCommands = (job: GithubJob) => job.steps.flatMap((s) => commandsIn(s.run ?? ''));
const gitlabCommands = (job: GitlabJob) =>
  commandsIn([...(job.before_script ?? []), ...(job.script ?? [])].join('\n'));
const gitlabJobs = Object.entries(gitlab).filter(
  ([name, j]) => !name.startsWith('.') && Array.isArray(j.script),
);

describe('examples/ci: GitHub Actions', () => {
  it('plans on pull requests: the Markdown plan as one comment updated by later runs, the saved plan kept', () => {
    expect(Object.keys(github.on).sort()).toEqual(['pull_request', 'push', 'workflow_dispatch']);
    const plan = github.jobs['plan']!;
    expect(plan.if).toBe("github.event_name == 'pull_request'");
    expect(githubCommands(plan)).toContainEqual([
      'plan',
      'm3ter',
      '--format',
      'markdown',
      '--detailed-exitcode',
      '--out',
      'plan.json',
    ]);
    const text = readFileSync(GITHUB, 'utf8');
    expect(text).toContain('>> "$GITHUB_STEP_SUMMARY"');
    expect(text).toContain('github.rest.issues.updateComment');
    expect(plan.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))?.with).toMatchObject({
      name: 'm3ter-config-plan',
      path: 'plan.json',
    });
  });

  it('applies the reviewed plan on merge with --verify and keeps the record; never two at once per org', () => {
    const apply = github.jobs['apply']!;
    expect(apply.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    expect(apply.concurrency).toEqual({
      group: 'm3ter-config-${{ vars.M3TER_ORG_ID }}',
      'cancel-in-progress': false,
    });
    expect(githubCommands(apply)).toEqual([
      ['apply', 'plan.json', '--verify', '--record', 'apply-record.json'],
    ]);
    const download = apply.steps.find((s) => s.uses?.startsWith('actions/download-artifact'));
    expect(download?.with).toMatchObject({ name: 'm3ter-config-plan' });
    const keep = apply.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'));
    expect(keep?.with).toMatchObject({ name: 'm3ter-config-apply-record', path: 'apply-record.json' });
    // Every job that applies holds the org's group; no other job (or the whole workflow) takes it.
    for (const [name, job] of Object.entries(github.jobs)) {
      const applies = githubCommands(job).some((c) => c[0] === 'apply');
      expect(job.concurrency?.group?.startsWith('m3ter-config-${{ vars.M3TER_ORG_ID'), name).toBe(applies);
    }
    expect(github.concurrency).toBeUndefined();
  });

  it('runs drift nightly with the last apply record and the previous report, and keeps one issue', () => {
    expect(Object.keys(githubDrift.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    const drift = githubDrift.jobs['drift']!;
    expect(githubCommands(drift)).toEqual([
      [
        'drift',
        'm3ter',
        '--since',
        'apply-record.json',
        '--previous',
        'drift-previous.json',
        '--format',
        'markdown',
        '--out',
        'drift.json',
      ],
    ]);
    expect(drift.steps.find((s) => s.uses?.startsWith('actions/download-artifact'))?.with).toMatchObject({
      name: 'm3ter-config-apply-record',
    });
    const text = readFileSync(GITHUB_DRIFT, 'utf8');
    for (const call of ['issues.create', 'issues.update', "state: 'closed'", 'changedSincePrevious'])
      expect(text).toContain(call);
  });
});

describe('examples/ci: GitLab CI', () => {
  it('plans on merge requests, with the plan as one note and the saved plan as an artifact', () => {
    const plan = gitlab['plan']!;
    expect(plan.rules?.[0]?.if).toBe('$CI_PIPELINE_SOURCE == "merge_request_event"');
    expect(gitlabCommands(plan)).toContainEqual([
      'plan',
      'm3ter',
      '--format',
      'markdown',
      '--detailed-exitcode',
      '--out',
      'plan.json',
    ]);
    expect(plan.script).toContain('node scripts/gitlab.mjs plan-note plan.md');
  });

  it('applies the reviewed plan on the default branch, one at a time per org (resource_group)', () => {
    const apply = gitlab['apply']!;
    expect(apply.rules?.[0]?.if).toBe(
      '$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH',
    );
    expect(apply.resource_group).toBe('m3ter-config-$M3TER_ORG_ID');
    expect(apply.interruptible).toBe(false);
    expect(apply.script?.[0]).toBe('node scripts/gitlab.mjs reviewed-plan plan.json');
    expect(gitlabCommands(apply)).toEqual([
      ['apply', 'plan.json', '--verify', '--record', 'apply-record.json'],
    ]);
    for (const [name, job] of gitlabJobs) {
      const applies = gitlabCommands(job).some((c) => c[0] === 'apply');
      expect(job.resource_group !== undefined, name).toBe(applies);
    }
  });

  it('runs drift on schedules only, with the last apply record, the previous report and one issue', () => {
    const drift = gitlab['drift']!;
    expect(drift.rules?.[0]?.if).toBe(
      '$CI_PIPELINE_SOURCE == "schedule" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH',
    );
    expect(gitlabCommands(drift)[0]?.[0]).toBe('drift');
    expect(drift.script).toContain('node scripts/gitlab.mjs drift-issue drift.json drift.md');
    // A schedule runs no plan or apply (`changes:` is always true in scheduled pipelines, so every rule says its source).
    for (const [name, job] of gitlabJobs)
      if (name !== 'drift') expect(job.rules?.[0]?.if, name).not.toContain('schedule');
  });
});

describe('examples/ci: the commands the workflows run', () => {
  const all = [
    ...Object.values(github.jobs).flatMap(githubCommands),
    ...Object.values(githubDrift.jobs).flatMap(githubCommands),
    ...gitlabJobs.flatMap(([, j]) => gitlabCommands(j)),
  ];
  const unique = [...new Map(all.map((c) => [c.join(' '), c])).values()];

  it('are there: validate, plan, apply (the reviewed plan, or main by hand) and drift', () => {
    expect(unique.map((c) => c[0]).sort()).toEqual(['apply', 'apply', 'drift', 'plan', 'validate']);
  });

  it('are accepted by the CLI, flags and all (and the check can fail: an unknown flag is refused)', async () => {
    const cwd = tempDir();
    for (const args of unique) {
      // --help after the real flags: the flags are parsed strictly first, nothing is read or sent.
      const r = await runCli([...args, '--help'], { cwd });
      expect([r.code, r.stderr], args.join(' ')).toEqual([0, '']);
    }
    const bad = await runCli(['plan', 'm3ter', '--format', 'markdown', '--no-such-flag', '--help'], { cwd });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--no-such-flag');
  });

  it(
    "run in the loop's order in a copy of the folder, against the embedded emulator",
    { timeout: 90_000 },
    async () => {
      const cwd = tempDir();
      cpSync(CI, cwd, { recursive: true });
      const env = Object.fromEntries(
        readFileSync(path.join(CI, 'ci.env'), 'utf8')
          .split('\n')
          .filter((l) => /^[A-Z_]+=/.test(l))
          .map((l) => l.split('=', 2) as [string, string]),
      );
      const run = (args: string[]) => runCli(args, { cwd, env });
      const ran = new Set<string>();
      const step = async (name: string, pick: (c: string[]) => boolean, code: number) => {
        const args = unique.find(pick);
        expect(args, name).toBeDefined();
        ran.add(args!.join(' '));
        const r = await run(args!);
        expect([name, r.code, r.stderr.replace(/^warning: .*\n/gm, '')]).toEqual([name, code, '']);
        for (const v of Object.values(env)) expect(r.stdout + r.stderr).not.toContain(v);
        return r;
      };
      await step('validate', (c) => c[0] === 'validate', 0);
      // Pull request: the plan (Markdown) and the saved plan the merge applies.
      const planned = await step('plan', (c) => c[0] === 'plan', 2);
      expect(planned.stdout).toContain('3 to create');
      expect(existsSync(path.join(cwd, 'plan.json'))).toBe(true);
      // Merge: the reviewed plan, verified and recorded.
      await step('apply the reviewed plan', (c) => c[0] === 'apply' && c[1] === 'plan.json', 0);
      expect(JSON.parse(readFileSync(path.join(cwd, 'apply-record.json'), 'utf8')).entities).toHaveLength(3);
      // Nightly: no drift (the first run has no previous report: a warning, every item would be new).
      const clean = await step('drift', (c) => c[0] === 'drift', 0);
      expect(clean.stdout).toContain('No drift');
      writeFileSync(path.join(cwd, 'drift-previous.json'), readFileSync(path.join(cwd, 'drift.json')));
      // The files change without an apply: the next night reports it, as the files' doing, new since last night.
      const file = path.join(cwd, 'm3ter/m3ter.yaml');
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace('Fires on every new bill', 'Changed in the files'),
      );
      const drifted = await step('drift', (c) => c[0] === 'drift', 2);
      expect(drifted.stdout).toContain('the files changed since the apply');
      expect(JSON.parse(readFileSync(path.join(cwd, 'drift.json'), 'utf8'))).toMatchObject({
        changedSincePrevious: true,
        items: [{ class: 'modified', direction: 'files', status: 'new' }],
      });
      // By hand: apply main as it is; then the drift is resolved.
      await step('apply main', (c) => c[0] === 'apply' && c[1] === 'm3ter', 0);
      writeFileSync(path.join(cwd, 'drift-previous.json'), readFileSync(path.join(cwd, 'drift.json')));
      await step('drift', (c) => c[0] === 'drift', 0);
      expect(JSON.parse(readFileSync(path.join(cwd, 'drift.json'), 'utf8'))).toMatchObject({
        drifted: false,
        resolved: [{ class: 'modified', kind: 'notificationRule', key: 'bill_created' }],
      });
      expect([...ran].sort()).toEqual(unique.map((c) => c.join(' ')).sort());
    },
  );
});
