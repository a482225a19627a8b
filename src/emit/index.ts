import { labelOf } from '../kinds/index.js';
import type { ImportedModel } from './imported.js';
import type { ImportWriter } from './writer.js';
import { commentText } from './yaml-text.js';
import { stackVariablesOf, stackWriter } from './cdktf.js';
import { writeYaml } from './yaml.js';
export { yamlFileNames } from './yaml.js';

export {
  importedModelOf,
  type ImportedEntity,
  type ImportedModel,
  type ImportedSecret,
  type ImportModelOptions,
  type ImportProblem,
  type ImportProblemCode,
} from './imported.js';
export { entryOf, envNameFor, withoutDefaults, type ConfigEntry } from './entries.js';
export type { ImportLayout, ImportWriter, WriterOptions, WrittenFile } from './writer.js';
export { doubleQuoted, isPlainSafe } from './yaml-text.js';

/** The formats `import` writes, each a writer of the one imported model (a TypeScript stack plugs in here). */
export const IMPORT_WRITERS = {
  yaml: writeYaml,
  cdktf: stackWriter('cdktf'),
  cdktn: stackWriter('cdktn'),
} as const satisfies Record<string, ImportWriter>;

export type ImportFormat = keyof typeof IMPORT_WRITERS;

/** The formats that write a stack (run it to synthesize; the loader reads the synth output, `ignore` included). */
export const STACK_FORMATS: ReadonlySet<ImportFormat> = new Set(['cdktf', 'cdktn']);

export { stackVariablesOf };

/** The model as a format names its variables: a stack's secrets are read from TF_VAR_<variable>. */
export function withFormatEnvNames(model: ImportedModel, format: ImportFormat): ImportedModel {
  if (!STACK_FORMATS.has(format)) return model;
  const variables = stackVariablesOf(model);
  return {
    ...model,
    secrets: model.secrets.map((s) => ({
      ...s,
      env: `TF_VAR_${variables.get(s.env) ?? s.env.toLowerCase()}`,
    })),
  };
}

/**
 * The env template: every variable the files reference, names only, each with the entity and field it is for, in
 * the env file grammar (`NAME=` lines; fill in the values, or set the variables in the environment).
 */
export function envTemplate(model: ImportedModel, header: readonly string[]): string {
  const lines = header.map((h) => `# ${commentText(h)}`);
  if (model.secrets.length === 0) lines.push('# The imported files reference no secret.');
  for (const s of model.secrets) {
    lines.push(`# ${commentText(`${labelOf(s.kind, s.key)}: ${s.field}`)}`, `${s.env}=`);
  }
  return `${lines.join('\n')}\n`;
}
