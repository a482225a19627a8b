import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, runCli, tempDir } from './run-cli.js';

/**
 * The shipped CI workflows (examples/ci): the GitOps loop (plan on a pull request as one comment, apply the reviewed
 * saved plan on merge with --verify and an apply record, nightly drift as one issue), two applies never at once
 * against one org (the CI system's own concurrency control), secrets only where they are used, a plan and an apply
 * service user, current action majors and a supported Node, and every m3ter-config command they contain accepted by
 * the CLI. ci-template.test.ts runs them, in the loop's order, in a copy of the folder.
 */

const CI = path.join(ROOT, 'examples/ci');
const GITHUB = path.join(CI, '.github/workflows/m3ter-config.yml');
const GITHUB_DRIFT = path.join(CI, '.github/workflows/m3ter-config-drift.yml');
const GITLAB = path.join(CI, '.gitlab-ci.yml');

interface GithubStep {
  run?: string;
  uses?: string;
  with?: Record<string, string | number>;
  env?: Record<string, string>;
}
interface GithubJob {
  if?: string;
  environment?: string;
  env?: unknown;
  concurrency?: { group?: string; 'cancel-in-progress'?: boolean };
  steps: GithubStep[];
}
interface GithubWorkflow {
  on: Record<string, unknown>;
  env?: unknown;
  concurrency?: unknown;
  jobs: Record<string, GithubJob>;
}
type GitlabJob = {
  script?: string[];
  before_script?: string[];
  extends?: string[];
  resource_group?: string;
  interruptible?: boolean;
  rules?: { if?: string }[];
  variables?: Record<string, string>;
  environment?: { name?: string };
  artifacts?: { paths?: string[] };
};

const github = parse(readFileSync(GITHUB, 'utf8')) as GithubWorkflow;
const githubDrift = parse(readFileSync(GITHUB_DRIFT, 'utf8')) as GithubWorkflow;
const gitlab = parse(readFileSync(GITLAB, 'utf8')) as Record<string, GitlabJob>;

/** The argument lists of every `node_modules/.bin/m3ter-config ...` in a shell text, up to the first shell operator. */
function commandsIn(shell: string): string[][] {
  const out: string[][] = [];
  for (const m of shell.matchAll(/node_modules\/\.bin\/m3ter-config ([^\n]*)/g)) {
    const args: string[] = [];
    for (const word of (m[1] as string).trim().split(/\s+/)) {
      if (/^(>|>>|\|\||&&|\||;|2>)/.test(word)) break;
      args.push(word);
    }
    out.push(args);
  }
  return out;
}

