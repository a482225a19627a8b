import type { Issue } from '../../model/errors.js';
import { renderCompare } from '../../render/compare.js';
import { compareEnvironments, loadForEnvironment } from '../../workflow/compare.js';
import { TARGET_ENV } from '../../live/target.js';
import { defineCommand } from '../command.js';
import { OUTPUT_ENV_NAMES, PROXY_ENV_NAMES } from '../environment.js';
import { EXIT, exitCodeForAbort } from '../exit-codes.js';
import {
  ENV_FILE_OPTION,
  formatOf,
  NO_COLOR_OPTION,
  type OptionTable,
  UsageError,
  useColor,
  write,
} from '../options.js';
import { configPaths, Interrupted, showWarnings, untilAborted } from './shared.js';

const COMPARE_OPTIONS = {
  // The shared env-file options first: compare's own `--env` (two of them) replaces the one-environment form.
  ...ENV_FILE_OPTION,
  env: {
    type: 'string',
    multiple: true,
    value: 'NAME',
    help: 'an environment of the `environments:` section; give it twice: --env A --env B',
  },
  format: {
    type: 'string',
    short: 'f',
    value: 'text|json|markdown',
    help: 'output (default text; json: schemas/compare.schema.json; markdown: a pull request or issue)',
  },
  ...NO_COLOR_OPTION,
} as const satisfies OptionTable;

/** The same warning from both loads (the same files) is shown once. */
function mergeWarnings(a: readonly Issue[], b: readonly Issue[]): Issue[] {
  const id = (i: Issue) => `${i.file}\u0000${i.line}\u0000${i.col}\u0000${i.code}\u0000${i.message}`;
  const seen = new Set(a.map(id));
  return [...a, ...b.filter((i) => !seen.has(id(i)))];
}

export const compareCommand = defineCommand({
  name: 'compare',
  summary: 'Compare the orgs of two environments: what one holds that the other does not, field by field',
  synopsis: 'compare --env A --env B [PATH...] [options]',
  description: `Loads the files once for each environment (its own vars and includes), reads both orgs at once and
shows, per kind, the entities only one org holds and the fields that differ, matched by natural key (as plan
matches them). Only the kinds the files manage are compared, and their ignore patterns apply. A field the files
write with a var is no difference when each org holds its own environment's value; when one does not, it is
reported with what each should hold. The promotion check: is production what sandbox was when it was tested?

Each org is read with its environment's target: the org is its orgId, the key, secret and base URL come from
the variables its \`target\` names (M3TER_ORG_ID, M3TER_API_KEY, M3TER_API_SECRET and M3TER_BASE_URL do not
apply: there are two orgs). A target that names no key or secret variable, or whose variables are not set, is
an error naming them, before anything is read.

Secrets are not compared: their values are never needed (an unset secret variable is fine) and never shown, and
m3ter keeps a webhook secret fingerprint per org, so equal secrets look different across orgs. Use drift --env
per environment to check each org's secrets against its files.

Only reads: nothing is written to either org or to any file.`,
  options: COMPARE_OPTIONS,
  env: [...PROXY_ENV_NAMES, 'M3TER_CONFIG_CREDENTIALS_PATH', ...OUTPUT_ENV_NAMES],
  exits: {
    ok: 'the orgs match',
    error: true,
    changes: 'the orgs differ: at least one entity only in one org, or a field that differs',
    interrupted: true,
    terminated: true,
  },
  async run(ctx, { values, positionals }) {
    const format = formatOf(values.format, ['text', 'json', 'markdown'] as const, 'text');
    const color = useColor(ctx, values['no-color']);
    const names = values.env ?? [];
    if (names.length !== 2)
      throw new UsageError(
        `compare takes two environments, --env A --env B (got ${names.length === 0 ? 'none' : names.map((n) => JSON.stringify(n)).join(', ')})`,
      );
    const [first, second] = names as [string, string];
    if (first === second)
      throw new UsageError(`compare takes two different environments (got ${JSON.stringify(first)} twice)`);
    const paths = configPaths(ctx, positionals);
    const load = (environment: string) =>
      loadForEnvironment(paths, {
        env: ctx.env,
        cwd: ctx.cwd,
        environment,
        ...(values.dotenv ? { envFiles: values.dotenv } : {}),
      });
    const [a, b] = await Promise.all([load(first), load(second)]);
    showWarnings(ctx, mergeWarnings(a.warnings, b.warnings), color && Boolean(ctx.stderr.isTTY));
    const ignored = Object.values(TARGET_ENV).filter((v) => (ctx.env[v] ?? '').trim() !== '');
    if (ignored.length > 0)
      write(
        ctx.stderr,
        `note: compare reads each org through its environment's target; ${ignored.join(', ')} ${ignored.length === 1 ? 'is' : 'are'} not used`,
      );
    try {
      const { report } = await untilAborted(
        ctx.signal,
        compareEnvironments(a, b, { env: ctx.env, cwd: ctx.cwd }),
      );
      write(ctx.stdout, renderCompare(report, { format, color: format === 'text' && color }));
      return report.differ ? EXIT.changes : EXIT.ok;
    } catch (error) {
      if (!(error instanceof Interrupted)) throw error;
      write(ctx.stderr, `Compare interrupted by ${String(ctx.signal.reason)}.`);
      return exitCodeForAbort(ctx.signal);
    }
  },
});
