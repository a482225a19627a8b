import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './run-cli.js';

/**
 * examples/ci/scripts/gitlab.mjs against a small fake of GitLab's REST API on loopback: one merge-request note that
 * later runs update, and one drift issue opened, updated (with a note only when the drift changed) and closed.
 */
const run = promisify(execFile);
const SCRIPT = path.join(ROOT, 'examples/ci/scripts/gitlab.mjs');

interface Call {
  method: string;
  url: string;
  body: Record<string, unknown> | undefined;
}

function fakeGitlab(): {
  calls: Call[];
  issues: Record<string, unknown>[];
  notes: Record<string, unknown>[];
  server: Server;
} {
  const calls: Call[] = [];
  const issues: Record<string, unknown>[] = [];
  const notes: Record<string, unknown>[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      const url = req.url ?? '';
      calls.push({ method: req.method ?? '', url, body });
      const reply = (v: unknown) =>
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(v));
      const base = '/api/v4/projects/7';
      if (req.headers['private-token'] !== 'token') return res.writeHead(401).end('{}');
      if (req.method === 'GET' && url === '/api/v4/user') return reply({ id: 42 });
      if (req.method === 'GET' && url.startsWith(`${base}/merge_requests/3/notes`)) return reply(notes);
      if (req.method === 'POST' && url === `${base}/merge_requests/3/notes`) {
        notes.push({ id: notes.length + 1, author: { id: 42 }, ...body });
        return reply({});
      }
      if (req.method === 'PUT' && url.startsWith(`${base}/merge_requests/3/notes/`)) {
        Object.assign(notes[Number(url.split('/').pop()) - 1]!, body);
        return reply({});
      }
      if (req.method === 'GET' && url.startsWith(`${base}/issues?state=opened`)) {
        const label = new URL(url, 'http://x').searchParams.get('labels');
        return reply(issues.filter((i) => i['state'] === 'opened' && i['labels'] === label));
      }
      // A merged merge request (!3 at commit "head", merged by commit "merge") whose pipeline planned each environment.
      if (req.method === 'GET' && url === `${base}/repository/commits/merge/merge_requests`)
        return reply([{ iid: 3, state: 'merged', target_branch: 'main', sha: 'head' }]);
      if (req.method === 'GET' && url.startsWith(`${base}/merge_requests/3/pipelines`))
        return reply([{ id: 11, status: 'success', sha: 'head' }]);
      if (req.method === 'GET' && url.startsWith(`${base}/pipelines/11/jobs`))
        return reply([
          { id: 21, name: 'plan: [sandbox]' },
          { id: 22, name: 'plan: [production]' },
        ]);
      const artifact = /\/jobs\/(\d+)\/artifacts\/(.+)$/.exec(url);
      if (req.method === 'GET' && artifact)
        return res.writeHead(200).end(`plan of job ${artifact[1]}: ${decodeURIComponent(artifact[2]!)}`);
      if (req.method === 'POST' && url === `${base}/issues`) {
        issues.push({ iid: issues.length + 1, state: 'opened', ...body });
        return reply({});
      }
      const m = /\/issues\/(\d+)(\/notes)?$/.exec(url);
      if (m && req.method === 'PUT') {
        const issue = issues[Number(m[1]) - 1]!;
        Object.assign(issue, body);
        if (body?.['state_event'] === 'close') issue['state'] = 'closed';
        return reply({});
      }
      if (m && req.method === 'POST') return reply({});
      res.writeHead(404).end('{}');
    });
  });
  return { calls, issues, notes, server };
}