const ACTION = 'YOUR-ORG/m3ter-config@v0.1.0';
const usesAction = (s: GithubStep) => s.uses === ACTION;
/** The command line the action runs for a step's inputs (action/main.mjs builds it the same way). */
function actionCommand(step: GithubStep): string[] {
  const w = step.with ?? {};
  const lines = (v: unknown) =>
    String(v ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  const args = [String(w['command']), ...lines(w['paths'])];
  if (w['format']) args.push('--format', String(w['format']));
  if (w['out']) args.push('--out', String(w['out']));
  for (const f of lines(w['env-files'])) args.push('--dotenv', f);
  return [
    ...args,
    ...String(w['args'] ?? '')
      .split(/\s+/)
      .filter(Boolean),
  ];
}
const githubCommands = (job: GithubJob) => job.steps.filter(usesAction).map(actionCommand);
const gitlabCommands = (job: GitlabJob) =>
  commandsIn([...(job.before_script ?? []), ...(job.script ?? [])].join('\n'));
const gitlabJobs = Object.entries(gitlab).filter(
  ([name, j]) => !name.startsWith('.') && Array.isArray(j.script),
);
const ALL_FILES = [GITHUB, GITHUB_DRIFT, GITLAB, path.join(ROOT, 'action.yml')];

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
      '--out',
      'plan.json',
      '--detailed-exitcode',
      '--markdown-full',
      'plan-full.md',
    ]);
    const planStep = plan.steps.find((s) => usesAction(s) && s.with?.['command'] === 'plan');
    // The Markdown goes to plan.md and (the action's default) to the job summary; exit 2 (changes) is a green step.
    expect(planStep?.with).toMatchObject({ 'markdown-file': 'plan.md', 'success-exit-codes': '0 2' });
    expect(planStep?.with?.['summary']).toBeUndefined();
    const text = readFileSync(GITHUB, 'utf8');
    expect(text).toContain('github.rest.issues.updateComment');
    expect(text).toContain('steps.plan.outputs.markdown-file');
    // The saved plan and the Markdown beside it, cut and whole, are kept; the comment is what fits.
    expect(plan.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))?.with).toMatchObject({
      name: 'm3ter-config-plan',
      path: 'plan.json\nplan.md\nplan-full.md\n',
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
        '--format',
        'markdown',
        '--out',
        'drift.json',
        '--since',
        'apply-record.json',
        '--previous',
        'drift-previous.json',
        '--markdown-full',
        'drift-full.md',
      ],
    ]);
    expect(drift.steps.find((s) => s.uses?.startsWith('actions/download-artifact'))?.with).toMatchObject({
      name: 'm3ter-config-apply-record',
    });
    expect(drift.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))?.with).toMatchObject({
      name: 'm3ter-config-drift',
      path: 'drift.json\ndrift.md\ndrift-full.md\n',
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
      '--markdown-full',
      'plan-full.md',
    ]);
    expect(plan.script).toContain('node scripts/gitlab.mjs plan-note plan.md');
    expect(plan.artifacts?.paths).toEqual(['plan.md', 'plan.json', 'plan-full.md']);
  });

  it('applies the reviewed plan on the default branch, one at a time per org (resource_group)', () => {
    const apply = gitlab['apply']!;
    expect(apply.rules?.[0]?.if).toBe(
      '$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH',
    );
    expect(apply.resource_group).toBe('m3ter-config-$M3TER_ORG_ID');
    expect(apply.interruptible).toBe(false);
    expect(apply.script?.[0]).toBe('node scripts/gitlab.mjs reviewed-plan plan.json');
    expect(apply.extends).toEqual(['.m3ter-config', '.apply-user']);
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
    expect(gitlabCommands(drift)[0]).toEqual(expect.arrayContaining(['--markdown-full', 'drift-full.md']));
    expect(drift.artifacts?.paths).toContain('drift-full.md');
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
    expect(new Set(unique.map((c) => c.slice(0, 2).join(' ')))).toEqual(
      new Set(['validate m3ter', 'plan m3ter', 'apply plan.json', 'apply m3ter', 'drift m3ter']),
    );
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
});

describe('examples/ci: secrets, service users, environments', () => {
  const workflows = { 'm3ter-config.yml': github, 'm3ter-config-drift.yml': githubDrift };
  const APPLY_JOBS = new Set(['apply', 'apply-main']);

  it('GitHub: secrets only as inputs of the m3ter-config steps; no workflow-, job- or step-wide env holds one', () => {
    for (const [file, wf] of Object.entries(workflows)) {
      expect(wf.env, file).toBeUndefined();
      for (const [name, job] of Object.entries(wf.jobs)) {
        expect(job.env, `${file} ${name}`).toBeUndefined();
        for (const step of job.steps) {
          const where = `${file} ${name} ${step.uses ?? step.run}`;
          // A composite action's steps (setup-node, npm ci) all inherit the env of the step that uses it.
          if (usesAction(step)) expect(step.env, where).toBeUndefined();
          const text = JSON.stringify(step);
          if (!usesAction(step)) expect(text, where).not.toMatch(/secrets\./);
        }
      }
    }
  });

  it('GitHub: plan and drift run as the plan user, the applies as the apply user behind the production environment', () => {
    for (const [file, wf] of Object.entries(workflows))
      for (const [name, job] of Object.entries(wf.jobs)) {
        const apply = APPLY_JOBS.has(name);
        expect(job.environment, `${file} ${name}`).toBe(apply ? 'production' : undefined);
        const user = apply ? 'APPLY' : 'PLAN';
        for (const step of job.steps.filter(usesAction)) {
          const w = step.with ?? {};
          if (w['command'] === 'validate') {
            // validate never talks to m3ter: it gets no m3ter credentials at all.
            expect([w['api-key'], w['api-secret']]).toEqual([undefined, undefined]);
            continue;
          }
          expect(w, `${file} ${name}`).toMatchObject({
            'org-id': '${{ vars.M3TER_ORG_ID }}',
            'api-key': `\${{ vars.M3TER_${user}_API_KEY }}`,
            'api-secret': `\${{ secrets.M3TER_${user}_API_SECRET }}`,
            'fingerprint-key': '${{ secrets.M3TER_CONFIG_FINGERPRINT_KEY }}',
          });
        }
      }
  });

  it('GitLab: npm ci runs without the job variables; plan user for merge requests and drift, apply user in production', () => {
    const base = gitlab['.m3ter-config']!;
    const npmCi = base.before_script?.find((l) => l.includes('npm ci'));
    expect(npmCi).toMatch(/^env -i PATH="\$PATH" HOME="\$HOME" npm ci /);
    expect(base.before_script?.[0]).toBe('node scripts/gitlab.mjs check-lock');
    expect(gitlab['variables']).toBeUndefined();
    expect(gitlab['.plan-user']?.variables).toEqual({
      M3TER_API_KEY: '$M3TER_PLAN_API_KEY',
      M3TER_API_SECRET: '$M3TER_PLAN_API_SECRET',
    });
    expect(gitlab['.apply-user']).toMatchObject({
      variables: { M3TER_API_KEY: '$M3TER_APPLY_API_KEY', M3TER_API_SECRET: '$M3TER_APPLY_API_SECRET' },
      environment: { name: 'production' },
    });
    for (const [name, job] of gitlabJobs)
      expect(job.extends, name).toEqual([
        '.m3ter-config',
        APPLY_JOBS.has(name) ? '.apply-user' : '.plan-user',
      ]);
    // Merge request pipelines run on unprotected branches: the plan variables must not be protected (said in the file).
    expect(readFileSync(GITLAB, 'utf8')).toMatch(/NOT "Protected"/);
  });
});

