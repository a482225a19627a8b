// The GitLab side of the m3ter-config CI loop (.gitlab-ci.yml), with Node's fetch and nothing to install:
//   node scripts/gitlab.mjs check-lock                  package-lock.json pins m3ter-config to exact bytes
//   node scripts/gitlab.mjs plan-note PLAN.md [ENV]      one merge-request note with the plan, updated by later runs
//   node scripts/gitlab.mjs reviewed-plan OUT.json [JOB]  the saved plan OUT.json that JOB (default plan) made for the
//                                                        merge request this commit merged
//   node scripts/gitlab.mjs last-artifact JOB[,JOB] FILE  FILE from the latest artifacts of JOB on the default branch
//   node scripts/gitlab.mjs drift-issue REPORT.json REPORT.md [ENV]   open, update or close the one drift issue
// ENV: the environment (files with `environments:`): one note and one drift issue per environment.
// Needs GITLAB_API_TOKEN (a project access token, scope api) except for last-artifact, which uses the job token,
// and check-lock, which reads only the lock.
import { readFileSync, writeFileSync } from 'node:fs';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const project = () => `${env('CI_API_V4_URL')}/projects/${encodeURIComponent(env('CI_PROJECT_ID'))}`;

async function api(method, path, body, auth = { 'PRIVATE-TOKEN': env('GITLAB_API_TOKEN') }) {
  const res = await fetch(`${project()}${path}`, {
    method,
    headers: { ...auth, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new Error(`${method} ${path}: GitLab answered ${res.status}`);
  return res;
}
const json = async (path) => (await api('GET', path)).json();

const PLAN_MARKER = '<!-- m3ter-config plan -->';
const DRIFT_LABEL = 'm3ter-config-drift';

const commands = {
  // The template ships a placeholder address and no integrity (the bytes of your release are not known to it): npm ci
  // would fail on the address, or install whatever it serves unchecked.
  async 'check-lock'() {
    const regenerate =
      'set your m3ter-config address in package.json, run `npm install --package-lock-only` and commit package-lock.json';
    const entry = JSON.parse(readFileSync('package-lock.json', 'utf8')).packages?.[
      'node_modules/m3ter-config'
    ];
    if (!entry) throw new Error(`package-lock.json pins no m3ter-config: ${regenerate}`);
    const resolved = String(entry.resolved ?? '');
    if (resolved.includes('YOUR-ORG'))
      throw new Error(`package-lock.json holds the template's placeholder address: ${regenerate}`);
    if (!/^git\+.*#[0-9a-f]{40}$/.test(resolved) && typeof entry.integrity !== 'string')
      throw new Error(`package-lock.json records no integrity for m3ter-config: ${regenerate}`);
  },

  async 'plan-note'(file, environment) {
    const iid = env('CI_MERGE_REQUEST_IID');
    const plan = readFileSync(file, 'utf8').trim();
    const marker = environment ? `<!-- m3ter-config plan ${environment} -->` : PLAN_MARKER;
    const heading = environment ? `**Environment: ${environment}**\n\n` : '';
    const body = `${marker}\n${heading}${plan || 'The plan failed before it could be shown: see the job log.'}`;
    // Only a note this token wrote is updated: anyone can post a note that starts with the marker.
    const me = await (
      await fetch(`${env('CI_API_V4_URL')}/user`, { headers: { 'PRIVATE-TOKEN': env('GITLAB_API_TOKEN') } })
    ).json();
    if (typeof me?.id !== 'number')
      throw new Error('GET /user: GitLab answered no user id for GITLAB_API_TOKEN');
    const notes = await json(`/merge_requests/${iid}/notes?per_page=100&sort=asc`);
    const mine = notes.find((n) => n.author?.id === me.id && n.body?.startsWith(marker));
    if (mine) await api('PUT', `/merge_requests/${iid}/notes/${mine.id}`, { body });
    else await api('POST', `/merge_requests/${iid}/notes`, { body });
  },

  async 'reviewed-plan'(out, jobName = 'plan') {
    const mrs = await json(`/repository/commits/${env('CI_COMMIT_SHA')}/merge_requests`);
    const mr = mrs.find((m) => m.state === 'merged' && m.target_branch === env('CI_DEFAULT_BRANCH'));
    if (!mr) throw new Error('this commit merged no merge request, so no plan was reviewed');
    // The merge request's latest successful pipeline at its last pushed commit, and its plan job.
    const pipelines = await json(`/merge_requests/${mr.iid}/pipelines?per_page=100`);
    const pipeline = pipelines.find((p) => p.status === 'success' && p.sha === mr.sha);
    if (!pipeline) throw new Error(`no successful plan of !${mr.iid} at ${mr.sha}`);
    const jobs = await json(`/pipelines/${pipeline.id}/jobs?scope=success&per_page=100`);
    const job = jobs.find((j) => j.name === jobName);
    if (!job) throw new Error(`pipeline ${pipeline.id} of !${mr.iid} has no successful ${jobName} job`);
    const res = await api('GET', `/jobs/${job.id}/artifacts/${encodeURIComponent(out)}`);
    writeFileSync(out, Buffer.from(await res.arrayBuffer()));
  },

  async 'last-artifact'(jobNames, file) {
    const found = [];
    for (const job of jobNames.split(',')) {
      const path = `/jobs/artifacts/${encodeURIComponent(env('CI_DEFAULT_BRANCH'))}/raw/${file}?job=${encodeURIComponent(job)}`;
      try {
        found.push(await (await api('GET', path, undefined, { 'JOB-TOKEN': env('CI_JOB_TOKEN') })).text());
      } catch {
        // No such artifact (yet, or expired).
      }
    }
    if (found.length === 0) throw new Error(`no ${file} in the latest artifacts of ${jobNames}`);
    // Of several apply records, the latest apply's.
    const at = (text) => {
      try {
        return String(JSON.parse(text).appliedAt ?? '');
      } catch {
        return '';
      }
    };
    writeFileSync(file, found.sort((a, b) => at(b).localeCompare(at(a)))[0]);
  },

  async 'drift-issue'(reportFile, markdownFile, environment) {
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    const description = readFileSync(markdownFile, 'utf8').trim();
    const where = environment ? ` in ${environment}` : '';
    const title = `m3ter-config drift${where}: ${report.items.length} item(s) differ from the files`;
    const label = environment ? `${DRIFT_LABEL}-${environment}` : DRIFT_LABEL;
    const [issue] = await json(`/issues?state=opened&labels=${encodeURIComponent(label)}&per_page=1`);
    if (!report.drifted) {
      if (issue) {
        await api('POST', `/issues/${issue.iid}/notes`, {
          body: `Resolved: the${environment ? ` ${environment}` : ''} org matches the files again.`,
        });
        await api('PUT', `/issues/${issue.iid}`, { state_event: 'close' });
      }
      return;
    }
    if (!issue) {
      await api('POST', '/issues', { title, description, labels: label });
      return;
    }
    // Notify only when the drift changed (new or resolved items); an unchanged drift stays quiet.
    await api('PUT', `/issues/${issue.iid}`, { title, description });
    if (report.changedSincePrevious !== false) {
      const fresh = report.items.filter((i) => i.status !== 'ongoing').length;
      const body = `The drift changed: ${fresh} new, ${(report.resolved ?? []).length} resolved (see the description).`;
      await api('POST', `/issues/${issue.iid}/notes`, { body });
    }
  },
};

const [name, ...args] = process.argv.slice(2);
const command = commands[name];
if (!command) {
  console.error(`usage: node scripts/gitlab.mjs ${Object.keys(commands).join('|')} ...`);
  process.exit(1);
}
command(...args).catch((error) => {
  console.error(`error: ${error.message}`);
  process.exit(1);
});
