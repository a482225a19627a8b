import { loadConfigSources, type SynthLoadOptions } from '../load/cdktf-synth.js';
import type { Issue } from '../model/errors.js';
import type { DesiredState } from '../model/state.js';

export interface ValidateOptions extends Omit<SynthLoadOptions, 'missingEnv' | 'documents'> {
  /**
   * validate needs no credentials: by default a secret whose variable is unset or empty is a warning (`missing_env`,
   * `empty_env`). With `requireEnv` it is an error, as in plan and apply.
   */
  requireEnv?: boolean;
}

export interface ValidateResult {
  /** Every issue, sorted by file, line and column. */
  issues: Issue[];
  /** The merged desired state when there is no error. */
  state?: DesiredState;
  /** The config files read, in order. */
  files: string[];
  errorCount: number;
  warningCount: number;
}

/** Checks config files (YAML, or CDKTF synth output) offline: reads them and nothing else, sends nothing, prints nothing. */
export async function validate(paths: readonly string[], options: ValidateOptions): Promise<ValidateResult> {
  const loaded = await loadConfigSources(paths, {
    env: options.env,
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    ...(options.envFiles !== undefined ? { envFiles: options.envFiles } : {}),
    ...(options.stack !== undefined ? { stack: options.stack } : {}),
    ...(options.environment !== undefined ? { environment: options.environment } : {}),
    missingEnv: options.requireEnv ? 'error' : 'warning',
    ...(options.onSections ? { onSections: options.onSections } : {}),
  });
  const errorCount = loaded.issues.filter((i) => i.severity === 'error').length;
  const result: ValidateResult = {
    issues: loaded.issues,
    files: loaded.files,
    errorCount,
    warningCount: loaded.issues.length - errorCount,
  };
  if (loaded.state) result.state = loaded.state;
  return result;
}