describe('examples/ci: installed from the lock, on a supported Node, with current actions', () => {
  // The first major of each on the Node 24 action runtime (the @v4 ones run on Node 20, past its end of life).
  const NODE24_MAJOR: Record<string, number> = {
    'actions/checkout': 5,
    'actions/setup-node': 5,
    'actions/upload-artifact': 6,
    'actions/download-artifact': 7,
    'actions/cache': 5,
    'actions/cache/restore': 5,
    'actions/cache/save': 5,
    'actions/github-script': 8,
  };

  it('no file runs npx (it would fetch whatever holds the name, with the API secret in its environment)', () => {
    const files = [...ALL_FILES, path.join(CI, 'scripts/gitlab.mjs'), path.join(CI, 'README.md')];
    for (const file of files) expect(readFileSync(file, 'utf8'), file).not.toMatch(/\bnpx\s+[\w-]/);
  });

  it('every action at a major on the Node 24 runtime; Node 24 for the jobs', () => {
    const uses = ALL_FILES.filter((f) => f !== GITLAB).flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/uses: ([\w./-]+)@v(\d+)/g)].map(
        (m) => [m[1]!, Number(m[2])] as const,
      ),
    );
    expect(uses.length).toBeGreaterThan(10);
    for (const [name, major] of uses) {
      if (name === 'YOUR-ORG/m3ter-config') continue;
      expect(NODE24_MAJOR[name], name).toBeDefined();
      expect(major, name).toBeGreaterThanOrEqual(NODE24_MAJOR[name]!);
    }
    const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
      inputs: Record<string, { default?: string }>;
    };
    expect(action.inputs['node-version']?.default).toBe('24');
    expect((gitlab['default'] as { image?: string }).image).toBe('node:24');
    const manifest = JSON.parse(readFileSync(path.join(CI, 'package.json'), 'utf8'));
    expect(manifest.engines).toEqual({ node: '>=22' });
  });

  it('the action installs with no secret in its environment and hands them to the m3ter-config command only', () => {
    const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
      runs: {
        steps: { id?: string; uses?: string; with?: Record<string, string>; env?: Record<string, string> }[];
      };
    };
    const SECRET_INPUTS = ['api-secret', 'fingerprint-key', 'env', 'api-key', 'org-id'];
    for (const step of action.runs.steps) {
      const text = JSON.stringify(step);
      const holds = SECRET_INPUTS.filter(
        (i) => text.includes(`inputs.${i} `) || text.includes(`inputs.${i}}`),
      );
      expect([step.id ?? step.uses, holds]).toEqual([
        step.id ?? step.uses,
        step.id === 'run' ? SECRET_INPUTS : [],
      ]);
    }
  });
});

describe('README: the action example', () => {
  it('uses only inputs the action has', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
      inputs: Record<string, unknown>;
    };
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => parse(m[1]!) as GithubStep[])
      .filter((b) => Array.isArray(b) && b.some(usesAction));
    expect(blocks).toHaveLength(1);
    for (const step of blocks.flat().filter(usesAction))
      for (const name of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(name);
  });
});

