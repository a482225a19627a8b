import { renderIssues } from '../../render/issues.js';
import { validate } from '../../workflow/validate.js';
import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { configPaths } from './shared.js';
import { formatOf, OUTPUT_OPTIONS, parse, useColor, write } from '../options.js';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check config files offline: every problem at once, with file, line and column',
  usage: `Usage: m3ter-config validate [PATH...] [--format text|json] [--env-file FILE]

Reads every *.yaml/*.yml under each PATH (default: ./m3ter.yaml, ./m3ter.yml or the folder ./m3ter),
merges them into one desired state and checks it against the config schema and m3ter's rules.
Needs no credentials and sends nothing anywhere.
A secret whose variable is unset is a warning here (plan and apply require it).

Options:
  -f, --format text|json  output format (default text)
      --env-file FILE     read variables from FILE (KEY=VALUE lines); the environment wins; repeatable
      --require-env       treat unset secret variables as errors, as plan and apply do
      --no-color          no ANSI colours (also when NO_COLOR is set or output is not a terminal)

Exit status: 0 no errors (warnings allowed), 1 errors found.`,
  async run(ctx) {
    const { values, positionals } = parse(ctx.argv, {
      ...OUTPUT_OPTIONS,
      'env-file': { type: 'string', multiple: true },
      'require-env': { type: 'boolean' },
    });
    if (values.help) {
      write(ctx.stdout, this.usage);
      return EXIT.ok;
    }
    const format = formatOf(values.format, ['text', 'json'] as const, 'text');
    const result = await validate(configPaths(ctx, positionals), {
      env: ctx.env,
      cwd: ctx.cwd,
      ...(values['env-file'] ? { envFiles: values['env-file'] } : {}),
      requireEnv: values['require-env'] ?? false,
    });
    const text = renderIssues(result.issues, { format, color: useColor(ctx, values['no-color']) });
    if (format === 'json') write(ctx.stdout, text);
    else if (result.issues.length > 0) write(result.errorCount > 0 ? ctx.stderr : ctx.stdout, text);
    else write(ctx.stdout, `OK: ${result.files.length} file(s) valid.`);
    return result.errorCount > 0 ? EXIT.error : EXIT.ok;
  },
};
