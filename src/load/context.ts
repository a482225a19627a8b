import type { Issue } from '../model/errors.js';
import type { SourceRef } from '../model/resource.js';
import { locate, type ParsedFile } from './yaml.js';

/**
 * How a secret whose variable is unset or empty is reported:
 * - `error` (plan, apply): the value is needed, so it is an error;
 * - `warning` (validate): the files are checked without the secrets; the resource is kept without that secret.
 */
export type EnvPolicy = 'error' | 'warning';

export interface BuildContext {
  parsed: ParsedFile;
  env: Readonly<Record<string, string | undefined>>;
  policy: EnvPolicy;
  issues: Issue[];
  /** The values in this file written with a var (pointers); absent where it uses none. */
  varPointers?: ReadonlySet<string>;
}

export function sourceAt(parsed: ParsedFile, pointer: string, at: 'key' | 'value' = 'value'): SourceRef {
  return { file: parsed.file, ...locate(parsed, pointer, at), pointer };
}

export function issueAt(
  ctx: BuildContext,
  severity: Issue['severity'],
  code: string,
  pointer: string,
  message: string,
  hint?: string,
  at: 'key' | 'value' = 'value',
): void {
  const i: Issue = {
    severity,
    code,
    file: ctx.parsed.file,
    ...locate(ctx.parsed, pointer, at),
    pointer,
    message,
  };
  if (hint !== undefined) i.hint = hint;
  ctx.issues.push(i);
}