describe('examples/ci/scripts/gitlab.mjs', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it(
    'keeps one plan note and one drift issue: opened, updated, quiet when unchanged, closed',
    { timeout: 60_000 },
    async () => {
      const fake = fakeGitlab();
      server = fake.server;
      await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
      const port = (fake.server.address() as AddressInfo).port;
      const cwd = tempDir();
      const env = {
        PATH: process.env['PATH'] ?? '',
        CI_API_V4_URL: `http://127.0.0.1:${port}/api/v4`,
        CI_PROJECT_ID: '7',
        CI_MERGE_REQUEST_IID: '3',
        GITLAB_API_TOKEN: 'token',
      };
      const script = (...args: string[]) => run(process.execPath, [SCRIPT, ...args], { cwd, env });
      const file = (name: string, text: string) => writeFileSync(path.join(cwd, name), text);

      // Someone else's note that starts with the marker is never taken for the plan note.
      const spoof = { id: 1, author: { id: 7 }, body: '<!-- m3ter-config plan -->\nNo changes.' };
      fake.notes.push({ ...spoof });
      file('plan.md', '### plan one');
      await script('plan-note', 'plan.md');
      file('plan.md', '### plan two');
      await script('plan-note', 'plan.md');
      expect(fake.notes).toEqual([
        spoof,
        { id: 2, author: { id: 42 }, body: '<!-- m3ter-config plan -->\n### plan two' },
      ]);

      const report = (drifted: boolean, changed: boolean) =>
        JSON.stringify({
          drifted,
          changedSincePrevious: changed,
          items: drifted ? [{ status: 'new' }] : [],
          resolved: [],
        });
      file('drift.md', '### drift');
      file('drift.json', report(true, true));
      await script('drift-issue', 'drift.json', 'drift.md');
      expect(fake.issues).toMatchObject([
        { iid: 1, state: 'opened', labels: 'm3ter-config-drift', description: '### drift' },
      ]);
      const notesOn = () =>
        fake.calls.filter((c) => c.method === 'POST' && c.url.endsWith('/issues/1/notes')).length;
      file('drift.json', report(true, false));
      await script('drift-issue', 'drift.json', 'drift.md');
      expect(notesOn()).toBe(0); // unchanged drift: the body is rewritten, nobody is notified
      file('drift.json', report(true, true));
      await script('drift-issue', 'drift.json', 'drift.md');
      expect(notesOn()).toBe(1);
      file('drift.json', report(false, true));
      await script('drift-issue', 'drift.json', 'drift.md');
      expect(fake.issues[0]).toMatchObject({ state: 'closed' });
      expect(notesOn()).toBe(2);
      expect(fake.issues).toHaveLength(1);
    },
  );

  it(
    'with an environment: one plan note and one drift issue per environment, and the reviewed plan of its plan job',
    { timeout: 60_000 },
    async () => {
      const fake = fakeGitlab();
      server = fake.server;
      await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
      const port = (fake.server.address() as AddressInfo).port;
      const cwd = tempDir();
      const env = {
        PATH: process.env['PATH'] ?? '',
        CI_API_V4_URL: `http://127.0.0.1:${port}/api/v4`,
        CI_PROJECT_ID: '7',
        CI_MERGE_REQUEST_IID: '3',
        CI_COMMIT_SHA: 'merge',
        CI_DEFAULT_BRANCH: 'main',
        GITLAB_API_TOKEN: 'token',
      };
      const script = (...args: string[]) => run(process.execPath, [SCRIPT, ...args], { cwd, env });
      const file = (name: string, text: string) => writeFileSync(path.join(cwd, name), text);

      file('plan-sandbox.md', '### sandbox plan');
      file('plan-production.md', '### production plan');
      await script('plan-note', 'plan-sandbox.md', 'sandbox');
      await script('plan-note', 'plan-production.md', 'production');
      file('plan-sandbox.md', '### sandbox plan, again');
      await script('plan-note', 'plan-sandbox.md', 'sandbox');
      expect(fake.notes.map((n) => n['body'])).toEqual([
        '<!-- m3ter-config plan sandbox -->\n**Environment: sandbox**\n\n### sandbox plan, again',
        '<!-- m3ter-config plan production -->\n**Environment: production**\n\n### production plan',
      ]);

      await script('reviewed-plan', 'plan-production.json', 'plan: [production]');
      expect(readFileSync(path.join(cwd, 'plan-production.json'), 'utf8')).toBe(
        'plan of job 22: plan-production.json',
      );
      await expect(script('reviewed-plan', 'plan-staging.json', 'plan: [staging]')).rejects.toMatchObject({
        stderr: expect.stringContaining('has no successful plan: [staging] job'),
      });

      const report = JSON.stringify({
        drifted: true,
        changedSincePrevious: true,
        items: [{ status: 'new' }],
      });
      file('drift-sandbox.json', report);
      file('drift-production.json', report);
      file('drift.md', '### drift');
      await script('drift-issue', 'drift-sandbox.json', 'drift.md', 'sandbox');
      await script('drift-issue', 'drift-production.json', 'drift.md', 'production');
      expect(fake.issues).toMatchObject([
        {
          iid: 1,
          labels: 'm3ter-config-drift-sandbox',
          title: expect.stringMatching(/^m3ter-config drift in sandbox:/),
        },
        { iid: 2, labels: 'm3ter-config-drift-production' },
      ]);
      file('drift-sandbox.json', JSON.stringify({ drifted: false, items: [] }));
      await script('drift-issue', 'drift-sandbox.json', 'drift.md', 'sandbox');
      expect(fake.issues.map((i) => i['state'])).toEqual(['closed', 'opened']);
    },
  );
});
