import { existsSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Issue } from '../../model/errors.js';
import { renderIssues } from '../../render/issues.js';
import { openSession, type Session } from '../../workflow/session.js';
import type { CommandContext } from '../command.js';
import { UsageError, write } from '../options.js';

export interface TargetValues {
  'org-id'?: string | undefined;
  'api-key'?: string | undefined;
  'base-url'?: string | undefined;
  'state-file'?: string | undefined;
}

/** Opens the command's target; `readOnly` (drift): the embedded emulator writes no state file. */
export function openTarget(
  ctx: CommandContext,
  values: TargetValues,
  options: { readOnly?: boolean } = {},
): Promise<Session> {
  return openSession({
    env: ctx.env,
    cwd: ctx.cwd,
    flags: { orgId: values['org-id'], apiKey: values['api-key'], baseUrl: values['base-url'] },
    embeddedStateFile: values['state-file'],
    ...(options.readOnly ? { readOnly: true } : {}),
  });
}

/** Warnings from the files go to stderr so that stdout stays machine-readable. */
export function showWarnings(ctx: CommandContext, warnings: readonly Issue[], color: boolean): void {
  if (warnings.length > 0) write(ctx.stderr, renderIssues(warnings, { format: 'text', color }));
}

/** Where config is looked for when no PATH is given, in the current folder. */
export const DEFAULT_CONFIG_PATHS = ['m3ter.yaml', 'm3ter.yml', 'm3ter'] as const;

/**
 * The paths to load: those given, or the first default that exists. Not the whole folder: a repository holds other
 * YAML (CI workflows, compose files) that is not m3ter config.
 */
export function configPaths(ctx: CommandContext, positionals: string[]): string[] {
  if (positionals.length > 0) return positionals;
  const found = DEFAULT_CONFIG_PATHS.find((p) => existsSync(path.join(ctx.cwd, p)));
  if (found) return [found];
  throw new UsageError(
    `no config given and none found here (looked for ${DEFAULT_CONFIG_PATHS.join(', ')}): pass the files or folders to read`,
  );
}

/** Thrown by {@link untilAborted} when the user interrupts; the command answers with the signal's exit code. */
export class Interrupted extends Error {}

/**
 * The work's result, or Interrupted as soon as `signal` aborts. Used for reads, which may be dropped mid-way: the
 * entry point exits once the command returns, so nothing partial is written after.
 */
export function untilAborted<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(new Interrupted(String(signal.reason)));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Interrupted(String(signal.reason)));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Why a long-running command (emulator, webhook listen) stops: the first signal, or its parent going away. */
export function untilStopped(ctx: CommandContext): Promise<string> {
  return new Promise<string>((resolve) => {
    const stopWatching = ctx.watchParent?.((reason) => resolve(reason));
    const onAbort = (): void => {
      stopWatching?.();
      resolve(String(ctx.signal.reason ?? 'interrupted'));
    };
    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Writes `text` to `file` (relative to the working directory) beside it and renames it over it, so an interrupted
 * run leaves the old file or none. With `signal`, a run interrupted while writing throws Interrupted and leaves
 * the old file.
 */
export async function writeFileAtomically(
  ctx: CommandContext,
  file: string,
  text: string,
  options: { mode?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const target = path.resolve(ctx.cwd, file);
  const partial = `${target}.${process.pid}.partial`;
  await writeFile(partial, text, options.mode === undefined ? {} : { mode: options.mode });
  if (options.signal?.aborted) {
    await rm(partial, { force: true });
    throw new Interrupted();
  }
  await rename(partial, target);
}
