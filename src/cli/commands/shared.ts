import { existsSync } from 'node:fs';
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

export const TARGET_HELP = `Target (the first output line always names it):
      --org-id ID         m3ter organization (default: M3TER_ORG_ID)
      --api-key KEY       service user access key id (default: M3TER_API_KEY); the secret comes only from
                          M3TER_API_SECRET, never from a flag
      --base-url URL      API base URL (default: M3TER_BASE_URL, else https://api.m3ter.com)
      --state-file FILE   state of the embedded emulator (default .m3ter/local.json)
  With none of M3TER_ORG_ID, M3TER_API_KEY, M3TER_API_SECRET set, the target is an embedded local emulator
  whose org lives in .m3ter/local.json (git-ignored): nothing leaves this machine.`;

export function openTarget(ctx: CommandContext, values: TargetValues): Promise<Session> {
  return openSession({
    env: ctx.env,
    cwd: ctx.cwd,
    flags: { orgId: values['org-id'], apiKey: values['api-key'], baseUrl: values['base-url'] },
    embeddedStateFile: values['state-file'],
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
