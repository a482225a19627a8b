import { emitTerraformJson } from '../emit/tf-json.js';
import { ConfigError, type Issue } from '../model/errors.js';
import { validate, type ValidateOptions } from './validate.js';

export type ExportFormat = 'tf-json';

export interface ExportResult {
  /** The exported document, ending with a newline. */
  text: string;
  /** Warnings from loading the files. */
  warnings: Issue[];
}

/**
 * Writes config files as another format, offline: `tf-json` is Terraform JSON for m3ter's provider (emit/tf-json.ts).
 * Needs no secret: a secret is written as the sensitive variable that holds it, so every variable counts as set while
 * loading (the placeholder is never written anywhere). Any error throws ConfigError.
 */
export async function exportConfig(
  paths: readonly string[],
  options: Omit<ValidateOptions, 'requireEnv'> & { format: ExportFormat },
): Promise<ExportResult> {
  const env = new Proxy(
    {},
    { get: (_t, name) => (typeof name === 'string' ? (options.env[name] ?? 'unset') : undefined) },
  ) as Readonly<Record<string, string>>;
  const result = await validate(paths, { ...options, env, requireEnv: true });
  if (result.errorCount > 0 || !result.state) throw new ConfigError(result.issues);
  return {
    text: `${JSON.stringify(emitTerraformJson(result.state), null, 2)}\n`,
    warnings: result.issues.filter((i) => i.severity === 'warning'),
  };
}
