import { DEFAULT_MARKDOWN_LIMIT } from '../render/plan-markdown.js';
import type { CommandContext } from './context.js';
import { closest } from '../model/suggest.js';
import { ENVIRONMENT_ENV } from '../model/environment.js';

export class UsageError extends Error {}

/**
 * One option of a command. Declared once: the parser and the help text are both made from it.
 * Every option is accepted as `--name`, `-name` (Terraform's habit), `--name=VALUE` and `-name=VALUE`.
 */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** A one-letter form, `-f`. */
  readonly short?: string;
  /** May be given more than once; the values are collected in order. */
  readonly multiple?: boolean;
  /** The value's placeholder in help (`FILE`, `N|N%`). */
  readonly value?: string;
  /** One line of help; `\n` starts a continuation line. */
  readonly help: string;
  /** Help section; options without one are listed under "Options". */
  readonly group?: string;
  /** Older names still accepted, not shown in help. */
  readonly aliases?: readonly string[];
  /** Given twice with different values is a usage error (where the last one winning could aim a run elsewhere). */
  readonly once?: boolean;
}

export type OptionTable = Readonly<Record<string, OptionSpec>>;

export type OptionValues<O extends OptionTable> = {
  -readonly [K in keyof O]?: O[K] extends { type: 'boolean' }
    ? boolean
    : O[K] extends { multiple: true }
      ? string[]
      : string;
};

export interface ParsedArgs<O extends OptionTable> {
  values: OptionValues<O>;
  positionals: string[];
}

/** `--help` is accepted by every command. */
export const HELP_OPTION = {
  help: { type: 'boolean', short: 'h', help: 'show this help', group: 'Global options' },
} as const satisfies OptionTable;

/** Flags shared by commands that talk to an org. */
export const TARGET_OPTIONS = {
  'org-id': {
    type: 'string',
    value: 'ID',
    help: 'm3ter organization (default: M3TER_ORG_ID)',
    group: 'Target (the first output line always names it)',
  },
  'api-key': {
    type: 'string',
    value: 'KEY',
    help: 'service user access key id (default: M3TER_API_KEY); the secret comes only from\nM3TER_API_SECRET, never from a flag',
    group: 'Target (the first output line always names it)',
  },
  'base-url': {
    type: 'string',
    value: 'URL',
    help: 'API base URL (default: M3TER_BASE_URL, else https://api.m3ter.com)',
    group: 'Target (the first output line always names it)',
  },
  'state-file': {
    type: 'string',
    value: 'FILE',
    help: 'state of the embedded emulator (default .m3ter/local.json)',
    group: 'Target (the first output line always names it)',
  },
} as const satisfies OptionTable;

/**
 * What every command that loads files takes: the environment to load them for, and env files. Env files: not primarily `--env-file`: Node reads that name anywhere on its own command line, so through the npm
 * bin shim (`node bin/m3ter-config.js plan --env-file x`) a missing file stops Node before the CLI runs. The old name
 * stays an alias, for files that exist.
 */
export const ENV_FILE_OPTION = {
  dotenv: {
    type: 'string',
    multiple: true,
    value: 'FILE',
    help: 'read variables from FILE (NAME=value lines, as dotenv reads them); the environment\nwins; repeatable (--env-file works too, but Node itself stops on a missing file)',
    aliases: ['env-file'],
  },
  env: {
    type: 'string',
    value: 'NAME',
    once: true,
    help: `load the files for environment NAME of their \`environments:\` (default: ${ENVIRONMENT_ENV})`,
  },
} as const satisfies OptionTable;

/**
 * The load options the shared flags give: env files, and the environment (`--env`, else the variable; empty is
 * none).
 */
export function fileLoadOptions(
  values: { dotenv?: string[] | undefined; env?: string | undefined },
  env: Readonly<Record<string, string | undefined>>,
): { envFiles?: string[]; environment?: string } {
  const environment = chosenEnvironment(values, env);
  return {
    ...(values.dotenv ? { envFiles: values.dotenv } : {}),
    ...(environment !== undefined ? { environment } : {}),
  };
}

/** The environment a run names (`--env`, else the variable), or undefined. */
export function chosenEnvironment(
  values: { env?: string | undefined },
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const name = values.env ?? env[ENVIRONMENT_ENV];
  return name === undefined || name === '' ? undefined : name;
}

