import type { Issue } from '../../model/errors.js';
import { describeTarget } from '../../model/target.js';
import { renderIssues } from '../../render/issues.js';
import { validate } from '../../workflow/validate.js';
import { validateOnline } from '../../workflow/validate-online.js';
import { defineCommand } from '../command.js';
import { PLANNING_ENV_NAMES } from '../environment.js';
import { EXIT } from '../exit-codes.js';
import { configPaths, openTarget } from './shared.js';
import {
  ENV_FILE_OPTION,
  formatOf,
  NO_COLOR_OPTION,
  STACK_OPTION,
  TARGET_OPTIONS,
  useColor,
  write,
  fileLoadOptions,
} from '../options.js';

export const validateCommand = defineCommand({
  name: 'validate',
  summary: 'Check config files offline: every problem at once, with file, line and column',
  synopsis: 'validate [PATH...] [options]',
  description: `Reads every *.yaml/*.yml under each PATH (default: ./m3ter.yaml, ./m3ter.yml or the folder ./m3ter),
merges them into one desired state and checks it against the config schema and m3ter's rules.
Needs no credentials and sends nothing anywhere.
A secret whose variable is unset is a warning here (plan and apply require it).
With --online, also asks the target org (as plan would find it): every rule's eventName must be one of its
GET /events/types, and every calculation must pass POST /notifications/evaluate for that event type.
Only reads and evaluations are sent, never a write; and nothing at all while the files have errors.`,
  options: {
    format: { type: 'string', short: 'f', value: 'text|json', help: 'output format (default text)' },
    ...ENV_FILE_OPTION,
    ...STACK_OPTION,
    'require-env': { type: 'boolean', help: 'treat unset secret variables as errors, as plan and apply do' },
    ...NO_COLOR_OPTION,
    online: { type: 'boolean', help: "also check event names and calculations against the target org's API" },
    ...TARGET_OPTIONS,
  },
  env: PLANNING_ENV_NAMES,
  exits: { ok: 'no errors (warnings allowed)', error: 'errors found' },
  async run(ctx, { values, positionals }) {
    const format = formatOf(values.format, ['text', 'json'] as const, 'text');
    const result = await validate(configPaths(ctx, positionals), {
      env: ctx.env,
      cwd: ctx.cwd,
      ...fileLoadOptions(values, ctx.env),
      ...(values.stack !== undefined ? { stack: values.stack } : {}),
      requireEnv: values['require-env'] ?? false,
    });
    let issues: Issue[] = result.issues;
    if (values.online && result.errorCount === 0 && result.state) {
      const session = await openTarget(ctx, values, {
        readsOnly: true,
        environment: result.state.environment,
      });
      try {
        if (format === 'text')
          write(ctx.stderr, `Checking online against ${describeTarget(session.target.description)}`);
        issues = [...issues, ...(await validateOnline(result.state, session.client, { cwd: ctx.cwd }))];
      } finally {
        await session.close();
      }
    }
    const errorCount = issues.filter((i) => i.severity === 'error').length;
    const text = renderIssues(issues, { format, color: useColor(ctx, values['no-color']) });
    if (format === 'json') write(ctx.stdout, text);
    else if (issues.length > 0) write(errorCount > 0 ? ctx.stderr : ctx.stdout, text);
    else
      write(
        ctx.stdout,
        `OK: ${result.files.length} file(s) valid${values.online ? ', online checks passed' : ''}.`,
      );
    return errorCount > 0 ? EXIT.error : EXIT.ok;
  },
});
