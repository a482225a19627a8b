import { type ParseArgsConfig, parseArgs } from 'node:util';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
import type { CommandContext } from './command.js';

export class UsageError extends Error {}

/** Flags shared by commands that talk to an org. */
export const TARGET_OPTIONS = {
  'org-id': { type: 'string' },
  'api-key': { type: 'string' },
  'base-url': { type: 'string' },
  'env-file': { type: 'string', multiple: true },
  'state-file': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/** Flags that shape a plan, shared by plan and apply. */
export const PLAN_OPTIONS = {
  'rotate-secrets': { type: 'boolean' },
  'allow-deletes': { type: 'boolean' },
  'delete-budget': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export const OUTPUT_OPTIONS = {
  format: { type: 'string', short: 'f' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export function parse<O extends OptionsConfig>(
  argv: string[],
  options: O,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
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