/** Which stack of a `cdktf.out` folder given as PATH is read (as `cdktf synth --stack`). */
export const STACK_OPTION = {
  stack: {
    type: 'string',
    value: 'NAME',
    help: 'the stack to read when a PATH is a cdktf.out folder holding several',
  },
} as const satisfies OptionTable;

/** Flags that shape a plan, shared by plan and apply. */
export const PLAN_OPTIONS = {
  'rotate-secrets': {
    type: 'boolean',
    help: "re-send every managed webhook's secrets even when their fingerprints match",
  },
  'allow-deletes': { type: 'boolean', help: 'accept more deletes than the delete budget' },
  'skip-online-checks': {
    type: 'boolean',
    help: 'do not check the event names and calculations of created or changed rules against\nthe org before writing (a warning says so every time)',
  },
  'delete-budget': {
    type: 'string',
    value: 'N|N%',
    help: "deletes allowed per kind (default: 25% of a kind's live entities once it has 8; never every one of 2 or more, at most half of a smaller kind)",
  },
} as const satisfies OptionTable;

export const NO_COLOR_OPTION = {
  'no-color': {
    type: 'boolean',
    help: 'no ANSI colours (also when NO_COLOR is set or output is not a terminal)',
  },
} as const satisfies OptionTable;

/** How big a Markdown report (plan, drift) may be, and where the whole one goes: shared by plan and drift. */
export const MARKDOWN_OPTIONS = {
  'markdown-limit': {
    type: 'string',
    value: 'CHARS',
    help: `with --format markdown: at most CHARS characters (default ${DEFAULT_MARKDOWN_LIMIT}, under GitHub's\n65,536 for a comment, with room for a marker line; 0: no limit); what does not fit is\ncounted in a last line that says where the whole report is`,
  },
  'markdown-full': {
    type: 'string',
    value: 'FILE',
    help: 'with --format markdown: also write the whole Markdown, with no limit, to FILE',
  },
} as const satisfies OptionTable;

/** The smallest limit a report fits in: its heading, summary table and the line saying what was left out. */
export const MIN_MARKDOWN_LIMIT = 4_000;

export function parseMarkdownLimit(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MARKDOWN_LIMIT;
  const m = /^\d+$/.exec(value.trim());
  const n = m ? Number(m[0]) : NaN;
  if (!Number.isSafeInteger(n) || (n !== 0 && n < MIN_MARKDOWN_LIMIT))
    throw new UsageError(
      `--markdown-limit takes a number of characters, at least ${MIN_MARKDOWN_LIMIT}, or 0 for no limit (got ${JSON.stringify(value)})`,
    );
  return n;
}

/** Everything a command that plans against an org takes (plan, apply), beyond its own options. */
/** The production guard's one option for an org whose kind `users/me` does not tell (workflow/org-guard.ts). */
export const ORG_GUARD_OPTIONS = {
  'allow-unknown-org-type': {
    type: 'boolean',
    help: 'go on when GET users/me cannot be read, so the kind of org (PRODUCTION or SANDBOX)\ncannot be checked against the environment (or M3TER_CONFIG_ALLOW_UNKNOWN_ORG_TYPE=1)',
  },
} as const satisfies OptionTable;

export const PLANNING_OPTIONS = {
  ...PLAN_OPTIONS,
  ...ENV_FILE_OPTION,
  ...STACK_OPTION,
  ...NO_COLOR_OPTION,
  ...TARGET_OPTIONS,
} as const satisfies OptionTable;

/** The option table's entries, each under its long name and its aliases. */
function lookupTables(options: OptionTable): { long: Map<string, string>; short: Map<string, string> } {
  const long = new Map<string, string>();
  const short = new Map<string, string>();
  for (const [name, spec] of Object.entries(options)) {
    long.set(name, name);
    for (const alias of spec.aliases ?? []) long.set(alias, name);
    if (spec.short) short.set(spec.short, name);
  }
  return { long, short };
}

/** Looks like an option rather than a value: `-x`, `--x`, but not `-` or a negative number. */
function looksLikeOption(token: string): boolean {
  return token.startsWith('-') && token !== '-' && !/^-\d/.test(token);
}

/**
 * Parses a command line against an option table. Unknown options are usage errors with a "did you mean";
 * `--` ends the options.
 */
