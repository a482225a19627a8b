import { renderIssues } from '../../render/issues.js';
import { validate } from '../../workflow/validate.js';
import { defineCommand } from '../command.js';
import { OUTPUT_ENV_NAMES } from '../environment.js';
import { EXIT } from '../exit-codes.js';
import { configPaths } from './shared.js';
import { ENV_FILE_OPTION, formatOf, NO_COLOR_OPTION, STACK_OPTION, useColor, write } from '../options.js';

export const validateCommand = defineCommand({
  name: 'validate',
  summary: 'Check config files offline: every problem at once, with file, line and column',
  synopsis: 'validate [PATH...] [options]',
  description: `Reads every *.yaml/*.yml under each PATH (default: ./m3ter.yaml, ./m3ter.yml or the folder ./m3ter),
merges them into one desired state and checks it against the config schema and m3ter's rules.
Needs no credentials and sends nothing anywhere.
A secret whose variable is unset is a warning here (plan and apply require it).`,
  options: {
    format: { type: 'string', short: 'f', value: 'text|json', help: 'output format (default text)' },
    ...ENV_FILE_OPTION,
    ...STACK_OPTION,
    'require-env': { type: 'boolean', help: 'treat unset secret variables as errors, as plan and apply do' },
    ...NO_COLOR_OPTION,
  },
  env: OUTPUT_ENV_NAMES,
  exits: { ok: 'no errors (warnings allowed)', error: 'errors found' },
  async run(ctx, { values, positionals }) {
    const format = formatOf(values.format, ['text', 'json'] as const, 'text');
    const result = await validate(configPaths(ctx, positionals), {
      env: ctx.env,
      cwd: ctx.cwd,
      ...(values['env-file'] ? { envFiles: values['env-file'] } : {}),
      ...(values.stack !== undefined ? { stack: values.stack } : {}),
      requireEnv: values['require-env'] ?? false,
    });
    const text = renderIssues(result.issues, { format, color: useColor(ctx, values['no-color']) });
    if (format === 'json') write(ctx.stdout, text);
    else if (result.issues.length > 0) write(result.errorCount > 0 ? ctx.stderr : ctx.stdout, text);
    else write(ctx.stdout, `OK: ${result.files.length} file(s) valid.`);
    return result.errorCount > 0 ? EXIT.error : EXIT.ok;
  },
});