describe('examples/ci: the GitHub scripts that post Markdown', () => {
  // The github-script steps run as the action runs them: an async function of github, context, core and require.
  const scriptOf = (job: GithubJob, name: string) => {
    const step = job.steps.find((s) => (s as { name?: string }).name === name);
    return String(step?.with?.['script'] ?? '');
  };
  async function runScript(
    script: string,
    files: Record<string, string>,
    env: Record<string, string> = {},
    comments: { id: number; body: string; user: { login: string; type: string } }[] = [],
  ) {
    const dir = tempDir();
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    const posted: { call: string; body: string; id?: number }[] = [];
    const record = (call: string) => async (args: { body?: string; comment_id?: number }) => {
      posted.push({ call, body: args.body ?? '', ...(args.comment_id ? { id: args.comment_id } : {}) });
      return { data: {} };
    };
    const github = {
      paginate: async () => comments,
      rest: {
        issues: {
          listComments: () => undefined,
          listForRepo: () => undefined,
          createComment: record('createComment'),
          updateComment: record('updateComment'),
          create: record('create'),
          update: record('update'),
        },
      },
    };
    const context = { repo: { owner: 'o', repo: 'r' }, issue: { number: 1 } };
    const cwd = process.cwd();
    const saved = { ...process.env };
    process.chdir(dir);
    Object.assign(process.env, env);
    try {
      const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
        ...args: string[]
      ) => (...values: unknown[]) => Promise<unknown>;
      await new AsyncFunction('github', 'context', 'core', 'require', script)(
        github,
        context,
        {},
        createRequire(import.meta.url),
      );
    } finally {
      process.chdir(cwd);
      for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
    }
    return posted;
  }
  // Far over the limit, with long lines: the last guard still keeps the body under GitHub's 65,536 characters.
  const huge = Array.from({ length: 3000 }, (_, i) => `| change ${i} | ${'x'.repeat(60)} |`).join('\n');

  it('the plan comment: one marked comment, under 65,536 characters however long the Markdown', async () => {
    const script = scriptOf(github.jobs['plan']!, 'Comment the plan on the pull request');
    const small = await runScript(script, { 'plan.md': '### Plan\n1 to create\n' }, { PLAN_MD: 'plan.md' });
    expect(small).toEqual([
      { call: 'createComment', body: '<!-- m3ter-config plan -->\n### Plan\n1 to create' },
    ]);
    const [big] = await runScript(script, { 'plan.md': huge }, { PLAN_MD: 'plan.md' });
    expect(big!.body.length).toBeLessThanOrEqual(65536);
    expect(big!.body).toMatch(/^<!-- m3ter-config plan -->\n\| change 0 \|/);
    expect(big!.body).toMatch(/\(cut: the whole plan is in the artifact m3ter-config-plan\)$/);
  });

  it("the plan comment: updates the workflow's own comment, never one someone else wrote with the marker", async () => {
    const script = scriptOf(github.jobs['plan']!, 'Comment the plan on the pull request');
    const marker = '<!-- m3ter-config plan -->';
    // Anyone may comment on a pull request; a comment of theirs that the workflow filled with the plan stays theirs
    // to edit afterwards (a fake "No changes" under the reviewed plan's marker).
    const spoof = { id: 7, body: `${marker}\nNo changes.`, user: { login: 'mallory', type: 'User' } };
    const own = { id: 9, body: `${marker}\nold plan`, user: { login: 'github-actions[bot]', type: 'Bot' } };
    const files = { 'plan.md': '### Plan\n1 to create\n' };
    expect(await runScript(script, files, { PLAN_MD: 'plan.md' }, [spoof])).toEqual([
      { call: 'createComment', body: `${marker}\n### Plan\n1 to create` },
    ]);
    expect(await runScript(script, files, { PLAN_MD: 'plan.md' }, [spoof, own])).toEqual([
      { call: 'updateComment', body: `${marker}\n### Plan\n1 to create`, id: 9 },
    ]);
  });

  it('the drift issue: opened with a body under 65,536 characters', async () => {
    const script = scriptOf(githubDrift.jobs['drift']!, 'Open, update or close the drift issue');
    const report = JSON.stringify({ drifted: true, items: [{ status: 'new' }], resolved: [] });
    const [opened] = await runScript(script, { 'drift.json': report, 'drift.md': huge });
    expect(opened!.call).toBe('create');
    expect(opened!.body.length).toBeLessThanOrEqual(65536);
    expect(opened!.body.startsWith('<!-- m3ter-config drift -->\n')).toBe(true);
  });
});
