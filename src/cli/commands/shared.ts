import { existsSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { ConfigError, type Issue } from '../../model/errors.js';
import type { EnvironmentStamp } from '../../model/environment.js';
import type { DesiredState } from '../../model/state.js';
import { escapeText } from '../../render/escape.js';
import { renderIssues } from '../../render/issues.js';
import { loadDesired, type LoadOptions } from '../../workflow/plan.js';
import { isRemoteTarget, openSession, type Session, startPrefetch } from '../../workflow/session.js';
import type { CommandContext } from '../command.js';
import { UsageError, write } from '../options.js';

export interface TargetValues {
  'org-id'?: string | undefined;
  'api-key'?: string | undefined;
  'base-url'?: string | undefined;
  'state-file'?: string | undefined;
}

/**
 * Opens the command's target; `readOnly` (drift): the embedded emulator writes no state file; `readsOnly` (plan,
 * graph, import): it reads the state file without taking the writer's lock.
 */
export async function openTarget(
  ctx: CommandContext,
  values: TargetValues,
  options: { readOnly?: boolean; readsOnly?: boolean; environment?: EnvironmentStamp | undefined } = {},
): Promise<Session> {
  const session = await openSession({
    env: ctx.env,
    cwd: ctx.cwd,
    flags: { orgId: values['org-id'], apiKey: values['api-key'], baseUrl: values['base-url'] },
    embeddedStateFile: values['state-file'],
    ...(options.environment ? { environment: options.environment } : {}),
    ...(options.readOnly ? { readOnly: true } : {}),
    ...(options.readsOnly ? { readsOnly: true } : {}),
  });
  // Every command that opens the org says so when a declared target quietly became the local emulator.
  showNotes(ctx, session.notes);
  return session;
}

/**
 * Loads the files for plan, apply and drift, and opens the target. Against a remote org the session opens first
 * and reads the org while the files load: the token at once, each kind's lists as soon as a parsed file declares it,
 * so a remote command waits less. Invalid files throw ConfigError as always, the early reads are dropped, and the
 * error says that only reads were sent. The embedded emulator is opened only after the files are valid (it would
 * create its state file). When an environment is chosen, the target depends on it: the session opens after the files
 * load, with the environment they were loaded for.
 */
export async function loadAndOpenTarget(
  ctx: CommandContext,
  values: TargetValues,
  paths: readonly string[],
  load: Omit<LoadOptions, 'env' | 'cwd' | 'onSections'>,
  options: { readOnly?: boolean; readsOnly?: boolean; beforeReads?: (session: Session) => void } = {},
): Promise<{ state: DesiredState; warnings: Issue[]; session: Session }> {
  const flags = { orgId: values['org-id'], apiKey: values['api-key'], baseUrl: values['base-url'] };
  const early =
    load.environment === undefined && isRemoteTarget({ env: ctx.env, flags })
      ? await openTarget(ctx, values, options)
      : undefined;
  if (early) {
    // What must be refused before anything is read (drift's record of another org) is refused here.
    try {
      options.beforeReads?.(early);
    } catch (error) {
      void early.close().catch(() => undefined);
      throw error;
    }
  }
  const prefetch = early ? startPrefetch(early) : undefined;
  let loaded: { state: DesiredState; warnings: Issue[] };
  try {
    loaded = await loadDesired(paths, {
      env: ctx.env,
      cwd: ctx.cwd,
      ...load,
      ...(prefetch ? { onSections: (kinds) => prefetch.add(kinds) } : {}),
    });
  } catch (error) {
    if (early) {
      const sent = early.client.stats();
      if (error instanceof ConfigError && sent.requests + sent.tokenRequests > 0) error.readsSent = true;
      void early.close().catch(() => undefined);
    }
    throw error;
  }
  if (early) return { ...loaded, session: early };
  const session = await openTarget(ctx, values, { ...options, environment: loaded.state.environment });
  if (loaded.state.environment) {
    try {
      options.beforeReads?.(session);
    } catch (error) {
      void session.close().catch(() => undefined);
      throw error;
    }
  }
  return { ...loaded, session };
}

/** Warnings about the target (not from the files): one line each on stderr, escaped (a reason may quote a server). */
export function showNotes(ctx: CommandContext, notes: readonly string[] | undefined): void {
  for (const note of notes ?? []) write(ctx.stderr, `warning: ${escapeText(note)}`);
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

/**
 * Runs a command's work on an open session and closes the session after. When the user interrupts (the work throws
 * Interrupted), says `interruptedBy(signal reason)` on stderr and answers `onInterrupt()` (a command's exit code)
 * without waiting for the reads still in flight: closing waits for them, and an interrupted command should not.
 */
export async function closeAfter<T>(
  ctx: CommandContext,
  session: Session,
  work: () => Promise<T>,
  interrupted: { message: (reason: string) => string; result: () => T },
): Promise<T> {
  let leave = false;
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    leave = true;
    write(ctx.stderr, interrupted.message(String(ctx.signal.reason)));
    return interrupted.result();
  } finally {
    if (leave) void session.close().catch(() => undefined);
    else await session.close();
  }
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
