import { ApiConnectionError, ApiError } from '../model/errors.js';
import type { FailedRun, LinkHealth, LinkToExplain } from '../model/link-health.js';
import { redactSecrets, redactUrl } from '../model/redact.js';
import type { LiveClient } from './contract.js';
import { orgPath } from './paths.js';

/**
 * m3ter's integration runs of a disabled link, read to say why it is disabled. The run endpoints are documented but
 * not confirmed for notification links (and what a Notification run's `entityId` holds is unknown), so they are
 * read defensively: only reads, the first page only, and any failure or odd answer loses the detail, never the
 * report.
 */

/** [U] Which run statuses are a failed delivery: the ended failures (an AWAITING_RETRY run may still succeed). */
export const FAILED_RUN_STATUSES: ReadonlySet<string> = new Set([
  'ERROR',
  'AUTH_FAILED',
  'TIMEOUT_LIMIT_EXCEEDED',
]);
/** Runs read per link: the newest page. */
const RUNS_PAGE = 50;
/** How long the runs of every link may take to read, in ms, before their detail is given up. */
export const RUNS_BUDGET_MS = 20_000;
/** An `error` longer than this is cut: it is shown in reports and plans. */
const MAX_ERROR_CHARS = 500;

/**
 * The health of each link, by key. `secrets`: every secret of the files, redacted from m3ter's texts (a receiver's
 * answer echoed in an `error` could hold one).
 */
export async function readLinkHealth(
  client: LiveClient,
  links: readonly LinkToExplain[],
  secrets: readonly string[],
  options: { budgetMs?: number } = {},
): Promise<Map<string, LinkHealth>> {
  const out = new Map<string, LinkHealth>();
  const all = Promise.all(
    links.map(async (link) => {
      out.set(link.key, await healthOf(client, link, secrets));
    }),
  );
  // The runs only explain: a slow or hanging endpoint (each GET retried, each attempt up to the client's timeout)
  // loses the detail of the links not read in time, and never holds up the report or the plan.
  const budget = options.budgetMs ?? RUNS_BUDGET_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), budget);
  });
  try {
    if ((await Promise.race([all, late])) === 'late') {
      all.catch(() => undefined);
      for (const link of links)
        if (!out.has(link.key))
          out.set(link.key, {
            lastFailedRun: null,
            runsUnavailable: `no answer within ${budget >= 1000 ? `${Math.round(budget / 1000)} s` : `${budget} ms`}`,
            reenableRequest: reenableRequestOf(client, link),
          });
    }
  } finally {
    clearTimeout(timer);
  }
  return out;
}

function reenableRequestOf(client: LiveClient, link: LinkToExplain): string {
  return `POST ${orgPath(client.orgId, 'integrationconfigs', link.id, 'enable')}`;
}

async function healthOf(
  client: LiveClient,
  link: LinkToExplain,
  secrets: readonly string[],
): Promise<LinkHealth> {
  const reenableRequest = reenableRequestOf(client, link);
  if (link.ruleId === undefined || link.webhookId === undefined)
    return { lastFailedRun: null, runsUnavailable: 'the link names no rule or webhook', reenableRequest };
  const query = { order: 'DESC', pageSize: String(RUNS_PAGE) };
  // By the rule first (its runs are the link's when filtered to its webhook); by the webhook if that has nothing.
  const reads = [
    {
      path: orgPath(client.orgId, 'integrationruns', 'Notification', link.ruleId),
      mine: (r: RawRun) => r.destinationId === undefined || r.destinationId === link.webhookId,
    },
    {
      path: orgPath(client.orgId, 'integrationruns', 'destinations', link.webhookId),
      mine: (r: RawRun) => r.entityId === link.ruleId,
    },
  ];
  let unavailable: string | null = null;
  for (const { path, mine } of reads) {
    const page = await readPage(client, path, query);
    if (typeof page === 'string') {
      unavailable ??= page;
      continue;
    }
    unavailable = null;
    const failed = page.filter((r) => mine(r) && FAILED_RUN_STATUSES.has(r.status)).sort(newestFirst)[0];
    if (failed) return { lastFailedRun: shown(failed, secrets), runsUnavailable: null, reenableRequest };
  }
  return { lastFailedRun: null, runsUnavailable: unavailable, reenableRequest };
}

interface RawRun {
  id?: string;
  status: string;
  error?: string;
  entityId?: string;
  destinationId?: string;
  at?: string;
}

/** The runs of one page, or why there are none to read. Never throws for m3ter's answer or its absence. */
async function readPage(
  client: LiveClient,
  path: string,
  query: Record<string, string>,
): Promise<RawRun[] | string> {
  let body: unknown;
  try {
    body = await client.get<unknown>(path, query);
  } catch (error) {
    if (error instanceof ApiError) return `HTTP ${error.status}`;
    if (error instanceof ApiConnectionError) return 'no answer';
    throw error;
  }
  if (body === undefined) return 'HTTP 404';
  const data = (body as { data?: unknown } | null)?.data;
  if (typeof body !== 'object' || body === null || !Array.isArray(data)) return 'an unexpected answer';
  const runs: RawRun[] = [];
  for (const item of data) {
    if (typeof item !== 'object' || item === null) return 'an unexpected answer';
    const r = item as Record<string, unknown>;
    if (typeof r['status'] !== 'string') return 'an unexpected answer';
    const run: RawRun = { status: r['status'] };
    const text = (k: string) => (typeof r[k] === 'string' ? (r[k] as string) : undefined);
    const at = text('dtCompleted') ?? text('dtStarted') ?? text('dtCreated');
    for (const [k, v] of [
      ['id', text('id')],
      ['error', text('error')],
      ['entityId', text('entityId')],
      ['destinationId', text('destinationId')],
      ['at', at],
    ] as const) {
      if (v !== undefined) run[k] = v;
    }
    runs.push(run);
  }
  return runs;
}

function newestFirst(a: RawRun, b: RawRun): number {
  const t = (r: RawRun) => (r.at === undefined ? Number.NEGATIVE_INFINITY : Date.parse(r.at) || 0);
  return t(b) - t(a);
}

/** A run as reports show it: its texts cut, redacted of the files' secrets and of URL user info. */
function shown(r: RawRun, secrets: readonly string[]): FailedRun {
  // Redacted before the cut, so a cut inside a secret or a URL's user info leaves none of it behind.
  const clean = (s: string) => redactUserInfo(redactSecrets(s, secrets)).slice(0, MAX_ERROR_CHARS);
  return {
    id: r.id === undefined ? null : clean(r.id),
    status: clean(r.status),
    error: r.error === undefined ? null : clean(r.error),
    at: r.at === undefined ? null : clean(r.at),
  };
}

/**
 * Any `scheme://user:pass@` in a text, masked as a URL's user info is elsewhere. Word by word, in linear time: a
 * pattern for the scheme backtracks over every run of letters that holds no `://` (quadratic on a long error).
 */
function redactUserInfo(text: string): string {
  return text.replace(/[^\s"'<>]+/g, (word) => {
    const sep = word.indexOf('://');
    if (sep < 0 || !word.includes('@', sep)) return word;
    let start = sep;
    while (start > 0 && /[a-z0-9+.-]/i.test(word[start - 1] as string)) start--;
    while (start < sep && !/[a-z]/i.test(word[start] as string)) start++;
    return start === sep ? word : `${word.slice(0, start)}${redactUrl(word.slice(start))}`;
  });
}