export function parseArgv<O extends OptionTable>(argv: readonly string[], options: O): ParsedArgs<O> {
  const { long, short } = lookupTables(options);
  const values: Record<string, string | boolean | string[]> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!looksLikeOption(token)) {
      positionals.push(token);
      continue;
    }
    const body = token.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const given = eq === -1 ? body : body.slice(0, eq);
    const inline = eq === -1 ? undefined : body.slice(eq + 1);
    const name =
      (given.length === 1 && !token.startsWith('--') ? short.get(given) : undefined) ?? long.get(given);
    if (name === undefined) {
      const hint = closest(
        given,
        [...long.keys()].filter((n) => n.length > 1),
      );
      throw new UsageError(`unknown option ${token.split('=')[0]}${hint ? `; did you mean --${hint}?` : ''}`);
    }
    const spec = options[name] as OptionSpec;
    if (spec.type === 'boolean') {
      if (inline === undefined || inline === 'true') values[name] = true;
      else if (inline === 'false') values[name] = false;
      else throw new UsageError(`--${name} takes no value (got ${JSON.stringify(inline)})`);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || looksLikeOption(next)) {
        throw new UsageError(`--${name} needs a value: --${name} ${spec.value ?? 'VALUE'}`);
      }
      value = next;
      i++;
    }
    if (spec.multiple) values[name] = [...((values[name] as string[] | undefined) ?? []), value];
    else if (spec.once && typeof values[name] === 'string' && values[name] !== value)
      throw new UsageError(
        `--${name} was given twice (${JSON.stringify(values[name])}, ${JSON.stringify(value)}); give one`,
      );
    else values[name] = value;
  }
  return { values: values as OptionValues<O>, positionals };
}

/** The help lines of an option table, grouped by `group`, in declaration order. */
export function renderOptionHelp(options: OptionTable): string {
  const rows = Object.entries(options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.value ? ` ${spec.value}` : ''}`;
    return { group: spec.group ?? 'Options', flag, help: spec.help };
  });
  const width = Math.max(...rows.map((r) => r.flag.length)) + 2;
  const groups = new Map<string, string[]>();
  for (const row of rows) {
    const [first, ...more] = row.help.split('\n');
    const lines = [
      `  ${row.flag.padEnd(width)}${first ?? ''}`,
      ...more.map((m) => `  ${' '.repeat(width)}${m}`),
    ];
    groups.set(row.group, [...(groups.get(row.group) ?? []), ...lines]);
  }
  // Global options come last, after what is particular to the command.
  const ordered = [...groups].sort(
    ([a], [b]) => Number(a === 'Global options') - Number(b === 'Global options'),
  );
  return ordered.map(([group, lines]) => `${group}:\n${lines.join('\n')}`).join('\n\n');
}

export function formatOf<F extends string>(value: string | undefined, allowed: readonly F[], fallback: F): F {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as F;
  throw new UsageError(`--format must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
}

/** Colour only on a terminal, never with NO_COLOR (any value) or --no-color. */
export function useColor(ctx: CommandContext, noColorFlag: boolean | undefined): boolean {
  return (
    Boolean(ctx.stdout.isTTY) &&
    !noColorFlag &&
    (ctx.env['NO_COLOR'] ?? '') === '' &&
    ctx.env['TERM'] !== 'dumb'
  );
}

export function write(stream: NodeJS.WritableStream, text: string): void {
  stream.write(text.endsWith('\n') || text === '' ? text : `${text}\n`);
}

/**
 * Whether what was written to `stream` so far reached its reader: false once the reader has gone (a pipe closed by
 * `| head -1`). Waits for the writes to be taken, and one turn more, so a broken pipe has reported itself.
 */
export function delivered(stream: NodeJS.WritableStream & { destroyed?: boolean }): Promise<boolean> {
  if (stream.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    stream.write('', (error) => setImmediate(() => resolve(!error && stream.destroyed !== true)));
  });
}

/** `--delete-budget 10` (a count) or `--delete-budget 20%` (a share of each kind's live entities). */
export function parseDeleteBudget(value: string | undefined): { count?: number; percent?: number } {
  if (value === undefined) return {};
  const m = /^(\d+)(%?)$/.exec(value.trim());
  if (!m)
    throw new UsageError(
      `--delete-budget takes a count (10) or a percentage (20%), got ${JSON.stringify(value)}`,
    );
  const n = Number(m[1]);
  if (m[2] === '%') {
    if (n > 100) throw new UsageError('--delete-budget percentage must be at most 100%');
    return { percent: n };
  }
  return { count: n };
}
