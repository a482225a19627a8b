import { cpSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, runCli, tempDir } from './run-cli.js';

/**
 * The shipped CI workflows (examples/ci): two applies never run at once against one org (the CI system's own
 * concurrency control), and every m3ter-config command they run exists with the flags they pass; run in a copy of
 * the folder, the commands plan and apply its config against the embedded emulator.
 */

const CI = path.join(ROOT, 'examples/ci');
const GITHUB = path.join(CI, '.github/workflows/m3ter-config.yml');
const GITLAB = path.join(CI, '.gitlab-ci.yml');

interface GithubJob {
  if?: string;
  concurrency?: { group?: string; 'cancel-in-progress'?: boolean };
  steps: { run?: string }[];
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
  it('plans on pull requests, with the Markdown plan as a comment and in the job summary', () => {
    expect(Object.keys(github.on).sort()).toEqual(['pull_request', 'push']);
    const plan = github.jobs['plan']!;
    expect(plan.if).toBe("github.event_name == 'pull_request'");
    expect(githubCommands(plan)).toContainEqual([
      'plan',
      'm3ter',
      '--format',
      'markdown',
      '--detailed-exitcode',
    ]);
    const text = readFileSync(GITHUB, 'utf8');
    expect(text).toContain('>> "$GITHUB_STEP_SUMMARY"');
    expect(text).toContain('github.rest.issues.createComment');
  });

  it('applies on merge to main with --auto-approve, never two at once against one org', () => {
    const apply = github.jobs['apply']!;
    expect(apply.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    expect(apply.concurrency).toEqual({
      group: 'm3ter-config-${{ vars.M3TER_ORG_ID }}',
      'cancel-in-progress': false,
    });
    expect(githubCommands(apply)).toEqual([['apply', 'm3ter', '--auto-approve', '--verify']]);
    // Every job that applies holds the org's group; no other job (or the whole workflow) takes it.
    for (const [name, job] of Object.entries(github.jobs)) {
      const applies = githubCommands(job).some((c) => c[0] === 'apply');
      expect(job.concurrency?.group?.startsWith('m3ter-config-${{ vars.M3TER_ORG_ID'), name).toBe(applies);
    }
    expect(github.concurrency).toBeUndefined();
  });
});

describe('examples/ci: GitLab CI', () => {
  it('plans on merge requests, keeping the Markdown plan as an artifact', () => {
    const plan = gitlab['plan']!;
    expect(plan.rules?.[0]?.if).toBe('$CI_PIPELINE_SOURCE == "merge_request_event"');
    expect(gitlabCommands(plan)).toContainEqual([
      'plan',
      'm3ter',
      '--format',
      'markdown',
      '--detailed-exitcode',
    ]);
  });

  it('applies on the default branch with --auto-approve, one at a time per org (resource_group)', () => {
    const apply = gitlab['apply']!;
    expect(apply.rules?.[0]?.if).toBe('$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH');
    expect(apply.resource_group).toBe('m3ter-config-$M3TER_ORG_ID');
    expect(apply.interruptible).toBe(false);
    expect(gitlabCommands(apply)).toEqual([['apply', 'm3ter', '--auto-approve', '--verify']]);
    for (const [name, job] of gitlabJobs) {
      const applies = gitlabCommands(job).some((c) => c[0] === 'apply');
      expect(job.resource_group !== undefined, name).toBe(applies);
    }
  });
});

describe('examples/ci: the commands the workflows run', () => {
  const all = [
    ...Object.values(github.jobs).flatMap(githubCommands),
    ...gitlabJobs.flatMap(([, j]) => gitlabCommands(j)),
  ];
  const unique = [...new Map(all.map((c) => [c.join(' '), c])).values()];

  it('are there: validate, plan and apply', () => {
    expect(unique.map((c) => c[0]).sort()).toEqual(['apply', 'plan', 'validate']);
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

  it('plan, apply and plan again the folder in a copy, against the embedded emulator', async () => {
    const cwd = tempDir();
    cpSync(CI, cwd, { recursive: true });
    const env = Object.fromEntries(
      readFileSync(path.join(CI, 'ci.env'), 'utf8')
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => l.split('=', 2) as [string, string]),
    );
    const run = (args: string[]) => runCli(args, { cwd, env });
    const [validate] = unique.filter((c) => c[0] === 'validate');
    const [plan] = unique.filter((c) => c[0] === 'plan');
    const [apply] = unique.filter((c) => c[0] === 'apply');
    expect((await run(validate!)).code).toBe(0);
    const planned = await run(plan!);
    expect(planned.code).toBe(2);
    expect(planned.stdout).toContain('3 to create');
    expect((await run(apply!)).code).toBe(0);
    expect((await run(plan!)).code).toBe(0);
    for (const v of Object.values(env)) expect(planned.stdout).not.toContain(v);
  });
});
